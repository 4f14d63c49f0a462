package report_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"coalition/internal/reftest"
	"coalition/report"
)

func TestTargetsNATO(t *testing.T) {
	s := seeded(t)
	rep, err := report.Targets(context.Background(), s, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Group != "NATO" {
		t.Fatalf("default group %q, want NATO", rep.Group)
	}
	est := nato2025e(t) // the test's own copy of the 2025 estimates
	rows := map[string]report.TargetRow{}
	for _, r := range rep.Rows {
		rows[r.ISO3] = r
	}
	for _, iso := range []string{"POL", "ESP", "DEU", "USA"} {
		r, ok := rows[iso]
		if !ok {
			t.Fatalf("no row for %s", iso)
		}
		c, err := s.FindCountry(sys, iso)
		if err != nil {
			t.Fatal(err)
		}
		// Current: the 2025 estimate where the copy has one, else the
		// country's (NATO 2024e) figure.
		cur, year, def := *c.DefencePctGDP, c.DefenceYear, "NATO"
		if v, ok := est[iso]; ok {
			cur, year = v, 2025
		}
		gap35 := math.Max(0, 3.5-cur)
		gap2 := math.Max(0, 2-cur)
		if r.CurrentPct != cur || r.Year != year || r.Definition != def {
			t.Errorf("%s current %.2f (%d, %s), want %.2f (%d, %s)", iso, r.CurrentPct, r.Year, r.Definition, cur, year, def)
		}
		if !near(r.Gap35Pts, gap35, 1e-12) || !near(r.Gap2Pts, gap2, 1e-12) {
			t.Errorf("%s gaps 2/3.5 = %.4f/%.4f, want %.4f/%.4f", iso, r.Gap2Pts, r.Gap35Pts, gap2, gap35)
		}
		if want := gap35 / 100 * *c.GDPUSDBn * 1e9; !near(r.Gap35USD, want, 1e-9) {
			t.Errorf("%s gap to 3.5%% in USD %.0f, want %.0f", iso, r.Gap35USD, want)
		}
		if want := gap35 / float64(2035-year); !near(r.AnnualIncrease, want, 1e-12) {
			t.Errorf("%s annual increase %.4f, want %.4f", iso, r.AnnualIncrease, want)
		}
		if r.SourceDetail == "" || r.GDPYear != c.GDPYear {
			t.Errorf("%s: source detail %q, gdp year %d", iso, r.SourceDetail, r.GDPYear)
		}
	}
	// Poland: 4.48 (2025e) is above 3.5, so no gap; the 2024 figure is kept.
	if p := rows["POL"]; p.Gap35Pts != 0 || p.ReportedPct != 3.79 || p.ReportedYear != 2024 {
		t.Errorf("Poland: %+v", p.TargetResult)
	}
	// Spain at 2.00 in 2025: 3.5 − 2.00 = 1.5 points, 1.5 / (2035 − 2025) = 0.15 a year.
	if e := rows["ESP"]; !near(e.Gap35Pts, 1.5, 1e-12) || !near(e.AnnualIncrease, 0.15, 1e-12) || !e.Meets2 {
		t.Errorf("Spain: %+v", e.TargetResult)
	}
	// Iceland has no armed forces and no figure.
	if !slices.Contains(rep.Missing, "ISL") {
		t.Errorf("missing = %v, want ISL among them", rep.Missing)
	}
	wantSources(t, rep.Sources, "defence 2025e", "target 2%")
}

func TestTargetsSIPRI(t *testing.T) {
	s := seeded(t)
	rep, err := report.Targets(context.Background(), s, "cow2025")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.ISO3 == "AUS" {
			// Australia is not in NATO: SIPRI 2024, 1.9% → 3.5 − 1.9 = 1.6 points.
			if r.Definition != "SIPRI" || r.Source != "SIPRI 2024" || !near(r.Gap35Pts, 1.6, 1e-12) {
				t.Fatalf("Australia: %+v", r.TargetResult)
			}
			return
		}
	}
	t.Fatal("no row for Australia in COW2025")
}

func TestTargetsUnknownGroup(t *testing.T) {
	_, err := report.Targets(context.Background(), seeded(t), "NOPE")
	wantField(t, err, "group")
}

// TestTargetsSummary: the summary the page and the CLI show adds up the
// rows: NATO's members at 2%, at 3.5% core, the gaps to 3.5% and the rows
// by definition, counted here from the rows themselves.
func TestTargetsSummary(t *testing.T) {
	for _, group := range []string{"NATO", "EU"} {
		rep, err := report.Targets(context.Background(), seeded(t), group)
		if err != nil {
			t.Fatal(err)
		}
		var want report.TargetsSummary
		for _, r := range rep.Rows {
			if r.CurrentPct >= 2 {
				want.Meets2++
			}
			if r.CurrentPct >= 3.5 {
				want.At35++
			}
			want.Gap35USD += r.Gap35USD
			switch r.Definition {
			case "NATO":
				want.NATO++
			case "SIPRI":
				want.SIPRI++
			}
		}
		got := rep.Summary
		eq(t, group+" meeting 2%", got.Meets2, want.Meets2)
		eq(t, group+" at 3.5%", got.At35, want.At35)
		eq(t, group+" on NATO's definition", got.NATO, want.NATO)
		eq(t, group+" on SIPRI's definition", got.SIPRI, want.SIPRI)
		if !near(got.Gap35USD, want.Gap35USD, 1e-9) || want.Gap35USD <= 0 {
			t.Errorf("%s: gaps to 3.5%% %.0f, want %.0f (> 0)", group, got.Gap35USD, want.Gap35USD)
		}
		if want.Meets2 == 0 || want.NATO == 0 {
			t.Errorf("%s: the test counts nothing (meets 2%% %d, NATO %d)", group, want.Meets2, want.NATO)
		}
	}
}

// "N of 32 meet 2%" counts figures of one year against each other: the
// 2025 estimates among the allies with one, the 2024 figures among the
// allies with one, counted here from the test's own copy of the table.
func TestTargetsSameYear(t *testing.T) {
	s := seeded(t)
	rep, err := report.Targets(context.Background(), s, "NATO")
	if err != nil {
		t.Fatal(err)
	}
	recs := reftest.File(t, "testdata/nato_defence_2025e.csv")
	want := []report.YearCount{{Year: 2025, Label: "NATO 2025e"}, {Year: 2024, Label: "NATO 2024e"}}
	for _, r := range recs[1:] {
		for i, col := range []int{2, 5} { // defence_pct_gdp_2025e, defence_pct_gdp_2024e
			if r[col] == "" {
				continue
			}
			v, err := strconv.ParseFloat(r[col], 64)
			if err != nil {
				t.Fatal(err)
			}
			want[i].Of++
			if v >= 2 {
				want[i].Meets2++
			}
		}
	}
	if fmt.Sprint(rep.Summary.SameYear) != fmt.Sprint(want) {
		t.Errorf("same year = %+v, want %+v", rep.Summary.SameYear, want)
	}
	if want[0].Of != 25 || want[1].Of != 31 {
		t.Errorf("the table has %d 2025e and %d 2024e figures, want 25 and 31", want[0].Of, want[1].Of)
	}
}
