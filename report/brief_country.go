package report

import (
	"context"
	"fmt"
	"sort"

	"coalition"
	"coalition/analysis"
)

// BriefCountry is a country's profile: its support as DonorTotals and
// MonthlySupport give it, its NATO target status as Targets gives it, and
// its place in the built-in scenarios.
type BriefCountry struct {
	ISO3    string                `json:"iso3"`
	Name    string                `json:"name"`
	Support *coalition.DonorTotal `json:"support,omitempty"` // nil: no visible allocations
	GDPNote string                `json:"gdp_note"`          // which GDP the % divides by
	// RankPctGDP is its place among the donors with a % of GDP, of Donors.
	RankPctGDP int            `json:"rank_pct_gdp"`
	Donors     int            `json:"donors"`
	ByYear     []BriefYear    `json:"by_year"`
	NATO       *TargetRow     `json:"nato,omitempty"` // nil: not a NATO member
	FairShares []BriefBuiltin `json:"fair_shares"`
	RiskEvents []string       `json:"risk_events"`
	// ByStage is its support committed, allocated, delivered and in the
	// pipeline (DonorStage); PeerMedianPctGDP the median share of GDP of
	// the Donors it is ranked among; Equipment what Equipment records of
	// it (nil: none).
	ByStage          []BriefStage    `json:"by_stage"`
	PeerMedianPctGDP *float64        `json:"peer_median_pct_gdp,omitempty"`
	Equipment        *BriefEquipment `json:"equipment,omitempty"`
}

// BriefYear is a country's allocations in one calendar year.
type BriefYear struct {
	Year int     `json:"year"`
	EUR  float64 `json:"eur"`
}

// BriefBuiltin is a country's row of a built-in scenario.
type BriefBuiltin struct {
	Scenario string                `json:"scenario"`
	From     coalition.Month       `json:"from"`
	To       coalition.Month       `json:"to"`
	Row      analysis.FairVsActual `json:"row"`
}

// countryBrief fills the sections of a country's brief.
func countryBrief(ctx context.Context, s coalition.Store, opt BriefOptions, rep *BriefReport) error {
	c, err := s.FindCountry(ctx, opt.Country)
	if coalition.ErrorKind(err) == coalition.NotFound {
		return coalition.FieldError("country", "%q is not a known country", opt.Country)
	}
	if err != nil {
		return err
	}
	rep.Kind, rep.Code, rep.Title = "country", c.ISO3, c.Name
	bc := &BriefCountry{ISO3: c.ISO3, Name: c.Name, FairShares: []BriefBuiltin{}, RiskEvents: []string{}}
	rep.Country = bc
	for _, step := range []func(context.Context, coalition.Store, *BriefReport) error{countrySupport, countryPeers, countryByYear, countryStages,
		countryTargets, countryBuiltins, countryEquipment} {
		if err := step(ctx, s, rep); err != nil {
			return err
		}
	}
	if err := countryRiskEvents(ctx, s, opt, bc); err != nil {
		return err
	}
	eng, err := briefEngagements(ctx, s, opt, func(*coalition.Engagement) bool { return true })
	if err != nil {
		return err
	}
	rep.Engagements = eng
	rep.Assumptions = countryAssumptions(opt)
	return nil
}

// countrySupport is the country's DonorTotals row and its rank by % of GDP.
func countrySupport(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	bc := rep.Country
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	bc.GDPNote = GDPLabel(totals)
	var withPct []coalition.DonorTotal
	for i := range totals {
		if totals[i].ISO3 == bc.ISO3 {
			bc.Support = &totals[i]
			rep.Sources = append(rep.Sources, Source{Figure: "support", Source: totals[i].Source, AsOf: totals[i].AsOf.String()})
		}
		if totals[i].PctGDP != nil {
			withPct = append(withPct, totals[i])
		}
	}
	sort.SliceStable(withPct, func(i, j int) bool { return *withPct[i].PctGDP > *withPct[j].PctGDP })
	bc.Donors = len(withPct)
	for i, t := range withPct {
		if t.ISO3 == bc.ISO3 {
			bc.RankPctGDP = i + 1
		}
	}
	return nil
}

// countryByYear adds up the country's monthly allocations per year.
func countryByYear(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	byYear := map[int]float64{}
	for _, d := range sup {
		if d.ISO3 == rep.Country.ISO3 {
			byYear[d.Month.Year()] += d.EUR
		}
	}
	for y, v := range byYear {
		rep.Country.ByYear = append(rep.Country.ByYear, BriefYear{Year: y, EUR: v})
	}
	sort.Slice(rep.Country.ByYear, func(i, j int) bool { return rep.Country.ByYear[i].Year < rep.Country.ByYear[j].Year })
	return nil
}

// countryTargets is the country's row of the NATO targets, if a member.
func countryTargets(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	t, err := Targets(ctx, s, "NATO")
	if err != nil {
		return err
	}
	for i := range t.Rows {
		if t.Rows[i].ISO3 == rep.Country.ISO3 {
			rep.Country.NATO = &t.Rows[i]
			rep.Sources = append(rep.Sources, Source{Figure: "defence % GDP", Source: t.Rows[i].SourceDetail, AsOf: fmt.Sprint(t.Rows[i].Year)})
		}
	}
	return nil
}

// countryBuiltins is the country's row in each built-in scenario.
func countryBuiltins(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	for _, name := range analysis.BuiltinNames {
		b, err := BuiltinScenario(ctx, s, name)
		if err != nil {
			return err
		}
		for _, r := range b.Rows {
			if r.ISO3 == rep.Country.ISO3 {
				rep.Country.FairShares = append(rep.Country.FairShares, BriefBuiltin{Scenario: name, From: b.From, To: b.To, Row: r})
				rep.Sources = append(rep.Sources, b.Sources...)
			}
		}
	}
	return nil
}

// countryRiskEvents are the country's stored risk events in the next year.
func countryRiskEvents(ctx context.Context, s coalition.Store, opt BriefOptions, bc *BriefCountry) error {
	end := coalition.DateOf(opt.AsOf.Time().AddDate(1, 0, 0))
	evs, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: bc.ISO3, From: opt.AsOf, To: end})
	if err != nil {
		return err
	}
	for _, ev := range evs {
		bc.RiskEvents = append(bc.RiskEvents, fmt.Sprintf("%s %s: %s (p %.2f, support × %.2f; date: %s)", ev.Date, ev.Kind, ev.Label, ev.Probability, ev.Factor, ev.Source))
	}
	return nil
}

// countryAssumptions are the choices behind a country brief's figures.
func countryAssumptions(opt BriefOptions) []string {
	return []string{
		"Support = Kiel-style allocations (pledges allocated or delivered) by announcement month, all recipients, as `coalition donors`; the share of GDP divides the total since 2022 by one year's GDP (the header of the support line names which).",
		"Rank and peers: among the donors the user may see that have a GDP figure, by total support as % of GDP; the peers' figure is their median.",
		"Stages (`coalition donors --status committed|allocated|delivered|pipeline`): stages of the same support, never added: committed includes what was allocated since; the pipeline is committed and not yet allocated (Kiel's to-be-allocated, which its corrections can make negative); delivered counts pledges marked delivered, which Kiel's allocations are not.",
		"Equipment: `coalition equipment --donor ISO3` (Kiel's heavy-weapons table and records entered here), units pledged and delivered per capability category.",
		"NATO status: `coalition targets` (NATO 2025 estimates where published; other figures name their source and definition).",
		"Fair share: the country's row of each built-in scenario (`coalition scenario --builtin replace-us|nato-40bn`), shared by GDP and capped as docs/scenarios.md says.",
		fmt.Sprintf("Engagements with the country taking part from %s to %d months after the as-of date; risk events stored for the country in the 12 months from the as-of date, with their users' probabilities.", opt.Since, BriefRiskMonths),
	}
}
