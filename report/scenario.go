package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"coalition"
	"coalition/analysis"
)

// ScenarioSpec is a withdrawal scenario as users write it (JSON, the CLI's
// flags, the API's body). Zero fields take the defaults named on each.
type ScenarioSpec struct {
	Name        string                `json:"name,omitempty"`
	Withdrawals []analysis.Withdrawal `json:"withdrawals"`
	// Key is the burden-sharing key: gdp (default), population, defence,
	// equal, custom (Weights).
	Key string `json:"key,omitempty"`
	// Coalition's stored requirements are the need (default COW2025); without
	// any, the 2022–2024 average monthly support per type is.
	Coalition string `json:"coalition,omitempty"`
	// Group shares the gap: a group or coalition code; default the
	// coalition's joined members. The recipient, countries without GDP and
	// full withdrawers never share.
	Group string `json:"group,omitempty"`
	// CapPctGDP caps each member's extra per year at this % of its GDP.
	CapPctGDP float64 `json:"cap_pct_gdp,omitempty"`
	// Caps are absolute ceilings on a member's extra, EUR per year, by ISO3.
	Caps map[string]float64 `json:"caps,omitempty"`
	// CapHistory caps each member's extra per year at this multiple of its
	// best 12 consecutive months of support so far (the rule prospects' asks
	// use); 0: none. A member that never gave is then asked for nothing.
	CapHistory float64 `json:"cap_history,omitempty"`
	// CapDefenceShare caps each member's extra per year at this share
	// (0..1) of its defence spending (NATO 2025e, else the stored figure);
	// 0: none.
	CapDefenceShare float64 `json:"cap_defence_share,omitempty"`
	// CapabilityLimits applies the bundled capability limits (what a member
	// cannot supply by law or policy, e.g. Japan's limits on lethal aid)
	// as category caps.
	CapabilityLimits bool `json:"capability_limits,omitempty"`
	// CategoryCaps are what a member can supply per category, EUR per year.
	CategoryCaps map[string]map[string]float64 `json:"category_caps,omitempty"`
	// Weights are the custom key's weights by ISO3.
	Weights map[string]float64 `json:"weights,omitempty"`
	// Horizon is the period analysed; default the calendar year of the
	// earliest withdrawal.
	Horizon *Horizon `json:"horizon,omitempty"`
	// Payers are channels that pay part of the gap with a capacity of
	// their own before the members share the rest (scenario_payers.go).
	Payers []ChannelPayer `json:"payers,omitempty"`
	// Support is the expected support: "" (default) as RunScenario says,
	// or SupportPledges: the visible pledges to the recipient over their
	// delivery windows whatever the need's basis, as coverage counts them
	// (the brief's fair-share asks).
	Support string `json:"support,omitempty"`
}

// SupportPledges makes a scenario count only the recorded pledges as the
// expected support, as Coverage does, even where the need is the
// historical model.
const SupportPledges = "pledges"

// Horizon is a period of months, both ends inclusive.
type Horizon struct {
	From coalition.Month `json:"from"`
	To   coalition.Month `json:"to"`
}

// ParseScenarioSpec decodes a spec strictly (unknown fields are errors).
// Every error is Invalid.
func ParseScenarioSpec(data []byte) (ScenarioSpec, error) {
	var sp ScenarioSpec
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sp); err != nil {
		return ScenarioSpec{}, coalition.Errorf(coalition.Invalid, "scenario: %v", err)
	}
	if dec.More() {
		return ScenarioSpec{}, coalition.Errorf(coalition.Invalid, "scenario: more than one JSON value")
	}
	return sp, nil
}

// normalise upper-cases codes, fills defaults and checks the spec, naming
// the field of the first problem.
func (sp *ScenarioSpec) normalise() error {
	sp.normaliseCodes()
	if err := sp.normaliseWithdrawals(); err != nil {
		return err
	}
	if err := sp.normaliseHorizon(); err != nil {
		return err
	}
	if sp.Support = strings.ToLower(strings.TrimSpace(sp.Support)); sp.Support != "" && sp.Support != SupportPledges {
		return coalition.FieldError("support", "%q is not %q (or absent)", sp.Support, SupportPledges)
	}
	return sp.checkCapsAndWeights()
}

// normaliseCodes spells the coalition, group and key codes as stored, so
// that "cow2025 " finds COW2025, and fills the default coalition and key.
func (sp *ScenarioSpec) normaliseCodes() {
	sp.Coalition = strings.ToUpper(strings.TrimSpace(sp.Coalition))
	if sp.Coalition == "" {
		sp.Coalition = DefaultCoalition
	}
	sp.Group = strings.ToUpper(strings.TrimSpace(sp.Group))
	sp.Key = strings.ToLower(strings.TrimSpace(sp.Key))
	if sp.Key == "" {
		sp.Key = analysis.KeyGDP
	}
}

// normaliseWithdrawals upper-cases the withdrawals' countries and checks
// each withdrawal.
func (sp *ScenarioSpec) normaliseWithdrawals() error {
	if sp.Withdrawals == nil {
		sp.Withdrawals = []analysis.Withdrawal{}
	}
	for i := range sp.Withdrawals {
		if err := normaliseWithdrawal(&sp.Withdrawals[i], fmt.Sprintf("withdrawals[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

// normaliseWithdrawal upper-cases one withdrawal's countries and checks it
// at path f: countries and categories must be known codes, since a typo
// would silently withdraw nothing.
func normaliseWithdrawal(w *analysis.Withdrawal, f string) error {
	for j, c := range w.Countries {
		w.Countries[j] = strings.ToUpper(strings.TrimSpace(c))
		if !coalition.ValidISO3(w.Countries[j]) {
			return coalition.FieldError(fmt.Sprintf("%s.countries[%d]", f, j), "%q is not an ISO 3166-1 alpha-3 code", c)
		}
	}
	if w.From == 0 {
		return coalition.FieldError(f+".from", "is required (YYYY-MM)")
	}
	for j, c := range w.Categories {
		if _, ok := coalition.CategoryByCode(c); !ok {
			return coalition.FieldError(fmt.Sprintf("%s.categories[%d]", f, j), "%q is not a category (see /api/v1/categories)", c)
		}
	}
	return w.Validate(f)
}

// normaliseHorizon defaults the horizon to the calendar year of the earliest
// withdrawal and checks it.
func (sp *ScenarioSpec) normaliseHorizon() error {
	if sp.Horizon == nil {
		if len(sp.Withdrawals) == 0 {
			return coalition.FieldError("horizon", "give a horizon {from, to} or at least one withdrawal")
		}
		sp.Horizon = withdrawalYear(sp.Withdrawals)
	}
	switch {
	case sp.Horizon.From == 0:
		return coalition.FieldError("horizon.from", "is required (YYYY-MM)")
	case sp.Horizon.To == 0:
		return coalition.FieldError("horizon.to", "is required (YYYY-MM)")
	case sp.Horizon.To < sp.Horizon.From:
		return coalition.FieldError("horizon.to", "is before horizon.from")
	case sp.Horizon.To-sp.Horizon.From >= 12*50:
		return coalition.FieldError("horizon.to", "the horizon is longer than 50 years")
	}
	return nil
}

// withdrawalYear is the calendar year of the earliest withdrawal: the
// year a scenario without a horizon asks about.
func withdrawalYear(ws []analysis.Withdrawal) *Horizon {
	first := ws[0].From
	for _, w := range ws {
		first = min(first, w.From)
	}
	return &Horizon{From: coalition.MonthOf(first.Year(), time.January), To: coalition.MonthOf(first.Year(), time.December)}
}

// checkCapsAndWeights checks the caps and the key's weights, in the order
// of their keys.
func (sp *ScenarioSpec) checkCapsAndWeights() error {
	if math.IsNaN(sp.CapPctGDP) || sp.CapPctGDP < 0 || sp.CapPctGDP > 100 {
		return coalition.FieldError("cap_pct_gdp", "must be between 0 and 100 (got %g)", sp.CapPctGDP)
	}
	if !(sp.CapHistory >= 0) || math.IsInf(sp.CapHistory, 0) {
		return coalition.FieldError("cap_history", "must be a finite multiple >= 0 of the best 12 months (got %g)", sp.CapHistory)
	}
	if err := checkCapDefenceShare(sp.CapDefenceShare); err != nil {
		return err
	}
	if err := checkCapAmounts("caps.", sp.Caps); err != nil {
		return err
	}
	for _, iso := range sortedKeys(sp.CategoryCaps) {
		if err := checkCapAmounts("category_caps."+iso+".", sp.CategoryCaps[iso]); err != nil {
			return err
		}
	}
	for _, iso := range sortedKeys(sp.Weights) {
		if v := sp.Weights[iso]; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return coalition.FieldError("weights."+iso, "must be a non-negative number (got %g)", v)
		}
	}
	if sp.Key == analysis.KeyCustom && len(sp.Weights) == 0 {
		return coalition.FieldError("weights", "the custom key needs weights by ISO3")
	}
	return nil
}

// checkCapAmounts checks caps in EUR (infinite: no cap) in key order, so
// that the same spec always reports the same first problem.
func checkCapAmounts(prefix string, caps map[string]float64) error {
	for _, k := range sortedKeys(caps) {
		if v := caps[k]; math.IsNaN(v) || v < 0 {
			return coalition.FieldError(prefix+k, "must be a non-negative amount in EUR (got %g)", v)
		}
	}
	return nil
}

// Excluded is a country left out of the burden sharing, with the reason.
type Excluded struct {
	ISO3   string `json:"iso3"`
	Reason string `json:"reason"`
}

// ScenarioReport is a scenario's result on the store's data.
type ScenarioReport struct {
	Spec             ScenarioSpec `json:"spec"` // with the defaults filled in
	RequirementBasis string       `json:"requirement_basis"`
	// RequirementMonthly is the baseline need per type (without stored
	// requirements).
	RequirementMonthly map[string]float64 `json:"requirement_monthly,omitempty"`
	// SupportBasis says what the expected support (the flows) is.
	SupportBasis string                  `json:"support_basis"`
	Members      []string                `json:"members"` // who shares the gap
	Excluded     []Excluded              `json:"excluded"`
	GDPYear      int                     `json:"gdp_year"`
	USDPerEUR    float64                 `json:"usd_per_eur"`
	Result       analysis.ScenarioResult `json:"result"`
	// Plan is each sharing member's plan over the horizon against what it
	// actually allocated in the same months, largest plan first.
	Plan []PlanRow `json:"plan"`
	// Caps are the caps from data that bound the members' asks (defence
	// spending share, capability limits), each with its basis and source.
	Caps    []CapNote `json:"caps,omitempty"`
	Sources []Source  `json:"sources"`
}

// PlanRow is one member's plan in a scenario, summed over the horizon's
// years, next to its recorded allocations in the same months.
type PlanRow struct {
	ISO3         string  `json:"iso3"`
	FairShareEUR float64 `json:"fair_share_eur"` // its share of the gap by the key, before caps
	ExtraEUR     float64 `json:"extra_eur"`      // what the plan asks of it, after caps
	// ExtraByCategory is ExtraEUR per category over the horizon: what the
	// member is asked for in which category (sums to ExtraEUR).
	ExtraByCategory map[string]float64 `json:"extra_by_category"`
	ExtraPctGDP     float64            `json:"extra_pct_gdp"` // the yearly extra as % of GDP, averaged over the horizon's months
	ExistingEUR     float64            `json:"existing_eur"`  // what it gives already, after the withdrawals
	PlanEUR         float64            `json:"plan_eur"`      // existing + extra
	ActualEUR       float64            `json:"actual_eur"`    // allocations the user may see, all types, in the horizon
	ActualAsOf      coalition.Date     `json:"actual_as_of"`
}

// planVsActual sums each member's plan over the result's years and reads
// its visible allocations in the horizon (one query).
func planVsActual(ctx context.Context, s coalition.Store, rep *ScenarioReport) ([]PlanRow, error) {
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{Since: rep.Spec.Horizon.From, Until: rep.Spec.Horizon.To})
	if err != nil {
		return nil, err
	}
	rows := make([]PlanRow, len(rep.Members))
	byISO := map[string]*PlanRow{}
	for i, iso := range rep.Members {
		rows[i].ISO3, rows[i].ExtraByCategory = iso, map[string]float64{}
		byISO[iso] = &rows[i]
	}
	for _, t := range totals {
		if r := byISO[t.ISO3]; r != nil {
			r.ActualEUR, r.ActualAsOf = t.TotalEUR, t.AsOf
		}
	}
	addPlanYears(byISO, rep.Result.Years)
	for i := range rows {
		rows[i].PlanEUR = rows[i].ExistingEUR + rows[i].ExtraEUR
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].PlanEUR > rows[j].PlanEUR })
	return rows, nil
}

// addPlanYears sums the members' yearly plans over the horizon; the
// percentage of GDP is averaged by months, as a part year asks less.
func addPlanYears(byISO map[string]*PlanRow, years []analysis.ScenarioYear) {
	months := 0
	for _, y := range years {
		months += y.Months
	}
	for _, y := range years {
		for _, m := range y.Members {
			r := byISO[m.ISO3]
			if r == nil {
				continue
			}
			r.FairShareEUR += m.FairShare
			r.ExtraEUR += m.ExtraEUR
			for c, v := range m.ByCategory {
				r.ExtraByCategory[c] += v
			}
			r.ExistingEUR += m.ExistingEUR
			r.ExtraPctGDP += m.ExtraPctGDP * float64(y.Months) / float64(max(months, 1))
		}
	}
}

// RunScenario runs spec on what the user in ctx may see.
//
// Need: the coalition's stored requirements; without any, the average
// monthly support of all donors in 2022–2024 per type. Expected support:
// with stored requirements, the visible pledges to the coalition's recipient
// over their delivery windows; without, every donor's own 2022–2024 monthly
// average, kept up through the horizon (as in replace-us). A withdrawal
// category that is a support type ("military") covers all its categories.
func RunScenario(ctx context.Context, s coalition.Store, spec ScenarioSpec) (*ScenarioReport, error) {
	if err := spec.normalise(); err != nil {
		return nil, err
	}
	coal, err := findCoalition(ctx, s, spec.Coalition)
	if err != nil {
		return nil, err
	}
	byISO, err := countriesByISO(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := checkWithdrawnKnown(spec.Withdrawals, byISO); err != nil {
		return nil, err
	}
	best, dataFrom, err := bestYears(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := checkWithdrawalsPossible(spec.Withdrawals, coal, dataFrom); err != nil {
		return nil, err
	}
	from, to := spec.Horizon.From, spec.Horizon.To
	req, err := loadRequirement(ctx, s, coal, from, to)
	if err != nil {
		return nil, err
	}
	rep := &ScenarioReport{Spec: spec, RequirementBasis: req.basis, RequirementMonthly: req.monthly, Members: []string{}, Excluded: []Excluded{}}
	flows, err := expectedFlows(ctx, s, coal, req, rep)
	if err != nil {
		return nil, err
	}
	withdrawals, full := scenarioWithdrawals(spec.Withdrawals)

	// Who shares the gap.
	candidates, err := sharerCandidates(ctx, s, coal, spec.Group)
	if err != nil {
		return nil, err
	}
	fx := newFX(s)
	members, used, err := scenarioMembers(ctx, fx, rep, candidates, byISO, full, coal.Recipient, req.cats)
	if err != nil {
		return nil, err
	}
	capByHistory(members, spec.CapHistory, best)
	if err := checkCapsShare(spec.Caps, rep.Members); err != nil {
		return nil, err
	}
	rep.GDPYear = refYear(used)
	if rep.GDPYear != 0 {
		if rep.USDPerEUR, err = fx.usdPerEUR(ctx, rep.GDPYear); err != nil {
			return nil, err
		}
	}
	if err := scenarioDataCaps(members, byISO, req.cats, rep); err != nil {
		return nil, err
	}
	res, err := analysis.Scenario(analysis.ScenarioInput{
		Needs: req.needs, Flows: flows, Withdrawals: withdrawals, From: from, To: to,
		Members: members, Key: spec.Key, CapPctGDP: spec.CapPctGDP,
	})
	if err != nil {
		return nil, err
	}
	rep.Result = res
	if rep.Plan, err = planVsActual(ctx, s, rep); err != nil {
		return nil, err
	}
	if err := scenarioSources(ctx, s, coal, fx, used, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// checkWithdrawalsPossible refuses a withdrawal that cannot mean anything:
// by the coalition's recipient (it gives nothing to itself), or from a month
// before the data begins (there is no support to withdraw then).
func checkWithdrawalsPossible(ws []analysis.Withdrawal, coal *coalition.Coalition, dataFrom coalition.Month) error {
	for i, w := range ws {
		for j, c := range w.Countries {
			if c == coal.Recipient {
				return coalition.FieldError(fmt.Sprintf("withdrawals[%d].countries[%d]", i, j),
					"%s is the recipient of %s: it cannot withdraw support from itself", c, coal.Code)
			}
		}
		if dataFrom != 0 && w.From < dataFrom {
			return coalition.FieldError(fmt.Sprintf("withdrawals[%d].from", i),
				"%s is before the data begins (%s): there is no support to withdraw then", w.From, dataFrom)
		}
	}
	return nil
}

// capByHistory caps each member's extra per year at k × its best 12
// months of support (bestYears), on top of its other caps; k = 0: no cap.
func capByHistory(members []analysis.ScenarioMember, k float64, best map[string]float64) {
	if k <= 0 {
		return
	}
	for i := range members {
		c := k * best[members[i].ISO3]
		if members[i].CapEUR == nil || c < *members[i].CapEUR {
			members[i].CapEUR = &c
		}
	}
}

// countriesByISO is every visible country by ISO3.
func countriesByISO(ctx context.Context, s coalition.CountryStore) (map[string]*coalition.Country, error) {
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	byISO := map[string]*coalition.Country{}
	for _, c := range cs {
		byISO[c.ISO3] = c
	}
	return byISO, nil
}

// checkWithdrawnKnown refuses a withdrawal by a country the store does not
// know: it would withdraw nothing, and the user would not notice.
func checkWithdrawnKnown(ws []analysis.Withdrawal, byISO map[string]*coalition.Country) error {
	for i, w := range ws {
		for j, c := range w.Countries {
			if byISO[c] == nil {
				return coalition.FieldError(fmt.Sprintf("withdrawals[%d].countries[%d]", i, j), "%q is not a known country", c)
			}
		}
	}
	return nil
}

// checkCapsShare refuses a cap on a country that does not share the gap,
// which would otherwise be ignored without a word.
func checkCapsShare(caps map[string]float64, members []string) error {
	for _, iso := range sortedKeys(caps) {
		if !slices.Contains(members, iso) {
			return coalition.FieldError("caps."+iso, "%s does not share the gap in this scenario", iso)
		}
	}
	return nil
}

// scenarioSources appends the sources of the members' figures, the rates
// and the membership to rep's, after those of the need and support.
func scenarioSources(ctx context.Context, s coalition.Store, coal *coalition.Coalition, fx *fx, used []*coalition.Country, rep *ScenarioReport) error {
	rep.Sources = append(rep.Sources, countrySources(used, "gdp", fmt.Sprint(rep.GDPYear))...)
	rep.Sources = append(rep.Sources, fx.sources()...)
	src, err := sharersSource(ctx, s, coal, rep.Spec.Group)
	if err != nil {
		return err
	}
	rep.Sources = append(rep.Sources, src)
	return nil
}

// scenarioFlows is the expected support over rep's horizon: the visible
// pledges with stored requirements, every donor's own baseline without. It
// sets rep.SupportBasis and appends the sources to rep.
func scenarioFlows(ctx context.Context, s coalition.Store, coal *coalition.Coalition, req *requirement, rep *ScenarioReport) ([]analysis.Flow, error) {
	from, to := rep.Spec.Horizon.From, rep.Spec.Horizon.To
	if req.monthly == nil || rep.Spec.Support == SupportPledges {
		flows, srcs, err := pledgeFlows(ctx, s, coal.Recipient, from, to, req.cats, nil)
		if err != nil {
			return nil, err
		}
		rep.SupportBasis = fmt.Sprintf("visible pledges to %s (not cancelled) spread over their delivery windows", coal.Recipient)
		rep.Sources = append(rep.Sources, req.sources...)
		rep.Sources = append(rep.Sources, srcs...)
		return flows, nil
	}
	sup, err := monthlySupport(ctx, s)
	if err != nil {
		return nil, err
	}
	flows := baselineFlows(donorBaseline(sup), from, to)
	rep.SupportBasis = fmt.Sprintf("every donor keeps giving its own %s..%s monthly average per type", BaselineFrom, BaselineTo)
	srcs, err := supportSources(ctx, s)
	if err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, srcs...)
	return flows, nil
}

// baselineFlows are the donors' monthly averages per type kept up through
// from..to, one flow each, in donor and type order.
func baselineFlows(base map[string]map[string]float64, from, to coalition.Month) []analysis.Flow {
	var flows []analysis.Flow
	n := float64(to-from) + 1
	for _, iso := range sortedKeys(base) {
		for _, t := range sortedKeys(base[iso]) {
			if avg := base[iso][t]; avg > 0 {
				flows = append(flows, analysis.Flow{Donor: iso, Category: t, From: from, To: to, Amount: avg * n})
			}
		}
	}
	return flows
}

// scenarioWithdrawals expands each withdrawal's support types into their
// categories, and names the countries that withdraw entirely.
func scenarioWithdrawals(ws []analysis.Withdrawal) ([]analysis.Withdrawal, map[string]bool) {
	withdrawals := make([]analysis.Withdrawal, len(ws))
	full := map[string]bool{}
	for i, w := range ws {
		w.Categories = expandTypes(w.Categories)
		withdrawals[i] = w
		if withdrawsAll(w) {
			for _, c := range w.Countries {
				full[c] = true
			}
		}
	}
	return withdrawals, full
}

// withdrawsAll reports whether w withdraws all of its countries' support
// (every category, the whole amount): they then cannot share the gap.
func withdrawsAll(w analysis.Withdrawal) bool {
	return len(w.Categories) == 0 && (w.Fraction == 0 || w.Fraction == 1)
}

// sharerCandidates are the members of group, or the coalition's joined
// members without one.
func sharerCandidates(ctx context.Context, s coalition.Store, coal *coalition.Coalition, group string) ([]string, error) {
	if group == "" {
		return coal.JoinedMembers(), nil
	}
	gcs, err := s.FindCountries(ctx, coalition.CountryFilter{Group: group})
	if err != nil {
		return nil, err
	}
	var candidates []string
	for _, c := range gcs {
		candidates = append(candidates, c.ISO3)
	}
	return candidates, nil
}

// scenarioMembers keeps the candidates that can share the gap, recording
// each one left out in rep.Excluded and each one kept in rep.Members.
func scenarioMembers(ctx context.Context, fx *fx, rep *ScenarioReport, candidates []string, byISO map[string]*coalition.Country,
	full map[string]bool, recipient string, cats map[string]bool) ([]analysis.ScenarioMember, []*coalition.Country, error) {
	spec := &rep.Spec
	var members []analysis.ScenarioMember
	var used []*coalition.Country
	for _, iso := range candidates {
		c := byISO[iso]
		if reason := exclusion(c, iso, recipient, full); reason != "" {
			rep.Excluded = append(rep.Excluded, Excluded{iso, reason})
			continue
		}
		gdp, ok, err := fx.gdpEUR(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			rep.Excluded = append(rep.Excluded, Excluded{iso, "no GDP figure"})
			continue
		}
		members = append(members, scenarioMember(spec, c, gdp, cats))
		used = append(used, c)
		rep.Members = append(rep.Members, iso)
	}
	return members, used, nil
}

// exclusion is why candidate iso (country c) cannot share the gap, "" when
// it can, as far as is known before its GDP is looked up.
func exclusion(c *coalition.Country, iso, recipient string, full map[string]bool) string {
	switch {
	case c == nil:
		return "not a known country"
	case iso == recipient:
		return "the recipient"
	case full[iso]:
		return "withdraws entirely"
	}
	return ""
}

// scenarioMember is country c as a member sharing the gap under spec.
func scenarioMember(spec *ScenarioSpec, c *coalition.Country, gdp float64, cats map[string]bool) analysis.ScenarioMember {
	iso := c.ISO3
	m := analysis.ScenarioMember{ISO3: iso, GDPEUR: gdp, Weight: spec.Weights[iso], CategoryCaps: mappedCaps(spec.CategoryCaps[iso], cats)}
	if c.PopulationM != nil {
		m.Population = *c.PopulationM * 1e6
	}
	if c.DefencePctGDP != nil {
		m.DefenceEUR = *c.DefencePctGDP / 100 * gdp
	}
	if v, ok := spec.Caps[iso]; ok {
		m.CapEUR = &v
	}
	return m
}

// mappedCaps maps a member's category caps onto the needed categories, as
// the gap is counted in those (nil when it has none).
func mappedCaps(cc map[string]float64, cats map[string]bool) map[string]float64 {
	if len(cc) == 0 {
		return nil
	}
	out := map[string]float64{}
	for k, v := range cc {
		out[mapCategory(k, cats)] += v
	}
	return out
}

// expandTypes adds, for each bare support type in cats, every category of
// that type.
func expandTypes(cats []string) []string {
	if len(cats) == 0 {
		return nil
	}
	var out []string
	for _, c := range cats {
		out = appendNew(out, c)
		if cat, ok := coalition.CategoryByCode(c); ok && string(cat.Type) == c {
			out = appendNew(out, coalition.CategoriesOfType(cat.Type)...)
		}
	}
	return out
}

// appendNew appends the values not yet in out, keeping the first order.
func appendNew(out []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// sharersSource cites the membership of whoever shares the gap: the group
// or coalition named, else the coalition.
func sharersSource(ctx context.Context, s coalition.Store, coal *coalition.Coalition, group string) (Source, error) {
	if group == "" || group == coal.Code {
		return membersSource(coal), nil
	}
	gs, err := s.FindGroups(ctx)
	if err != nil {
		return Source{}, err
	}
	if src, ok := groupSource(gs, group); ok {
		return src, nil
	}
	c, err := s.FindCoalitionByCode(ctx, group)
	if err != nil {
		return Source{}, err
	}
	return membersSource(c), nil
}

// groupSource cites the membership of group when it is one of gs (a code
// may also name a coalition).
func groupSource(gs []*coalition.Group, group string) (Source, bool) {
	for _, g := range gs {
		if g.Code == group {
			return Source{Figure: "members", Source: g.Code + ": " + g.Source}, true
		}
	}
	return Source{}, false
}
