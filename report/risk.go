package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/analysis/risk"
)

// Defaults of a risk model built from a stored coalition. All of them are
// user assumptions, documented in docs/risk-model.md.
const (
	DefaultRiskHorizon = 36      // months: the longest default horizon
	MinAutoRiskHorizon = 6       // months of stored requirements the default horizon needs
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
	// AsOf is the date of the data the model rests on: the latest as-of of
	// its sources other than risk events (whose dates lie ahead). Risk
	// events dated on or before it are held: their outcome, not a draw.
	AsOf coalition.Date `json:"as_of"`
}

// RiskMember says where one member's inputs came from.
type RiskMember struct {
	ISO3 string `json:"iso3"`
	// Why it is in the model: "joined" (a joined member of the coalition),
	// "united-states" (added as in issue 4 when not a member) or
	// "channel-contributor" (a contributor to a channel such as the EU
	// institutions, with only its part of the channel's support).
	Role string `json:"role"`
	// SupportBasis is "pledges" (its visible pledges over their delivery
	// windows), "baseline" (its average monthly allocations of the last
	// BaselineMonths months of data, kept up through the horizon) or
	// "channel" (only its part of channels' support).
	SupportBasis string  `json:"support_basis"`
	SupportEUR   float64 `json:"support_eur"` // over the horizon, all categories
	// ChannelEUR is the part of SupportEUR that is its share of channels'
	// support (the EU institutions').
	ChannelEUR float64 `json:"channel_eur"`
	Events     []int64 `json:"events"` // ids of its stored risk events in the horizon
}

// RiskModel builds the political-risk model of coalitionCode (default
// COW2025) over horizon months from start, from what the user in ctx may see:
//
//   - members: the coalition's joined members plus the United States (not
//     the recipient); a channel recorded under a donor code of its own (the
//     EU institutions) gets its support like a member, which is then
//     attributed to its contributors by their shares (risk_channels.go),
//     adding contributors that are not joined members with only their part;
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
// horizon 0 runs to the last month of the coalition's stored
// requirements, at most DefaultRiskHorizon months (riskHorizon).
func RiskModel(ctx context.Context, s coalition.Store, coalitionCode string, start coalition.Month, horizon int, opts RiskOptions) (*RiskInput, error) {
	horizon, opts, err := riskLimits(horizon, opts)
	if err != nil {
		return nil, err
	}
	coal, err := findCoalition(ctx, s, coalitionCode)
	if err != nil {
		return nil, err
	}
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	last, start, err := riskStart(sup, start)
	if err != nil {
		return nil, err
	}
	horizon, auto, err := riskHorizon(ctx, s, coal, start, horizon)
	if err != nil {
		return nil, err
	}
	b := &riskBuild{s: s, coal: coal, sup: sup, last: last, start: start, end: start.Add(horizon - 1), horizon: horizon,
		in:      &RiskInput{Coalition: coal.Code, Recipient: coal.Recipient, Members: []RiskMember{}, Notes: []string{}},
		role:    map[string]string{},
		reqs:    map[string][]float64{},
		support: map[string]map[string][]float64{}}
	if auto {
		b.note("Horizon %s..%s (%d months): by default the model runs to the last month of %s's stored requirements from %s, at most %d months, so that the need is the sourced one rather than the historical model; give a horizon to change it.", b.start, b.end, horizon, coal.Code, start, DefaultRiskHorizon)
	}
	if last != 0 && start <= last {
		b.note("The horizon starts in %s, before the last month of recorded support (%s): a member with recorded allocations in the horizon is modelled by its pledges alone, with nothing after them.", start, last)
	}
	b.addMembers()
	// The steps in order: each reads what the ones before it filled in.
	for _, step := range []func(context.Context) error{b.addChannels, b.addRequirements, b.addPledgeSupport, b.addBaselineSupport,
		b.attributeChannels, b.notePipeline, b.addEvents} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	m := b.model(opts)
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b.in.Model = m
	return b.in, nil
}

// riskLimits applies the defaults of horizon and trials and checks both
// before anything is read, so that a bad request costs nothing.
func riskLimits(horizon int, opts RiskOptions) (int, RiskOptions, error) {
	if horizon < 0 || horizon > MaxRiskHorizon {
		return 0, opts, coalition.FieldError("horizon", "want 1 to %d months, got %d", MaxRiskHorizon, horizon)
	}
	if opts.Trials == 0 {
		opts.Trials = DefaultRiskTrials
	}
	if opts.Trials < 0 || opts.Trials > risk.MaxTrials {
		return 0, opts, coalition.FieldError("trials", "want 1 to %d trials, got %d", risk.MaxTrials, opts.Trials)
	}
	return horizon, opts, nil
}

// riskHorizon is the horizon given, or by default (0) the months from start
// to the last month of c's stored requirements visible to the user, at most
// DefaultRiskHorizon; DefaultRiskHorizon when no stored requirement reaches
// MinAutoRiskHorizon months past start. auto says the default applied.
func riskHorizon(ctx context.Context, s coalition.Store, c *coalition.Coalition, start coalition.Month, horizon int) (int, bool, error) {
	if horizon != 0 {
		return horizon, false, nil
	}
	reqs, err := storedRequirements(ctx, s, c)
	if err != nil {
		return 0, false, err
	}
	var last coalition.Month
	for _, r := range reqs {
		last = max(last, r.To)
	}
	n := int(last-start) + 1
	if last == 0 || n < MinAutoRiskHorizon {
		return DefaultRiskHorizon, false, nil
	}
	return min(n, DefaultRiskHorizon), true, nil
}

// riskStart is the last month of recorded support and the horizon's
// first month: start, or by default the month after the last of the data,
// where the risk begins.
func riskStart(sup []coalition.DonorMonth, start coalition.Month) (last, first coalition.Month, err error) {
	for _, d := range sup {
		last = max(last, d.Month)
	}
	if start != 0 {
		return last, start, nil
	}
	if last == 0 {
		return 0, 0, coalition.FieldError("start", "no support is recorded: give the first month")
	}
	return last, last.Add(1), nil
}

// riskBuild is the state RiskModel's steps share, in the order they run:
// each step reads what the ones before it filled in and appends its notes
// and sources to in.
type riskBuild struct {
	s          coalition.Store
	coal       *coalition.Coalition
	sup        []coalition.DonorMonth // all visible monthly support
	last       coalition.Month        // the last month of sup (0: none)
	start, end coalition.Month
	horizon    int
	in         *RiskInput

	members []string          // in model order
	role    map[string]string // ISO3 → RiskMember.Role; "" for non-members
	cats    []string          // RiskCategories plus any a requirement asks for
	reqs    map[string][]float64
	total   float64 // the requirement over the horizon, summed in the order of cats
	// support is ISO3 → category → month offset → EUR.
	support  map[string]map[string][]float64
	baseline []string // members whose support is their baseline
	events   map[string][]risk.Event
	eventIDs map[string][]int64
	// channels are the channels recorded under a donor code of their own,
	// by that code; channelEUR is each member's part of their support over
	// the horizon (risk_channels.go).
	channels   map[string]*coalition.Channel
	channelEUR map[string]float64
}

func (b *riskBuild) note(format string, args ...any) {
	b.in.Notes = append(b.in.Notes, fmt.Sprintf(format, args...))
}

func (b *riskBuild) add(iso, cat string, t int, v float64) {
	if b.support[iso] == nil {
		b.support[iso] = map[string][]float64{}
	}
	if b.support[iso][cat] == nil {
		b.support[iso][cat] = make([]float64, b.horizon)
	}
	b.support[iso][cat][t] += v
}

// addMembers sets the members: the joined members, then the United States.
func (b *riskBuild) addMembers() {
	coal := b.coal
	for _, iso := range coal.JoinedMembers() {
		b.addMember(iso, "joined")
	}
	b.in.Sources = append(b.in.Sources, membersSource(coal))
	if b.addMember("USA", "united-states") {
		b.note("The United States is not a joined member of %s; it is in the model as a donor whose support may waver.", coal.Code)
	}
}

// addMember adds iso in role unless it is the recipient or already a
// member; it reports whether it did.
func (b *riskBuild) addMember(iso, role string) bool {
	if iso == b.coal.Recipient || b.role[iso] != "" {
		return false
	}
	b.members = append(b.members, iso)
	b.role[iso] = role
	return true
}

// addRequirements sets the requirements, per support type and month, and
// their total.
func (b *riskBuild) addRequirements(ctx context.Context) error {
	req, err := loadRequirement(ctx, b.s, b.coal, b.start, b.end)
	if err != nil {
		return err
	}
	in := b.in
	in.RequirementBasis, in.RequirementMonthly = req.basis, req.monthly
	b.cats = slices.Clone(RiskCategories)
	for _, n := range req.needs {
		b.addNeed(n)
	}
	in.Sources = append(in.Sources, req.sources...)
	if req.monthly != nil {
		base, err := b.supportSourcesAs(ctx, fmt.Sprintf("requirement (%s..%s support)", BaselineFrom, BaselineTo))
		if err != nil {
			return err
		}
		in.Sources = append(in.Sources, base...)
	}
	// Summed in the order of cats, never of the map: the same inputs give
	// the same bits (the default shortfall threshold is a share of it).
	for _, c := range b.cats {
		for _, v := range b.reqs[c] {
			b.total += v
		}
	}
	if b.total == 0 {
		b.note("Nothing is required in %s..%s (%s): no shortfall is possible.", b.start, b.end, req.basis)
	}
	return nil
}

// addNeed adds one month's need to its support type, which joins the
// model's categories; a category of no support type is not modelled.
func (b *riskBuild) addNeed(n analysis.Need) {
	t := supportType(n.Category)
	if t == "" {
		return
	}
	if !slices.Contains(b.cats, t) {
		b.cats = append(b.cats, t)
	}
	if b.reqs[t] == nil {
		b.reqs[t] = make([]float64, b.horizon)
	}
	b.reqs[t][n.Month-b.start] += n.Amount
}

// supportSourcesAs are the sources of the recorded support, cited as the
// given figure, since the support stands in for another figure here.
func (b *riskBuild) supportSourcesAs(ctx context.Context, figure string) ([]Source, error) {
	srcs, err := supportSources(ctx, b.s)
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		srcs[i].Figure = figure
	}
	return srcs, nil
}

// addPledgeSupport spreads the members' visible pledges over their delivery
// windows.
func (b *riskBuild) addPledgeSupport(ctx context.Context) error {
	pledgeSrc := map[string]coalition.Date{}
	skipped := map[string]float64{} // support types not in the model
	err := eachPledge(ctx, b.s, b.coal.Recipient, func(p *coalition.Pledge) {
		if p.Status == coalition.Cancelled || b.role[p.Donor] == "" {
			return
		}
		if b.addPledge(p, skipped) {
			latestAsOf(pledgeSrc, p)
		}
	})
	if err != nil {
		return err
	}
	b.in.Sources = append(b.in.Sources, datedSources("support (pledges)", pledgeSrc)...)
	for _, t := range sortedKeys(skipped) {
		b.note("Pledged %s support (%s in the horizon) is left out: the requirements name no %s need.", t, coalition.FormatEUR(skipped[t], 2), t)
	}
	return nil
}

// addPledge spreads one pledge evenly over its delivery window's months in
// the horizon; support of a type the model has no category for is summed
// in skipped, to be noted. It reports whether the window meets the horizon.
func (b *riskBuild) addPledge(p *coalition.Pledge, skipped map[string]float64) bool {
	wf, wt := p.Window()
	if wt < b.start || wf > b.end {
		return false
	}
	t := supportType(p.Category)
	perMonth := p.EUR() / float64(wt-wf+1)
	modelled := slices.Contains(b.cats, t)
	for m := max(wf, b.start); m <= min(wt, b.end); m++ {
		if !modelled {
			skipped[t] += perMonth
			continue
		}
		b.add(p.Donor, t, int(m-b.start), perMonth)
	}
	return true
}

// addBaselineSupport gives members without pledges in the horizon their
// average monthly allocations of the last BaselineMonths months of data.
func (b *riskBuild) addBaselineSupport(ctx context.Context) error {
	last := b.last
	if last == 0 {
		return nil
	}
	bFrom := last.Add(1 - BaselineMonths)
	avg := b.baselineAverages(bFrom)
	for _, iso := range b.members {
		if b.support[iso] == nil {
			b.baseline = append(b.baseline, iso)
			b.addBaseline(iso, avg[iso])
		}
	}
	if len(b.baseline) == 0 {
		return nil
	}
	b.note("No visible pledge of %s to %s has a delivery window in %s..%s: their support is their average monthly allocations of %s..%s (the last %d months of data), per type, kept up through the horizon.",
		strings.Join(b.baseline, ", "), b.coal.Recipient, b.start, b.end, bFrom, last, BaselineMonths)
	srcs, err := b.supportSourcesAs(ctx, fmt.Sprintf("support (baseline %s..%s)", bFrom, last))
	if err != nil {
		return err
	}
	b.in.Sources = append(b.in.Sources, srcs...)
	return nil
}

// baselineAverages are the average monthly allocations per type of the
// members without pledge support, over bFrom..b.last.
func (b *riskBuild) baselineAverages(bFrom coalition.Month) map[string]map[string]float64 {
	avg := map[string]map[string]float64{}
	for _, d := range b.sup {
		if d.Month < bFrom || d.Month > b.last || b.role[d.ISO3] == "" || b.support[d.ISO3] != nil {
			continue
		}
		if avg[d.ISO3] == nil {
			avg[d.ISO3] = map[string]float64{}
		}
		avg[d.ISO3][string(d.Type)] += d.EUR / BaselineMonths
	}
	return avg
}

// addBaseline keeps a member's average up through the horizon, for the
// types the model has.
func (b *riskBuild) addBaseline(iso string, avg map[string]float64) {
	for _, t := range sortedKeys(avg) {
		if !slices.Contains(b.cats, t) || avg[t] == 0 {
			continue
		}
		for m := range b.horizon {
			b.add(iso, t, m, avg[t])
		}
	}
}

// addEvents takes the members' stored risk events whose date or window
// meets the horizon. It runs last, so that the data's as-of is known.
func (b *riskBuild) addEvents(ctx context.Context) error {
	evs, err := b.s.FindRiskEvents(ctx, coalition.RiskEventFilter{})
	if err != nil {
		return err
	}
	b.in.AsOf = dataAsOf(b.in.Sources)
	b.events = map[string][]risk.Event{}
	b.eventIDs = map[string][]int64{}
	nEvents := 0
	var held, unknown []string
	from, to := b.start.FirstDay(), lastDay(b.end)
	for _, r := range evs {
		first, last := r.Date, r.Date
		if r.Earliest != nil {
			first, last = *r.Earliest, *r.Latest
		}
		if b.role[r.ISO3] == "" || last.Before(from) || first.After(to) {
			continue
		}
		nEvents++
		ev := b.addEvent(r)
		switch {
		case ev.held:
			held = append(held, ev.note)
		case r.DateUnknown:
			unknown = append(unknown, fmt.Sprintf("%s (risk event %d)", r.Label, r.ID))
		}
	}
	if len(held) > 0 {
		b.note("Held before the data's as-of %s, so no random draw: %s.", b.in.AsOf, strings.Join(held, "; "))
	}
	if len(unknown) > 0 {
		b.note("Date unknown (only the year is sourced; the month is drawn within the year in each trial): %s.", strings.Join(unknown, "; "))
	}
	if nEvents == 0 {
		b.note("No stored risk event of these members falls in %s..%s (run `coalition seed` to load the bundled elections calendar).", b.start, b.end)
	} else {
		b.note("%d stored risk events of these members fall in %s..%s; their probabilities and factors are user assumptions, editable (PATCH /api/v1/risk-events/{id}).", nEvents, b.start, b.end)
	}
	return nil
}

// addedEvent says how addEvent modelled a stored event.
type addedEvent struct {
	held bool
	note string // for a held event: its outcome as modelled
}

// addEvent adds one stored event to its member, labelled with its id and
// version so that a result can be traced to the assumption it used. A
// window becomes the months the model draws from. An event dated on or
// before the data's as-of is held: its outcome is what the store records
// (probability 1: it happened and cut support by its factor; 0: it did
// not), never a draw; a held event whose probability is neither records no
// outcome, and is modelled as without effect, said in the notes.
func (b *riskBuild) addEvent(r *coalition.RiskEvent) addedEvent {
	ev := risk.Event{Month: r.Date.Month(), Probability: r.Probability, Factor: r.Factor,
		Label: fmt.Sprintf("%s [risk event %d, version %d]", r.Label, r.ID, r.Version), Source: r.Source, DateUnknown: r.DateUnknown}
	var out addedEvent
	switch {
	case r.Earliest != nil && !b.in.AsOf.IsZero() && !r.Latest.After(b.in.AsOf):
		out.held = true // the whole window is past: it has been held, on a day the store does not record
		fallthrough
	case r.Earliest == nil && !b.in.AsOf.IsZero() && !r.Date.After(b.in.AsOf):
		out.held = true
		if r.Probability != 0 && r.Probability != 1 {
			ev.Probability = 0
			out.note = fmt.Sprintf("%s (risk event %d): outcome not recorded, modelled as without effect; record it with probability 1 (it cut support by its factor) or 0", r.Label, r.ID)
		} else {
			out.note = fmt.Sprintf("%s (risk event %d): recorded outcome, probability %g", r.Label, r.ID, r.Probability)
		}
		ev.Label += " (held)"
	case r.Earliest != nil:
		lo, hi := r.Earliest.Month(), r.Latest.Month()
		if !b.in.AsOf.IsZero() && lo <= b.in.AsOf.Month() {
			// not held by the as-of: it falls after it (in the as-of's own
			// month when the window ends there)
			lo = min(b.in.AsOf.Month()+1, hi)
		}
		ev.Earliest, ev.Latest = &lo, &hi
	}
	b.events[r.ISO3] = append(b.events[r.ISO3], ev)
	b.eventIDs[r.ISO3] = append(b.eventIDs[r.ISO3], r.ID)
	when := r.Date.String()
	if r.Earliest != nil {
		when = fmt.Sprintf("%s..%s", *r.Earliest, *r.Latest)
		if r.DateUnknown {
			when += ", date unknown"
		}
	}
	b.in.Sources = append(b.in.Sources,
		Source{Figure: fmt.Sprintf("risk event %d (%s %s %s): date", r.ID, r.ISO3, r.Kind, when), Source: r.Source},
		Source{Figure: fmt.Sprintf("risk event %d: probability %g, factor %g (version %d)", r.ID, r.Probability, r.Factor, r.Version), Source: r.Assumption})
	return out
}

// dataAsOf is the latest as-of date among srcs: the date of the data, since
// the risk events (which lie ahead) carry none.
func dataAsOf(srcs []Source) coalition.Date {
	var asOf coalition.Date
	for _, s := range srcs {
		if d, err := coalition.ParseDate(s.AsOf); err == nil && d.After(asOf) {
			asOf = d
		}
	}
	return asOf
}

// model assembles the model from the steps before and opts, and the
// members' RiskMember records.
func (b *riskBuild) model(opts RiskOptions) risk.Model {
	in := b.in
	m := risk.Model{Start: b.start, Months: b.horizon, Categories: b.cats, Requirements: map[string]risk.Series{},
		Correlation: b.correlation(opts), ShortfallThreshold: b.threshold(opts), Trials: opts.Trials, Seed: risk.DefaultSeed}
	for _, c := range b.cats {
		if r := b.reqs[c]; r != nil {
			m.Requirements[c] = compact(r)
		}
	}
	if opts.Seed != nil {
		m.Seed = *opts.Seed
	}
	rel := b.reliability(opts)
	for _, iso := range b.members {
		mem, rm := b.member(iso, rel)
		m.Members = append(m.Members, mem)
		in.Members = append(in.Members, rm)
	}
	return m
}

// correlation is opts' correlation, else the default, cited as a user
// assumption.
func (b *riskBuild) correlation(opts RiskOptions) float64 {
	if opts.Correlation != nil {
		return *opts.Correlation
	}
	b.in.Sources = append(b.in.Sources, Source{Figure: "correlation", Source: fmt.Sprintf("default user assumption ρ = %g (docs/risk-model.md)", DefaultRiskCorrelation)})
	return DefaultRiskCorrelation
}

// threshold is opts' shortfall threshold, else a share of the total
// requirement, cited with the amount it comes to.
func (b *riskBuild) threshold(opts RiskOptions) float64 {
	if opts.ShortfallThreshold != nil {
		return *opts.ShortfallThreshold
	}
	b.in.Sources = append(b.in.Sources, Source{Figure: "shortfall_threshold",
		Source: fmt.Sprintf("default: %g%% of the total requirement over the horizon (%s)", 100*DefaultShortfallShare, coalition.FormatEUR(b.total, 2))})
	return DefaultShortfallShare * b.total
}

// reliability is every member's reliability under opts (nil: exact).
func (b *riskBuild) reliability(opts RiskOptions) *risk.Reliability {
	switch {
	case opts.ExactReliability:
		b.note("Reliability is left out: every member delivers exactly its support, apart from its risk events.")
		return nil
	case opts.Reliability != nil:
		r := *opts.Reliability
		return &r
	default:
		r := DefaultReliability
		b.in.Sources = append(b.in.Sources, Source{Figure: "reliability", Source: fmt.Sprintf("default user assumption: every member delivers a share Beta(%g, %g) of its support, mean %g (docs/risk-model.md)",
			r.Alpha, r.Beta, r.Alpha/(r.Alpha+r.Beta))})
		return &r
	}
}

// member is one member of the model and the record of where its inputs
// came from.
func (b *riskBuild) member(iso string, rel *risk.Reliability) (risk.Member, RiskMember) {
	mem := risk.Member{ISO3: iso, Support: map[string]risk.Series{}, Reliability: rel, Events: b.events[iso]}
	if mem.Events == nil {
		mem.Events = []risk.Event{}
	}
	rm := b.riskMember(iso)
	for _, c := range b.cats {
		if v := b.support[iso][c]; v != nil {
			mem.Support[c] = compact(v)
			for _, x := range v {
				rm.SupportEUR += x
			}
		}
	}
	return mem, rm
}

// riskMember is the record of where member iso's inputs came from, its
// support still to be summed.
func (b *riskBuild) riskMember(iso string) RiskMember {
	rm := RiskMember{ISO3: iso, Role: b.role[iso], SupportBasis: "pledges", Events: b.eventIDs[iso], ChannelEUR: b.channelEUR[iso]}
	switch {
	case b.role[iso] == RoleChannelContributor:
		rm.SupportBasis = "channel"
	case slices.Contains(b.baseline, iso):
		rm.SupportBasis = "baseline"
	}
	if rm.Events == nil {
		rm.Events = []int64{}
	}
	return rm
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
