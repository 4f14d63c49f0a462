package report

import (
	"context"
	"encoding/json"
	"sort"

	"coalition"
	"coalition/analysis"
)

// BriefAsks is the burden-sharing plan that would close the headline's
// gap: RunScenario's answer for BriefScenarioSpec, unchanged.
type BriefAsks struct {
	Key       string  `json:"key"` // always "gdp"
	CapPctGDP float64 `json:"cap_pct_gdp"`
	// GapEUR is what the scenario shares: the monthly shortfalls of the
	// headline's period, per calendar year (the headline's monthly gap).
	GapEUR      float64    `json:"gap_eur"`
	AskedEUR    float64    `json:"asked_eur"`    // Σ asks after caps
	UnfilledEUR float64    `json:"unfilled_eur"` // what the caps leave open
	Members     int        `json:"members"`      // who shares
	Excluded    []Excluded `json:"excluded"`
	Rows        []BriefAsk `json:"rows"` // largest ask first, at most a page
	// Spec is the scenario asked, as JSON for `coalition scenario --file`.
	Spec string `json:"spec"`
	// GaveFrom..GaveTo are the last 12 months of recorded allocations
	// before the as-of month.
	GaveFrom coalition.Month `json:"gave_from"`
	GaveTo   coalition.Month `json:"gave_to"`
}

// BriefAsk is one member's row of the scenario's plan.
type BriefAsk struct {
	ISO3         string             `json:"iso3"`
	FairShareEUR float64            `json:"fair_share_eur"` // the key's share of what the plan covers
	AskEUR       float64            `json:"ask_eur"`        // its extra, after the cap
	AskPctGDP    float64            `json:"ask_pct_gdp"`    // per year
	ByCategory   map[string]float64 `json:"by_category"`    // its extra per category
	GaveEUR      float64            `json:"gave_eur"`       // allocations in GaveFrom..GaveTo
}

// BriefScenarioSpec is the scenario whose plan is a coalition brief's
// fair-share asks: no withdrawal, the coalition's need over from..to
// against the recorded pledges (as the headline counts them), shared
// among its joined members by GDP, each capped at BriefCapPctGDP of its
// GDP a year.
func BriefScenarioSpec(code string, from, to coalition.Month) ScenarioSpec {
	return ScenarioSpec{Coalition: code, Withdrawals: []analysis.Withdrawal{}, Key: analysis.KeyGDP, CapPctGDP: BriefCapPctGDP,
		Horizon: &Horizon{From: from, To: to}, Support: SupportPledges, CapabilityLimits: true}
}

// briefAsks runs BriefScenarioSpec on the records of the headline (s) and
// keeps its plan: the asks are the scenario engine's, so that the brief,
// `coalition scenario` and POST /api/v1/scenarios/run give one answer.
func briefAsks(ctx context.Context, s coalition.Store, coal *coalition.Coalition, rep *BriefReport) error {
	h := rep.Headline
	spec := BriefScenarioSpec(coal.Code, h.From, h.To)
	js, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	sc, err := RunScenario(ctx, s, spec)
	if err != nil {
		return err
	}
	a := &BriefAsks{Key: sc.Spec.Key, CapPctGDP: sc.Spec.CapPctGDP, AskedEUR: sc.Result.Covered, UnfilledEUR: sc.Result.Unfilled,
		Members: len(sc.Members), Excluded: sc.Excluded, Rows: []BriefAsk{}, Spec: string(js)}
	a.GapEUR = a.AskedEUR + a.UnfilledEUR
	rows := make([]BriefAsk, 0, len(sc.Plan))
	for _, p := range sc.Plan {
		rows = append(rows, BriefAsk{ISO3: p.ISO3, FairShareEUR: p.FairShareEUR, AskEUR: p.ExtraEUR, AskPctGDP: p.ExtraPctGDP, ByCategory: p.ExtraByCategory})
	}
	if err := addGave(ctx, s, a, rows, h.From); err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].AskEUR > rows[j].AskEUR })
	a.Rows = rows[:min(len(rows), briefListMax)]
	rep.Asks = a
	for _, src := range sc.Sources {
		if src.Figure == "gdp" || src.Figure == "fx" {
			rep.Sources = append(rep.Sources, Source{Figure: src.Figure + " (fair-share asks)", Source: src.Source, AsOf: src.AsOf})
		}
	}
	return nil
}

// addGave adds each member's allocations of the last 12 months of data
// before asOf's month (a brief for a past day uses no later record).
func addGave(ctx context.Context, s coalition.Store, a *BriefAsks, rows []BriefAsk, asOf coalition.Month) error {
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	for _, d := range sup {
		if d.Month < asOf {
			a.GaveTo = max(a.GaveTo, d.Month)
		}
	}
	if a.GaveTo == 0 {
		return nil
	}
	a.GaveFrom = a.GaveTo.Add(-11)
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{Since: a.GaveFrom, Until: a.GaveTo})
	if err != nil {
		return err
	}
	byISO := map[string]float64{}
	for _, t := range totals {
		byISO[t.ISO3] = t.TotalEUR
	}
	for i := range rows {
		rows[i].GaveEUR = byISO[rows[i].ISO3]
	}
	return nil
}
