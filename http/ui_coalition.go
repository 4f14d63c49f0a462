package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"coalition"
	"coalition/report"
)

// findCoalition accepts a numeric id or a code (COW2025), as the API does.
func (s *server) findCoalition(ctx context.Context, v string) (*coalition.Coalition, error) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return s.store.FindCoalition(ctx, id)
	}
	return s.store.FindCoalitionByCode(ctx, v)
}

// pipelineColumn is one status of the membership pipeline with its members.
type pipelineColumn struct {
	Status  string
	Label   string
	Members []memberCard
}

type memberCard struct {
	ISO3, Name, Note string
	Since            coalition.Date
}

func pipeline(c *coalition.Coalition, names map[string]string) (board, off []pipelineColumn) {
	by := map[coalition.MembershipStatus][]memberCard{}
	for _, m := range c.Members {
		name := names[m.ISO3]
		if name == "" {
			name = m.ISO3
		}
		by[m.Status] = append(by[m.Status], memberCard{ISO3: m.ISO3, Name: name, Note: m.Note, Since: m.Since})
	}
	for _, cards := range by {
		sort.Slice(cards, func(i, j int) bool { return cards[i].Name < cards[j].Name })
	}
	for _, st := range coalition.MembershipStatuses {
		col := pipelineColumn{Status: string(st), Label: typeTitle(string(st)), Members: by[st]}
		if st == coalition.Suspended || st == coalition.Withdrawn {
			if len(col.Members) > 0 {
				off = append(off, col)
			}
			continue
		}
		board = append(board, col)
	}
	return board, off
}

func typeTitle(s string) string { return funcs["title"].(func(string) string)(s) }

// heatData is a category × month heat map of covered shares (0–100).
type heatData struct {
	X     []string     `json:"x"`
	Y     []string     `json:"y"`
	Cells [][3]float64 `json:"cells"` // x index, y index, covered %
	Unit  string       `json:"unit"`
}

// coverageOptions reads the coverage question of a page or CSV request:
// from, to, counts and need, the parameters of GET /api/v1/coverage.
func coverageOptions(r *http.Request) (report.CoverageOptions, error) {
	p := params{r: r}
	opt := report.CoverageOptions{From: p.month("from"), To: p.month("to"), Counts: p.str("counts"), Need: p.str("need")}
	return opt, p.err
}

// coverageQuery is the query string of a coalition's coverage downloads.
func coverageQuery(c *coalition.Coalition, opt report.CoverageOptions) string {
	q := url.Values{"id": {strconv.FormatInt(c.ID, 10)}}
	if opt.From != 0 {
		q.Set("from", opt.From.String())
	}
	if opt.To != 0 {
		q.Set("to", opt.To.String())
	}
	if opt.Counts != "" {
		q.Set("counts", opt.Counts)
	}
	if opt.Need != "" {
		q.Set("need", opt.Need)
	}
	return q.Encode()
}

// coverageChart is the coverage heat map of the coalition (report.Coverage,
// as the CLI and the API compute it).
func (s *server) coverageChart(ctx context.Context, c *coalition.Coalition, opt report.CoverageOptions) (chart, error) {
	ch, _, err := s.coverageCharts(ctx, c, opt)
	return ch, err
}

// coverageCharts is the coverage heat map and the gap chart drawn from the
// same coverage: required against covered per month, all categories together.
func (s *server) coverageCharts(ctx context.Context, c *coalition.Coalition, opt report.CoverageOptions) (chart, chart, error) {
	gap := chart{ID: "coalition-gap", Title: "Required against covered per month", Kind: "gap",
		CSV:  "/csv/coalition-gap?" + coverageQuery(c, opt),
		Note: "Covered = required − gap in each category and month, added up over the categories: a surplus in one category fills no other category's gap."}
	ch, res, err := s.coverage(ctx, c, opt)
	if err != nil || ch.Empty != "" {
		gap.Empty = ch.Empty
		return ch, gap, err
	}
	gap.Sources, gap.AsOf = ch.Sources, ch.AsOf
	gap.Note += fmt.Sprintf(" Monthly gap over the period (the sum of the gap bars): %s; net gap (need minus support over the whole period, per category): %s.",
		eur(res.MonthlyGapEUR), eur(res.NetGapEUR))
	x := monthsBetween(res.Result.From, res.Result.To)
	d := gapData{X: x, Required: make([]float64, len(x)), Covered: make([]float64, len(x)), Gap: make([]float64, len(x))}
	for _, cc := range res.Result.Cells {
		if !res.required[cc.Category] || cc.Month < res.Result.From || cc.Month > res.Result.To {
			continue
		}
		i := cc.Month - res.Result.From
		d.Required[i] += cc.Required
		d.Gap[i] += cc.Gap
		d.Covered[i] += cc.Required - cc.Gap
	}
	gap.Table = dataTable{ID: gap.ID + "-table", Caption: "Required, covered and gap per month, all categories (EUR)", Columns: []column{
		{Label: "Month", Name: "month"}, {Label: "Required", Name: "required_eur", Num: true},
		{Label: "Covered", Name: "covered_eur", Num: true}, {Label: "Gap", Name: "gap_eur", Num: true},
		{Label: "Covered share", Name: "covered_pct", Num: true},
	}}
	for i, m := range x {
		share := 100.0
		if d.Required[i] > 0 {
			share = 100 * d.Covered[i] / d.Required[i]
		}
		gap.Table.Rows = append(gap.Table.Rows, []cell{textCell(m), eurCell(d.Required[i]), eurCell(d.Covered[i]), eurCell(d.Gap[i]),
			{Text: fmt.Sprintf("%.0f%%", share), Raw: raw(share), Num: true}})
	}
	gap.Data = d
	return ch, gap, nil
}

// gapData is required against covered per month.
type gapData struct {
	X        []string  `json:"x"`
	Required []float64 `json:"required"`
	Covered  []float64 `json:"covered"`
	Gap      []float64 `json:"gap"`
}

// coverageResult is the coverage behind the heat map, with the categories
// that something is required in.
type coverageResult struct {
	*report.CoverageReport
	required map[string]bool
}

// coverage builds the heat map and returns the coverage it is drawn from.
func (s *server) coverage(ctx context.Context, c *coalition.Coalition, opt report.CoverageOptions) (chart, *coverageResult, error) {
	ch := chart{ID: "coalition-coverage", Title: "Requirement coverage by category and month", Kind: "heat",
		CSV: "/csv/coalition-coverage?" + coverageQuery(c, opt)}
	rep, err := report.Coverage(ctx, s.store, c.Code, opt)
	if coalition.ErrorKind(err) == coalition.NotFound {
		ch.Empty = "Nothing to compare: " + coalition.ErrorMessage(err) + "."
		return ch, nil, nil
	}
	if err != nil {
		return ch, nil, err
	}
	ch.Note = fmt.Sprintf("Covered share = pledged ÷ required in each cell (at most 100%%). Need: %s. Pledged: %s.", rep.RequirementBasis, rep.SupportBasis) + unitsNote(rep)
	for _, src := range rep.Sources {
		label := src.Figure + ": " + src.Source
		if src.AsOf != "" {
			label += " (as of " + src.AsOf + ")"
			if d, err := coalition.ParseDate(src.AsOf); err == nil && d.After(ch.AsOf) {
				ch.AsOf = d
			}
		}
		ch.Sources = addSource(ch.Sources, label)
	}
	res := rep.Result
	from, to := res.From, res.To
	required := map[string]bool{}
	for _, cat := range res.Categories {
		if cat.Required > 0 {
			required[cat.Category] = true
		}
	}
	d := heatData{X: monthsBetween(from, to), Unit: "%", Cells: [][3]float64{}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Required, pledged and covered share per category and month", Columns: []column{
		{Label: "Category", Name: "category"}, {Label: "Month", Name: "month"},
		{Label: "Required", Name: "required_eur", Num: true}, {Label: "Pledged", Name: "pledged_eur", Num: true},
		{Label: "Gap", Name: "gap_eur", Num: true}, {Label: "Covered", Name: "covered_pct", Num: true},
	}}
	y := map[string]int{}
	for _, cc := range res.Cells {
		if !required[cc.Category] {
			continue // pledges in categories nobody asked for
		}
		k, ok := y[cc.Category]
		if !ok {
			k = len(d.Y)
			y[cc.Category] = k
			label := cc.Category
			if cat, ok := coalition.CategoryByCode(cc.Category); ok {
				label = cat.Label
			}
			d.Y = append(d.Y, label)
		}
		covered := cc.CoveredShare * 100
		d.Cells = append(d.Cells, [3]float64{float64(cc.Month - from), float64(k), covered})
		ch.Table.Rows = append(ch.Table.Rows, []cell{
			textCell(d.Y[k]), textCell(cc.Month.String()), eurCell(cc.Required), eurCell(cc.Pledged),
			eurCell(cc.Gap), {Text: fmt.Sprintf("%.0f%%", covered), Raw: raw(covered), Num: true},
		})
	}
	ch.Data = d
	return ch, &coverageResult{rep, required}, nil
}

type coalitionData struct {
	page
	Coalition *coalition.Coalition
	Recipient string
	Leads     []memberCard
	Board     []pipelineColumn
	Off       []pipelineColumn
	Joined    int
	Coverage  chart
	Gap       chart
	Counts    string // whose pledges the coverage counts (report.CountsAll, report.CountsMembers, report.CountsMembersChannels)
	// Requirements are the coalition's, as the reader may see them; Add
	// is the form that adds one, nil for readers who may not (the store
	// refuses them anyway).
	Requirements []requirementRow
	Add          *requirementEditData
	// Home is the headline, recent records and risk summary.
	Home *coalitionHome
}

// coalitionPage is one coalition: leads, the membership pipeline and requirement coverage.
func (s *server) coalitionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.findCoalition(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return err
	}
	d := coalitionData{page: s.newPage(c.Name, "coalitions"), Coalition: c, Recipient: names[c.Recipient]}
	if d.Recipient == "" {
		d.Recipient = c.Recipient
	}
	for _, l := range c.Leads {
		d.Leads = append(d.Leads, memberCard{ISO3: l, Name: names[l]})
	}
	d.Board, d.Off = pipeline(c, names)
	d.Joined = len(c.JoinedMembers())
	opt, err := coverageOptions(r)
	if err != nil {
		return err
	}
	d.Counts = opt.Counts
	if d.Counts == "" {
		d.Counts = report.DefaultCounts
	}
	if d.Coverage, d.Gap, err = s.coverageCharts(ctx, c, opt); err != nil {
		return err
	}
	if d.Requirements, err = s.requirementRows(ctx, c); err != nil {
		return err
	}
	if d.Home, err = s.coalitionHomeView(ctx, c, names); err != nil {
		return err
	}
	if coalition.CanManageCoalition(coalition.UserFrom(ctx), &c.ID) {
		d.Add = &requirementEditData{Coalition: c, Form: blankRequirementForm(c), Categories: coalition.Categories, Visibility: requirementVisibilities}
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.render(w, http.StatusOK, "coalition.html", d)
}

type coalitionsData struct {
	page
	Coalitions []*coalition.Coalition
}

// coalitionsPage lists the coalitions.
func (s *server) coalitionsPage(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.store.FindCoalitions(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "coalitions.html", coalitionsData{page: s.newPage("Coalitions", "coalitions"), Coalitions: cs})
}

// unitsNote says, after the heat map's note, what the requirements stated
// in units of a catalogued system are covered in units (the same figures
// as units in GET /api/v1/coverage and coalition coverage); "" when none.
func unitsNote(rep *report.CoverageReport) string {
	var b strings.Builder
	for _, u := range rep.Units {
		fmt.Fprintf(&b, " In units, %s (%s) %s..%s: required %s, pledged %s, delivered %s, gap %s (%.0f%% covered).", u.System, u.Unit, u.From, u.To,
			coalition.FormatNumber(u.RequiredUnits, 0), coalition.FormatNumber(u.PledgedUnits, 0), coalition.FormatNumber(u.DeliveredUnits, 0),
			coalition.FormatNumber(u.GapUnits, 0), 100*u.CoveredShare)
	}
	if n := len(rep.UnitsUnmatched); n > 0 {
		fmt.Fprintf(&b, " %d requirement(s) with a quantity name no catalogued system in that unit: counted in euros only.", n)
	}
	return b.String()
}
