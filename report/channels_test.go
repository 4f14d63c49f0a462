package report_test

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"coalition"
	"coalition/report"
	"coalition/seed"
	"coalition/sqlstore"
)

// handStore is the world of TestChannelsHandChecked: coalition HC (recipient
// UKR) with three joined members AAA, BBB and CCC; DDD is not a member; the
// channel EUX (donor code EUX) is funded 50% by BBB and 50% by DDD. Needs in
// 2026-01..02: air defence €100 a month, financial €50 a month,
// humanitarian €0 (said, so that no historical model is used). Allocated
// pledges:
//
//	AAA air defence   €120 over Jan–Feb   €60 a month
//	BBB financial      €40 in Jan only    €40 in Jan
//	DDD air defence    €60 over Jan–Feb   €30 a month
//	EUX financial      €80 over Jan–Feb   €40 a month
//
// CCC pledged nothing.
func handStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "hand.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, c := range []*coalition.Country{
		{ISO3: "UKR", Name: "Ukraine", State: true, Source: "test"},
		{ISO3: "AAA", Name: "A", State: true, Source: "test"}, {ISO3: "BBB", Name: "B", State: true, Source: "test"},
		{ISO3: "CCC", Name: "C", State: true, Source: "test"}, {ISO3: "DDD", Name: "D", State: true, Source: "test"},
		{ISO3: "EUX", Name: "Channel X", Source: "test"},
	} {
		must(t, s.UpsertCountry(sys, c))
	}
	coal := &coalition.Coalition{Code: "HC", Name: "Hand-checked", Recipient: "UKR", Source: "test",
		Members: []coalition.Membership{{ISO3: "AAA", Status: coalition.Joined}, {ISO3: "BBB", Status: coalition.Joined}, {ISO3: "CCC", Status: coalition.Joined}}}
	must(t, s.CreateCoalition(sys, coal))
	must(t, s.CreateChannel(sys, &coalition.Channel{Code: "EUX", Name: "Channel X", Donor: "EUX", Key: "declared, test", Source: "test",
		Contributors: []coalition.ChannelContributor{{ISO3: "BBB", Share: 0.5, Source: "test"}, {ISO3: "DDD", Share: 0.5, Source: "test"}}}))
	jan, feb := coalition.MonthOf(2026, 1), coalition.MonthOf(2026, 2)
	for _, r := range []struct {
		cat string
		eur int64
	}{{"air-defence", 100}, {"financial", 50}, {"humanitarian", 0}} {
		must(t, s.CreateRequirement(sys, &coalition.Requirement{CoalitionID: &coal.ID, Recipient: "UKR", Category: r.cat, AmountEUR: r.eur * 100,
			From: jan, To: feb, Visibility: coalition.Public, Source: "test need"}))
	}
	for _, p := range []struct {
		donor, cat string
		eur        int64
		from, to   coalition.Month
	}{{"AAA", "air-defence", 120, jan, feb}, {"BBB", "financial", 40, jan, jan}, {"DDD", "air-defence", 60, jan, feb}, {"EUX", "financial", 80, jan, feb}} {
		d := coalition.Date{Y: 2025, M: 12, D: 1}
		must(t, s.CreatePledge(sys, &coalition.Pledge{Donor: p.donor, Recipient: "UKR", Category: p.cat,
			Amount: coalition.Money{Minor: p.eur * 100, Currency: "EUR"}, AmountEUR: p.eur * 100, FXRate: 1, Announced: d,
			DeliverFrom: p.from, DeliverTo: p.to, Status: coalition.Allocated, Visibility: coalition.Public, Source: "test pledge", AsOf: d}))
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestChannelsHandChecked works the net gap, the monthly gap, who counts
// and the channel's attribution out on paper for handStore.
//
// Who counts, per month (Jan, Feb), and the gaps (net: Σ need − Σ support
// per category, at least 0, summed over categories; monthly: Σ of the
// monthly shortfalls):
//
//	all: air defence 60+30 = 90, 90 against 100 → shortfalls 10, 10;
//	     net 200 − 180 = 20.
//	     financial 40+40 = 80, 40 against 50 → shortfalls 0, 10;
//	     net 100 − 120 < 0 → 0.
//	     Net gap 20 + 0 = 20; monthly gap 10+10 + 0+10 = 30.
//	members (AAA, BBB, CCC): air defence 60, 60 → shortfalls 40, 40, net 80;
//	     financial 40, 0 → shortfalls 10, 50, net 100 − 40 = 60.
//	     Net gap 140; monthly gap 140.
//	members+channels: and the members' share of EUX (BBB's 50%): EUX's €40
//	     a month counts €20. Air defence as members (80, 80); financial
//	     40+20 = 60, 20 → shortfalls 0, 30; net 100 − 80 = 20.
//	     Net gap 80 + 20 = 100; monthly gap 80 + 30 = 110.
//
// Attribution of the donor table: EUX's €80 financial goes half to BBB
// (€40 + its own €40 = €80) and half to DDD (€60 + €40 = €100); EUX's row
// goes (nothing is left to it); AAA keeps €120. Total €300 both ways
// (120 + 40 + 60 + 80 by channel, 120 + 80 + 100 attributed).
func TestChannelsHandChecked(t *testing.T) {
	s := handStore(t)
	jan, feb := coalition.MonthOf(2026, 1), coalition.MonthOf(2026, 2)
	for _, tc := range []struct {
		counts                      string
		netGap, monthlyGap          float64
		airNet, finNet, finMonthly  float64
		finPledged, airPledgedMonth float64
	}{
		{report.CountsAll, 20, 30, 20, 0, 10, 120, 90},
		{report.CountsMembers, 140, 140, 80, 60, 60, 40, 60},
		{report.CountsMembersChannels, 100, 110, 80, 20, 30, 80, 60},
	} {
		t.Run("counts="+tc.counts, func(t *testing.T) {
			rep, err := report.Coverage(sys, s, "HC", report.CoverageOptions{From: jan, To: feb, Counts: tc.counts})
			must(t, err)
			if rep.Counts != tc.counts || !near(rep.NetGapEUR, tc.netGap, 1e-12) || !near(rep.MonthlyGapEUR, tc.monthlyGap, 1e-12) {
				t.Errorf("counts %q net gap %v monthly gap %v, want %q %v %v", rep.Counts, rep.NetGapEUR, rep.MonthlyGapEUR, tc.counts, tc.netGap, tc.monthlyGap)
			}
			cats := map[string]struct{ net, gap, pledged float64 }{}
			for _, c := range rep.Result.Categories {
				cats[c.Category] = struct{ net, gap, pledged float64 }{c.NetGap, c.Gap, c.Pledged}
			}
			if got := cats["air-defence"]; !near(got.net, tc.airNet, 1e-12) || !near(got.pledged, 2*tc.airPledgedMonth, 1e-12) {
				t.Errorf("air defence: net gap %v pledged %v, want %v and %v", got.net, got.pledged, tc.airNet, 2*tc.airPledgedMonth)
			}
			if got := cats["financial"]; !near(got.net, tc.finNet, 1e-12) || !near(got.gap, tc.finMonthly, 1e-12) || !near(got.pledged, tc.finPledged, 1e-12) {
				t.Errorf("financial: net gap %v monthly gap %v pledged %v, want %v %v %v", got.net, got.gap, got.pledged, tc.finNet, tc.finMonthly, tc.finPledged)
			}
		})
	}
	t.Run("attribution", func(t *testing.T) {
		byChannel, err := report.DonorTotals(sys, s, coalition.DonorFilter{}, report.AttributeChannel)
		must(t, err)
		attributed, err := report.DonorTotals(sys, s, coalition.DonorFilter{}, report.AttributeContributors)
		must(t, err)
		want := map[string]float64{"AAA": 120, "BBB": 80, "DDD": 100}
		got := map[string]float64{}
		var sumC, sumA float64
		for _, r := range byChannel {
			sumC += r.TotalEUR
		}
		for _, r := range attributed {
			got[r.ISO3] = r.TotalEUR
			sumA += r.TotalEUR
		}
		if len(got) != len(want) {
			t.Errorf("attributed rows %v, want %v (no EUX row)", got, want)
		}
		for iso, v := range want {
			if !near(got[iso], v, 1e-12) {
				t.Errorf("%s attributed %v, want %v", iso, got[iso], v)
			}
		}
		if sumC != 300 || !near(sumA, 300, 1e-12) {
			t.Errorf("totals %v by channel, %v attributed; want 300 both", sumC, sumA)
		}
	})
}

// TestChannelsBadInput: a share sum over 100% is refused naming the
// field, and nothing is written; so is a negative share and a share
// without a source.
func TestChannelsBadInput(t *testing.T) {
	s := handStore(t)
	for _, tc := range []struct {
		name, field string
		ks          []coalition.ChannelContributor
	}{
		{"sum over 100%", "contributors", []coalition.ChannelContributor{{ISO3: "AAA", Share: 0.7, Source: "x"}, {ISO3: "BBB", Share: 0.4, Source: "x"}}},
		{"negative share", "contributors[0].share", []coalition.ChannelContributor{{ISO3: "AAA", Share: -0.1, Source: "x"}}},
		{"share without a source", "contributors[1].source", []coalition.ChannelContributor{{ISO3: "AAA", Share: 0.5, Source: "x"}, {ISO3: "BBB", Share: 0.5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateChannel(sys, &coalition.Channel{Code: "BAD", Name: "bad", Key: "k", Source: "s", Contributors: tc.ks})
			var e *coalition.Error
			if !errors.As(err, &e) || e.Kind != coalition.Invalid || e.Field != tc.field {
				t.Fatalf("error %v, want Invalid naming %s", err, tc.field)
			}
			if _, err := s.FindChannelByCode(sys, "BAD"); coalition.ErrorKind(err) != coalition.NotFound {
				t.Fatalf("after the refusal: %v, want NotFound (nothing written)", err)
			}
		})
	}
}

// seededWithChannels is the seeded store with the bundled channels.
func seededWithChannels(t *testing.T) *sqlstore.Store {
	t.Helper()
	s := seeded(t)
	var rep coalition.LoadReport
	must(t, seed.LoadChannels(sys, s, false, &rep))
	return s
}

// TestChannelsReconcile: on the bundled data, the donor table by channel
// and attributed add up to the same total, per type; every EU member's
// attributed part is what Kiel attributes to it (eu_aid_shares.csv); the
// EU institutions' 2025 allocations are in replace-us's actuals, once.
func TestChannelsReconcile(t *testing.T) {
	s := seededWithChannels(t)
	byChannel, err := report.DonorTotals(sys, s, coalition.DonorFilter{}, report.AttributeChannel)
	must(t, err)
	attributed, err := report.DonorTotals(sys, s, coalition.DonorFilter{}, report.AttributeContributors)
	must(t, err)
	sum := func(rows []coalition.DonorTotal) (tot, mil, fin, hum float64) {
		for _, r := range rows {
			tot, mil, fin, hum = tot+r.TotalEUR, mil+r.MilitaryEUR, fin+r.FinancialEUR, hum+r.HumanitarianEUR
		}
		return
	}
	t.Run("totals equal both ways", func(t *testing.T) {
		c1, c2, c3, c4 := sum(byChannel)
		a1, a2, a3, a4 := sum(attributed)
		for _, p := range [][3]any{{"total", c1, a1}, {"military", c2, a2}, {"financial", c3, a3}, {"humanitarian", c4, a4}} {
			if math.Abs(p[1].(float64)-p[2].(float64)) > 0.01 {
				t.Errorf("%s: %.2f by channel, %.2f attributed", p[0], p[1], p[2])
			}
		}
		for _, r := range attributed {
			if r.ISO3 == "EUI" {
				t.Errorf("the EU institutions keep a row of %.2f: their shares add up to 100%%", r.TotalEUR)
			}
		}
	})
	t.Run("Kiel's attribution", func(t *testing.T) {
		own := map[string]float64{}
		for _, r := range byChannel {
			own[r.ISO3] = r.TotalEUR
		}
		eu, err := s.FindChannelByCode(sys, "EUI")
		must(t, err)
		for _, k := range eu.Contributors {
			var got float64
			for _, r := range attributed {
				if r.ISO3 == k.ISO3 {
					got = r.TotalEUR - own[k.ISO3]
				}
			}
			// Kiel's figure (amount_eur_minor, from eu_share_bn) within
			// EUR 1,000 per member (Kiel's rounding).
			if want := float64(k.AmountEUR) / 100; math.Abs(got-want) > 1000 {
				t.Errorf("%s: attributed %.0f of the EU institutions' support, Kiel attributes %.0f", k.ISO3, got, want)
			}
		}
	})
	t.Run("replace-us actuals", func(t *testing.T) {
		rep, err := report.BuiltinScenario(context.Background(), s, "replace-us")
		must(t, err)
		sup, err := s.MonthlySupport(sys, coalition.DonorFilter{})
		must(t, err)
		var eu2025 float64
		own := map[string]float64{}
		for _, d := range sup {
			if d.Month.Year() == 2025 && d.Type != coalition.Reconstruction {
				own[d.ISO3] += d.EUR
				if d.ISO3 == "EUI" {
					eu2025 += d.EUR
				}
			}
		}
		if len(rep.Channels) != 1 || rep.Channels[0].Donor != "EUI" || !near(rep.Channels[0].ActualEUR, eu2025, 1e-12) {
			t.Fatalf("channel lines %+v, want EUI with its 2025 allocations %.0f", rep.Channels, eu2025)
		}
		var via float64
		inRows := map[string]bool{}
		for _, r := range rep.Rows {
			via += r.ActualChannelsEUR
			inRows[r.ISO3] = true
			if !near(r.ActualOwnEUR, own[r.ISO3], 1e-9) || !near(r.ActualEUR, r.ActualOwnEUR+r.ActualChannelsEUR, 1e-12) {
				t.Errorf("%s: actual %.0f = own %.0f + channels %.0f, want own %.0f", r.ISO3, r.ActualEUR, r.ActualOwnEUR, r.ActualChannelsEUR, own[r.ISO3])
			}
		}
		eu, err := s.FindChannelByCode(sys, "EUI")
		must(t, err)
		// The rows (COW2025 members) hold the EU's 2025 allocations times
		// the rows' shares; the members outside COW2025 (Hungary,
		// Slovakia, Malta) keep theirs out of the comparison.
		var share float64
		var outside []string
		for _, k := range eu.Contributors {
			if inRows[k.ISO3] {
				share += k.Share
			} else {
				outside = append(outside, k.ISO3)
			}
		}
		if want := eu2025 * share; math.Abs(via-want) > 1 || !near(rep.Channels[0].AttributedEUR, via, 1e-9) || len(outside) > 3 {
			t.Errorf("EU support in the rows %.0f (line says %.0f), want %.0f (the rows' share %.4f; outside: %v)", via, rep.Channels[0].AttributedEUR, want, share, outside)
		}
	})
}

// TestRequirementBadInput: a requirement with a negative quantity, or with
// a unit cost and no source, is refused naming the field, and nothing is
// written.
func TestRequirementBadInput(t *testing.T) {
	s := handStore(t)
	coal, err := s.FindCoalitionByCode(sys, "HC")
	must(t, err)
	before, _, err := s.FindRequirements(sys, coalition.RequirementFilter{CoalitionID: &coal.ID})
	must(t, err)
	neg, qty := int64(-5), int64(10)
	jan := coalition.MonthOf(2026, 1)
	for _, tc := range []struct {
		name, field string
		r           coalition.Requirement
	}{
		{"negative quantity", "quantity", coalition.Requirement{Category: "ammunition", Capability: "155 mm shells", Unit: "shell", Quantity: &neg, UnitValue: 4000_00, Source: "test"}},
		{"unit cost without a source", "source", coalition.Requirement{Category: "ammunition", Capability: "155 mm shells", Unit: "shell", Quantity: &qty, UnitValue: 4000_00}},
		{"unknown capability", "capability", coalition.Requirement{Category: "ammunition", Capability: "moon lasers", Unit: "laser", Quantity: &qty, UnitValue: 4000_00, Source: "test"}},
		{"a financial term for military support", "capability", coalition.Requirement{Category: "air-defence", Capability: "budget support (2026)", AmountEUR: 1_00, Source: "test"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.CoalitionID, r.Recipient, r.From, r.To, r.Visibility = &coal.ID, "UKR", jan, jan, coalition.Public
			err := s.CreateRequirement(sys, &r)
			var e *coalition.Error
			if !errors.As(err, &e) || e.Kind != coalition.Invalid || e.Field != tc.field {
				t.Fatalf("error %v, want Invalid naming %s", err, tc.field)
			}
			after, _, err := s.FindRequirements(sys, coalition.RequirementFilter{CoalitionID: &coal.ID})
			must(t, err)
			if len(after) != len(before) {
				t.Fatalf("%d requirements after the refusal, want %d (nothing written)", len(after), len(before))
			}
		})
	}
}
