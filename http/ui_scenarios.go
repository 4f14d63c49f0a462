package http

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

// scenarioQuery is the what-if builder's form, read from the query string:
// the result page's URL is the shareable URL that reproduces it.
type scenarioQuery struct {
	Builtin    string   // replace-us, nato-40bn; when set, the rest is ignored
	Run        bool     // the form was submitted
	Withdraw   []string // ISO3 codes
	From       coalition.Month
	Fraction   float64 // (0, 1]
	Categories []string
	Key        string
	Group      string
	Coalition  string
	CapPctGDP  float64
	CapText    string // as typed; "" means no cap
	// CapDefence caps each ask at this share of the member's defence
	// spending (0: none); Capability applies the capability limits.
	CapDefence float64
	Capability bool
}

// Defaults of the builder: the replace-us assumptions.
var (
	defaultWithdrawFrom = coalition.MonthOf(2025, 2)
	scenarioKeys        = []option{{analysis.KeyGDP, "GDP", false}, {analysis.KeyPopulation, "Population", false}, {analysis.KeyDefence, "Defence budget", false}, {analysis.KeyEqual, "Equal shares", false}}
)

// scenarioParams reads the builder's query string. Unknown countries and
// categories are found by report.RunScenario, which names the field.
func scenarioParams(r *http.Request) (scenarioQuery, error) {
	p := params{r: r}
	q := scenarioQuery{Key: analysis.KeyGDP, Coalition: report.DefaultCoalition, From: defaultWithdrawFrom, Fraction: 1, CapPctGDP: 0.5, CapText: "0.5"}
	vals := r.URL.Query()
	q.Builtin = p.str("builtin")
	if q.Builtin != "" && !slices.Contains(analysis.BuiltinNames, q.Builtin) {
		p.fail("builtin", "%q is not a built-in scenario (want %s)", q.Builtin, strings.Join(analysis.BuiltinNames, " or "))
	}
	q.Run = vals.Has("run") || vals.Has("withdraw")
	for _, v := range vals["withdraw"] {
		for _, iso := range strings.Split(v, ",") {
			if iso = strings.ToUpper(strings.TrimSpace(iso)); iso != "" && !slices.Contains(q.Withdraw, iso) {
				q.Withdraw = append(q.Withdraw, iso)
			}
		}
	}
	if !q.Run {
		q.Withdraw = []string{"USA"} // the form's default
	}
	if m := p.month("from"); m != 0 {
		q.From = m
	}
	if s := p.str("fraction"); s != "" {
		q.Fraction = p.float("fraction", 1)
		if p.err == nil && (q.Fraction <= 0 || q.Fraction > 1) {
			p.fail("fraction", "%q: want a share above 0 and at most 1 (0.5 is half)", s)
		}
	}
	for _, v := range vals["categories"] {
		if v = strings.TrimSpace(v); v != "" {
			q.Categories = append(q.Categories, v)
		}
	}
	if k := strings.ToLower(p.str("key")); k != "" {
		ok := false
		for _, o := range scenarioKeys {
			ok = ok || o.Value == k
		}
		if !ok {
			p.fail("key", "%q is not one of gdp, population, defence, equal", k)
		}
		q.Key = k
	}
	q.Group = strings.ToUpper(p.str("group"))
	if c := strings.ToUpper(p.str("coalition")); c != "" {
		q.Coalition = c
	}
	if vals.Has("cap") {
		q.CapText = p.str("cap")
		q.CapPctGDP = 0
		if q.CapText != "" {
			q.CapPctGDP = p.float("cap", 0)
		}
	}
	q.CapDefence = p.float("defence_share", 0)
	q.Capability = p.str("capability_limits") == "1"
	return q, p.err
}

// spec is the query as a report.ScenarioSpec.
func (q scenarioQuery) spec() report.ScenarioSpec {
	return report.ScenarioSpec{
		Withdrawals: []analysis.Withdrawal{{Countries: q.Withdraw, From: q.From, Fraction: q.Fraction, Categories: q.Categories}},
		Key:         q.Key, Coalition: q.Coalition, Group: q.Group, CapPctGDP: q.CapPctGDP,
		CapDefenceShare: q.CapDefence, CapabilityLimits: q.Capability,
	}
}

// encode is the query as a query string (with its "?"), for CSV links.
func (q scenarioQuery) encode() string {
	v := url.Values{}
	if q.Builtin != "" {
		v.Set("builtin", q.Builtin)
		return "?" + v.Encode()
	}
	v["withdraw"] = q.Withdraw
	v.Set("from", q.From.String())
	v.Set("fraction", raw(q.Fraction))
	if len(q.Categories) > 0 {
		v["categories"] = q.Categories
	}
	v.Set("key", q.Key)
	if q.Group != "" {
		v.Set("group", q.Group)
	}
	v.Set("coalition", q.Coalition)
	v.Set("cap", q.CapText)
	if q.CapDefence > 0 {
		v.Set("defence_share", raw(q.CapDefence))
	}
	if q.Capability {
		v.Set("capability_limits", "1")
	}
	v.Set("run", "1")
	return "?" + v.Encode()
}

// planRow is one member's line of a burden-sharing plan.
type planRow struct {
	ISO3, Name  string
	FairShare   float64 // its share of the gap by the key, before caps
	Extra       float64 // what the plan asks of it, after caps
	ExtraPctGDP float64
	Existing    float64            // what it gives already (after the withdrawals)
	Plan        float64            // existing + extra
	Actual      float64            // allocations recorded in the same period
	ByCategory  map[string]float64 // what it is asked for in which category (built-in: the plan; else the extra)
}

// scenarioView is a scenario's result as the page shows it.
type scenarioView struct {
	Title       string
	Description string
	Headline    []figure
	Gap         chart // the new gap per month and category (custom, replace-us)
	Plan        chart // plan against actual per member
	Asks        chart // what each member is asked for per category (custom)
	Excluded    []string
	Notes       []string
	Sources     []string
	AsOf        coalition.Date
	Spec        report.ScenarioSpec // what ran, defaults filled in (custom only)
	ShowSpec    bool
}

// figure is one headline number.
type figure struct{ Value, Label string }

// scenarioResult runs q: a built-in scenario or the builder's spec.
func (s *server) scenarioResult(ctx context.Context, q scenarioQuery) (*scenarioView, error) {
	names, err := s.countryNames(ctx)
	if err != nil {
		return nil, err
	}
	name := func(iso string) string {
		if n := names[iso]; n != "" {
			return n
		}
		return iso
	}
	qs := q.encode()
	v := &scenarioView{}
	if q.Builtin != "" {
		rep, err := cached(ctx, s, "builtin/"+q.Builtin, func() (*report.BuiltinReport, error) { return report.BuiltinScenario(ctx, s.store, q.Builtin) })
		if err != nil {
			return nil, err
		}
		v.Title = "Built-in scenario: " + rep.Name
		v.Description = rep.Description
		v.Sources, v.AsOf = reportSources(rep.Sources)
		var rows []planRow
		for _, r := range rep.Rows {
			rows = append(rows, planRow{ISO3: r.ISO3, Name: r.Name, FairShare: r.FairShareEUR, Extra: r.ExtraEUR, ExtraPctGDP: r.ExtraPctGDP,
				Existing: r.BaselineEUR, Plan: r.PlanEUR, Actual: r.ActualEUR, ByCategory: r.ByCategory})
		}
		v.Headline = []figure{{eur(rep.PlanEUR), fmt.Sprintf("plan, %s to %s", rep.From, rep.To)}, {eur(rep.ActualEUR), "actually allocated by the same countries"},
			{eur(rep.Unfilled), "unfilled: nobody can cover it"}, {strconv.Itoa(len(rep.Rows)), "countries share the burden"}}
		if rep.Scenario != nil {
			v.Headline = append(scenarioFigures(rep.Scenario), v.Headline[:2]...)
			v.Gap = gapChart(rep.Scenario, qs, v.Sources, v.AsOf)
		}
		v.Plan = planChart(rows, qs, "Plan (fair share, plus the baseline it keeps giving) against actual allocations", v.Sources, v.AsOf)
		return v, nil
	}
	spec := q.spec()
	rep, err := report.RunScenario(ctx, s.store, spec)
	if err != nil {
		return nil, err
	}
	res := rep.Result
	v.Spec, v.ShowSpec = rep.Spec, true
	var who []string
	for _, iso := range q.Withdraw {
		who = append(who, name(iso))
	}
	how, its := "withdraws", "its"
	if len(who) > 1 {
		how, its = "withdraw", "their"
	}
	share := "entirely"
	if q.Fraction < 1 {
		share = fmt.Sprintf("%.0f%% of %s support", q.Fraction*100, its)
	}
	if len(q.Categories) > 0 {
		share += " in " + strings.Join(q.Categories, ", ")
	}
	v.Title = fmt.Sprintf("%s %s %s from %s", strings.Join(who, ", "), how, share, q.From)
	v.Description = fmt.Sprintf("Need: %s. Expected support: %s. The gap is shared by %s among %d countries%s.",
		rep.RequirementBasis, rep.SupportBasis, keyLabel(rep.Spec.Key), len(rep.Members), capText(rep.Spec.CapPctGDP))
	v.Sources, v.AsOf = reportSources(rep.Sources)
	for _, e := range rep.Excluded {
		v.Excluded = append(v.Excluded, name(e.ISO3)+" ("+e.Reason+")")
	}
	v.Headline = scenarioFigures(&res)
	// Plan against actual allocations: report.RunScenario computes it.
	var rows []planRow
	for _, r := range rep.Plan {
		rows = append(rows, planRow{ISO3: r.ISO3, Name: name(r.ISO3), FairShare: r.FairShareEUR, Extra: r.ExtraEUR, ExtraPctGDP: r.ExtraPctGDP,
			Existing: r.ExistingEUR, Plan: r.PlanEUR, Actual: r.ActualEUR, ByCategory: r.ExtraByCategory})
		if r.ActualAsOf.After(v.AsOf) {
			v.AsOf = r.ActualAsOf
		}
	}
	v.Gap = gapChart(&res, qs, v.Sources, v.AsOf)
	v.Plan = planChart(rows, qs, "Plan (what it gives after the withdrawals, plus its extra) against actual allocations in "+rep.Spec.Horizon.From.String()+".."+rep.Spec.Horizon.To.String(), v.Sources, v.AsOf)
	v.Plan.Note += " Actual: allocations recorded by the Kiel tracker (all types) in the same months; support basis of the plan: " + rep.SupportBasis + "."
	v.Asks = asksChart(rows, rep.Caps, qs, v.Sources, v.AsOf)
	return v, nil
}

func keyLabel(k string) string {
	for _, o := range scenarioKeys {
		if o.Value == k {
			return strings.ToLower(o.Label)
		}
	}
	return k
}

func capText(c float64) string {
	if c == 0 {
		return ", without a cap"
	}
	return fmt.Sprintf(", each capped at %g%% of its GDP a year", c)
}

// scenarioFigures are the headline numbers of a scenario result.
func scenarioFigures(res *analysis.ScenarioResult) []figure {
	var lost float64
	for _, l := range res.Lost {
		lost += l.Amount
	}
	return []figure{
		{eur(res.Before.Gap), "gap before the withdrawals"},
		{eur(lost), "support lost"},
		{eur(res.After.Total.Gap), "new gap"},
		{eur(res.Covered), "covered by the plan"},
		{eur(res.Unfilled), "unfilled: nobody can cover it"},
	}
}

// reportSources formats a report's sources for people, with the latest full date.
func reportSources(srcs []report.Source) ([]string, coalition.Date) {
	var out []string
	var asOf coalition.Date
	for _, s := range srcs {
		line := s.Figure + ": " + s.Source
		if s.AsOf != "" {
			line += " (as of " + s.AsOf + ")"
			if d, err := coalition.ParseDate(s.AsOf); err == nil && d.After(asOf) {
				asOf = d
			}
		}
		out = addSource(out, line)
	}
	return out, asOf
}

// gapChart is the gap after the withdrawals per month, stacked by category.
func gapChart(res *analysis.ScenarioResult, qs string, srcs []string, asOf coalition.Date) chart {
	ch := chart{ID: "scenario-gap", Title: "The new gap per month, by category", Kind: "stack", CSV: "/csv/scenario-gap" + qs,
		Sources: srcs, AsOf: asOf, Note: "Gap = required − expected support after the withdrawals, per month (a surplus in one month fills no other month's gap)."}
	after := res.After
	x := monthsBetween(after.From, after.To)
	var cats []string
	vals := map[string][]float64{}
	for _, c := range after.Cells {
		if c.Month < after.From || c.Month > after.To {
			continue
		}
		if vals[c.Category] == nil {
			vals[c.Category] = make([]float64, len(x))
			cats = append(cats, c.Category)
		}
		vals[c.Category][c.Month-after.From] += c.Gap
	}
	d := stackData{Unit: "EUR", X: x, Series: []series{}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Gap after the withdrawals per month and category (EUR)", Columns: []column{{Label: "Month", Name: "month"}}}
	var used []string
	for _, c := range cats {
		nonzero := false
		for _, v := range vals[c] {
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			continue
		}
		used = append(used, c)
		label := categoryLabel(c)
		d.Series = append(d.Series, series{label, vals[c]})
		ch.Table.Columns = append(ch.Table.Columns, column{Label: label, Name: c + "_gap_eur", Num: true})
	}
	ch.Table.Columns = append(ch.Table.Columns, column{Label: "Total", Name: "total_gap_eur", Num: true})
	for i, m := range x {
		row := []cell{textCell(m)}
		var sum float64
		for _, c := range used {
			row = append(row, eurCell(vals[c][i]))
			sum += vals[c][i]
		}
		ch.Table.Rows = append(ch.Table.Rows, append(row, eurCell(sum)))
	}
	ch.Data = d
	if len(used) == 0 {
		ch.Empty = "No gap is left after these withdrawals: the expected support covers every month's need. Withdraw more (another country, a larger share, an earlier month) to see a gap."
	}
	return ch
}

// byCategoryText is "Military €1.2 bn; Financial €0.3 bn", in category
// order; "–" when nothing is asked.
func byCategoryText(m map[string]float64) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(m)) {
		if m[c] != 0 {
			parts = append(parts, categoryLabel(c)+" "+eur(m[c]))
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, "; ")
}

// categoryLabel is a category's label, or the code.
func categoryLabel(code string) string {
	if c, ok := coalition.CategoryByCode(code); ok {
		return c.Label
	}
	return code
}

// planChart is each member's plan against its actual allocations.
func planChart(rows []planRow, qs, caption string, srcs []string, asOf coalition.Date) chart {
	ch := chart{ID: "scenario-plan", Title: "Burden-sharing plan: fair share and plan against actual", Kind: "bar", CSV: "/csv/scenario-plan" + qs,
		Sources: srcs, AsOf: asOf, Open: true,
		Note: "Fair share: the member's share of the gap by the key, before caps. Extra: what the plan asks after caps. Plan: what it gives already plus the extra."}
	d := barData{Unit: "EUR", Labels: []string{}, Series: []series{{Name: "Plan", Values: []float64{}}, {Name: "Actual", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: caption, Columns: []column{
		{Label: "Country", Name: "country"}, {Label: "ISO3", Name: "iso3"},
		{Label: "Fair share", Name: "fair_share_eur", Num: true}, {Label: "Extra (after caps)", Name: "extra_eur", Num: true},
		{Label: "Extra, % of GDP a year", Name: "extra_pct_gdp", Num: true}, {Label: "Gives already", Name: "existing_eur", Num: true},
		{Label: "Plan", Name: "plan_eur", Num: true}, {Label: "Actual", Name: "actual_eur", Num: true},
		{Label: "Actual − plan", Name: "difference_eur", Num: true},
		{Label: "Asked for, by category", Name: "by_category"},
	}}
	for _, r := range rows {
		d.Labels = append(d.Labels, r.Name)
		d.Series[0].Values = append(d.Series[0].Values, r.Plan)
		d.Series[1].Values = append(d.Series[1].Values, r.Actual)
		pct := r.ExtraPctGDP
		ch.Table.Rows = append(ch.Table.Rows, []cell{
			linkCell(r.Name, "/countries/"+r.ISO3), textCell(r.ISO3), eurCell(r.FairShare), eurCell(r.Extra),
			{Text: fmt.Sprintf("%.3f%%", pct), Raw: raw(pct), Num: true}, eurCell(r.Existing), eurCell(r.Plan), eurCell(r.Actual),
			eurCell(r.Actual - r.Plan), textCell(byCategoryText(r.ByCategory)),
		})
	}
	ch.Data = d
	if len(rows) == 0 {
		ch.Empty = "Nobody shares the gap: choose a group or coalition whose members have GDP figures (NATO, EU, G7, COW2025), or withdraw fewer of its members."
	}
	return ch
}

type scenariosData struct {
	page
	Query      scenarioQuery
	Countries  []option
	Categories []option
	Keys       []option
	Groups     []option
	Coalitions []option
	Builtins   []option
	Result     *scenarioView
	Capability *capabilityView
}

// scenariosPage is the what-if builder and, when submitted, its result.
func (s *server) scenariosPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, qerr := scenarioParams(r)
	d := scenariosData{page: s.newPage("Scenarios", "scenarios"), Query: q}
	if err := s.scenarioForm(ctx, &d); err != nil {
		return err
	}
	status := http.StatusOK
	switch {
	case qerr != nil:
		d.Problem, status = coalition.ErrorMessage(qerr), http.StatusBadRequest
	case q.Builtin != "" || q.Run:
		if q.Builtin == "" && len(q.Withdraw) == 0 {
			d.Problem, status = "Choose at least one country that withdraws (withdraw).", http.StatusBadRequest
			break
		}
		res, err := s.scenarioResult(ctx, q)
		if k := coalition.ErrorKind(err); k == coalition.Invalid || k == coalition.NotFound {
			d.Problem, status = coalition.ErrorMessage(err), statusOf[k]
			break
		}
		if err != nil {
			return err
		}
		d.Result = res
	}
	if who := capabilityWithdraw(q); qerr == nil && len(who) > 0 {
		cv, err := s.capabilitySection(ctx, who)
		switch k := coalition.ErrorKind(err); {
		case k == coalition.Invalid && d.Problem == "":
			d.Problem, status = coalition.ErrorMessage(err), statusOf[k]
		case k == coalition.Invalid:
		case err != nil:
			return err
		}
		d.Capability = cv
	}
	return s.render(w, status, "scenarios.html", d)
}

// scenarioForm fills the builder's choices, marking the query's.
func (s *server) scenarioForm(ctx context.Context, d *scenariosData) error {
	q := d.Query
	cs, err := s.store.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return err
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	for _, c := range cs {
		d.Countries = append(d.Countries, option{c.ISO3, c.Name, slices.Contains(q.Withdraw, c.ISO3)})
	}
	for _, c := range coalition.Categories {
		label := c.Label
		if string(c.Type) == c.Code {
			label += " (all)"
		}
		d.Categories = append(d.Categories, option{c.Code, label, slices.Contains(q.Categories, c.Code)})
	}
	for _, k := range scenarioKeys {
		d.Keys = append(d.Keys, option{k.Value, k.Label, k.Value == q.Key})
	}
	groups, err := s.store.FindGroups(ctx)
	if err != nil {
		return err
	}
	coals, err := s.store.FindCoalitions(ctx)
	if err != nil {
		return err
	}
	d.Groups = []option{{"", "The coalition's joined members", q.Group == ""}}
	for _, g := range groups {
		d.Groups = append(d.Groups, option{g.Code, g.Name, q.Group == g.Code})
	}
	for _, c := range coals {
		d.Groups = append(d.Groups, option{c.Code, c.Name, q.Group == c.Code})
		d.Coalitions = append(d.Coalitions, option{c.Code, c.Name, q.Coalition == c.Code})
	}
	for _, n := range analysis.BuiltinNames {
		d.Builtins = append(d.Builtins, option{n, builtinLabels[n], q.Builtin == n})
	}
	return nil
}

// builtinLabels name the built-in scenarios for people.
var builtinLabels = map[string]string{
	"replace-us": "Replace the United States: the coalition of the willing fills the gap from February 2025",
	"nato-40bn":  "NATO's €40 bn a year: the Washington 2024 pledge shared by GDP",
}
