package report_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/report"
	"coalition/sqlstore"
)

var (
	briefAsOf  = coalition.Date{Y: 2026, M: time.December, D: 6}
	briefSince = coalition.Date{Y: 2026, M: time.November, D: 1}
)

// TestBriefCoalition: the brief's headline is Coverage's answer for the
// same period, its parts add up to it, and every section is there.
func TestBriefCoalition(t *testing.T) {
	s := seeded(t)
	// An election of a joined member in the risk horizon.
	if err := s.CreateRiskEvent(sys, &coalition.RiskEvent{ISO3: "FIN", Date: coalition.Date{Y: 2027, M: time.April, D: 18}, Kind: "election",
		Label: "FIN parliamentary election", Probability: 0.3, Factor: 0.7, Source: "brief test election", Assumption: "test"}); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Brief(sys, s, report.BriefOptions{Coalition: "cow2025", AsOf: briefAsOf, Since: briefSince})
	if err != nil {
		t.Fatal(err)
	}
	from, to := briefAsOf.Month(), briefAsOf.Month().Add(report.BriefPeriodMonths-1)
	cov, err := report.Coverage(sys, report.RecordsAsOf(s, briefAsOf), "COW2025", report.CoverageOptions{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	h := rep.Headline
	t.Run("headline is coverage's", func(t *testing.T) {
		eq(t, "kind", rep.Kind, "coalition")
		eq(t, "code", rep.Code, "COW2025")
		eq(t, "from", h.From, from)
		eq(t, "to", h.To, to)
		eq(t, "net gap", h.NetGapEUR, cov.NetGapEUR)
		eq(t, "monthly gap", h.MonthlyGapEUR, cov.MonthlyGapEUR)
		eq(t, "need", h.NeedEUR, cov.Result.Total.Required)
		eq(t, "covered", h.CoveredEUR, cov.Result.Total.Pledged)
		if h.NetGapEUR <= 0 {
			t.Errorf("net gap %v, want a gap on the bundled data", h.NetGapEUR)
		}
		if !strings.Contains(h.Note, "2026-04") {
			t.Errorf("note %q, want the last month of recorded allocations", h.Note)
		}
	})
	t.Run("gaps add up to the net gap", func(t *testing.T) {
		sum := 0.0
		for i, g := range rep.Gaps {
			sum += g.NetGapEUR
			if i > 0 && g.NetGapEUR > rep.Gaps[i-1].NetGapEUR {
				t.Errorf("gap %d (%s) larger than the one before", i, g.Category)
			}
		}
		nearly(t, "Σ category gaps", sum, h.NetGapEUR, 1e-9)
	})
	t.Run("asks close the gap", func(t *testing.T) {
		a := rep.Asks
		nearly(t, "asked + unfilled", a.AskedEUR+a.UnfilledEUR, h.MonthlyGapEUR, 1e-9)
		if a.Members < 10 || len(a.Rows) == 0 {
			t.Fatalf("%d members, %d rows: want the joined members", a.Members, len(a.Rows))
		}
		for _, r := range a.Rows {
			if r.AskPctGDP > report.BriefCapPctGDP+1e-9 {
				t.Errorf("%s asked %.3f%% of GDP a year, above the cap", r.ISO3, r.AskPctGDP)
			}
			split := 0.0
			for _, v := range r.ByCategory {
				split += v
			}
			nearly(t, r.ISO3+" Σ by category", split, r.AskEUR, 1e-9)
		}
	})
	t.Run("a past brief uses no later allocation", func(t *testing.T) {
		past, err := report.Brief(sys, s, report.BriefOptions{Coalition: "COW2025", AsOf: coalition.Date{Y: 2025, M: time.September, D: 10}})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "gave to", past.Asks.GaveTo, coalition.MonthOf(2025, time.August))
		eq(t, "gave from", past.Asks.GaveFrom, coalition.MonthOf(2024, time.September))
		eq(t, "since default", past.Since, coalition.Date{Y: 2025, M: time.August, D: 11})
		if past.Changes.Count == 0 {
			t.Fatalf("no change in Kiel's August and September 2025 allocations")
		}
		eq(t, "an imported allocation's kind", past.Changes.Items[0].Kind, "allocation (month)")
	})
	t.Run("risk run is the stated one", func(t *testing.T) {
		eq(t, "trials", rep.Risk.Trials, report.BriefRiskTrials)
		eq(t, "seed", rep.Risk.Seed, uint64(report.BriefRiskSeed))
		eq(t, "risk from", rep.Risk.From, from)
		if rep.Risk.ShareWithoutRisk < 0 || rep.Risk.ShareWithoutRisk > 1 {
			t.Errorf("share without risk %v", rep.Risk.ShareWithoutRisk)
		}
		if len(rep.Risk.Members) == 0 {
			t.Fatal("no member with risk events in the next 6 months (FIN has one)")
		}
		for _, m := range rep.Risk.Members {
			if m.NoiseEUR <= 0 || len(m.Events) == 0 {
				t.Errorf("%s: noise %v, %d events: want both", m.ISO3, m.NoiseEUR, len(m.Events))
			}
		}
	})
	t.Run("assumptions, sources and audience", func(t *testing.T) {
		if len(rep.Assumptions) < 5 {
			t.Errorf("%d assumptions", len(rep.Assumptions))
		}
		figures := map[string]bool{}
		for _, src := range rep.Sources {
			figures[strings.Fields(src.Figure)[0]] = true
		}
		for _, f := range []string{"requirement", "gdp", "fx", "support"} {
			if !figures[f] {
				t.Errorf("no source for %s in %v", f, rep.Sources)
			}
		}
		if !strings.Contains(rep.ComputedFor, "administrator") {
			t.Errorf("computed for %q", rep.ComputedFor)
		}
	})
}

// TestBriefSince: records created in the window are the changes; the
// bundled data loaded today is not news, and a pledge's delivery window
// in the period counts as covered.
func TestBriefSince(t *testing.T) {
	s := seeded(t)
	today := coalition.DateOf(time.Now().UTC())
	since := coalition.DateOf(today.Time().AddDate(0, 0, -30))
	before, err := report.Brief(sys, s, report.BriefOptions{Coalition: "COW2025", AsOf: today, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "changes before", before.Changes.Count, 0)
	m := today.Month()
	p := &coalition.Pledge{Donor: "NOR", Recipient: "UKR", Category: "air-defence", Amount: coalition.Money{Minor: 300e6 * 100, Currency: "EUR"},
		Announced: today, DeliverFrom: m, DeliverTo: m.Add(2), Status: coalition.Committed, Visibility: coalition.Public, Source: "brief test pledge", AsOf: today}
	old := &coalition.Pledge{Donor: "SWE", Recipient: "UKR", Category: "financial", Amount: coalition.Money{Minor: 50e6 * 100, Currency: "EUR"},
		Announced: coalition.Date{Y: 2025, M: time.March, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "brief test old pledge entered today"}
	for _, q := range []*coalition.Pledge{p, old} {
		if err := s.CreatePledge(sys, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID, Date: today, AmountEUR: 100e6 * 100, Source: "brief test delivery"}); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Brief(sys, s, report.BriefOptions{Coalition: "COW2025", AsOf: today, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, c := range rep.Changes.Items {
		kinds[c.Source] = c.Kind + " " + c.Who
	}
	eq(t, "changes", rep.Changes.Count, 3)
	eq(t, "new pledge", kinds["brief test pledge (as of "+today.String()+")"], "new pledge NOR")
	eq(t, "entered today", kinds["brief test old pledge entered today"], "new pledge SWE")
	eq(t, "delivery", kinds["brief test delivery"], "delivery NOR")
	nearly(t, "covered", rep.Headline.CoveredEUR, 300e6, 1e-9)
	t.Run("a later since leaves them out", func(t *testing.T) {
		later, err := report.Brief(sys, s, report.BriefOptions{Coalition: "COW2025", AsOf: today.Month().Add(1).FirstDay(), Since: today.Month().Add(1).FirstDay()})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "changes after", later.Changes.Count, 0)
	})
}

// TestBriefErrors: bad input names its parameter.
func TestBriefErrors(t *testing.T) {
	s := seeded(t)
	for _, tc := range []struct {
		name  string
		opt   report.BriefOptions
		field string
	}{
		{"unknown coalition", report.BriefOptions{Coalition: "NOPE", AsOf: briefAsOf}, "coalition"},
		{"unknown country", report.BriefOptions{Country: "ZZZ", AsOf: briefAsOf}, "country"},
		{"not a country code", report.BriefOptions{Country: "Australia", AsOf: briefAsOf}, "country"},
		{"both", report.BriefOptions{Coalition: "COW2025", Country: "AUS", AsOf: briefAsOf}, "coalition"},
		{"neither", report.BriefOptions{AsOf: briefAsOf}, "coalition"},
		{"since after as-of", report.BriefOptions{Coalition: "COW2025", AsOf: briefSince, Since: briefAsOf}, "since"},
		{"no as-of", report.BriefOptions{Coalition: "COW2025"}, "as_of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := report.Brief(sys, s, tc.opt)
			wantField(t, err, tc.field)
		})
	}
}

// TestBriefCountry: a country's brief is its rows of the reports.
func TestBriefCountry(t *testing.T) {
	s := seeded(t)
	for _, tc := range []struct {
		iso  string
		nato bool
	}{{"AUS", false}, {"GBR", true}} {
		t.Run(tc.iso, func(t *testing.T) {
			rep, err := report.Brief(sys, s, report.BriefOptions{Country: strings.ToLower(tc.iso), AsOf: briefAsOf, Since: briefSince})
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Country
			eq(t, "kind", rep.Kind, "country")
			eq(t, "iso3", c.ISO3, tc.iso)
			if c.Support == nil || c.Support.TotalEUR <= 0 {
				t.Fatalf("support %+v", c.Support)
			}
			byYear := 0.0
			for _, y := range c.ByYear {
				byYear += y.EUR
			}
			nearly(t, "Σ by year", byYear, c.Support.TotalEUR, 1e-6)
			eq(t, "NATO row", c.NATO != nil, tc.nato)
			if c.RankPctGDP < 1 || c.RankPctGDP > c.Donors {
				t.Errorf("rank %d of %d", c.RankPctGDP, c.Donors)
			}
			if len(c.FairShares) == 0 {
				t.Errorf("no fair share in the built-in scenarios")
			}
			eq(t, "stages", len(c.ByStage), 4)
			for _, st := range c.ByStage {
				if st.Stage == report.StageAllocated {
					nearly(t, "allocated stage is the support total", st.EUR, c.Support.TotalEUR, 1e-9)
				}
			}
			if c.PeerMedianPctGDP == nil || *c.PeerMedianPctGDP <= 0 {
				t.Errorf("peer median %v", c.PeerMedianPctGDP)
			}
		})
	}
}

// TestBriefAccess: an anonymous reader's and another delegate's brief on a
// store holding a delegate's confidential pledge equal their briefs on a
// store without it, and the delegate's own brief shows it.
func TestBriefAccess(t *testing.T) {
	full, only := seeded(t), seeded(t)
	// The brief counts the records as they stood on its day: one entered
	// today needs a brief of today or later.
	asOf := briefAsOf
	if today := coalition.DateOf(time.Now().UTC()); today.After(asOf) {
		asOf = today
	}
	m := asOf.Month()
	secret := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "military", Amount: coalition.Money{Minor: 2e9 * 100, Currency: "EUR"},
		Announced: briefSince.Month().Add(0).FirstDay(), DeliverFrom: m, DeliverTo: m.Add(5), Status: coalition.Committed,
		Visibility: coalition.Confidential, Source: "confidential brief test pledge", AsOf: briefSince}
	if err := full.CreatePledge(sys, secret); err != nil {
		t.Fatal(err)
	}
	brief := func(ctx context.Context, s *sqlstore.Store) (*report.BriefReport, string) {
		rep, err := report.Brief(ctx, s, report.BriefOptions{Coalition: "COW2025", AsOf: asOf, Since: briefSince})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return rep, string(b)
	}
	anon := context.Background()
	cow, err := full.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	// Neither an anonymous reader nor another country's delegate may see
	// it: their briefs on a store with it equal those on a store without.
	for name, ctx := range map[string]context.Context{
		"anonymous":    anon,
		"FRA delegate": coalition.WithUser(anon, &coalition.User{ID: 8, Email: "fra@example.org", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{cow.ID}}),
	} {
		t.Run(name, func(t *testing.T) {
			_, got := brief(ctx, full)
			_, want := brief(ctx, only)
			if got != want {
				t.Errorf("the brief depends on another country's confidential pledge")
			}
			if strings.Contains(got, "confidential brief test pledge") {
				t.Errorf("the brief names the confidential pledge")
			}
		})
	}
	gbr := coalition.WithUser(anon, &coalition.User{ID: 7, Email: "gbr@example.org", Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{cow.ID}})
	rep, js := brief(gbr, full)
	if !strings.Contains(js, "confidential brief test pledge") {
		t.Errorf("the delegate's own brief leaves out its confidential pledge")
	}
	nearly(t, "delegate's covered", rep.Headline.CoveredEUR, 2e9, 1e-9)
	if !strings.Contains(rep.ComputedFor, "delegate of GBR") {
		t.Errorf("computed for %q", rep.ComputedFor)
	}
}
