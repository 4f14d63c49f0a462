package brief_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/analysis"
	"coalition/brief"
	"coalition/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ptr(v float64) *float64 { return &v }

// fixture is a small coalition brief with one of everything.
func fixture() *report.BriefReport {
	from := coalition.MonthOf(2026, time.December)
	return &report.BriefReport{Kind: "coalition", Title: "Coalition of the willing (2025)", Code: "COW2025",
		AsOf: coalition.Date{Y: 2026, M: time.December, D: 6}, Since: coalition.Date{Y: 2026, M: time.November, D: 1},
		ComputedFor: "anonymous reader; public records only",
		Headline: &report.BriefHeadline{From: from, To: from.Add(11), NeedEUR: 90e9, CoveredEUR: 30e9, CoveredShare: 1.0 / 3, NetGapEUR: 60e9, MonthlyGapEUR: 61e9,
			NeedBasis: "stored requirements", SupportBasis: "visible pledges", Command: "coalition coverage --coalition COW2025 --from 2026-12 --to 2027-11",
			Then: &report.BriefThen{AsOf: coalition.Date{Y: 2026, M: time.October, D: 31}, NeedEUR: 90e9, CoveredEUR: 29.7e9, NetGapEUR: 60.3e9, MonthlyGapEUR: 61.3e9,
				Command: "coalition coverage --coalition COW2025 --from 2026-12 --to 2027-11 --records-as-of 2026-10-31"}},
		Gaps:     []report.BriefGap{{Category: "military", NeedEUR: 50e9, PledgedEUR: 10e9, NetGapEUR: 40e9}, {Category: "financial", NeedEUR: 40e9, PledgedEUR: 20e9, NetGapEUR: 20e9}},
		UnitGaps: []report.BriefUnitGap{{Category: "ammunition", Unit: "shell", Capability: "155 mm shells", NeedUnits: 600000, PledgedUnits: 72000, GapUnits: 528000}},
		Asks: &report.BriefAsks{Key: "gdp", CapPctGDP: 0.5, GapEUR: 60e9, AskedEUR: 55e9, UnfilledEUR: 5e9, Members: 2,
			GaveFrom: coalition.MonthOf(2025, time.May), GaveTo: coalition.MonthOf(2026, time.April),
			Rows: []report.BriefAsk{{ISO3: "DEU", FairShareEUR: 30e9, AskEUR: 25e9, AskPctGDP: 0.5, ByCategory: map[string]float64{"military": 16e9, "financial": 9e9}, GaveEUR: 13e9}}},
		Changes: &report.BriefChanges{Count: 1, Rule: "by the records' own dates",
			Items: []report.BriefChange{{Date: coalition.Date{Y: 2026, M: time.November, D: 20}, Kind: "new pledge", Who: "NOR", What: "air-defence | committed", AmountEUR: 3e8, Source: "Norwegian MoD <press release>"}}},
		Risk: &report.BriefRisk{From: from, To: from.Add(5), Trials: 2000, Seed: 1, PShortfall: 0.4, MeanShortfallEUR: 2e9, ShareWithoutRisk: 0.8,
			SupportWithoutEUR: 8e9, SupportEUR: 10e9, Members: []report.BriefRiskRow{{ISO3: "FRA", PEvent: 0.25, Attribution: ptr(1e9), Events: []string{"2027-04-18 election: FRA presidential"}}}},
		Engagements: &report.BriefEngagements{Past: []report.BriefEngagement{{Date: coalition.Date{Y: 2026, M: time.November, D: 15}, Kind: "call", Title: "Leaders' call", FollowUp: "asks: air defence", Source: "gov.uk"}},
			Scheduled: []report.BriefEngagement{}},
		Assumptions: []string{"Headline period: the 12 months from the as-of month."},
		Sources:     []report.Source{{Figure: "requirement", Source: "NATO", AsOf: "2024-07-10"}},
	}
}

// countryFixture is a small country brief.
func countryFixture() *report.BriefReport {
	pct := 0.25
	return &report.BriefReport{Kind: "country", Title: "Australia", Code: "AUS",
		AsOf: coalition.Date{Y: 2026, M: time.December, D: 6}, Since: coalition.Date{Y: 2026, M: time.November, D: 1},
		ComputedFor: "anonymous reader; public records only",
		Country: &report.BriefCountry{ISO3: "AUS", Name: "Australia", GDPNote: "% of GDP: World Bank 2023", RankPctGDP: 20, Donors: 40,
			Support:          &coalition.DonorTotal{ISO3: "AUS", TotalEUR: 1.2e9, MilitaryEUR: 1e9, FinancialEUR: 0.1e9, HumanitarianEUR: 0.1e9, PctGDP: &pct, Source: "Kiel", AsOf: coalition.Date{Y: 2026, M: time.April, D: 30}},
			ByYear:           []report.BriefYear{{Year: 2022, EUR: 0.5e9}, {Year: 2023, EUR: 0.7e9}},
			FairShares:       []report.BriefBuiltin{{Scenario: "replace-us", From: coalition.MonthOf(2025, time.January), To: coalition.MonthOf(2025, time.December), Row: analysis.FairVsActual{ISO3: "AUS", FairShareEUR: 2e9, PlanEUR: 2.1e9, ActualEUR: 0.3e9, Verdict: "less"}}},
			RiskEvents:       []string{"2028-05-01 election: AUS federal"},
			ByStage:          []report.BriefStage{{Stage: "committed", EUR: 1.3e9}, {Stage: "allocated", EUR: 1.2e9}, {Stage: "delivered", EUR: 0}, {Stage: "pipeline", EUR: 0.1e9}},
			PeerMedianPctGDP: ptr(0.277),
			Equipment: &report.BriefEquipment{Records: 1, Totals: []report.EquipmentTotal{{Category: "armour", Pledged: 49, Delivered: 49}},
				Systems: []report.EquipmentRow{{System: "M1A1 Abrams", Category: "armour", Pledged: 49, Delivered: 49}}}},
		Engagements: &report.BriefEngagements{Past: []report.BriefEngagement{}, Scheduled: []report.BriefEngagement{}},
		Assumptions: []string{"Support = allocations."},
		Sources:     []report.Source{{Figure: "support", Source: "Kiel", AsOf: "2026-04-30"}},
	}
}

// TestGolden: the Markdown and HTML of the fixtures are as reviewed.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  *report.BriefReport
	}{{"coalition", fixture()}, {"country", countryFixture()}} {
		for _, format := range []string{brief.FormatMarkdown, brief.FormatHTML} {
			t.Run(tc.name+" "+format, func(t *testing.T) {
				goldenCheck(t, tc.name, format, tc.rep)
			})
		}
	}
}

// goldenCheck compares rep's rendering in format with its golden file.
func goldenCheck(t *testing.T, name, format string, rep *report.BriefReport) {
	t.Helper()
	var buf bytes.Buffer
	if err := brief.Render(&buf, format, brief.PaperA4, rep); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", name+"."+format+".golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(want) {
		t.Errorf("%s differs from %s (go test ./brief -update rewrites it after review):\n%s", format, golden, buf.String())
	}
}

// TestStructure: the facts a reader relies on, in both formats.
func TestStructure(t *testing.T) {
	var md, html bytes.Buffer
	if err := brief.Markdown(&md, fixture()); err != nil {
		t.Fatal(err)
	}
	if err := brief.HTML(&html, fixture()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Headline: 2026-12..2027-11", "Largest gaps", "what changed", "Risks, 2026-12..2027-05", "Engagements", "Assumptions", "Sources",
		"Computed for: anonymous reader", "€60.00 bn", "€30.00 bn", "military €16.00 bn",
		"Change since 2026-11-01", "net gap −€300.0 m", "528,000"} {
		for name, out := range map[string]string{"md": md.String(), "html": html.String()} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	t.Run("markdown table cells escaped", func(t *testing.T) {
		if !strings.Contains(md.String(), `air-defence \| committed`) {
			t.Errorf("a | in a cell is not escaped")
		}
	})
	t.Run("html escapes and has no script", func(t *testing.T) {
		if strings.Contains(html.String(), "<press release>") || strings.Contains(html.String(), "<script") {
			t.Errorf("unescaped text or a script in the HTML")
		}
		if !strings.Contains(html.String(), "@page") {
			t.Errorf("no print stylesheet")
		}
	})
	t.Run("every figure section names its source", func(t *testing.T) {
		for _, sec := range strings.Split(md.String(), "\n## ")[1:] {
			title, _, _ := strings.Cut(sec, "\n")
			if strings.HasPrefix(title, "Assumptions") || strings.HasPrefix(title, "Sources") {
				continue
			}
			if !strings.Contains(strings.ToLower(sec), "source") {
				t.Errorf("section %q names no source", title)
			}
		}
	})
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{"b.html": "html", "B.HTM": "html", "b.md": "md", "": "md", "b.txt": "md", "b.PDF": "pdf"} {
		if got := brief.FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", name, got, want)
		}
	}
	if err := brief.Render(&bytes.Buffer{}, "docx", brief.PaperA4, fixture()); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("Render docx: %v, want Invalid", err)
	}
	if err := brief.Render(&bytes.Buffer{}, "pdf", "A5", fixture()); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("Render pdf on A5: %v, want Invalid", err)
	}
}
