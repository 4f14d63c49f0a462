package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"coalition"
	"coalition/analysis/risk"
	"coalition/report"
)

// Bounds of the risk page's runs. The page runs fewer trials than the API's
// default so that it renders quickly; the form asks for more.
const (
	pageRiskTrials    = 5_000
	pageMaxRiskTrials = 100_000
	pageMaxHorizon    = 120
)

// riskQuery is the risk page's form.
type riskQuery struct {
	Coalition string
	Start     coalition.Month // 0: the month after the last month of support
	Horizon   int
	Trials    int
	Seed      uint64
}

func riskParams(r *http.Request) (riskQuery, error) {
	p := params{r: r}
	q := defaultRiskQuery(report.DefaultCoalition)
	if c := strings.ToUpper(p.str("coalition")); c != "" {
		q.Coalition = c
	}
	q.Start = p.month("start")
	q.Horizon = int(p.int64("horizon", int64(q.Horizon), 1, pageMaxHorizon))
	q.Trials = int(p.int64("trials", int64(q.Trials), 1, pageMaxRiskTrials))
	q.Seed = uint64(p.int64("seed", int64(q.Seed), 0, 1<<53))
	return q, p.err
}

func (q riskQuery) encode() string {
	v := url.Values{}
	v.Set("coalition", q.Coalition)
	if q.Start != 0 {
		v.Set("start", q.Start.String())
	}
	if q.Horizon != 0 {
		v.Set("horizon", strconv.Itoa(q.Horizon))
	}
	v.Set("trials", strconv.Itoa(q.Trials))
	v.Set("seed", strconv.FormatUint(q.Seed, 10))
	return "?" + v.Encode()
}

// fanData is a fan chart: the covered share's p05–p95 band and median per month.
type fanData struct {
	X    []string  `json:"x"`
	P05  []float64 `json:"p05"`
	P50  []float64 `json:"p50"`
	P95  []float64 `json:"p95"`
	Mean []float64 `json:"mean"`
	Unit string    `json:"unit"`
}

// riskEventRow is one risk event the run used.
type riskEventRow struct {
	ISO3, Country, Label, Source string
	Month                        coalition.Month
	When                         string // the month, the window drawn from, and "date unknown" where it is
	Probability, Factor          float64
}

// eventWhen says when an event falls as the model draws it.
func eventWhen(e risk.Event) string {
	if e.Earliest == nil {
		return e.Month.String()
	}
	w := fmt.Sprintf("%s..%s (drawn in each trial)", *e.Earliest, *e.Latest)
	if e.DateUnknown {
		w += ", date unknown"
	}
	return w
}

// riskView is a run as the page shows it.
type riskView struct {
	Input     *report.RiskInput
	Result    risk.Result
	Fan       chart
	Members   chart
	Events    []riskEventRow
	Sources   []string
	AsOf      coalition.Date
	Threshold float64
	Start     coalition.Month
	End       coalition.Month
}

// riskRun builds the coalition's model from the store (report.RiskModel)
// and runs it (risk.Run) with the query's trials and seed.
func (s *server) riskRun(ctx context.Context, q riskQuery) (*riskView, error) {
	type run struct {
		in  *report.RiskInput
		res risk.Result
	}
	key := fmt.Sprintf("risk/%s/%s/%d/%d/%d", q.Coalition, q.Start, q.Horizon, q.Trials, q.Seed)
	got, err := cached(ctx, s, key, func() (run, error) {
		seed := q.Seed
		in, err := report.RiskModel(ctx, s.store, q.Coalition, q.Start, q.Horizon, report.RiskOptions{Trials: q.Trials, Seed: &seed})
		if err != nil {
			return run{}, err
		}
		res, err := runRiskModel(ctx, s.metrics, in.Model) // shares the API's limit on runs at once
		return run{in, res}, err
	})
	if err != nil {
		return nil, err
	}
	in, res := got.in, got.res
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
	v := &riskView{Input: in, Result: res, Threshold: in.Model.ShortfallThreshold, Start: in.Model.Start, End: in.Model.Start.Add(in.Model.Months - 1)}
	v.Sources, _ = reportSources(in.Sources)
	// The data's date is the model's (report.RiskInput.AsOf): the latest
	// as-of of its sources other than risk events, whose dates lie ahead
	// (issue 21: the page said "Data as of 2028-11-07", an election's date).
	v.AsOf = in.AsOf
	// The charts cite everything but the events, which the events table
	// lists with their sources; the page lists all of them once.
	var chartSrcs []report.Source
	for _, src := range in.Sources {
		if !strings.HasPrefix(src.Figure, "risk event ") {
			chartSrcs = append(chartSrcs, src)
		}
	}
	cited, _ := reportSources(chartSrcs)
	if len(chartSrcs) < len(in.Sources) {
		cited = append(cited, "risk events: see the table of risk events used, below")
	}
	qs := q.encode()

	v.Fan = chart{ID: "risk-fan", Title: "Covered share of the requirement per month: 5th, 50th and 95th percentile", Kind: "fan",
		CSV: "/csv/risk-fan" + qs, Sources: cited, AsOf: v.AsOf,
		Note: fmt.Sprintf("Over %d trials (seed %d): in 90%% of them the covered share lies inside the band; the line is the median. Covered share = delivered ÷ required in the month.", res.Trials, res.Seed)}
	fd := fanData{Unit: "%", X: []string{}}
	v.Fan.Table = dataTable{ID: v.Fan.ID + "-table", Caption: "Covered share per month over the trials (%)", Columns: []column{
		{Label: "Month", Name: "month"}, {Label: "5th percentile", Name: "p05_pct", Num: true}, {Label: "Median", Name: "p50_pct", Num: true},
		{Label: "95th percentile", Name: "p95_pct", Num: true}, {Label: "Mean", Name: "mean_pct", Num: true},
	}}
	pc := func(x float64) cell { return cell{Text: fmt.Sprintf("%.1f%%", x), Raw: raw(x), Num: true} }
	for _, m := range res.Months {
		p05, p50, p95, mean := 100*m.P05, 100*m.P50, 100*m.P95, 100*m.Mean
		fd.X = append(fd.X, m.Month.String())
		fd.P05, fd.P50, fd.P95, fd.Mean = append(fd.P05, p05), append(fd.P50, p50), append(fd.P95, p95), append(fd.Mean, mean)
		v.Fan.Table.Rows = append(v.Fan.Table.Rows, []cell{textCell(m.Month.String()), pc(p05), pc(p50), pc(p95), pc(mean)})
	}
	v.Fan.Data = fd
	if len(res.Months) == 0 {
		v.Fan.Empty = "The run has no months: choose a horizon of at least one month."
	}

	v.Members = chart{ID: "risk-members", Title: "Which member's risk matters most", Kind: "bar", CSV: "/csv/risk-members" + qs,
		Sources: cited, AsOf: v.AsOf, Open: true,
		Note: fmt.Sprintf("Attribution: the expected shortfall minus the expected shortfall with the member's events switched off, on the same random draws (EUR over the horizon); 0 for a member without events or support. All events together: %s; of that, %s comes from events of several members coinciding (the total minus the sum of attributions). %.1f%% of the modelled support carries no risk event in the horizon.",
			eur(res.EventsEffect), eur(res.Interaction), 100*res.SupportWithoutEventsShare)}
	bd := barData{Unit: "EUR", Labels: []string{}, Series: []series{{Name: "Attribution", Values: []float64{}}}}
	v.Members.Table = dataTable{ID: v.Members.ID + "-table", Caption: "Members' risk over the horizon", Columns: []column{
		{Label: "Member", Name: "member"}, {Label: "ISO3", Name: "iso3"}, {Label: "P(some event)", Name: "p_event", Num: true},
		{Label: "Attribution", Name: "attribution_eur", Num: true}, {Label: "Support in the horizon", Name: "support_eur", Num: true},
		{Label: "Support from", Name: "support_basis"}, {Label: "Events", Name: "events", Num: true},
	}}
	info := map[string]report.RiskMember{}
	for _, m := range in.Members {
		info[m.ISO3] = m
	}
	for _, m := range res.Members {
		mi := info[m.ISO3]
		att := cell{Text: "–", Num: true}
		if m.Attribution != nil {
			att = eurCell(*m.Attribution)
			bd.Labels = append(bd.Labels, name(m.ISO3))
			bd.Series[0].Values = append(bd.Series[0].Values, *m.Attribution)
		}
		v.Members.Table.Rows = append(v.Members.Table.Rows, []cell{
			linkCell(name(m.ISO3), "/countries/"+m.ISO3), textCell(m.ISO3),
			{Text: fmt.Sprintf("%.0f%%", 100*m.PEvent), Raw: raw(m.PEvent), Num: true}, att,
			eurCell(mi.SupportEUR), textCell(mi.SupportBasis), intCell(len(mi.Events)),
		})
	}
	v.Members.Data = bd
	if len(bd.Labels) == 0 {
		v.Members.Empty = "No member has a risk event in the horizon, so no member's risk can be told apart. Load the elections calendar (coalition seed) or record risk events (POST /api/v1/risk-events), or lengthen the horizon."
	}

	for _, m := range in.Model.Members {
		for _, e := range m.Events {
			v.Events = append(v.Events, riskEventRow{ISO3: m.ISO3, Country: name(m.ISO3), Label: e.Label, Source: e.Source,
				Month: e.Month, When: eventWhen(e), Probability: e.Probability, Factor: e.Factor})
		}
	}
	return v, nil
}

type riskData struct {
	page
	Query      riskQuery
	Coalitions []option
	MaxTrials  int
	MaxHorizon int
	Run        *riskView
	Empty      string // nothing to run; says what to do
}

// riskPage runs the political-risk Monte Carlo of a coalition.
func (s *server) riskPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, qerr := riskParams(r)
	d := riskData{page: s.newPage("Risk", "risk"), Query: q, MaxTrials: pageMaxRiskTrials, MaxHorizon: pageMaxHorizon}
	coals, err := s.store.FindCoalitions(ctx)
	if err != nil {
		return err
	}
	for _, c := range coals {
		d.Coalitions = append(d.Coalitions, option{c.Code, c.Name, c.Code == q.Coalition})
	}
	status := http.StatusOK
	if len(coals) == 0 {
		d.Empty = "No coalition is recorded yet, so there is nothing to simulate. Load the reference data with `coalition seed` (it holds the 2025 coalition of the willing and the elections calendar), or create a coalition through the API."
		return s.render(w, status, "risk.html", d)
	}
	if qerr != nil {
		d.Problem, status = coalition.ErrorMessage(qerr), http.StatusBadRequest
		return s.render(w, status, "risk.html", d)
	}
	run, err := s.riskRun(ctx, q)
	if k := coalition.ErrorKind(err); k == coalition.Invalid || k == coalition.NotFound {
		d.Problem, status = coalition.ErrorMessage(err), statusOf[k]
	} else if err != nil {
		return err
	}
	d.Run = run
	return s.render(w, status, "risk.html", d)
}
