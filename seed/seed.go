// Package seed composes the bundled reference data into one dataset: the
// simple tables from refdata, the Kiel monthly file through the importer's
// kiel-csv code path (the same one users import with), and the elections
// calendar and the non-election political risks as editable risk events.
package seed

import (
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"coalition"
	"coalition/analysis/risk"
	"coalition/importer"
	"coalition/refdata"
)

// ElectionsFile is the bundled calendar of scheduled national elections.
const ElectionsFile = "elections.csv"

// Dataset returns the whole reference dataset.
func Dataset() (*coalition.Dataset, error) {
	ds, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	rel, pledges, err := KielRelease()
	if err != nil {
		return nil, err
	}
	ds.Releases = append([]coalition.Release{rel}, ds.Releases...)
	ds.Pledges = pledges
	if ds.RiskEvents, err = ElectionEvents(); err != nil {
		return nil, err
	}
	others, err := PoliticalRiskEvents()
	if err != nil {
		return nil, err
	}
	ds.RiskEvents = append(ds.RiskEvents, others...)
	return ds, nil
}

// KielRelease reads the bundled Kiel monthly file as a user's kiel-csv
// import does (importer.KielRelease, then the kiel-csv parser): release 29
// of the Kiel dataset, with data to April 2026, and its pledges, which
// belong to it (Pledge.Dataset).
func KielRelease() (coalition.Release, []*coalition.Pledge, error) {
	var rel coalition.Release
	var ps []*coalition.Pledge
	err := readKielFile(func(r io.Reader) (err error) {
		rel, err = importer.KielRelease(r, path.Base(refdata.KielFile), refdata.KielRelease, "", coalition.Date{})
		return err
	})
	if err == nil {
		err = readKielFile(func(r io.Reader) (err error) {
			ps, err = importer.KielCSV(r, importer.KielOptions{File: refdata.KielFile, Source: rel.Source, AsOf: rel.AsOf})
			return err
		})
	}
	if err != nil {
		return rel, nil, err
	}
	if rel.AsOf != refdata.KielAsOf || rel.Source != refdata.KielSource {
		return rel, nil, fmt.Errorf("bundled Kiel file: read as %s cited %q, want data to %s cited %q", rel, rel.Source, refdata.KielAsOf, refdata.KielSource)
	}
	for _, p := range ps {
		p.Dataset, p.Release = rel.Dataset, rel.Name
	}
	return rel, ps, nil
}

// readKielFile calls fn with the bundled Kiel file, opened afresh: the
// release and the pledges are read in two passes, as a user's import does.
func readKielFile(fn func(r io.Reader) error) error {
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := fn(f); err != nil {
		return fmt.Errorf("bundled Kiel file: %w", err)
	}
	return nil
}

// ElectionEvents turns every dated row of the bundled elections calendar
// (refdata/data/elections.csv) into a stored risk event of kind "election":
// its date (a month alone is placed on its first day; a year alone gets a
// window: the legal one of election_windows.csv where it is bundled, else
// the whole year with DateUnknown; its Date is the window's end), the
// default probability and factor of
// risk.DefaultAssumptions for its kind, the calendar's source URLs, and an
// Assumption that says these are editable user assumptions. Rows without a
// date (postponed elections) are left out. Loading matches risk events on
// (ISO3, Date, Kind, Label), so users' edits of probability and factor
// survive a second seed.
func ElectionEvents() ([]*coalition.RiskEvent, error) {
	bs, err := electionEvents()
	if err != nil {
		return nil, err
	}
	out := make([]*coalition.RiskEvent, len(bs))
	for i, b := range bs {
		out[i] = b.ev
	}
	return out, nil
}

// bundledEvent is a risk event of the bundled data with the keys (ISO3,
// Date, Kind, Label) under which older seeds stored it (UpgradeRiskEvents).
type bundledEvent struct {
	ev     *coalition.RiskEvent
	legacy []eventKey
}

func electionEvents() ([]bundledEvent, error) {
	f, err := refdata.Open(ElectionsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The whole calendar: every month from 1900 to 2199.
	evs, err := risk.CalendarEvents(f, coalition.MonthOf(1900, time.January), 300*12, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", ElectionsFile, err)
	}
	grades, err := electionGradeIndex()
	if err != nil {
		return nil, err
	}
	outcomes, err := electionOutcomeIndex()
	if err != nil {
		return nil, err
	}
	out := make([]bundledEvent, 0, len(evs))
	for _, ce := range evs {
		ev := &coalition.RiskEvent{ISO3: ce.ISO3, Kind: "election", Label: ce.Event.Label,
			Probability: ce.Event.Probability, Factor: ce.Event.Factor, Source: ce.Event.Source}
		dateNote, err := electionDate(ce, ev)
		if err != nil {
			return nil, fmt.Errorf("bundled %s: %s %s: %w", ElectionsFile, ce.ISO3, ce.Election, err)
		}
		a := risk.DefaultAssumptions[ce.Kind]
		ev.Source = gradedSource(grades[gradeKey(ce.ISO3, ce.Election, ce.Date)], ce.Event.Source)
		ev.Assumption = fmt.Sprintf("User assumption, not an estimate: the default for a %s election is a %.0f%% chance that it cuts support, "+
			"to %.0f%% of its level from then on (see the risk model's documentation); "+
			"edit both for this election. Date %s: %s, from the elections calendar%s.",
			ce.Kind, 100*a.Probability, 100*a.Factor, ce.DateStatus, ce.Date, dateNote)
		b := bundledEvent{ev: ev, legacy: legacyKeys(ce, ev)}
		if o, ok := outcomes[gradeKey(ce.ISO3, ce.Election, ce.Date)]; ok {
			recordOutcome(ev, o)
		}
		out = append(out, b)
	}
	return out, nil
}

// legacyKeys are the keys older seeds stored a calendar event under: a
// year-only election on 1 June of its year with "month 06 assumed" in its
// label (before migration 0014), and any event under its label before an
// outcome was recorded (the label it has here, which recordOutcome extends).
func legacyKeys(ce risk.CalendarEvent, ev *coalition.RiskEvent) []eventKey {
	keys := []eventKey{{ev.ISO3, ev.Date, ev.Kind, ev.Label}}
	if len(ce.Date) == 4 {
		y, _ := strconv.Atoi(ce.Date)
		keys = append(keys, eventKey{ev.ISO3, coalition.Date{Y: y, M: time.June, D: 1}, ev.Kind,
			fmt.Sprintf("%s: %s (%s %s; month 06 assumed)", ce.ISO3, ce.Election, ce.DateStatus, ce.Date)})
	}
	return keys
}

// recordOutcome makes a held election's event its sourced outcome: no
// draw (probability 1 if the outcome cut support, by the recorded factor;
// else 0), the outcome in the label, its source beside the date's.
func recordOutcome(ev *coalition.RiskEvent, o refdata.ElectionOutcome) {
	ev.Probability = 0
	did := "did not cut support: probability 0 (recorded, not drawn)"
	if o.Cut {
		ev.Probability, ev.Factor = 1, o.Factor
		did = fmt.Sprintf("cut support to %.0f%% of its level from then on: probability 1 (recorded, not drawn)", 100*o.Factor)
	}
	ev.Label += " — outcome: " + o.Outcome
	ev.Source += " ; outcome: " + gradedSource(o.Grade, o.Source)
	ev.Assumption = fmt.Sprintf("Held; outcome from its source (%s): %s. The outcome %s. %s", o.Grade, o.Outcome, did, o.Assumption)
}

// electionOutcomeIndex keys the recorded outcomes by their row in elections.csv.
func electionOutcomeIndex() (map[string]refdata.ElectionOutcome, error) {
	os, err := refdata.ElectionOutcomes()
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", refdata.ElectionOutcomesFile, err)
	}
	m := make(map[string]refdata.ElectionOutcome, len(os))
	for _, o := range os {
		m[gradeKey(o.ISO3, o.Election, o.Date)] = o
	}
	return m, nil
}

// UnverifiedMarker opens the source of a risk event whose calendar row rests
// on no primary or reputable press source (issue 15 §4). It is put in the
// stored source itself, so the CLI, the API and the pages all show it
// without a code path of their own.
const UnverifiedMarker = "UNVERIFIED — "

// gradedSource names the grade of a calendar row in front of its source:
// the unverified marker, "press: " for reputable press, nothing for a
// primary source (the official page speaks for itself).
func gradedSource(grade, source string) string {
	switch grade {
	case refdata.GradePrimary:
		return source
	case refdata.GradePress:
		return refdata.GradePress + ": " + source
	default:
		return UnverifiedMarker + source
	}
}

func gradeKey(iso3, election, date string) string { return iso3 + "|" + election + "|" + date }

// electionGradeIndex keys the grades of elections_grades.csv by their row
// in elections.csv; a row without a grade counts as unverified.
func electionGradeIndex() (map[string]string, error) {
	gs, err := refdata.ElectionGrades()
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", refdata.ElectionGradesFile, err)
	}
	m := make(map[string]string, len(gs))
	for _, g := range gs {
		m[gradeKey(g.ISO3, g.Election, g.Date)] = g.Grade
	}
	return m, nil
}

// electionDate sets ev's date (and window) from a calendar date (YYYY-MM-DD,
// YYYY-MM or YYYY) and says how it was placed.
func electionDate(ce risk.CalendarEvent, ev *coalition.RiskEvent) (string, error) {
	s := ce.Date
	switch len(s) {
	case 10:
		d, err := coalition.ParseDate(s)
		ev.Date = d
		return "", err
	case 7:
		m, err := coalition.ParseMonth(s)
		ev.Date = m.FirstDay()
		return "; stored on the first day of the month", err
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil {
			return "", fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
		}
		return yearWindow(ce, y, ev)
	}
	return "", fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// yearWindow gives an election dated by its year alone its legal window
// (refdata.ElectionWindows) or, without one, the whole year flagged as date
// unknown: never a placeholder day.
func yearWindow(ce risk.CalendarEvent, year int, ev *coalition.RiskEvent) (string, error) {
	w, err := refdata.ElectionWindowOf(ce.ISO3, ce.Election, year)
	if err != nil {
		return "", err
	}
	first, last := coalition.Date{Y: year, M: time.January, D: 1}, coalition.Date{Y: year, M: time.December, D: 31}
	if w == nil {
		ev.Earliest, ev.Latest, ev.Date, ev.DateUnknown = &first, &last, last, true
		return "; only the year is known: date unknown, the model draws its month within the year", nil
	}
	if w.Earliest != nil {
		first = *w.Earliest
	}
	latest := w.Latest
	ev.Earliest, ev.Latest, ev.Date = &first, &latest, latest
	ev.Label = strings.Replace(ev.Label, "date unknown: drawn within the year", fmt.Sprintf("window %s..%s", first, latest), 1)
	ev.Source += " ; " + w.Source
	note := fmt.Sprintf("; legal window %s..%s (%s source: %s)", first, latest, w.Grade, w.Rule)
	if w.Earliest == nil {
		note += fmt.Sprintf("; no legal earliest date: 1 January %d is assumed", year)
	}
	return note, nil
}

// Load loads the reference dataset into s as the system user; it is
// idempotent. Risk events an older seed stored are first brought up to the
// bundled data without losing users' edits (UpgradeRiskEvents). When s is also a store of coalitions and requirements (a
// sqlstore.Store), it then loads the bundled needs (LoadNeeds), and the
// bundled channels when it stores channels (LoadChannels), and the public
// record of the reassurance force (LoadForce).
func Load(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	ds, err := Dataset()
	if err != nil {
		return coalition.LoadReport{}, err
	}
	return LoadDataset(ctx, s, ds, dryRun)
}

// LoadDataset is Load with the reference dataset already read (Dataset),
// for a caller that read it while it opened the database.
func LoadDataset(ctx context.Context, s coalition.Loader, ds *coalition.Dataset, dryRun bool) (coalition.LoadReport, error) {
	ctx = coalition.WithUser(ctx, coalition.System)
	upgraded := 0
	var err error
	if rs, ok := s.(coalition.RiskEventStore); ok {
		if upgraded, err = UpgradeRiskEvents(ctx, rs, dryRun); err != nil {
			return coalition.LoadReport{}, err
		}
	}
	replaced := 0
	if es, ok := s.(coalition.EngagementStore); ok {
		var skip map[string]bool
		if replaced, skip, err = UpgradeEngagements(ctx, es, ds.Engagements, dryRun); err != nil {
			return coalition.LoadReport{}, err
		}
		ds = withoutEngagements(ds, skip)
	}
	rep, err := s.Load(ctx, ds, dryRun)
	if err != nil {
		return rep, err
	}
	if replaced > 0 { // re-created by the load: updated, not new
		bump(&rep.Updated, "engagements", replaced)
		if c := rep.Created["engagements"]; c > 0 {
			rep.Created["engagements"] = c - min(replaced, c)
		}
	}
	if upgraded > 0 {
		bump(&rep.Updated, "risk_events", upgraded)
		if !dryRun && rep.Unchanged["risk_events"] >= upgraded {
			rep.Unchanged["risk_events"] -= upgraded // the load found them as upgraded
		}
	}
	if ns, ok := s.(NeedsStore); ok {
		if err = LoadNeeds(ctx, ns, dryRun, &rep); err != nil {
			return rep, err
		}
	}
	if cs, ok := s.(coalition.ChannelStore); ok {
		if err = LoadChannels(ctx, cs, dryRun, &rep); err != nil {
			return rep, err
		}
	}
	if cs, ok := s.(coalition.CommitmentStore); ok {
		err = LoadCommitments(ctx, cs, dryRun, &rep)
		if err != nil {
			return rep, err
		}
	}
	if es, ok := s.(coalition.EquipmentStore); ok && !dryRun {
		if err = LoadWeapons(ctx, es, &rep); err != nil {
			return rep, err
		}
	}
	if fs, ok := s.(ForceStore); ok {
		err = LoadForce(ctx, fs, dryRun, &rep)
	}
	return rep, err
}

// KielCommitments reads the commitments of the bundled Kiel file (the
// "commitments" and "to_be_allocated" columns), of the same release as
// KielRelease's pledges.
func KielCommitments() ([]coalition.Commitment, error) {
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cs, err := importer.KielCommitments(f, importer.KielOptions{File: refdata.KielFile, Source: refdata.KielSource, AsOf: refdata.KielAsOf},
		"kiel", refdata.KielRelease)
	if err != nil {
		return nil, fmt.Errorf("bundled Kiel file: %w", err)
	}
	return cs, nil
}

// LoadCommitments replaces the stored Kiel commitments with the bundled
// release's, counted under "commitments" in rep (unchanged when the store
// already holds the same donors' totals to the cent).
func LoadCommitments(ctx context.Context, s coalition.CommitmentStore, dryRun bool, rep *coalition.LoadReport) error {
	cs, err := KielCommitments()
	if err != nil {
		return err
	}
	have, err := s.CommitmentTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return fmt.Errorf("seed commitments: %w", err)
	}
	if sameCommitments(have, cs) {
		bump(&rep.Unchanged, "commitments", len(cs))
		return nil
	}
	bump(&rep.Created, "commitments", len(cs))
	if dryRun {
		return nil
	}
	if err := s.ReplaceCommitments(ctx, "kiel", cs); err != nil {
		return fmt.Errorf("seed commitments: %w", err)
	}
	return nil
}

// sameCommitments reports whether the stored totals per donor are those
// of cs, to the cent.
func sameCommitments(have []coalition.CommitmentTotal, cs []coalition.Commitment) bool {
	want := map[string][2]int64{}
	for _, c := range cs {
		w := want[c.ISO3]
		want[c.ISO3] = [2]int64{w[0] + c.CommittedEUR, w[1] + c.ToBeAllocatedEUR}
	}
	if len(have) != len(want) {
		return false
	}
	for _, h := range have {
		w, ok := want[h.ISO3]
		if !ok || float64(w[0])/100 != h.CommittedEUR || float64(w[1])/100 != h.ToBeAllocatedEUR {
			return false
		}
	}
	return true
}

func bump(m *map[string]int, key string, n int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[key] += n
}

// LoadChannels adds the bundled channels (refdata.Channels), counted under
// "channels" in rep. A channel is created only when no channel has its
// code: the seed never overwrites a user's channel (to take the bundled one
// again, delete it and seed).
func LoadChannels(ctx context.Context, s coalition.ChannelStore, dryRun bool, rep *coalition.LoadReport) error {
	chans, err := refdata.Channels()
	if err != nil {
		return err
	}
	count := func(m *map[string]int) {
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)["channels"]++
	}
	for _, c := range chans {
		_, err := s.FindChannelByCode(ctx, c.Code)
		switch {
		case err == nil:
			count(&rep.Unchanged)
			continue
		case coalition.ErrorKind(err) != coalition.NotFound:
			return fmt.Errorf("seed channels: %w", err)
		}
		count(&rep.Created)
		if dryRun {
			continue
		}
		if err := s.CreateChannel(ctx, c); err != nil {
			return fmt.Errorf("seed channels: %s: %w", c.Code, err)
		}
	}
	return nil
}

// LoadWeapons loads Kiel's heavy-weapons table as the release of dataset
// kiel-weapons (refdata.WeaponsRelease), counted under "equipment" in rep.
// A dry run leaves it out: LoadEquipment has no dry run of its own.
func LoadWeapons(ctx context.Context, s coalition.EquipmentStore, rep *coalition.LoadReport) error {
	rel, err := refdata.WeaponsRelease()
	if err != nil {
		return err
	}
	r, err := s.LoadEquipment(ctx, rel)
	if err != nil {
		return fmt.Errorf("kiel-weapons: %w", err)
	}
	bump(&rep.Created, "equipment", r.Created)
	bump(&rep.Updated, "equipment", r.Updated)
	bump(&rep.Unchanged, "equipment", r.Unchanged)
	rep.Releases = append(rep.Releases, r)
	return nil
}

// NeedsStore is what LoadNeeds writes to.
type NeedsStore interface {
	FindCoalitionByCode(ctx context.Context, code string) (*coalition.Coalition, error)
	coalition.RequirementStore
}

// LoadNeeds adds the bundled needs (refdata.Needs) as requirements of
// COW2025, counted under "requirements" in rep. A row is created only when
// the coalition has no requirement with the same source, category and first
// month: requirements are editable, and the seed never overwrites users' edits;
// a deleted row comes back with the next seed (delete it after seeding, or
// store a replacement with another source).
func LoadNeeds(ctx context.Context, s NeedsStore, dryRun bool, rep *coalition.LoadReport) error {
	needs, err := refdata.Needs()
	if err != nil {
		return err
	}
	c, err := s.FindCoalitionByCode(ctx, refdata.NeedsCoalition)
	if coalition.ErrorKind(err) == coalition.NotFound && dryRun {
		for range needs {
			countRequirement(&rep.Created)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("seed needs: %w", err)
	}
	have, err := existingNeeds(ctx, s, c.ID)
	if err != nil {
		return err
	}
	for _, n := range needs {
		r := n.Requirement
		if have[needKey(r)] {
			countRequirement(&rep.Unchanged)
			continue
		}
		countRequirement(&rep.Created)
		if dryRun {
			continue
		}
		r.CoalitionID = &c.ID
		if err := s.CreateRequirement(ctx, r); err != nil {
			return fmt.Errorf("seed needs: %s %s: %w", r.Category, r.From, err)
		}
	}
	return nil
}

// countRequirement counts one requirement in a report map, which a
// LoadReport leaves nil until something is counted.
func countRequirement(m *map[string]int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)["requirements"]++
}

// existingNeeds is the set of needKeys of the coalition's requirements,
// read page by page: the seed must not add a need a user already has.
func existingNeeds(ctx context.Context, s NeedsStore, coalitionID int64) (map[string]bool, error) {
	have := map[string]bool{}
	after := int64(0)
	for {
		page, more, err := s.FindRequirements(ctx, coalition.RequirementFilter{CoalitionID: &coalitionID, After: after, Limit: coalition.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			have[needKey(r)] = true
		}
		if !more || len(page) == 0 {
			return have, nil
		}
		after = page[len(page)-1].ID
	}
}

func needKey(r *coalition.Requirement) string {
	return r.Source + "|" + r.Category + "|" + r.From.String()
}

// ForceStore is what LoadForce writes to.
type ForceStore interface {
	FindCoalitionByCode(ctx context.Context, code string) (*coalition.Coalition, error)
	coalition.ForceStore
}

// LoadForce adds the bundled public record of the reassurance force
// (refdata.ForceRecord) to its coalition, counted under "force lines" and
// "force offers" in rep. A line or offer is created only when the
// coalition has none with its ref: lines and offers are editable, and the
// seed never overwrites users' edits.
func LoadForce(ctx context.Context, s ForceStore, dryRun bool, rep *coalition.LoadReport) error {
	lines, offers, err := refdata.ForceRecord()
	if err != nil {
		return err
	}
	lineIDs := map[string]int64{}
	haveOffers := map[string]bool{}
	known := map[string]int64{} // coalition code → id
	for _, bl := range lines {
		id, ok := known[bl.Coalition]
		if !ok {
			c, err := s.FindCoalitionByCode(ctx, bl.Coalition)
			if coalition.ErrorKind(err) == coalition.NotFound && dryRun {
				bump(&rep.Created, "force lines", 1)
				continue
			}
			if err != nil {
				return fmt.Errorf("seed force: %w", err)
			}
			id = c.ID
			known[bl.Coalition] = id
			stored, storedOffers, err := s.FindForce(ctx, id)
			if err != nil {
				return fmt.Errorf("seed force: %w", err)
			}
			for _, l := range stored {
				if l.SourceRef != "" {
					lineIDs[l.SourceRef] = l.ID
				}
			}
			for _, o := range storedOffers {
				haveOffers[o.SourceRef] = true
			}
		}
		if _, ok := lineIDs[bl.Line.SourceRef]; ok {
			bump(&rep.Unchanged, "force lines", 1)
			continue
		}
		bump(&rep.Created, "force lines", 1)
		if dryRun {
			continue
		}
		l := *bl.Line
		l.CoalitionID = id
		if err := s.CreateForceLine(ctx, &l); err != nil {
			return fmt.Errorf("seed force: line %s: %w", l.SourceRef, err)
		}
		lineIDs[l.SourceRef] = l.ID
	}
	for _, bo := range offers {
		if haveOffers[bo.Offer.SourceRef] {
			bump(&rep.Unchanged, "force offers", 1)
			continue
		}
		bump(&rep.Created, "force offers", 1)
		if dryRun {
			continue
		}
		o := *bo.Offer
		o.LineID = lineIDs[bo.LineRef]
		if err := s.CreateForceOffer(ctx, &o); err != nil {
			return fmt.Errorf("seed force: offer %s: %w", o.SourceRef, err)
		}
	}
	return nil
}
