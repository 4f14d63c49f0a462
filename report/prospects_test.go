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
		// Ask = gap × GDP / (Σ members' GDP + GDP).
		if want := 40e9 * *c.GDPUSDBn / (memberGDP + *c.GDPUSDBn); !near(p.AskEUR, want, 1e-9) {
			t.Errorf("%s ask %.0f, want %.0f", p.ISO3, p.AskEUR, want)
		}
	}
	// The United States (not in COW2025) has the largest GDP: capacity 1.
	for _, p := range rep.Prospects {
		if p.ISO3 == "USA" && p.Capacity != 1 {
			t.Errorf("USA capacity %v, want 1", p.Capacity)
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
	wantSources(t, rep.Sources, "support", "fx", "members")
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
