package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis/risk"
)

// Defaults of a risk model built from a stored coalition. All of them are
// user assumptions, documented in docs/risk-model.md.
const (
	DefaultRiskHorizon = 36      // months
	MaxRiskHorizon     = 12 * 50 // as the other reports
	DefaultRiskTrials  = 20_000
	// DefaultRiskCorrelation is ρ, the weight of the common factor that
	// makes elections across members go the same way.
	DefaultRiskCorrelation = 0.3
	// DefaultShortfallShare sets the shortfall threshold at this share of
	// the total requirement over the horizon.
	DefaultShortfallShare = 0.05
	// BaselineMonths is the number of months of recorded allocations whose
	// average is the support of a member without pledges in the horizon.
	BaselineMonths = 12
)

// DefaultReliability is every member's delivery reliability: Beta(9, 1),
// mean 0.9 (as in the model's example in issue 4).
var DefaultReliability = risk.Reliability{Alpha: 9, Beta: 1}

// RiskCategories are the model's categories: the support types of the
// taxonomy (pledges and requirements are filed under their type).
// Reconstruction is added only when a stored requirement asks for it.
var RiskCategories = []string{string(coalition.Military), string(coalition.Financial), string(coalition.Humanitarian)}

// RiskOptions are the assumptions of a model that the store does not hold.
// Zero fields take the defaults above.
type RiskOptions struct {
	Trials             int
	Seed               *uint64  // nil: risk.DefaultSeed
	Correlation        *float64 // nil: DefaultRiskCorrelation
	ShortfallThreshold *float64 // nil: DefaultShortfallShare of the total requirement
	// Reliability is every member's reliability; nil: DefaultReliability.
	Reliability *risk.Reliability
	// ExactReliability leaves reliability out (every member delivers
	// exactly its support, apart from its events).
	ExactReliability bool
}

// RiskInput is a risk model built from a stored coalition, with where every
// figure came from. Model is what `coalition risk --input` accepts.
type RiskInput struct {
	Coalition        string `json:"coalition"`
	Recipient        string `json:"recipient"`
	RequirementBasis string `json:"requirement_basis"`
	// RequirementMonthly is the baseline need per type (without stored
	// requirements).
	RequirementMonthly map[string]float64 `json:"requirement_monthly,omitempty"`
	Members            []RiskMember       `json:"members"`
	Notes              []string           `json:"notes"`
	Model              risk.Model         `json:"model"`
	Sources            []Source           `json:"sources"`
}

// RiskMember says where one member's inputs came from.
type RiskMember struct {
	ISO3 string `json:"iso3"`
	// Why it is in the model: "joined" (a joined member of the coalition)
	// or "united-states" (added as in issue 4 when not a member).
	Role string `json:"role"`
	// SupportBasis is "pledges" (its visible pledges over their delivery
	// windows) or "baseline" (its average monthly allocations of the last
	// BaselineMonths months of data, kept up through the horizon).
	SupportBasis string  `json:"support_basis"`
	SupportEUR   float64 `json:"support_eur"` // over the horizon, all categories
	Events       []int64 `json:"events"`      // ids of its stored risk events in the horizon
}

// RiskModel builds the political-risk model of coalitionCode (default
// COW2025) over horizon months from start, from what the user in ctx may see:
//
//   - members: the coalition's joined members plus the United States (not
//     the recipient);
//   - support per member, category and month: its visible, not cancelled
//     pledges to the recipient spread evenly over their delivery windows;
//     a member without any such pledge meeting the horizon gets its average
//     monthly allocations of the last BaselineMonths months of data instead
//     (said in Notes);
//   - requirements: the coalition's stored requirements visible to the user,
//     or the 2022–2024 baseline that Coverage uses;
//   - events: the stored risk events of the members dated in the horizon, as
//     users edited them;
//   - reliability, correlation and shortfall threshold: opts or the defaults.
//
// A zero start is the month after the last month of visible support;
// horizon 0 is DefaultRiskHorizon.
func RiskModel(ctx context.Context, s coalition.Store, coalitionCode string, start coalition.Month, horizon int, opts RiskOptions) (*RiskInput, error) {
	if horizon == 0 {
		horizon = DefaultRiskHorizon
	}
	if horizon < 1 || horizon > MaxRiskHorizon {
		return nil, coalition.FieldError("horizon", "want 1 to %d months, got %d", MaxRiskHorizon, horizon)
	}
	if opts.Trials == 0 {
		opts.Trials = DefaultRiskTrials
	}
	if opts.Trials < 0 || opts.Trials > risk.MaxTrials {
		return nil, coalition.FieldError("trials", "want 1 to %d trials, got %d", risk.MaxTrials, opts.Trials)
	}
	coal, err := findCoalition(ctx, s, coalitionCode)
	if err != nil {
		return nil, err
	}
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	var last coalition.Month
	for _, d := range sup {
		last = max(last, d.Month)
	}
	if start == 0 {
		if last == 0 {
			return nil, coalition.FieldError("start", "no support is recorded: give the first month")
		}
		start = last.Add(1)
	}
	end := start.Add(horizon - 1)
	in := &RiskInput{Coalition: coal.Code, Recipient: coal.Recipient, Members: []RiskMember{}, Notes: []string{}}
	if last != 0 && start <= last {
		in.Notes = append(in.Notes, fmt.Sprintf("The horizon starts in %s, before the last month of recorded support (%s): a member with recorded allocations in the horizon is modelled by its pledges alone, with nothing after them.", start, last))
	}

	// Members.
	members := []string{}
	role := map[string]string{}
	for _, iso := range coal.JoinedMembers() {
		if iso != coal.Recipient && role[iso] == "" {
			members = append(members, iso)
			role[iso] = "joined"
		}
	}
	in.Sources = append(in.Sources, membersSource(coal))
	if role["USA"] == "" && coal.Recipient != "USA" {
		members = append(members, "USA")
		role["USA"] = "united-states"
		in.Notes = append(in.Notes, fmt.Sprintf("The United States is not a joined member of %s; it is in the model as a donor whose support may waver.", coal.Code))
	}

	// Requirements, per support type and month.
	req, err := loadRequirement(ctx, s, coal, start, end)
	if err != nil {
		return nil, err
	}
	in.RequirementBasis, in.RequirementMonthly = req.basis, req.monthly
	cats := slices.Clone(RiskCategories)
	reqs := map[string][]float64{}
	for _, n := range req.needs {
		t := supportType(n.Category)
		if t == "" {
			continue
		}
		if !slices.Contains(cats, t) {
			cats = append(cats, t)
		}
		if reqs[t] == nil {
			reqs[t] = make([]float64, horizon)
		}
		reqs[t][n.Month-start] += n.Amount
	}
	in.Sources = append(in.Sources, req.sources...)
	if req.monthly != nil {
		base, err := supportSources(ctx, s)
		if err != nil {
			return nil, err
		}
		for i := range base {
			base[i].Figure = fmt.Sprintf("requirement (%s..%s support)", BaselineFrom, BaselineTo)
		}
		in.Sources = append(in.Sources, base...)
	}
	// Summed in the order of cats, never of the map: the same inputs give
	// the same bits (the default shortfall threshold is a share of it).
	var total float64
	for _, c := range cats {
		for _, v := range reqs[c] {
			total += v
		}
	}
	if total == 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("Nothing is required in %s..%s (%s): no shortfall is possible.", start, end, req.basis))
	}

	// Support from visible pledges.
	support := map[string]map[string][]float64{}
	add := func(iso, cat string, t int, v float64) {
		if support[iso] == nil {
			support[iso] = map[string][]float64{}
		}
		if support[iso][cat] == nil {
			support[iso][cat] = make([]float64, horizon)
		}
		support[iso][cat][t] += v
	}
	pledgeSrc := map[string]coalition.Date{}
	skipped := map[string]float64{} // support types not in the model
	after := int64(0)
	for {
		page, more, err := s.FindPledges(ctx, coalition.PledgeFilter{Recipient: coal.Recipient, After: after, Limit: coalition.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			if p.Status == coalition.Cancelled || role[p.Donor] == "" {
				continue
			}
			wf, wt := p.Window()
			if wt < start || wf > end {
				continue
			}
			t := supportType(p.Category)
			perMonth := p.EUR() / float64(wt-wf+1)
			for m := max(wf, start); m <= min(wt, end); m++ {
				if !slices.Contains(cats, t) {
					skipped[t] += perMonth
					continue
				}
				add(p.Donor, t, int(m-start), perMonth)
			}
			if d, ok := pledgeSrc[p.Source]; !ok || p.AsOf.After(d) {
				pledgeSrc[p.Source] = p.AsOf
			}
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
	}
	for _, src := range sortedKeys(pledgeSrc) {
		s := Source{Figure: "support (pledges)", Source: src}
		if d := pledgeSrc[src]; !d.IsZero() {
			s.AsOf = d.String()
		}
		in.Sources = append(in.Sources, s)
	}
	for _, t := range sortedKeys(skipped) {
		in.Notes = append(in.Notes, fmt.Sprintf("Pledged %s support (%.0f EUR in the horizon) is left out: the requirements name no %s need.", t, skipped[t], t))
	}

	// Baseline for members without pledges in the horizon.
	var baseline []string
	if last != 0 {
		bFrom := last.Add(1 - BaselineMonths)
		avg := map[string]map[string]float64{}
		for _, d := range sup {
			if d.Month < bFrom || d.Month > last || role[d.ISO3] == "" || support[d.ISO3] != nil {
				continue
			}
			if avg[d.ISO3] == nil {
				avg[d.ISO3] = map[string]float64{}
			}
			avg[d.ISO3][string(d.Type)] += d.EUR / BaselineMonths
		}
		for _, iso := range members {
			if support[iso] != nil {
				continue
			}
			baseline = append(baseline, iso)
			for _, t := range sortedKeys(avg[iso]) {
				if !slices.Contains(cats, t) || avg[iso][t] == 0 {
					continue
				}
				for m := range horizon {
					add(iso, t, m, avg[iso][t])
				}
			}
		}
		if len(baseline) > 0 {
			in.Notes = append(in.Notes, fmt.Sprintf("No visible pledge of %s to %s has a delivery window in %s..%s: their support is their average monthly allocations of %s..%s (the last %d months of data), per type, kept up through the horizon.",
				strings.Join(baseline, ", "), coal.Recipient, start, end, bFrom, last, BaselineMonths))
			srcs, err := supportSources(ctx, s)
			if err != nil {
				return nil, err
			}
			for i := range srcs {
				srcs[i].Figure = fmt.Sprintf("support (baseline %s..%s)", bFrom, last)
			}
			in.Sources = append(in.Sources, srcs...)
		}
	}

	// Risk events in the horizon.
	evs, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{From: start.FirstDay(), To: lastDay(end)})
	if err != nil {
		return nil, err
	}
	events := map[string][]risk.Event{}
	eventIDs := map[string][]int64{}
	nEvents := 0
	for _, r := range evs {
		if role[r.ISO3] == "" {
			continue
		}
		nEvents++
		events[r.ISO3] = append(events[r.ISO3], risk.Event{Month: r.Date.Month(), Probability: r.Probability, Factor: r.Factor,
			Label: fmt.Sprintf("%s [risk event %d, version %d]", r.Label, r.ID, r.Version), Source: r.Source})
		eventIDs[r.ISO3] = append(eventIDs[r.ISO3], r.ID)
		in.Sources = append(in.Sources,
			Source{Figure: fmt.Sprintf("risk event %d (%s %s %s): date", r.ID, r.ISO3, r.Kind, r.Date), Source: r.Source, AsOf: r.Date.String()},
			Source{Figure: fmt.Sprintf("risk event %d: probability %g, factor %g (version %d)", r.ID, r.Probability, r.Factor, r.Version), Source: r.Assumption})
	}
	if nEvents == 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("No stored risk event of these members falls in %s..%s (run `coalition seed` to load the bundled elections calendar).", start, end))
	} else {
		in.Notes = append(in.Notes, fmt.Sprintf("%d stored risk events of these members fall in %s..%s; their probabilities and factors are user assumptions, editable (PATCH /api/v1/risk-events/{id}).", nEvents, start, end))
	}

	// The model.
	m := risk.Model{Start: start, Months: horizon, Categories: cats, Requirements: map[string]risk.Series{},
		Correlation: DefaultRiskCorrelation, Trials: opts.Trials, Seed: risk.DefaultSeed}
	for _, c := range cats {
		if r := reqs[c]; r != nil {
			m.Requirements[c] = compact(r)
		}
	}
	if opts.Seed != nil {
		m.Seed = *opts.Seed
	}
	if opts.Correlation != nil {
		m.Correlation = *opts.Correlation
	} else {
		in.Sources = append(in.Sources, Source{Figure: "correlation", Source: fmt.Sprintf("default user assumption ρ = %g (docs/risk-model.md)", DefaultRiskCorrelation)})
	}
	if opts.ShortfallThreshold != nil {
		m.ShortfallThreshold = *opts.ShortfallThreshold
	} else {
		m.ShortfallThreshold = DefaultShortfallShare * total
		in.Sources = append(in.Sources, Source{Figure: "shortfall_threshold",
			Source: fmt.Sprintf("default: %g%% of the total requirement over the horizon (%.0f EUR)", 100*DefaultShortfallShare, total)})
	}
	var rel *risk.Reliability
	switch {
	case opts.ExactReliability:
		in.Notes = append(in.Notes, "Reliability is left out: every member delivers exactly its support, apart from its risk events.")
	case opts.Reliability != nil:
		r := *opts.Reliability
		rel = &r
	default:
		r := DefaultReliability
		rel = &r
		in.Sources = append(in.Sources, Source{Figure: "reliability", Source: fmt.Sprintf("default user assumption: every member delivers a share Beta(%g, %g) of its support, mean %g (docs/risk-model.md)",
			r.Alpha, r.Beta, r.Alpha/(r.Alpha+r.Beta))})
	}
	for _, iso := range members {
		mem := risk.Member{ISO3: iso, Support: map[string]risk.Series{}, Reliability: rel, Events: events[iso]}
		if mem.Events == nil {
			mem.Events = []risk.Event{}
		}
		rm := RiskMember{ISO3: iso, Role: role[iso], SupportBasis: "pledges", Events: eventIDs[iso]}
		if slices.Contains(baseline, iso) {
			rm.SupportBasis = "baseline"
		}
		if rm.Events == nil {
			rm.Events = []int64{}
		}
		for _, c := range cats {
			if v := support[iso][c]; v != nil {
				mem.Support[c] = compact(v)
				for _, x := range v {
					rm.SupportEUR += x
				}
			}
		}
		m.Members = append(m.Members, mem)
		in.Members = append(in.Members, rm)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	in.Model = m
	return in, nil
}

// RiskReport is a risk model built from a stored coalition and its result.
type RiskReport struct {
	*RiskInput
	Result risk.Result `json:"result"`
}

// RunRisk builds the model of RiskModel and runs it; run's Workers and
// Progress apply, and ctx cancels the run.
func RunRisk(ctx context.Context, s coalition.Store, coalitionCode string, start coalition.Month, horizon int, opts RiskOptions, run risk.Options) (*RiskReport, error) {
	in, err := RiskModel(ctx, s, coalitionCode, start, horizon, opts)
	if err != nil {
		return nil, err
	}
	res, err := risk.Run(ctx, in.Model, run)
	if err != nil {
		return nil, err
	}
	return &RiskReport{RiskInput: in, Result: res}, nil
}

// supportType is the support type of a category code ("" if unknown).
func supportType(cat string) string {
	c, ok := coalition.CategoryByCode(cat)
	if !ok {
		return ""
	}
	return string(c.Type)
}

// compact is v as one number when every month has the same value.
func compact(v []float64) risk.Series {
	for _, x := range v[1:] {
		if x != v[0] {
			return risk.PerMonth(v...)
		}
	}
	return risk.Const(v[0])
}

// lastDay is the last day of month m.
func lastDay(m coalition.Month) coalition.Date {
	return coalition.DateOf(m.Add(1).FirstDay().Time().AddDate(0, 0, -1))
}
