package http

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"

	"coalition"
	"coalition/report"
)

// usd formats dollars for people: $1.2 bn, $350.0 m.
func usd(v float64) string { return coalition.FormatAmount("$", v, 1) }

// ptsCell is a number of percentage points of GDP.
func ptsCell(v float64) cell { return cell{Text: fmt.Sprintf("%.2f pts", v), Raw: raw(v), Num: true} }

// targetsData is a horizontal bar chart of % of GDP with the target lines.
type targetsChartData struct {
	Labels      []string  `json:"labels"`
	Values      []float64 `json:"values"`
	Definitions []string  `json:"definitions"` // NATO, SIPRI or other, per bar
	Lines       []float64 `json:"lines"`       // the targets, % of GDP
}

// targetLines are NATO's 2% guideline, the 3.5% core and the 5% commitment.
var targetLines = []float64{2, 3.5, 5}

// targetsChart measures group's members against the targets, sorted by the
// gap to 3.5% core (largest first), then by the gap to 2%.
func (s *server) targetsChart(ctx context.Context, group string) (chart, *report.TargetsReport, error) {
	rep, err := cached(ctx, s, "targets/"+group, func() (*report.TargetsReport, error) { return report.Targets(ctx, s.store, group) })
	if err != nil {
		return chart{}, nil, err
	}
	ch := chart{ID: "targets", Title: rep.Group + " members against 2%, 3.5% core and 5% of GDP", Kind: "targets",
		CSV: "/csv/targets?group=" + rep.Group, Open: true, Note: rep.Note}
	ch.Sources, ch.AsOf = reportSources(rep.Sources)
	rows := append([]report.TargetRow(nil), rep.Rows...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Gap35Pts != rows[j].Gap35Pts {
			return rows[i].Gap35Pts > rows[j].Gap35Pts
		}
		if rows[i].Gap2Pts != rows[j].Gap2Pts {
			return rows[i].Gap2Pts > rows[j].Gap2Pts
		}
		return rows[i].Name < rows[j].Name
	})
	d := targetsChartData{Labels: []string{}, Values: []float64{}, Definitions: []string{}, Lines: targetLines}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Defence spending against the targets, sorted by the gap to 3.5% core", Columns: []column{
		{Label: "Country", Name: "country"}, {Label: "ISO3", Name: "iso3"},
		{Label: "Defence, % of GDP", Name: "current_pct", Num: true}, {Label: "Year", Name: "year", Num: true},
		{Label: "Definition", Name: "definition"}, {Label: "Meets 2%", Name: "meets_2"},
		{Label: "Gap to 2%", Name: "gap_2_pts", Num: true}, {Label: "Gap to 2%, EUR a year", Name: "gap_2_eur", Num: true},
		{Label: "Gap to 3.5% core", Name: "gap_3_5_pts", Num: true}, {Label: "Gap to 3.5%, EUR a year", Name: "gap_3_5_eur", Num: true},
		{Label: "Gap to 5%", Name: "gap_5_pts", Num: true}, {Label: "Gap to 5%, EUR a year", Name: "gap_5_eur", Num: true},
		{Label: "Rise a year to 3.5% by 2035", Name: "annual_increase_pts", Num: true},
		{Label: "Source", Name: "source"},
	}}
	for _, r := range rows {
		d.Labels = append(d.Labels, r.Name)
		d.Values = append(d.Values, math.Round(r.CurrentPct*100)/100)
		d.Definitions = append(d.Definitions, r.Definition)
		meets := "no"
		if r.Meets2 {
			meets = "yes"
		}
		src := r.Source
		if r.SourceDetail != "" && r.SourceDetail != src {
			src += " — " + r.SourceDetail
		}
		ch.Table.Rows = append(ch.Table.Rows, []cell{
			linkCell(r.Name, "/countries/"+r.ISO3), textCell(r.ISO3),
			{Text: fmt.Sprintf("%.2f%%", r.CurrentPct), Raw: raw(r.CurrentPct), Num: true}, intCell(r.Year),
			textCell(r.Definition), textCell(meets),
			ptsCell(r.Gap2Pts), eurCell(r.Gap2EUR), ptsCell(r.Gap35Pts), eurCell(r.Gap35EUR),
			ptsCell(r.Gap5Pts), eurCell(r.Gap5EUR), ptsCell(r.AnnualIncrease), textCell(src),
		})
	}
	ch.Data = d
	if len(rows) == 0 {
		ch.Empty = "No member of " + rep.Group + " has a defence-spending figure. Load the reference data with `coalition seed`, or choose another group."
	}
	return ch, rep, nil
}

type targetsData struct {
	page
	Group  string
	Groups []option
	Chart  chart
	Meets2 int
	Rows   int
	// Same is the newest year's same-year count ("24 of 24 meet 2%",
	// NATO 2025e), the headline; Others are the older years'.
	Same    *report.YearCount
	Others  []report.YearCount
	At35    int
	Gap35   float64
	NATO    int // rows on NATO's definition
	SIPRI   int
	Missing []string
}

// targetsPage shows a group's members (default NATO) against the targets.
func (s *server) targetsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := params{r: r}
	group := strings.ToUpper(p.str("group"))
	if p.err != nil {
		return p.err
	}
	ch, rep, err := s.targetsChart(ctx, group)
	if coalition.ErrorKind(err) == coalition.Invalid && group == "" {
		// An empty store has no NATO to measure.
		ch = chart{ID: "targets", Title: "NATO members against 2%, 3.5% core and 5% of GDP",
			Empty: "No group NATO is recorded yet, so there are no allies to measure. Load the reference data with `coalition seed`."}
		rep, err = &report.TargetsReport{Group: "NATO"}, nil
	}
	if err != nil {
		return err
	}
	sum := rep.Summary // report.Targets adds the rows up
	d := targetsData{page: s.newPage("Alliance targets", "targets"), Group: rep.Group, Chart: ch, Rows: len(rep.Rows),
		Meets2: sum.Meets2, At35: sum.At35, Gap35: sum.Gap35EUR, NATO: sum.NATO, SIPRI: sum.SIPRI}
	if len(sum.SameYear) > 0 {
		d.Same, d.Others = &sum.SameYear[0], sum.SameYear[1:]
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return err
	}
	for _, iso := range rep.Missing {
		n := names[iso]
		if n == "" {
			n = iso
		}
		d.Missing = append(d.Missing, n)
	}
	groups, err := s.store.FindGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		d.Groups = append(d.Groups, option{g.Code, g.Name, g.Code == rep.Group})
	}
	return s.render(w, http.StatusOK, "targets.html", d)
}
