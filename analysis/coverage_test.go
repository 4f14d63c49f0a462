package analysis

import (
	"math/rand/v2"
	"testing"

	"coalition"
)

func mon(s string) coalition.Month {
	m, err := coalition.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestCoverageHandComputed(t *testing.T) {
	needs := []Need{
		{Category: "air", Month: mon("2025-01"), Amount: 100},
		{Category: "air", Month: mon("2025-02"), Amount: 100},
		{Category: "ammo", Month: mon("2025-01"), Amount: 50},
		{Category: "air", Month: mon("2025-03"), Amount: 999}, // outside the period
	}
	flows := []Flow{
		// 200 over Jan–Apr: 50 a month pledged; 80 delivered: 20 a month.
		{Donor: "DEU", Category: "air", From: mon("2025-01"), To: mon("2025-04"), Amount: 200, Delivered: 80},
		// 30 in February only.
		{Donor: "FRA", Category: "ammo", From: mon("2025-02"), To: mon("2025-02"), Amount: 30},
	}
	got := Coverage(needs, flows, mon("2025-01"), mon("2025-02"))
	want := []CoverageCell{
		{"air", mon("2025-01"), 100, 50, 20, 0.5, 50},
		{"air", mon("2025-02"), 100, 50, 20, 0.5, 50},
		{"ammo", mon("2025-01"), 50, 0, 0, 0, 50},
		{"ammo", mon("2025-02"), 0, 30, 0, 1, 0}, // nothing required: fully covered
	}
	if len(got.Cells) != len(want) {
		t.Fatalf("got %d cells, want %d: %+v", len(got.Cells), len(want), got.Cells)
	}
	for i := range want {
		if got.Cells[i] != want[i] {
			t.Errorf("cell %d = %+v, want %+v", i, got.Cells[i], want[i])
		}
	}
	// air: required 200, pledged 100, delivered 40, gap 100, share 0.5.
	// ammo: required 50, pledged 30, gap 50 (February's surplus does not fill
	// January), share 0. Total: 250, 130, 40, gap 150, share 100/250 = 0.4.
	// Net gaps over the period: air max(0, 200 − 100) = 100; ammo
	// max(0, 50 − 30) = 20 (February's surplus counts against January's
	// need); total 100 + 20 = 120, less than the monthly gap of 150.
	wantCats := []CoverageTotal{{"air", 200, 100, 40, 0.5, 100, 100}, {"ammo", 50, 30, 0, 0, 50, 20}}
	for i := range wantCats {
		if got.Categories[i] != wantCats[i] {
			t.Errorf("category %d = %+v, want %+v", i, got.Categories[i], wantCats[i])
		}
	}
	if w := (CoverageTotal{"", 250, 130, 40, 0.4, 150, 120}); got.Total != w {
		t.Errorf("total = %+v, want %+v", got.Total, w)
	}
}

func TestWithdrawHandComputed(t *testing.T) {
	flows := []Flow{
		{Donor: "USA", Category: "mil", From: mon("2025-01"), To: mon("2025-04"), Amount: 400, Delivered: 40}, // 100 a month
		{Donor: "USA", Category: "fin", From: mon("2025-03"), To: mon("2025-03"), Amount: 50},
		{Donor: "GBR", Category: "mil", From: mon("2025-01"), To: mon("2025-12"), Amount: 120},
	}
	tests := []struct {
		name     string
		w        []Withdrawal
		wantKept []Flow
		wantLost map[string]float64
	}{
		{
			// Half of USA military from March: Jan–Feb (200) kept whole,
			// Mar–Apr (200) halved: 100 kept, 100 lost. Financial untouched.
			name: "half of one category",
			w:    []Withdrawal{{Countries: []string{"USA"}, From: mon("2025-03"), Fraction: 0.5, Categories: []string{"mil"}}},
			wantKept: []Flow{
				{Donor: "USA", Category: "mil", From: mon("2025-01"), To: mon("2025-02"), Amount: 200, Delivered: 20},
				{Donor: "USA", Category: "mil", From: mon("2025-03"), To: mon("2025-04"), Amount: 100, Delivered: 10},
				flows[1], flows[2],
			},
			wantLost: map[string]float64{"USA": 100},
		},
		{
			// Fraction 0 means all, every category, from February: military
			// keeps January (100) and loses 300; financial (March) loses 50.
			name: "everything",
			w:    []Withdrawal{{Countries: []string{"USA"}, From: mon("2025-02")}},
			wantKept: []Flow{
				{Donor: "USA", Category: "mil", From: mon("2025-01"), To: mon("2025-01"), Amount: 100, Delivered: 10},
				flows[2],
			},
			wantLost: map[string]float64{"USA": 350},
		},
		{
			// Withdrawing after a flow ends changes nothing.
			name:     "too late",
			w:        []Withdrawal{{Countries: []string{"USA"}, From: mon("2025-05")}},
			wantKept: flows,
			wantLost: map[string]float64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, lost := Withdraw(flows, tt.w)
			if len(kept) != len(tt.wantKept) {
				t.Fatalf("kept = %+v, want %+v", kept, tt.wantKept)
			}
			for i := range kept {
				if kept[i] != tt.wantKept[i] {
					t.Errorf("kept[%d] = %+v, want %+v", i, kept[i], tt.wantKept[i])
				}
			}
			if len(lost) != len(tt.wantLost) {
				t.Errorf("lost = %v, want %v", lost, tt.wantLost)
			}
			for k, v := range tt.wantLost {
				if !near(lost[k], v, 1e-12) {
					t.Errorf("lost[%s] = %v, want %v", k, lost[k], v)
				}
			}
		})
	}
}

// Kept plus lost is what there was; coverage after a withdrawal never has a
// smaller gap.
func TestWithdrawConserves(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	donors := []string{"USA", "GBR", "DEU"}
	cats := []string{"mil", "fin"}
	start := mon("2025-01")
	for k := 0; k < 200; k++ {
		var flows []Flow
		var needs []Need
		var total float64
		for i := 0; i < 1+rng.IntN(8); i++ {
			f := Flow{Donor: donors[rng.IntN(3)], Category: cats[rng.IntN(2)], From: start.Add(rng.IntN(12))}
			f.To = f.From.Add(rng.IntN(12))
			f.Amount = float64(1 + rng.IntN(1000))
			total += f.Amount
			flows = append(flows, f)
		}
		for m := start; m < start.Add(24); m++ {
			needs = append(needs, Need{Category: cats[rng.IntN(2)], Month: m, Amount: float64(rng.IntN(100))})
		}
		w := []Withdrawal{{Countries: []string{donors[rng.IntN(3)]}, From: start.Add(rng.IntN(24)), Fraction: rng.Float64()}}
		if rng.IntN(2) == 0 {
			w = append(w, Withdrawal{Countries: []string{"USA", "GBR"}, From: start.Add(rng.IntN(24)), Categories: []string{"fin"}})
		}
		kept, lost := Withdraw(flows, w)
		var sum float64
		for _, f := range kept {
			sum += f.Amount
		}
		for _, v := range lost {
			sum += v
		}
		if !near(sum, total, 1e-12) {
			t.Fatalf("case %d: kept + lost = %v, want %v", k, sum, total)
		}
		before := Coverage(needs, flows, start, start.Add(23))
		after := Coverage(needs, kept, start, start.Add(23))
		if after.Total.Gap < before.Total.Gap-1e-9 {
			t.Fatalf("case %d: gap shrank from %v to %v", k, before.Total.Gap, after.Total.Gap)
		}
		var lostSum float64
		for _, v := range lost {
			lostSum += v
		}
		// Everything lost falls inside the 24 months, so pledges drop by it.
		if !near(before.Total.Pledged-after.Total.Pledged, lostSum, 1e-9) {
			t.Fatalf("case %d: pledged dropped by %v, lost %v", k, before.Total.Pledged-after.Total.Pledged, lostSum)
		}
	}
}
