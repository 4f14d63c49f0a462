package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"coalition"
	"coalition/analysis/risk"
)

// The brief's fixed parameters: every one is printed on the brief as an
// assumption, so that a reader can ask the same question of the CLI.
const (
	// BriefPeriodMonths is the headline's period: the months from the
	// as-of month on.
	BriefPeriodMonths = 12
	// BriefRiskMonths is the risk section's horizon.
	BriefRiskMonths = 6
	// BriefRiskTrials and BriefRiskSeed make the risk section reproducible
	// (`coalition risk --coalition X --start M --horizon 6 --trials 2000 --seed 1`).
	BriefRiskTrials = 2000
	BriefRiskSeed   = 1
	// BriefCapPctGDP caps each member's fair-share ask, as the /scenarios
	// page does by default.
	BriefCapPctGDP = 0.5
	// BriefSinceDays is how far back "since the last meeting" reaches when
	// nobody says.
	BriefSinceDays = 30
	// briefListMax bounds every list of the brief: it is one page.
	briefListMax = 8
)

// BriefOptions are the parameters of a brief: exactly one of Coalition and
// Country, and its dates.
type BriefOptions struct {
	Coalition string
	Country   string
	// AsOf is the day the brief is written for; required (the CLI and the
	// API pass today). Since defaults to BriefSinceDays before it.
	AsOf  coalition.Date
	Since coalition.Date
}

// BriefReport is a two-page meeting pack: each section holds the figures
// of the report function that computes them, with where they came from.
type BriefReport struct {
	Kind        string         `json:"kind"` // "coalition" or "country"
	Title       string         `json:"title"`
	Code        string         `json:"code"` // the coalition code or ISO3
	AsOf        coalition.Date `json:"as_of"`
	Since       coalition.Date `json:"since"`
	ComputedFor string         `json:"computed_for"`

	Headline *BriefHeadline `json:"headline,omitempty"`
	Changes  *BriefChanges  `json:"changes,omitempty"`
	Gaps     []BriefGap     `json:"gaps,omitempty"`
	// UnitGaps are the gaps of the needs stated in units (empty: none is).
	UnitGaps    []BriefUnitGap    `json:"unit_gaps,omitempty"`
	Asks        *BriefAsks        `json:"asks,omitempty"`
	Risk        *BriefRisk        `json:"risk,omitempty"`
	Engagements *BriefEngagements `json:"engagements,omitempty"`
	Country     *BriefCountry     `json:"country,omitempty"`

	Assumptions []string `json:"assumptions"`
	Sources     []Source `json:"sources"`
}

// BriefHeadline is Coverage's answer for the brief's period, unchanged.
type BriefHeadline struct {
	From          coalition.Month `json:"from"`
	To            coalition.Month `json:"to"`
	NeedEUR       float64         `json:"need_eur"`
	CoveredEUR    float64         `json:"covered_eur"` // pledged in the period
	CoveredShare  float64         `json:"covered_share"`
	NetGapEUR     float64         `json:"net_gap_eur"`
	MonthlyGapEUR float64         `json:"monthly_gap_eur"`
	NeedBasis     string          `json:"need_basis"`
	SupportBasis  string          `json:"support_basis"`
	// Command asks the CLI the same question.
	Command string `json:"command"`
	// Note warns when the period starts after the last month of recorded
	// allocations, so that "covered" holds only pledges recorded here.
	Note string `json:"note,omitempty"`
	// RecordsAsOf is the day whose records the figures are (the as-of
	// date: a brief for a past day uses no later record; RecordsAsOf).
	RecordsAsOf coalition.Date `json:"records_as_of"`
	// Then is the same question on the records as they stood the day
	// before Since: the change since the last meeting is now − then.
	Then *BriefThen `json:"then,omitempty"`
}

// BriefChange is one record that changed in the window.
type BriefChange struct {
	Date      coalition.Date `json:"date"`
	Kind      string         `json:"kind"` // new pledge, updated pledge, delivery, joined, withdrew, suspended
	Who       string         `json:"who"`  // ISO3
	What      string         `json:"what"`
	AmountEUR float64        `json:"amount_eur,omitempty"`
	Source    string         `json:"source"`
}

// BriefChanges are the changes since Since, largest amounts first within
// a kind; Count is how many there were before the list was cut.
type BriefChanges struct {
	Items []BriefChange `json:"items"`
	Count int           `json:"count"`
	Rule  string        `json:"rule"`
}

// BriefGap is one category's part of the headline.
type BriefGap struct {
	Category   string  `json:"category"`
	NeedEUR    float64 `json:"need_eur"`
	PledgedEUR float64 `json:"pledged_eur"`
	NetGapEUR  float64 `json:"net_gap_eur"`
}

// BriefRisk is RunRisk's answer over the next BriefRiskMonths.
type BriefRisk struct {
	From             coalition.Month `json:"from"`
	To               coalition.Month `json:"to"`
	Trials           int             `json:"trials"`
	Seed             uint64          `json:"seed"`
	PShortfall       float64         `json:"p_shortfall"`
	MeanShortfallEUR float64         `json:"mean_shortfall_eur"`
	ShareWithoutRisk float64         `json:"share_without_risk"` // of modelled support, members without events
	Members          []BriefRiskRow  `json:"members"`
	// NoEffect are the members with events in the period whose attribution
	// is exactly zero (no trial's shortfall changes without them, e.g. an
	// event whose window mostly lies after the period): named, not tabled.
	NoEffect          []string `json:"no_effect"`
	SupportWithoutEUR float64  `json:"support_without_risk_eur"`
	SupportEUR        float64  `json:"support_eur"`
}

// BriefRiskRow is one member whose events matter most.
type BriefRiskRow struct {
	ISO3        string   `json:"iso3"`
	PEvent      float64  `json:"p_event"`
	Attribution *float64 `json:"attribution"`
	// NoiseEUR is about two standard errors of the attribution, from the
	// spread of the shortfall ((p95 − p50)/1.645 as its standard
	// deviation) and the trials with and without the member's events; an
	// attribution smaller than it is within the simulation's noise.
	NoiseEUR float64  `json:"noise_eur"`
	Events   []string `json:"events"` // "2027-05-09 election (source)"
}

// BriefEngagements are the engagements in the window and those scheduled.
type BriefEngagements struct {
	Past      []BriefEngagement `json:"past"`
	Scheduled []BriefEngagement `json:"scheduled"`
}

// BriefEngagement is one engagement as the brief lists it.
type BriefEngagement struct {
	Date     coalition.Date `json:"date"`
	Kind     string         `json:"kind"`
	Title    string         `json:"title"`
	FollowUp string         `json:"follow_up,omitempty"` // asks and outcomes
	Source   string         `json:"source"`
	// SourceUnverified: the source says UNVERIFIED (an events.csv row graded
	// unverified, issue 15 §4); the brief marks the line.
	SourceUnverified bool `json:"source_unverified,omitempty"`
}

// Brief computes the meeting pack of a coalition or a country from what
// the user in ctx may see, by calling the report functions that answer
// each question (Coverage, RunScenario, RunRisk, Targets, BuiltinScenario):
// it computes no figure of its own beyond sums and shares of theirs.
func Brief(ctx context.Context, s coalition.Store, opt BriefOptions) (*BriefReport, error) {
	opt, err := briefOptions(opt)
	if err != nil {
		return nil, err
	}
	rep := &BriefReport{AsOf: opt.AsOf, Since: opt.Since, ComputedFor: ComputedFor(ctx)}
	if opt.Country != "" {
		err = countryBrief(ctx, s, opt, rep)
	} else {
		err = coalitionBrief(ctx, s, opt, rep)
	}
	if err != nil {
		return nil, err
	}
	cutEngagementSources(rep)
	rep.Sources = dedupeSources(rep.Sources)
	return rep, nil
}

// briefOptions checks opt and fills the default since.
func briefOptions(opt BriefOptions) (BriefOptions, error) {
	opt.Coalition = strings.ToUpper(strings.TrimSpace(opt.Coalition))
	opt.Country = strings.ToUpper(strings.TrimSpace(opt.Country))
	switch {
	case (opt.Coalition == "") == (opt.Country == ""):
		return opt, coalition.FieldError("coalition", "give a coalition or a country, not both or neither")
	case opt.Country != "" && !coalition.ValidISO3(opt.Country):
		return opt, coalition.FieldError("country", "%q is not an ISO 3166-1 alpha-3 code", opt.Country)
	case opt.AsOf.IsZero():
		return opt, coalition.FieldError("as_of", "is required")
	}
	if opt.Since.IsZero() {
		opt.Since = coalition.DateOf(opt.AsOf.Time().AddDate(0, 0, -BriefSinceDays))
	}
	if opt.Since.After(opt.AsOf) {
		return opt, coalition.FieldError("since", "%s is after the as-of date %s", opt.Since, opt.AsOf)
	}
	return opt, nil
}

// ComputedFor says whose view of the data a brief uses, so that a brief
// with coalition-only or confidential records is never taken for a public
// one.
func ComputedFor(ctx context.Context) string {
	u := coalition.UserFrom(ctx)
	if u == nil {
		return "anonymous reader; public records only"
	}
	switch u.Role {
	case coalition.Admin:
		return fmt.Sprintf("%s (administrator); includes every record, confidential ones too", u.Email)
	case coalition.Coordinator:
		return fmt.Sprintf("%s (coordinator of coalitions %v); includes coalition-only and confidential records of its coalitions", u.Email, u.Coalitions)
	case coalition.Delegate:
		return fmt.Sprintf("%s (delegate of %s); includes coalition-only records of its coalitions and %s's confidential records", u.Email, u.Country, u.Country)
	case coalition.Analyst:
		return fmt.Sprintf("%s (analyst); includes coalition-only records of its coalitions", u.Email)
	}
	return fmt.Sprintf("%s (%s); public records only", u.Email, u.Role)
}

// coalitionBrief fills the sections of a coalition's brief.
func coalitionBrief(ctx context.Context, s coalition.Store, opt BriefOptions, rep *BriefReport) error {
	coal, err := findCoalition(ctx, s, opt.Coalition)
	if err != nil {
		return err
	}
	rep.Kind, rep.Code, rep.Title = "coalition", coal.Code, coal.Name
	from := opt.AsOf.Month()
	to := from.Add(BriefPeriodMonths - 1)
	// The headline and the asks use the records as they stood on the
	// as-of day: a brief for a past day uses no later record.
	now := RecordsAsOf(s, opt.AsOf)
	var gaps []BriefGap
	var srcs []Source
	if rep.Headline, gaps, srcs, err = CoalitionHeadline(ctx, s, coal.Code, opt.AsOf); err != nil {
		return err
	}
	rep.Gaps, rep.Sources = append(rep.Gaps, gaps...), append(rep.Sources, srcs...)
	if rep.UnitGaps, err = briefUnits(ctx, now, coal, from, to); err != nil {
		return err
	}
	if rep.Headline.Then, err = briefThen(ctx, s, coal.Code, from, to, opt.Since); err != nil {
		return err
	}
	changes, err := briefChanges(ctx, s, coal, opt)
	if err != nil {
		return err
	}
	rep.Changes = changes
	if err := briefAsks(ctx, now, coal, rep); err != nil {
		return err
	}
	if err := briefRisk(ctx, now, coal.Code, from, rep); err != nil {
		return err
	}
	eng, err := briefEngagements(ctx, s, opt, coalitionEngagement(coal))
	if err != nil {
		return err
	}
	rep.Engagements = eng
	riskFrom := from
	if rep.Risk != nil {
		riskFrom = rep.Risk.From
	}
	rep.Assumptions = coalitionAssumptions(coal.Code, from, to, riskFrom, opt)
	return nil
}

// briefHeadline is Coverage with default counts and need over the period.
func briefHeadline(ctx context.Context, s coalition.Store, code string, from, to coalition.Month, rep *BriefReport) error {
	cov, err := Coverage(ctx, s, code, CoverageOptions{From: from, To: to})
	if err != nil {
		return err
	}
	t := cov.Result.Total
	rep.Headline = &BriefHeadline{From: from, To: to, NeedEUR: t.Required, CoveredEUR: t.Pledged, CoveredShare: t.CoveredShare,
		NetGapEUR: cov.NetGapEUR, MonthlyGapEUR: cov.MonthlyGapEUR, NeedBasis: groupBases(cov.RequirementBases, cov.RequirementBasis),
		SupportBasis: fmt.Sprintf("every donor's visible pledges to %s (not cancelled) over their delivery windows (see the assumptions)", cov.Recipient),
		Command:      fmt.Sprintf("coalition coverage --coalition %s --from %s --to %s", code, from, to)}
	if ra, ok := s.(*recordsAsOf); ok {
		rep.Headline.Command += " --records-as-of " + ra.day.String()
	}
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	last := coalition.Month(0)
	for _, d := range sup {
		last = max(last, d.Month)
	}
	ra, recorded := s.(*recordsAsOf)
	switch {
	case last != 0 && from > last:
		rep.Headline.Note = fmt.Sprintf("The period starts after the last month of recorded allocations (%s): only pledges recorded with delivery in the period count as covered, so the gap is the whole need unless donors' plans for it are recorded.", last)
	case last != 0 && recorded:
		rep.Headline.Note = fmt.Sprintf("Allocations count in the month they were announced (Kiel records no delivery windows), and the records are those of %s: the months after it hold only pledges recorded by then with delivery in them, so \"covered\" is what was on record, not what the months later received.", ra.day)
	}
	for _, c := range cov.Result.Categories {
		rep.Gaps = append(rep.Gaps, BriefGap{Category: c.Category, NeedEUR: c.Required, PledgedEUR: c.Pledged, NetGapEUR: c.NetGap})
	}
	sort.SliceStable(rep.Gaps, func(i, j int) bool { return rep.Gaps[i].NetGapEUR > rep.Gaps[j].NetGapEUR })
	rep.Sources = append(rep.Sources, cov.Sources...)
	return nil
}

// briefRisk runs the risk model with a fixed seed over the months from
// the as-of month, or from the month after the last month of allocations
// on record if that is later (s holds the records of the as-of day): the
// model takes each member's recent allocations as its support, so it
// starts where the recorded allocations end.
func briefRisk(ctx context.Context, s coalition.Store, code string, from coalition.Month, rep *BriefReport) error {
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	for _, d := range sup {
		from = max(from, d.Month+1)
	}
	seed := uint64(BriefRiskSeed)
	rr, err := RunRisk(ctx, s, code, from, BriefRiskMonths, RiskOptions{Trials: BriefRiskTrials, Seed: &seed}, risk.Options{})
	if err != nil {
		return err
	}
	br := &BriefRisk{From: from, To: from.Add(BriefRiskMonths - 1), Trials: rr.Result.Trials, Seed: rr.Result.Seed,
		PShortfall: rr.Result.Shortfall.PPositive, MeanShortfallEUR: rr.Result.Shortfall.Mean, NoEffect: []string{}}
	eventIDs := map[string][]int64{}
	for _, m := range rr.Members {
		eventIDs[m.ISO3] = m.Events
		br.SupportEUR += m.SupportEUR
		if len(m.Events) == 0 {
			br.SupportWithoutEUR += m.SupportEUR
		}
	}
	if br.SupportEUR > 0 {
		br.ShareWithoutRisk = br.SupportWithoutEUR / br.SupportEUR
	}
	for _, m := range rr.Result.Members {
		if m.Attribution == nil || m.PEvent == 0 || len(br.Members) == briefListMax/2 { // no event of its own in the window
			continue
		}
		row := BriefRiskRow{ISO3: m.ISO3, PEvent: m.PEvent, Attribution: m.Attribution, NoiseEUR: attributionNoise(rr.Result, m.PEvent)}
		if *m.Attribution == 0 {
			br.NoEffect = append(br.NoEffect, m.ISO3)
			continue
		}
		// The events the run modelled for the member (their windows meet
		// the horizon), whatever their dates.
		for _, id := range eventIDs[m.ISO3] {
			ev, err := s.FindRiskEvent(ctx, id)
			if err != nil {
				return err
			}
			row.Events = append(row.Events, riskEventLine(ev))
			rep.Sources = append(rep.Sources, Source{Figure: fmt.Sprintf("risk event (%s %s %s)", ev.ISO3, ev.Kind, ev.Date), Source: ev.Source})
		}
		br.Members = append(br.Members, row)
	}
	rep.Risk = br
	// The run's own sources, but one line per event shown above rather than
	// two per stored event (their assumption is named once, in the
	// assumptions): the brief keeps to two pages and shows no record ids.
	for _, src := range rr.Sources {
		if !strings.HasPrefix(src.Figure, "risk event ") {
			rep.Sources = append(rep.Sources, src)
		}
	}
	return nil
}

// attributionNoise is about two standard errors of a member's attribution
// (a difference of two means of the shortfall): 2·σ·√(1/n₁ + 1/n₀), σ
// estimated from the shortfall's p50 and p95 as if it were normal.
func attributionNoise(res risk.Result, pEvent float64) float64 {
	n1, n0 := pEvent*float64(res.Trials), (1-pEvent)*float64(res.Trials)
	if n1 < 1 || n0 < 1 {
		return 0
	}
	sigma := (res.Shortfall.P95 - res.Shortfall.P50) / 1.645
	return 2 * sigma * math.Sqrt(1/n1+1/n0)
}

// coalitionEngagement is whether an engagement concerns the coalition: it
// is recorded in it, or one of its joined members or leads takes part.
func coalitionEngagement(coal *coalition.Coalition) func(*coalition.Engagement) bool {
	who := map[string]bool{}
	for _, iso := range append(coal.JoinedMembers(), coal.Leads...) {
		who[iso] = true
	}
	return func(e *coalition.Engagement) bool {
		if e.CoalitionID != nil && *e.CoalitionID == coal.ID {
			return true
		}
		return slices.ContainsFunc(e.Participants, func(p coalition.Participant) bool { return who[p.ISO3] })
	}
}

// briefEngagements lists the engagements in [since, as-of] (the latest
// first) and those scheduled in the next BriefRiskMonths (the soonest
// first) that keep says concern the brief, with their asks and outcomes.
func briefEngagements(ctx context.Context, s coalition.EngagementStore, opt BriefOptions, keep func(*coalition.Engagement) bool) (*BriefEngagements, error) {
	end := coalition.DateOf(opt.AsOf.Time().AddDate(0, BriefRiskMonths, 0))
	all, err := findEngagements(ctx, s, coalition.EngagementFilter{Country: opt.Country, From: opt.Since, To: end})
	if err != nil {
		return nil, err
	}
	out := &BriefEngagements{Past: []BriefEngagement{}, Scheduled: []BriefEngagement{}}
	for _, e := range all {
		if !keep(e) {
			continue
		}
		be := BriefEngagement{Date: e.Date, Kind: string(e.Kind), Title: e.Title, Source: e.Source, FollowUp: followUp(e),
			SourceUnverified: e.SourceUnverified()}
		if be.Title == "" {
			be.Title = e.Summary
		}
		if e.Date.After(opt.AsOf) {
			out.Scheduled = append(out.Scheduled, be)
		} else {
			out.Past = append(out.Past, be)
		}
	}
	sort.SliceStable(out.Past, func(i, j int) bool { return out.Past[i].Date.After(out.Past[j].Date) })
	sort.SliceStable(out.Scheduled, func(i, j int) bool { return out.Scheduled[i].Date.Before(out.Scheduled[j].Date) })
	out.Past = out.Past[:min(len(out.Past), briefListMax/2)]
	out.Scheduled = out.Scheduled[:min(len(out.Scheduled), briefListMax/2)]
	return out, nil
}

// followUp is what an engagement leaves to do: its asks and outcomes.
func followUp(e *coalition.Engagement) string {
	var parts []string
	if e.Asks != "" {
		parts = append(parts, "asks: "+e.Asks)
	}
	if e.Outcomes != "" {
		parts = append(parts, "outcomes: "+e.Outcomes)
	}
	return strings.Join(parts, "; ")
}

// findEngagements reads every engagement f selects, a page at a time.
func findEngagements(ctx context.Context, s coalition.EngagementStore, f coalition.EngagementFilter) ([]*coalition.Engagement, error) {
	return readAll(func(after int64) ([]*coalition.Engagement, bool, error) {
		f.After, f.Limit = after, coalition.MaxPageSize
		return s.FindEngagements(ctx, f)
	}, engagementID)
}

// coalitionAssumptions are the choices behind a coalition brief's figures.
func coalitionAssumptions(code string, from, to, riskFrom coalition.Month, opt BriefOptions) []string {
	briefSpecJSON := func(code string, from, to coalition.Month) string {
		b, _ := json.Marshal(BriefScenarioSpec(code, from, to))
		return "`" + string(b) + "`"
	}
	return []string{
		fmt.Sprintf("Headline period: the %d months %s..%s from the as-of month; need, covered and net gap are `coalition coverage --coalition %s --from %s --to %s --records-as-of %s` (counts all donors; need stored, with the historical model where no requirement is stored; the records as they stood on the as-of day, so that a brief for a past day uses no later record).", BriefPeriodMonths, from, to, code, from, to, opt.AsOf),
		"Covered = visible pledges to the recipient (not cancelled) spread evenly over their delivery windows in the period; a pledge without a window counts in its announcement month only. Allocations recorded by Kiel end with its last release, so months after it show only pledges recorded here.",
		fmt.Sprintf("Changes since %s: pledges entered here by their created and announcement dates; imported pledges (published datasets, files) by their announcement dates only (a load is not news); the steps people recorded in a pledge's history (upgrades, cancellations, amount changes) by the day recorded, with the step's source; deliveries by their dates; members by their membership dates.", opt.Since),
		fmt.Sprintf("Fair-share asks: the scenario engine's burden-sharing plan for this period with no withdrawal, `coalition scenario --file` with %s (the same run as POST /api/v1/scenarios/run): each month's shortfall of the need against the recorded pledges (the headline's monthly gap), per calendar year, shared among the coalition's joined members with a GDP figure in proportion to GDP (World Bank GDP at the ECB annual average), each capped at %.1f%% of its GDP a year and by the bundled capability limits (what a member cannot supply by law or policy: Japan gives no military support); a member's ask splits over the categories as the gap does, as nearly as those limits allow. An arithmetic of fairness, not a forecast of what anyone will give. \"Gave\" is its allocations in the last 12 months of recorded data before the as-of month.", briefSpecJSON(code, from, to), BriefCapPctGDP),
		fmt.Sprintf("Change since %s: the same question (same period and rules) asked of the records as they stood at the end of %s, by their own history: pledges announced by then (a person's, also entered by then) with the amount and cancellation of their stage history to that day; requirements from the date of their figure; deliveries by their dates. Delivery windows and categories are today's (the history does not keep them); deleted records are not seen.", opt.Since, coalition.DateOf(opt.Since.Time().AddDate(0, 0, -1))),
		fmt.Sprintf("Risks: `coalition risk --coalition %s --start %s --horizon %d --trials %d --seed %d --records-as-of %s`: from the as-of month or, if later, the month after the last month of allocations on record that day; the records as they stood on the as-of day; stored risk events with their users' probabilities and factors, as they are today (an event held between the as-of day and today is modelled with its recorded outcome, which was not known then), default reliability Beta(9,1) and correlation %.1f; attribution = expected shortfall with the member's events minus without, next to about two standard errors of the simulation (an attribution below it is noise). Members without pledges in the horizon are modelled at their average monthly allocations of the last 12 months of data (the risk model's rule), unlike the headline, which counts only recorded pledges.", code, riskFrom, BriefRiskMonths, BriefRiskTrials, BriefRiskSeed, opt.AsOf, DefaultRiskCorrelation),
		fmt.Sprintf("Engagements: those recorded in the coalition or with a joined member or lead taking part, from %s to %d months after the as-of date.", opt.Since, BriefRiskMonths),
	}
}

// dedupeSources keeps the first of each (figure, source, as-of).
func dedupeSources(in []Source) []Source {
	seen := map[Source]bool{}
	out := []Source{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// briefSource is a source cut to what fits a line of the two-page brief,
// keeping its grade marker ("UNVERIFIED — ", "press: ") in front; the full
// source is in the brief's sources, from the risk run's.
func briefSource(src string) string {
	const max = 90
	r := []rune(src)
	if len(r) <= max {
		return src
	}
	return strings.TrimSpace(string(r[:max-1])) + "… (full source in the sources)"
}
