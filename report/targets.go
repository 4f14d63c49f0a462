package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// TargetRow is one country against the alliance targets.
type TargetRow struct {
	analysis.TargetResult
	GDPYear int `json:"gdp_year"` // the year of the GDP behind the gaps
	// The gaps in EUR a year: the USD gaps (GDP as the World Bank publishes
	// it) at the ECB's annual average USD per EUR of the GDP year; 0 when
	// the year has no full set of rates (USDPerEUR 0).
	Gap2EUR   float64 `json:"gap_2_eur"`
	Gap35EUR  float64 `json:"gap_3_5_eur"`
	Gap5EUR   float64 `json:"gap_5_eur"`
	USDPerEUR float64 `json:"usd_per_eur"`
	// SourceDetail cites the current figure: the NATO 2025 estimate's press
	// sources, or the country record's source.
	SourceDetail string `json:"source_detail"`
}

// TargetsReport measures a group's members against NATO's 2% guideline and
// the Hague 2025 commitment (3.5% core defence, 5% in all, by 2035).
type TargetsReport struct {
	Group   string         `json:"group"`
	Rows    []TargetRow    `json:"rows"`    // by name
	Missing []string       `json:"missing"` // members without any defence figure (ISO3)
	Note    string         `json:"note"`
	Sources []Source       `json:"sources"`
	Summary TargetsSummary `json:"summary"`
}

// TargetsSummary adds up a TargetsReport's rows, once for every surface
// (the page's headline, the CLI's last line).
type TargetsSummary struct {
	// Meets2 counts the rows whose current figure (each its newest: a
	// 2025 estimate or a 2024 figure) is at or above 2% of GDP: a mix of
	// years. SameYear is the count to quote ("N of 32 meet 2%").
	Meets2   int     `json:"meets_2"`
	At35     int     `json:"at_3_5"`           // rows at or above 3.5% core (no gap left)
	Gap35USD float64 `json:"gap_3_5_usd"`      // the rows' gaps to 3.5%, added up, USD a year
	Gap35EUR float64 `json:"gap_3_5_eur"`      // the same in EUR (each row at its GDP year's average)
	NATO     int     `json:"nato_definition"`  // rows on NATO's definition
	SIPRI    int     `json:"sipri_definition"` // rows on SIPRI's (not comparable one to one)
	// SameYear counts, per year of NATO figures (newest first), the rows
	// with a NATO figure of that year and those of them at or above 2%:
	// figures of one year against each other, never a 2025 estimate of one
	// ally against a 2024 figure of another.
	SameYear []YearCount `json:"same_year"`
}

// YearCount is how many of the rows with a NATO figure of Year meet 2%.
type YearCount struct {
	Year   int    `json:"year"`
	Label  string `json:"label"` // "NATO 2025e"
	Meets2 int    `json:"meets_2"`
	Of     int    `json:"of"`
}

// sameYear counts the NATO figures of in per year: a row's reported
// figure (country record) and its 2025 estimate each count in their year.
func sameYear(in []analysis.TargetInput) []YearCount {
	by := map[int]*YearCount{}
	count := func(year int, label string, pct float64) {
		c := by[year]
		if c == nil {
			c = &YearCount{Year: year, Label: label}
			by[year] = c
		}
		c.Of++
		if pct >= analysis.NATOGuideline {
			c.Meets2++
		}
	}
	for _, r := range in {
		if r.DefencePct2025e != nil {
			count(2025, "NATO 2025e", *r.DefencePct2025e)
		}
		if analysis.Definition(r.Source) == "NATO" && r.Year != 2025 {
			count(r.Year, r.Source, r.DefencePct)
		}
	}
	out := []YearCount{}
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b YearCount) int { return b.Year - a.Year })
	return out
}

// Targets measures the members of group (default NATO). The current figure
// is, in order: NATO's 2025 estimate (bundled reference data) where found;
// else the country record's figure, NATO's 2024 estimate or, where NATO has
// none, SIPRI's (not comparable one to one). Each row's definition and
// source say which.
func Targets(ctx context.Context, s coalition.Store, group string) (*TargetsReport, error) {
	group = strings.ToUpper(strings.TrimSpace(group))
	if group == "" {
		group = "NATO"
	}
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{Group: group})
	if err != nil {
		return nil, err
	}
	est, estSrc, err := refdata.NATO2025e()
	if err != nil {
		return nil, fmt.Errorf("report: NATO 2025 estimates: %w", err)
	}
	rep := &TargetsReport{Group: group, Rows: []TargetRow{}, Missing: []string{},
		Note: "NATO figures use NATO's definition of defence expenditure; SIPRI's military expenditure differs by country and is not comparable one to one. Gaps are per year, at each ally's GDP of the year shown (World Bank, in USD), converted to EUR at the ECB's average of that year. The 5% gap compares core defence alone with the 5% total (no resilience figures exist in the data)."}
	var in []analysis.TargetInput
	var gdpYear []int
	var detail []string
	used := 0
	var withGDP []*coalition.Country
	for _, c := range cs {
		if c.GDPUSDBn != nil {
			withGDP = append(withGDP, c)
		}
		ti, src, ok := targetInput(c, est, estSrc)
		if !ok {
			rep.Missing = append(rep.Missing, c.ISO3)
			continue
		}
		if ti.DefencePct2025e != nil {
			used++
		}
		in = append(in, ti)
		gdpYear = append(gdpYear, c.GDPYear)
		detail = append(detail, src)
	}
	f := newFX(s)
	for i, r := range analysis.Targets(in) {
		row := TargetRow{TargetResult: r, GDPYear: gdpYear[i], SourceDetail: detail[i]}
		if err := row.inEUR(ctx, f); err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, row)
		rep.Summary.add(row)
	}
	rep.Summary.SameYear = sameYear(in)
	rep.Sources = countrySources(withGDP, "gdp and defence (2024e or SIPRI)", fmt.Sprint(refYear(withGDP)))
	if used > 0 {
		rep.Sources = append(rep.Sources, Source{Figure: "defence 2025e", AsOf: "2025-08-28",
			Source: fmt.Sprintf("NATO, Defence Expenditure of NATO Countries (2014-2025), 28 Aug 2025: 2025 estimates for %d of the rows (press sources per row in source_detail)", used)})
	}
	rep.Sources = append(rep.Sources, f.sources()...)
	rep.Sources = append(rep.Sources,
		Source{Figure: "target 2%", AsOf: "2023-07-11", Source: "NATO Wales Summit Declaration (5 Sep 2014) §14; a floor ('at least 2%') since the Vilnius Summit Communiqué (11 Jul 2023)"},
		Source{Figure: "target 3.5% + 1.5%", AsOf: "2025-06-25", Source: "NATO The Hague Summit Declaration (25 Jun 2025): 5% of GDP by 2035, of which at least 3.5% core defence"})
	return rep, nil
}

// targetInput is country c as the target engine takes it, with the source
// of its figure: NATO's 2025 estimate (est) where found, else the
// country's own figure; ok is false when it has neither.
func targetInput(c *coalition.Country, est map[string]float64, estSrc map[string]string) (analysis.TargetInput, string, bool) {
	ti := analysis.TargetInput{ISO3: c.ISO3, Name: c.Name}
	if c.GDPUSDBn != nil {
		ti.GDPUSD = *c.GDPUSDBn * 1e9
	}
	src := c.Source
	switch {
	case c.DefencePctGDP != nil:
		ti.DefencePct, ti.Year, ti.Source = *c.DefencePctGDP, c.DefenceYear, defenceLabel(c)
	case est[c.ISO3] == 0:
		return ti, "", false
	}
	if v, ok := est[c.ISO3]; ok {
		ti.DefencePct2025e = &v
		src = estSrc[c.ISO3]
		if c.DefencePctGDP == nil { // only the 2025 estimate
			ti.DefencePct, ti.Year, ti.Source = v, 2025, "NATO 2025e"
		}
	}
	return ti, src, true
}

// defenceLabel names the publisher and year of a country's defence share,
// marking NATO's as an estimate, as NATO does.
func defenceLabel(c *coalition.Country) string {
	switch c.DefenceSource {
	case "NATO":
		return fmt.Sprintf("NATO %de", c.DefenceYear)
	case "SIPRI":
		return fmt.Sprintf("SIPRI %d", c.DefenceYear)
	}
	return strings.TrimSpace(fmt.Sprintf("%s %d", c.DefenceSource, c.DefenceYear))
}

// inEUR converts the row's USD gaps at the ECB's average USD per EUR of
// its GDP year; a year without a full set of rates leaves them at 0.
func (r *TargetRow) inEUR(ctx context.Context, f *fx) error {
	if r.GDPYear == 0 || r.GDPUSD == 0 {
		return nil
	}
	rate, err := f.usdPerEUR(ctx, r.GDPYear)
	if coalition.ErrorKind(err) == coalition.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	r.USDPerEUR = rate
	r.Gap2EUR, r.Gap35EUR, r.Gap5EUR = r.Gap2USD/rate, r.Gap35USD/rate, r.Gap5USD/rate
	return nil
}

func (sum *TargetsSummary) add(row TargetRow) {
	r := row.TargetResult
	sum.Gap35EUR += row.Gap35EUR
	if r.Meets2 {
		sum.Meets2++
	}
	if r.Gap35Pts <= 0 {
		sum.At35++
	}
	sum.Gap35USD += r.Gap35USD
	switch r.Definition {
	case "NATO":
		sum.NATO++
	case "SIPRI":
		sum.SIPRI++
	}
}
