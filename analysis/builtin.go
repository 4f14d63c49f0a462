package analysis

import (
	"math"
	"slices"
	"sort"

	"coalition"
)

// Support types of the Kiel Ukraine Support Tracker, used as categories by
// the built-in scenarios.
const (
	TypeMilitary     = "military"
	TypeFinancial    = "financial"
	TypeHumanitarian = "humanitarian"
)

var supportTypes = []string{TypeFinancial, TypeHumanitarian, TypeMilitary}

// DonorMonth is one donor's allocations in one month, in EUR, by type.
type DonorMonth struct {
	ISO3         string          `json:"iso3"`
	Month        coalition.Month `json:"month"`
	Military     float64         `json:"military"`
	Financial    float64         `json:"financial"`
	Humanitarian float64         `json:"humanitarian"`
}

func (d DonorMonth) byType(t string) float64 {
	switch t {
	case TypeMilitary:
		return d.Military
	case TypeFinancial:
		return d.Financial
	}
	return d.Humanitarian
}

// CountryData is what the built-in scenarios need about a country.
type CountryData struct {
	ISO3       string  `json:"iso3"`
	Name       string  `json:"name"`
	GDPUSD     float64 `json:"gdp_usd"`
	Population float64 `json:"population"`
	// Memberships are group labels; the scenarios use "NATO" and "COW2025"
	// (the 2025 coalition of the willing).
	Memberships []string `json:"memberships"`
}

func (c CountryData) in(group string) bool { return slices.Contains(c.Memberships, group) }

// BuiltinInput is the data the built-in scenarios run on.
type BuiltinInput struct {
	Support   []DonorMonth  `json:"support"`
	Countries []CountryData `json:"countries"`
	// USDPerEUR converts GDP to EUR: GDP EUR = GDP USD / USDPerEUR (the ECB
	// 2023 average is 1.0813).
	USDPerEUR float64 `json:"usd_per_eur"`
	// Attributed is the support of channels (the EU institutions, which
	// stay in Support as a donor of their own) attributed to their
	// contributors by their shares: the members' "actual" includes their
	// part, and each channel is a line of its own (Channels).
	Attributed []DonorMonth `json:"attributed,omitempty"`
	// Channels names the channels whose support Attributed splits, by
	// their donor code in Support.
	Channels []BuiltinChannel `json:"channels,omitempty"`
}

// BuiltinChannel is a channel whose support is recorded under a donor code
// of its own (the EU institutions: EUI).
type BuiltinChannel struct {
	Donor string `json:"donor"`
	Name  string `json:"name"`
}

// ChannelLine is a channel's own line next to the members' rows: what it
// gave in the year compared (of the types the scenario compares), and how
// much of that is attributed to the rows.
type ChannelLine struct {
	Donor         string  `json:"donor"`
	Name          string  `json:"name"`
	ActualEUR     float64 `json:"actual_eur"`
	AttributedEUR float64 `json:"attributed_to_rows_eur"`
}

// BuiltinNames lists the built-in scenarios.
var BuiltinNames = []string{"replace-us", "nato-40bn"}

// BuiltinResult is a built-in scenario's plan next to what donors actually
// allocated.
type BuiltinResult struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	From        coalition.Month `json:"from"`
	To          coalition.Month `json:"to"`
	USDPerEUR   float64         `json:"usd_per_eur"`
	// RequirementMonthly is the monthly requirement per type (replace-us).
	RequirementMonthly map[string]float64 `json:"requirement_monthly,omitempty"`
	// Scenario is the full withdrawal scenario (replace-us).
	Scenario *ScenarioResult `json:"scenario,omitempty"`
	Rows     []FairVsActual  `json:"rows"` // by plan, largest first
	// Channels are the channels' own lines; their parts are in the rows'
	// actual (actual_channels_eur), never added twice.
	Channels  []ChannelLine `json:"channels"`
	PlanEUR   float64       `json:"plan_eur"`
	ActualEUR float64       `json:"actual_eur"`
	Unfilled  float64       `json:"unfilled_eur"` // the part of the gap nobody could cover
}

// FairVsActual is one member's plan next to its actual allocations.
type FairVsActual struct {
	ISO3         string  `json:"iso3"`
	Name         string  `json:"name"`
	GDPEUR       float64 `json:"gdp_eur"`
	WeightShare  float64 `json:"weight_share"` // its GDP / Σ members' GDP
	BaselineEUR  float64 `json:"baseline_eur"` // what it kept giving in the scenario (replace-us)
	FairShareEUR float64 `json:"fair_share_eur"`
	ExtraEUR     float64 `json:"extra_eur"` // the plan's extra (capped) on top of the baseline
	ExtraPctGDP  float64 `json:"extra_pct_gdp"`
	// BaselineChannelsEUR is its share of the channels' 2022–2024 average
	// kept up through the year (replace-us): the channels' baseline flows
	// stay in the scenario, and the member's part of them is in its plan
	// as its part of their actual support is in its actual.
	BaselineChannelsEUR float64 `json:"baseline_channels_eur"`
	PlanEUR             float64 `json:"plan_eur"` // baseline + channels' baseline + extra
	// ByCategory is PlanEUR per category (support type): what the member is
	// asked for in which category; sums to PlanEUR.
	ByCategory map[string]float64 `json:"by_category"`
	ActualEUR  float64            `json:"actual_eur"` // own + channels: Kiel allocations in the year compared
	// ActualOwnEUR is what it allocated itself; ActualChannelsEUR its share
	// of what the channels it funds allocated (the EU institutions, by
	// Kiel's attribution).
	ActualOwnEUR      float64 `json:"actual_own_eur"`
	ActualChannelsEUR float64 `json:"actual_channels_eur"`
	DifferenceEUR     float64 `json:"difference_eur"`
	Verdict           string  `json:"verdict"` // "more", "less" or "equal": actual against plan
}

// RunBuiltin runs a built-in scenario by name.
func RunBuiltin(name string, in BuiltinInput) (BuiltinResult, error) {
	switch name {
	case "replace-us":
		return ReplaceUS(in)
	case "nato-40bn":
		return NATO40bn(in)
	}
	return BuiltinResult{}, coalition.FieldError("builtin", "unknown scenario %q (want replace-us or nato-40bn)", name)
}

func (in BuiltinInput) validate() error {
	if !(in.USDPerEUR > 0) || math.IsInf(in.USDPerEUR, 0) {
		return coalition.FieldError("usd_per_eur", "must be a positive number (got %g)", in.USDPerEUR)
	}
	return nil
}

// sumSupport sums donor allocations over from..to: per donor and type.
func sumSupport(s []DonorMonth, from, to coalition.Month) map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for _, d := range s {
		if d.Month < from || d.Month > to {
			continue
		}
		if out[d.ISO3] == nil {
			out[d.ISO3] = map[string]float64{}
		}
		for _, t := range supportTypes {
			out[d.ISO3][t] += d.byType(t)
		}
	}
	return out
}

func verdict(actual, plan float64) string {
	tol := 1e-9 * math.Max(1, math.Abs(plan))
	switch {
	case actual > plan+tol:
		return "more"
	case actual < plan-tol:
		return "less"
	}
	return "equal"
}

// ReplaceUS is the built-in "replace-us" scenario: the requirement is the
// average monthly support of all donors in 2022–2024 per type; every donor
// is expected to keep giving its own 2022–2024 monthly average through 2025;
// the United States withdraws entirely from February 2025; the gap is shared
// among the 2025 coalition of the willing (COW2025, without Ukraine) by GDP,
// capped at 0.5% of GDP per year. Each member's plan (baseline + extra) is
// set next to its actual 2025 allocations.
func ReplaceUS(in BuiltinInput) (BuiltinResult, error) {
	if err := in.validate(); err != nil {
		return BuiltinResult{}, err
	}
	baseFrom, baseTo := coalition.MonthOf(2022, 1), coalition.MonthOf(2024, 12)
	from, to := coalition.MonthOf(2025, 1), coalition.MonthOf(2025, 12)
	baseMonths := float64(baseTo-baseFrom) + 1
	base := sumSupport(in.Support, baseFrom, baseTo)
	actual := sumSupport(in.Support, from, to)

	req := map[string]float64{}
	var flows []Flow
	for _, iso := range sortedKeys(base) {
		for _, t := range supportTypes {
			avg := base[iso][t] / baseMonths
			req[t] += avg
			if avg > 0 {
				flows = append(flows, Flow{Donor: iso, Category: t, From: from, To: to, Amount: avg * float64(to-from+1)})
			}
		}
	}
	var needs []Need
	for _, t := range supportTypes {
		for m := from; m <= to; m++ {
			needs = append(needs, Need{Category: t, Month: m, Amount: req[t]})
		}
	}
	names := map[string]CountryData{}
	var members []ScenarioMember
	for _, c := range in.Countries {
		names[c.ISO3] = c
		if c.in("COW2025") && c.ISO3 != "UKR" && c.GDPUSD > 0 {
			members = append(members, ScenarioMember{ISO3: c.ISO3, GDPEUR: c.GDPUSD / in.USDPerEUR, Population: c.Population})
		}
	}
	sc, err := Scenario(ScenarioInput{
		Needs: needs, Flows: flows, From: from, To: to, Members: members, Key: KeyGDP, CapPctGDP: 0.5,
		Withdrawals: []Withdrawal{{Countries: []string{"USA"}, From: coalition.MonthOf(2025, 2), Fraction: 1}},
	})
	if err != nil {
		return BuiltinResult{}, err
	}
	res := BuiltinResult{
		Name:        "replace-us",
		Description: "Requirement = average monthly support of all donors 2022–2024 per type; the United States withdraws from 2025-02; the gap is shared among the 2025 coalition of the willing (without Ukraine) by GDP, capped at 0.5% of GDP per year; plan = own 2022–2024 average + extra, next to actual 2025 allocations (Kiel).",
		From:        from, To: to, USDPerEUR: in.USDPerEUR, RequirementMonthly: req, Scenario: &sc, Unfilled: sc.Unfilled,
	}
	var gdpSum float64
	for _, m := range members {
		gdpSum += m.GDPEUR
	}
	yr := sc.Years[0]
	viaActual := sumSupport(in.Attributed, from, to)
	viaBase := sumSupport(in.Attributed, baseFrom, baseTo)
	inRows := map[string]bool{}
	for i, m := range members {
		my := yr.Members[i]
		inRows[m.ISO3] = true
		var own, via, viaBaseline float64
		for _, t := range supportTypes {
			own += actual[m.ISO3][t]
			via += viaActual[m.ISO3][t]
			viaBaseline += viaBase[m.ISO3][t] / baseMonths * float64(to-from+1)
		}
		row := FairVsActual{ISO3: m.ISO3, Name: names[m.ISO3].Name, GDPEUR: m.GDPEUR, WeightShare: m.GDPEUR / gdpSum,
			BaselineEUR: my.ExistingEUR, FairShareEUR: my.FairShare, ExtraEUR: my.ExtraEUR, ExtraPctGDP: my.ExtraPctGDP,
			BaselineChannelsEUR: viaBaseline, PlanEUR: my.ExistingEUR + viaBaseline + my.ExtraEUR,
			ActualEUR: own + via, ActualOwnEUR: own, ActualChannelsEUR: via, ByCategory: map[string]float64{}}
		// the plan per type: its own 2022–2024 monthly average kept up over
		// the year (the flows above), plus the extra the scenario asks
		for _, t := range supportTypes {
			if avg := (base[m.ISO3][t] + viaBase[m.ISO3][t]) / baseMonths; avg > 0 {
				row.ByCategory[t] += avg * float64(to-from+1) // own and channels' baseline, as PlanEUR
			}
			if v := my.ByCategory[t]; v != 0 {
				row.ByCategory[t] += v
			}
		}
		row.DifferenceEUR = row.ActualEUR - row.PlanEUR
		row.Verdict = verdict(row.ActualEUR, row.PlanEUR)
		res.PlanEUR += row.PlanEUR
		res.ActualEUR += row.ActualEUR
		res.Rows = append(res.Rows, row)
	}
	sortRows(res.Rows)
	res.Channels = channelLines(in, from, to, supportTypes, inRows)
	return res, nil
}

// channelLines are the channels' own lines: what each gave in from..to (of
// types) and the part of it attributed to the rows (inRows). Attributed
// rows carry no channel name, so a contributor's part is matched to its
// channel by the channel's share of all attributed support: with one
// channel (the EU institutions), exactly.
func channelLines(in BuiltinInput, from, to coalition.Month, types []string, inRows map[string]bool) []ChannelLine {
	out := []ChannelLine{}
	given := sumSupport(in.Support, from, to)
	via := sumSupport(in.Attributed, from, to)
	var allVia, toRows float64
	for iso, byType := range via {
		for _, t := range types {
			allVia += byType[t]
			if inRows[iso] {
				toRows += byType[t]
			}
		}
	}
	var allGiven float64
	lines := make([]ChannelLine, len(in.Channels))
	for i, c := range in.Channels {
		lines[i] = ChannelLine{Donor: c.Donor, Name: c.Name}
		for _, t := range types {
			lines[i].ActualEUR += given[c.Donor][t]
		}
		allGiven += lines[i].ActualEUR
	}
	for _, l := range lines {
		if allGiven > 0 && allVia > 0 {
			l.AttributedEUR = toRows * l.ActualEUR / allGiven
		}
		out = append(out, l)
	}
	return out
}

// NATO40bnBaseline is the Washington 2024 summit pledge: a minimum baseline
// of €40bn a year of security assistance for Ukraine.
const NATO40bnBaseline = 40e9

// NATO40bn is the built-in "nato-40bn" scenario: €40bn a year shared by GDP
// among NATO allies, Hungary exempt; each ally's fair share next to its
// actual military allocations in 2025 (the pledge is security assistance,
// so military aid is what counts).
func NATO40bn(in BuiltinInput) (BuiltinResult, error) {
	if err := in.validate(); err != nil {
		return BuiltinResult{}, err
	}
	from, to := coalition.MonthOf(2025, 1), coalition.MonthOf(2025, 12)
	actual := sumSupport(in.Support, from, to)
	var allies []CountryData
	var weights, caps []float64
	var gdpSum float64
	for _, c := range in.Countries {
		if c.in("NATO") && c.ISO3 != "HUN" && c.GDPUSD > 0 {
			allies = append(allies, c)
			weights = append(weights, c.GDPUSD/in.USDPerEUR)
			caps = append(caps, math.Inf(1))
			gdpSum += c.GDPUSD / in.USDPerEUR
		}
	}
	fair := WaterFill(NATO40bnBaseline, weights, caps)
	res := BuiltinResult{
		Name:        "nato-40bn",
		Description: "Washington 2024: €40bn a year of security assistance shared by GDP among NATO allies (Hungary exempt); fair share next to actual military allocations in 2025 (Kiel).",
		From:        from, To: to, USDPerEUR: in.USDPerEUR,
	}
	viaActual := sumSupport(in.Attributed, from, to)
	inRows := map[string]bool{}
	for i, c := range allies {
		inRows[c.ISO3] = true
		own, via := actual[c.ISO3][TypeMilitary], viaActual[c.ISO3][TypeMilitary]
		row := FairVsActual{ISO3: c.ISO3, Name: c.Name, GDPEUR: weights[i], WeightShare: weights[i] / gdpSum,
			FairShareEUR: fair[i], ExtraEUR: fair[i], ExtraPctGDP: fair[i] / weights[i] * 100, PlanEUR: fair[i],
			ActualEUR: own + via, ActualOwnEUR: own, ActualChannelsEUR: via, ByCategory: map[string]float64{TypeMilitary: fair[i]}}
		row.DifferenceEUR = row.ActualEUR - row.PlanEUR
		row.Verdict = verdict(row.ActualEUR, row.PlanEUR)
		res.PlanEUR += row.PlanEUR
		res.ActualEUR += row.ActualEUR
		res.Rows = append(res.Rows, row)
	}
	sortRows(res.Rows)
	res.Channels = channelLines(in, from, to, []string{TypeMilitary}, inRows)
	return res, nil
}

func sortRows(rows []FairVsActual) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].PlanEUR != rows[j].PlanEUR {
			return rows[i].PlanEUR > rows[j].PlanEUR
		}
		return rows[i].ISO3 < rows[j].ISO3
	})
}
