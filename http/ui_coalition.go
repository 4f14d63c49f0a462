package http

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"coalition"
	"coalition/analysis"
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

// coverageChart compares the coalition's requirements with the pledges of
// its joined members to its recipient, per category and month.
func (s *server) coverageChart(ctx context.Context, c *coalition.Coalition) (chart, error) {
	ch, _, err := s.coverageCharts(ctx, c)
	return ch, err
}

// coverageCharts is the coverage heat map and the gap chart drawn from the
// same coverage: required against covered per month, all categories together.
func (s *server) coverageCharts(ctx context.Context, c *coalition.Coalition) (chart, chart, error) {
	gap := chart{ID: "coalition-gap", Title: "Required against covered per month", Kind: "gap",
		CSV:  fmt.Sprintf("/csv/coalition-gap?id=%d", c.ID),
		Note: "Covered = required − gap in each category and month, added up over the categories: a surplus in one category fills no other category's gap."}
	ch, res, err := s.coverage(ctx, c)
	if err != nil || ch.Empty != "" {
		gap.Empty = ch.Empty
		return ch, gap, err
	}
	gap.Sources, gap.AsOf = ch.Sources, ch.AsOf
	x := monthsBetween(res.From, res.To)
	d := gapData{X: x, Required: make([]float64, len(x)), Covered: make([]float64, len(x)), Gap: make([]float64, len(x))}
	for _, cc := range res.Cells {
		if !res.required[cc.Category] || cc.Month < res.From || cc.Month > res.To {
			continue
		}
		i := cc.Month - res.From
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
	analysis.CoverageResult
	required map[string]bool
}

// coverage builds the heat map and returns the coverage it is drawn from.
func (s *server) coverage(ctx context.Context, c *coalition.Coalition) (chart, *coverageResult, error) {
	ch := chart{ID: "coalition-coverage", Title: "Requirement coverage by category and month", Kind: "heat",
		CSV:  fmt.Sprintf("/csv/coalition-coverage?id=%d", c.ID),
		Note: "Covered share = pledged ÷ required in each cell (at most 100%). Pledged: pledges of joined members to the recipient, spread evenly over their delivery window."}
	var reqs []*coalition.Requirement
	f := coalition.RequirementFilter{CoalitionID: &c.ID, Limit: coalition.MaxPageSize}
	for {
		items, more, err := s.store.FindRequirements(ctx, f)
		if err != nil {
			return ch, nil, err
		}
		reqs = append(reqs, items...)
		if !more || len(items) == 0 {
			break
		}
		f.After = items[len(items)-1].ID
	}
	if len(reqs) == 0 {
		ch.Empty = "No requirements are recorded for this coalition yet. Record what " + c.Recipient +
			" needs (a requirement per category, monthly amount and period); this heat map then shows how much of each need the members' pledges cover, month by month."
		return ch, nil, nil
	}
	var needs []analysis.Need
	var from, to coalition.Month
	for _, r := range reqs {
		if from == 0 || r.From < from {
			from = r.From
		}
		to = max(to, r.To)
		for m := r.From; m <= r.To; m++ {
			needs = append(needs, analysis.Need{Category: r.Category, Month: m, Amount: r.MonthlyEUR()})
		}
		ch.Sources = addSource(ch.Sources, r.Source)
	}
	joined := map[string]bool{}
	for _, iso := range c.JoinedMembers() {
		joined[iso] = true
	}
	var flows []analysis.Flow
	pf := coalition.PledgeFilter{Recipient: c.Recipient, Limit: coalition.MaxPageSize}
	for {
		items, more, err := s.store.FindPledges(ctx, pf)
		if err != nil {
			return ch, nil, err
		}
		for _, p := range items {
			if p.Status == coalition.Cancelled || !(joined[p.Donor] || (p.CoalitionID != nil && *p.CoalitionID == c.ID)) {
				continue
			}
			fl := analysis.Flow{Donor: p.Donor, Category: p.Category, From: p.DeliverFrom, To: p.DeliverTo, Amount: p.EUR()}
			if fl.From == 0 {
				fl.From = p.Announced.Month()
			}
			if fl.To == 0 {
				fl.To = fl.From
			}
			flows = append(flows, fl)
			for _, src := range splitSources(p.Source) {
				ch.Sources = addSource(ch.Sources, src)
			}
			if p.AsOf.After(ch.AsOf) {
				ch.AsOf = p.AsOf
			}
		}
		if !more || len(items) == 0 {
			break
		}
		pf.After = items[len(items)-1].ID
	}
	res := analysis.Coverage(needs, flows, from, to)
	required := map[string]bool{}
	for _, n := range needs {
		required[n.Category] = true
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
	return ch, &coverageResult{res, required}, nil
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
	if d.Coverage, d.Gap, err = s.coverageCharts(ctx, c); err != nil {
		return err
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
