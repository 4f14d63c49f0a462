package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"coalition"
)

func ptr(v float64) *float64 { return &v }

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestSolveBurdenHandComputed(t *testing.T) {
	tests := []struct {
		name          string
		p             BurdenProblem
		wantCovered   float64
		wantDeviation float64
		wantTotals    map[string]float64 // only where the optimum is unique
		wantUnfilled  map[string]float64
	}{
		{
			// W = 3, fair A = 1/3·90 = 30, B = 2/3·90 = 60; nothing binds.
			name:          "one pool, no caps",
			p:             BurdenProblem{Categories: []string{"x"}, Gap: map[string]float64{"x": 90}, Members: []BurdenMember{{ISO3: "A", Weight: 1}, {ISO3: "B", Weight: 2}}},
			wantCovered:   90,
			wantDeviation: 0,
			wantTotals:    map[string]float64{"A": 30, "B": 60},
			wantUnfilled:  map[string]float64{"x": 0},
		},
		{
			// Fair A 30, B 60, but B's cap is 40, so A takes 90−40 = 50.
			// Deviation |50−30| + |40−60| = 20 + 20 = 40.
			name:          "cap forces deviation",
			p:             BurdenProblem{Categories: []string{"x"}, Gap: map[string]float64{"x": 90}, Members: []BurdenMember{{ISO3: "A", Weight: 1}, {ISO3: "B", Weight: 2, Cap: ptr(40)}}},
			wantCovered:   90,
			wantDeviation: 40,
			wantTotals:    map[string]float64{"A": 50, "B": 40},
			wantUnfilled:  map[string]float64{"x": 0},
		},
		{
			// Caps 10 + 20 = 30 < 100: covered 30, unfilled 70. Fair 15/15;
			// deviation |10−15| + |20−15| = 10.
			name:          "infeasible gap",
			p:             BurdenProblem{Categories: []string{"x"}, Gap: map[string]float64{"x": 100}, Members: []BurdenMember{{ISO3: "A", Weight: 1, Cap: ptr(10)}, {ISO3: "B", Weight: 1, Cap: ptr(20)}}},
			wantCovered:   30,
			wantDeviation: 10,
			wantTotals:    map[string]float64{"A": 10, "B": 20},
			wantUnfilled:  map[string]float64{"x": 70},
		},
		{
			// A cannot supply air. Covered 20; fair 10/10; B takes all air (10),
			// A all ammo (10): deviation 0.
			name: "category caps, fair still reachable",
			p: BurdenProblem{Categories: []string{"air", "ammo"}, Gap: map[string]float64{"air": 10, "ammo": 10},
				Members: []BurdenMember{{ISO3: "A", Weight: 1, CategoryCaps: map[string]float64{"air": 0}}, {ISO3: "B", Weight: 1}}},
			wantCovered:   20,
			wantDeviation: 0,
			wantTotals:    map[string]float64{"A": 10, "B": 10},
			wantUnfilled:  map[string]float64{"air": 0, "ammo": 0},
		},
		{
			// A can only do ammo (gap 2). Covered 12; fair 6/6; A = 2, B = 10;
			// deviation |2−6| + |10−6| = 8.
			name: "category caps force deviation",
			p: BurdenProblem{Categories: []string{"air", "ammo"}, Gap: map[string]float64{"air": 10, "ammo": 2},
				Members: []BurdenMember{{ISO3: "A", Weight: 1, CategoryCaps: map[string]float64{"air": 0}}, {ISO3: "B", Weight: 1}}},
			wantCovered:   12,
			wantDeviation: 8,
			wantTotals:    map[string]float64{"A": 2, "B": 10},
			wantUnfilled:  map[string]float64{"air": 0, "ammo": 0},
		},
		{
			// Z has weight 0 but capacity; A (cap 4) cannot cover 10. Covered 10
			// comes first: Z takes 6. Fair A 10, Z 0: deviation 6 + 6 = 12.
			name:          "zero weight member used for coverage",
			p:             BurdenProblem{Categories: []string{"x"}, Gap: map[string]float64{"x": 10}, Members: []BurdenMember{{ISO3: "A", Weight: 1, Cap: ptr(4)}, {ISO3: "Z", Weight: 0}}},
			wantCovered:   10,
			wantDeviation: 12,
			wantTotals:    map[string]float64{"A": 4, "Z": 6},
			wantUnfilled:  map[string]float64{"x": 0},
		},
		{
			// The example. Total gap 7.5e9; no binding cap on coverage
			// (DEU cap 5e9, EST none) so covered = 7.5e9. W = 4567.5, fair DEU
			// = 4525.7/4567.5 × 7.5e9 = 7.431363e9 > cap 5e9, so DEU = 5e9, EST
			// = 2.5e9; deviation = 2 × (2.5e9 − 41.8/4567.5 × 7.5e9)
			// = 2 × (2.5e9 − 68.637e6) = 4.862725e9.
			name: "issue example",
			p: BurdenProblem{Categories: []string{"air-defence", "ammunition", "budget-support"},
				Gap: map[string]float64{"air-defence": 2.0e9, "ammunition": 1.5e9, "budget-support": 4.0e9},
				Members: []BurdenMember{
					{ISO3: "DEU", Weight: 4525.7, Cap: ptr(5.0e9), CategoryCaps: map[string]float64{"air-defence": 1.2e9}},
					{ISO3: "EST", Weight: 41.8},
				}},
			wantCovered:   7.5e9,
			wantDeviation: 2 * (2.5e9 - 41.8/4567.5*7.5e9),
			wantTotals:    map[string]float64{"DEU": 5e9, "EST": 2.5e9},
			wantUnfilled:  map[string]float64{"air-defence": 0, "ammunition": 0, "budget-support": 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SolveBurden(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.Covered, tt.wantCovered, 1e-9) {
				t.Errorf("covered = %v, want %v", got.Covered, tt.wantCovered)
			}
			if !near(got.Deviation, tt.wantDeviation, 1e-9) {
				t.Errorf("deviation = %v, want %v", got.Deviation, tt.wantDeviation)
			}
			for _, m := range got.Members {
				if want, ok := tt.wantTotals[m.ISO3]; ok && !near(m.Total, want, 1e-9) {
					t.Errorf("%s total = %v, want %v", m.ISO3, m.Total, want)
				}
			}
			for c, want := range tt.wantUnfilled {
				if !near(got.Unfilled[c], want, 1e-9) {
					t.Errorf("unfilled[%s] = %v, want %v", c, got.Unfilled[c], want)
				}
			}
			if got.Status != "optimal" {
				t.Errorf("status = %q", got.Status)
			}
			checkFeasible(t, tt.p, got)
		})
	}
}

func TestBurdenValidate(t *testing.T) {
	base := func() BurdenProblem {
		return BurdenProblem{
			Categories: []string{"air-defence", "ammo"},
			Gap:        map[string]float64{"air-defence": 1, "ammo": 2},
			Members:    []BurdenMember{{ISO3: "DEU", Weight: 2}, {ISO3: "EST", Weight: 1}, {ISO3: "FRA", Weight: 1}, {ISO3: "POL", Weight: 1}},
		}
	}
	tests := []struct {
		name      string
		edit      func(p *BurdenProblem)
		wantField string
	}{
		{"negative category cap", func(p *BurdenProblem) { p.Members[3].CategoryCaps = map[string]float64{"air-defence": -1} }, "members[3].category_caps.air-defence"},
		{"unknown category cap", func(p *BurdenProblem) { p.Members[1].CategoryCaps = map[string]float64{"tanks": 1} }, "members[1].category_caps.tanks"},
		{"NaN cap", func(p *BurdenProblem) { p.Members[0].Cap = ptr(math.NaN()) }, "members[0].cap"},
		{"negative weight", func(p *BurdenProblem) { p.Members[2].Weight = -1 }, "members[2].weight"},
		{"infinite weight", func(p *BurdenProblem) { p.Members[2].Weight = math.Inf(1) }, "members[2].weight"},
		{"zero weights", func(p *BurdenProblem) {
			for i := range p.Members {
				p.Members[i].Weight = 0
			}
		}, "members"},
		{"duplicate iso3", func(p *BurdenProblem) { p.Members[2].ISO3 = "DEU" }, "members[2].iso3"},
		{"empty iso3", func(p *BurdenProblem) { p.Members[1].ISO3 = "" }, "members[1].iso3"},
		{"unknown gap category", func(p *BurdenProblem) { p.Gap["tanks"] = 1 }, "gap.tanks"},
		{"missing gap", func(p *BurdenProblem) { delete(p.Gap, "ammo") }, "gap.ammo"},
		{"infinite gap", func(p *BurdenProblem) { p.Gap["ammo"] = math.Inf(1) }, "gap.ammo"},
		{"NaN gap", func(p *BurdenProblem) { p.Gap["ammo"] = math.NaN() }, "gap.ammo"},
		{"duplicate category", func(p *BurdenProblem) { p.Categories = append(p.Categories, "ammo") }, "categories[2]"},
		{"no categories", func(p *BurdenProblem) { p.Categories = nil; p.Gap = nil }, "categories"},
		{"no members", func(p *BurdenProblem) { p.Members = nil }, "members"},
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("base problem: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			err := p.Validate()
			var ce *coalition.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *coalition.Error", err)
			}
			if ce.Kind != coalition.Invalid || ce.Field != tt.wantField {
				t.Errorf("got kind %s field %q (%v), want invalid %q", ce.Kind, ce.Field, err, tt.wantField)
			}
			if _, err := SolveBurden(p); err == nil {
				t.Error("SolveBurden accepted an invalid problem")
			}
		})
	}
}

func TestParseBurdenProblem(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantField string // "" with wantErr: a decoding error
		wantErr   bool
	}{
		{"issue example", `{"categories":["air-defence","ammunition","budget-support"],"gap":{"air-defence":2.0e9,"ammunition":1.5e9,"budget-support":4.0e9},
			"members":[{"iso3":"DEU","weight":4525.7,"cap":5.0e9,"category_caps":{"air-defence":1.2e9}},{"iso3":"EST","weight":41.8}]}`, "", false},
		{"missing weight", `{"categories":["a"],"gap":{"a":1},"members":[{"iso3":"DEU","weight":1},{"iso3":"EST"}]}`, "members[1].weight", true},
		{"unknown member field", `{"categories":["a"],"gap":{"a":1},"members":[{"iso3":"DEU","weight":1,"caps":3}]}`, "", true},
		{"unknown top field", `{"categories":["a"],"gaps":{"a":1},"members":[{"iso3":"DEU","weight":1}]}`, "", true},
		{"string number", `{"categories":["a"],"gap":{"a":"1"},"members":[{"iso3":"DEU","weight":1}]}`, "", true},
		{"trailing value", `{"categories":["a"],"gap":{"a":1},"members":[{"iso3":"DEU","weight":1}]} {}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBurdenProblem([]byte(tt.json))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("kind = %s, want invalid", coalition.ErrorKind(err))
			}
			var ce *coalition.Error
			errors.As(err, &ce)
			if tt.wantField != "" && ce.Field != tt.wantField {
				t.Errorf("field = %q, want %q", ce.Field, tt.wantField)
			}
		})
	}
}

func TestWaterFillHandComputed(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name    string
		gap     float64
		weights []float64
		caps    []float64
		want    []float64
	}{
		// A capped at 10; 90 left over weights 1+2: B 30, C 60.
		{"one capped", 100, []float64{1, 1, 2}, []float64{10, inf, inf}, []float64{10, 30, 60}},
		// λ = 100/4 = 25: 25, 25, 50; no cap binds (C's cap is exactly 50).
		{"cap exactly at share", 100, []float64{1, 1, 2}, []float64{inf, inf, 50}, []float64{25, 25, 50}},
		// Σ caps 5+5+5 = 15 < 100: everyone at cap.
		{"infeasible", 100, []float64{1, 2, 3}, []float64{5, 5, 5}, []float64{5, 5, 5}},
		// A (w 1, cap 4) takes 4; zero-weight Y and Z share the 6 left equally
		// with caps: Y cap 1 → 1, Z takes 5.
		{"zero weights take the rest", 10, []float64{1, 0, 0}, []float64{4, 1, inf}, []float64{4, 1, 5}},
		// Cascade: λ = 60/3 = 20 > A's 5 → fix A; λ = 55/2 = 27.5 > B's 20 →
		// fix B; C takes 35.
		{"cascade", 60, []float64{1, 1, 1}, []float64{5, 20, inf}, []float64{5, 20, 35}},
		{"zero gap", 0, []float64{1, 1}, []float64{inf, inf}, []float64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WaterFill(tt.gap, tt.weights, tt.caps)
			for i := range tt.want {
				if !near(got[i], tt.want[i], 1e-12) {
					t.Errorf("x = %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

// checkFeasible asserts that res respects every constraint of p.
func checkFeasible(t *testing.T, p BurdenProblem, res BurdenResult) {
	t.Helper()
	tol := 1e-9 * math.Max(1, res.Covered)
	byMember := map[string]float64{}
	byCat := map[string]float64{}
	capOf := map[string]BurdenMember{}
	for _, m := range p.Members {
		capOf[m.ISO3] = m
	}
	var sum float64
	for _, a := range res.Allocations {
		if a.Amount < 0 {
			t.Errorf("negative allocation %+v", a)
		}
		if cc, ok := capOf[a.ISO3].CategoryCaps[a.Category]; ok && a.Amount > cc+tol {
			t.Errorf("allocation %+v above category cap %v", a, cc)
		}
		byMember[a.ISO3] += a.Amount
		byCat[a.Category] += a.Amount
		sum += a.Amount
	}
	for _, m := range p.Members {
		if m.Cap != nil && byMember[m.ISO3] > *m.Cap+tol {
			t.Errorf("%s gives %v above cap %v", m.ISO3, byMember[m.ISO3], *m.Cap)
		}
	}
	for _, c := range p.Categories {
		if byCat[c] > p.Gap[c]+tol {
			t.Errorf("category %s gets %v above gap %v", c, byCat[c], p.Gap[c])
		}
		if math.Abs(p.Gap[c]-byCat[c]-res.Unfilled[c]) > tol {
			t.Errorf("unfilled[%s] = %v, want gap−given = %v", c, res.Unfilled[c], p.Gap[c]-byCat[c])
		}
	}
	if math.Abs(sum-res.Covered) > tol {
		t.Errorf("covered = %v, Σ allocations = %v", res.Covered, sum)
	}
}

// randomProblem draws a problem with up to nm members and nc categories.
// Roughly a third of caps are tight so that some gaps cannot be covered.
func randomProblem(rng *rand.Rand, nm, nc int) BurdenProblem {
	cats := make([]string, nc)
	gap := map[string]float64{}
	for j := range cats {
		cats[j] = string(rune('a'+j%26)) + strings.Repeat("x", j/26)
		gap[cats[j]] = math.Round(rng.Float64()*1000) / 10
		if rng.IntN(10) == 0 {
			gap[cats[j]] = 0
		}
	}
	ms := make([]BurdenMember, nm)
	for i := range ms {
		m := BurdenMember{ISO3: "M" + string(rune('A'+i%26)) + string(rune('A'+i/26)), Weight: math.Round(rng.Float64()*100) / 10}
		if rng.IntN(3) == 0 {
			m.Cap = ptr(math.Round(rng.Float64()*300) / 10)
		}
		for _, c := range cats {
			if rng.IntN(3) == 0 {
				if m.CategoryCaps == nil {
					m.CategoryCaps = map[string]float64{}
				}
				m.CategoryCaps[c] = math.Round(rng.Float64()*200) / 10
			}
		}
		ms[i] = m
	}
	ms[0].Weight += 0.1 // Σ weight > 0
	return BurdenProblem{Categories: cats, Gap: gap, Members: ms}
}

// minCut computes the maximum coverage independently of any flow code: by
// max-flow/min-cut, it is the minimum over the set S of categories left on
// the source side of Σ_{c∉S} gap_c + Σ_m min(cap_m, Σ_{c∈S} ccap_{m,c}).
func minCut(p BurdenProblem) float64 {
	nc := len(p.Categories)
	best := math.Inf(1)
	for s := 0; s < 1<<nc; s++ {
		var v float64
		for j, c := range p.Categories {
			if s&(1<<j) == 0 {
				v += p.Gap[c]
			}
		}
		for _, m := range p.Members {
			var through float64
			for j, c := range p.Categories {
				if s&(1<<j) != 0 {
					cc, ok := m.CategoryCaps[c]
					if !ok {
						cc = math.Inf(1)
					}
					through += cc
				}
			}
			if m.Cap != nil {
				through = math.Min(through, *m.Cap)
			}
			v += through
		}
		best = math.Min(best, v)
	}
	return best
}

func TestSolveBurdenProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 2025))
	for k := 0; k < 300; k++ {
		p := randomProblem(rng, 1+rng.IntN(7), 1+rng.IntN(5))
		got, err := SolveBurden(p)
		if err != nil {
			t.Fatalf("problem %d: %v", k, err)
		}
		checkFeasible(t, p, got)

		// Covered equals the max-flow bound (min cut, computed by enumeration).
		if want := minCut(p); !near(got.Covered, want, 1e-9) {
			t.Errorf("problem %d: covered = %v, min cut = %v", k, got.Covered, want)
		}
		// Covered and deviation equal the dense-simplex optimum.
		rc, rd, ok := referenceBurden(p)
		if !ok {
			t.Fatalf("problem %d: reference simplex failed", k)
		}
		if !near(got.Covered, rc, 1e-7) || !near(got.Deviation, rd, 1e-7) {
			t.Errorf("problem %d: got covered %v deviation %v, simplex %v %v", k, got.Covered, got.Deviation, rc, rd)
		}
		// Order of members and categories does not matter.
		q := p
		q.Members = append([]BurdenMember(nil), p.Members...)
		q.Categories = append([]string(nil), p.Categories...)
		rng.Shuffle(len(q.Members), func(i, j int) { q.Members[i], q.Members[j] = q.Members[j], q.Members[i] })
		rng.Shuffle(len(q.Categories), func(i, j int) { q.Categories[i], q.Categories[j] = q.Categories[j], q.Categories[i] })
		got2, err := SolveBurden(q)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got.Covered, got2.Covered, 1e-9) || !near(got.Deviation, got2.Deviation, 1e-9) {
			t.Errorf("problem %d: shuffled gives covered %v deviation %v, want %v %v", k, got2.Covered, got2.Deviation, got.Covered, got.Deviation)
		}
	}
}

func TestWaterFillAgreesWithLP(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	for k := 0; k < 500; k++ {
		p := randomProblem(rng, 1+rng.IntN(12), 1)
		for i := range p.Members {
			p.Members[i].CategoryCaps = nil
			if k%5 == 0 && rng.IntN(4) == 0 {
				p.Members[i].Weight = 0
			}
		}
		if k%5 == 0 {
			p.Members[0].Weight = 1
		}
		weights := make([]float64, len(p.Members))
		caps := make([]float64, len(p.Members))
		for i, m := range p.Members {
			weights[i] = m.Weight
			caps[i] = math.Inf(1)
			if m.Cap != nil {
				caps[i] = *m.Cap
			}
		}
		gap := p.Gap[p.Categories[0]]
		x := WaterFill(gap, weights, caps)
		var covered, W, dev float64
		for i := range x {
			if x[i] < 0 || x[i] > caps[i]*(1+1e-12) {
				t.Fatalf("problem %d: x[%d] = %v outside [0, %v]", k, i, x[i], caps[i])
			}
			covered += x[i]
			W += weights[i]
		}
		for i := range x {
			dev += math.Abs(x[i] - weights[i]/W*covered)
		}
		got, err := SolveBurden(p)
		if err != nil {
			t.Fatal(err)
		}
		if !near(covered, got.Covered, 1e-9) || !near(dev, got.Deviation, 1e-9) {
			t.Errorf("problem %d: water-filling covered %v deviation %v, LP %v %v", k, covered, dev, got.Covered, got.Deviation)
		}
	}
}

// TestBurdenEvenSplit: the flow fixes each member's total and what each
// category receives; SolveBurden spreads a member's total over the
// categories as the caps allow, never a corner. By hand: gaps air 300 and
// ammo 300, three members of equal weight (200 each); A gives no air, so
// its 200 is ammo, and B and C share air 300 and ammo 100 alike: 150 and
// 50 each.
func TestBurdenEvenSplit(t *testing.T) {
	r, err := SolveBurden(BurdenProblem{Categories: []string{"air", "ammo"}, Gap: map[string]float64{"air": 300, "ammo": 300},
		Members: []BurdenMember{{ISO3: "A", Weight: 1, CategoryCaps: map[string]float64{"air": 0}}, {ISO3: "B", Weight: 1}, {ISO3: "C", Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, a := range r.Allocations {
		got[a.ISO3+" "+a.Category] = a.Amount
	}
	want := map[string]float64{"A ammo": 200, "B air": 150, "B ammo": 50, "C air": 150, "C ammo": 50}
	for k, v := range want {
		if math.Abs(got[k]-v) > 1e-6 {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("allocations %v, want %v", got, want)
	}
}
