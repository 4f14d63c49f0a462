package report_test

import (
	"context"
	"slices"
	"testing"

	"coalition/analysis"
	"coalition/report"
)

func TestProspects(t *testing.T) {
	s := seeded(t)
	rep, err := report.Prospects(context.Background(), s, "cow2025", 0, analysis.ProspectWeights{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.GapEUR != 40e9 || rep.Weights != analysis.DefaultProspectWeights {
		t.Fatalf("defaults: gap %v weights %+v", rep.GapEUR, rep.Weights)
	}
	cow, _ := s.FindCoalitionByCode(sys, "COW2025")
	members := cow.JoinedMembers()
	var memberGDP float64 // USD bn; all GDP figures are 2023, so the rate cancels
	for _, m := range members {
		c, _ := s.FindCountry(sys, m)
		if c.GDPUSDBn != nil {
			memberGDP += *c.GDPUSDBn
		}
	}
	if len(rep.Prospects) == 0 {
		t.Fatal("no prospects")
	}
	for i, p := range rep.Prospects {
		if slices.Contains(members, p.ISO3) || p.ISO3 == "UKR" || p.ISO3 == "EUI" {
			t.Errorf("%s is a member, the recipient or not a state", p.ISO3)
		}
		if p.Rank != i+1 || (i > 0 && p.Score > rep.Prospects[i-1].Score) {
			t.Errorf("rank %d score %.4f out of order", p.Rank, p.Score)
		}
		c, _ := s.FindCountry(sys, p.ISO3)
		// Fair share = gap × GDP / (Σ members' GDP + GDP); the ask is the
		// smaller of it and the cap.
		if want := 40e9 * *c.GDPUSDBn / (memberGDP + *c.GDPUSDBn); !near(p.FairShareEUR, want, 1e-9) {
			t.Errorf("%s fair share %.0f, want %.0f", p.ISO3, p.FairShareEUR, want)
		}
		if want := min(p.FairShareEUR, p.AskCapEUR); p.AskEUR != want || p.AskEUR > p.AskCapEUR {
			t.Errorf("%s ask %.0f, want min(fair %.0f, cap %.0f)", p.ISO3, p.AskEUR, p.FairShareEUR, p.AskCapEUR)
		}
	}
	// India, the largest eligible economy outside COW2025 (the United States
	// and China are not eligible), has capacity 1.
	for _, p := range rep.Prospects {
		if (p.ISO3 == "IND") != (p.Capacity == 1) {
			t.Errorf("%s capacity %v; want 1 for IND only", p.ISO3, p.Capacity)
		}
	}
	// Only capacity counts: the ranking is by GDP.
	byGDP, err := report.Prospects(context.Background(), s, "COW2025", 1e9, analysis.ProspectWeights{Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(byGDP.Prospects); i++ {
		if byGDP.Prospects[i].GDPUSD > byGDP.Prospects[i-1].GDPUSD {
			t.Fatalf("capacity-only ranking not by GDP at %d", i)
		}
	}
	wantSources(t, rep.Sources, "support", "fx", "members", "un votes")
}

func TestProspectsErrors(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	_, err := report.Prospects(ctx, s, "COW2025", -1, analysis.ProspectWeights{})
	wantField(t, err, "gap_eur")
	_, err = report.Prospects(ctx, s, "COW2025", 0, analysis.ProspectWeights{Support: -1})
	wantField(t, err, "weights.support")
	_, err = report.Prospects(ctx, s, "NOPE", 0, analysis.ProspectWeights{})
	wantField(t, err, "coalition")
}
