package analysis

import "strings"

// Alliance targets, in percent of GDP.
const (
	// NATOGuideline is the 2% guideline agreed at Wales in 2014 and made a
	// floor ("at least 2%") at Vilnius in 2023.
	NATOGuideline = 2.0
	// HagueCore is the core-defence part (3.5%) of the Hague 2025 commitment.
	HagueCore = 3.5
	// HagueTotal is the Hague 2025 commitment: 5% of GDP by 2035, of which
	// 3.5% core defence and 1.5% resilience, infrastructure and industry.
	HagueTotal = 5.0
	// HagueYear is the year by which the Hague commitment is to be met.
	HagueYear = 2035
)

// TargetInput is one country's defence spending figure.
type TargetInput struct {
	ISO3       string  `json:"iso3"`
	Name       string  `json:"name"`
	GDPUSD     float64 `json:"gdp_usd"`
	DefencePct float64 `json:"defence_pct"` // % of GDP
	Year       int     `json:"year"`        // the year the figure is for
	Source     string  `json:"source"`      // e.g. "NATO 2024e" or "SIPRI 2024"
	// DefencePct2025e is NATO's 2025 estimate where published; when given it
	// is the current figure (NATO definition, year 2025).
	DefencePct2025e *float64 `json:"defence_pct_2025e,omitempty"`
}

// TargetResult is one country against the alliance targets. Gaps are never
// negative; USD gaps are per year at the current GDP.
type TargetResult struct {
	ISO3       string  `json:"iso3"`
	Name       string  `json:"name"`
	GDPUSD     float64 `json:"gdp_usd"`
	CurrentPct float64 `json:"current_pct"`
	Year       int     `json:"year"`
	Source     string  `json:"source"`
	// Definition is "NATO" (NATO's definition of defence expenditure),
	// "SIPRI" (SIPRI's military expenditure, wider or narrower by country,
	// not comparable one to one) or "other".
	Definition     string  `json:"definition"`
	Meets2         bool    `json:"meets_2"`
	Gap2Pts        float64 `json:"gap_2_pts"`
	Gap2USD        float64 `json:"gap_2_usd"`
	Gap35Pts       float64 `json:"gap_3_5_pts"`
	Gap35USD       float64 `json:"gap_3_5_usd"`
	Gap5Pts        float64 `json:"gap_5_pts"` // against 5% total (core + resilience)
	Gap5USD        float64 `json:"gap_5_usd"`
	AnnualIncrease float64 `json:"annual_increase_pts"` // straight line to 3.5% core by 2035, points per year
	// ReportedPct and ReportedYear keep the input figure when a 2025
	// estimate replaced it as current.
	ReportedPct  float64 `json:"reported_pct"`
	ReportedYear int     `json:"reported_year"`
}

// Definition classifies a source label: "NATO", "SIPRI" or "other".
func Definition(source string) string {
	s := strings.ToUpper(source)
	switch {
	case strings.Contains(s, "NATO"):
		return "NATO"
	case strings.Contains(s, "SIPRI"):
		return "SIPRI"
	}
	return "other"
}

// Targets measures each country against 2%, 3.5% core and 5% total, in input
// order. The straight-line increase is (3.5 − current)/(2035 − year) points
// per year, 0 when already there; if year >= 2035 the whole gap is due now.
func Targets(rows []TargetInput) []TargetResult {
	out := make([]TargetResult, 0, len(rows))
	for _, r := range rows {
		t := TargetResult{ISO3: r.ISO3, Name: r.Name, GDPUSD: r.GDPUSD, CurrentPct: r.DefencePct, Year: r.Year,
			Source: r.Source, Definition: Definition(r.Source), ReportedPct: r.DefencePct, ReportedYear: r.Year}
		if r.DefencePct2025e != nil {
			t.CurrentPct, t.Year, t.Source, t.Definition = *r.DefencePct2025e, 2025, "NATO 2025e", "NATO"
		}
		t.Meets2 = t.CurrentPct >= NATOGuideline
		t.Gap2Pts = max(0, NATOGuideline-t.CurrentPct)
		t.Gap35Pts = max(0, HagueCore-t.CurrentPct)
		t.Gap5Pts = max(0, HagueTotal-t.CurrentPct)
		t.Gap2USD = t.Gap2Pts / 100 * r.GDPUSD
		t.Gap35USD = t.Gap35Pts / 100 * r.GDPUSD
		t.Gap5USD = t.Gap5Pts / 100 * r.GDPUSD
		if years := HagueYear - t.Year; years > 0 {
			t.AnnualIncrease = t.Gap35Pts / float64(years)
		} else {
			t.AnnualIncrease = t.Gap35Pts
		}
		out = append(out, t)
	}
	return out
}
