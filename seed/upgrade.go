package seed

import (
	"context"
	"fmt"
	"slices"

	"coalition"
)

// eventKey is what loading matches stored risk events on.
type eventKey struct {
	iso3        string
	date        coalition.Date
	kind, label string
}

func keyOf(r *coalition.RiskEvent) eventKey { return eventKey{r.ISO3, r.Date, r.Kind, r.Label} }

// bundledRiskEvents is every risk event of the bundled data with the keys
// older seeds stored it under.
func bundledRiskEvents() ([]bundledEvent, error) {
	bs, err := electionEvents()
	if err != nil {
		return nil, err
	}
	others, err := PoliticalRiskEvents()
	if err != nil {
		return nil, err
	}
	for _, ev := range others {
		bs = append(bs, bundledEvent{ev: ev})
	}
	return bs, nil
}

// UpgradeRiskEvents brings the risk events an older seed stored up to the
// bundled data before it is loaded, without losing users' edits (issue 15):
//
//   - an event stored under a legacy key (a year-only election on 1 June,
//     an election stored before its outcome was recorded) is re-dated and
//     relabelled in place: it gets the bundled date, window and label, so
//     the next load finds it instead of adding a second event;
//   - an event no user has edited (version 1, as the seed created it) also
//     gets the bundled probability, factor, source and assumption (a held
//     election's recorded outcome, a corrected source); an edited one
//     (version > 1) keeps the user's;
//   - where a later seed added the new form beside the old one (both
//     stored), the unedited form is deleted and the edited one kept.
//
// Each change is an audited update as the user in ctx. It returns the
// number of events changed; a dry run counts them and changes nothing.
func UpgradeRiskEvents(ctx context.Context, s coalition.RiskEventStore, dryRun bool) (int, error) {
	bs, err := bundledRiskEvents()
	if err != nil {
		return 0, err
	}
	stored, err := s.FindRiskEvents(ctx, coalition.RiskEventFilter{})
	if err != nil {
		return 0, fmt.Errorf("seed: upgrade risk events: %w", err)
	}
	have := make(map[eventKey]*coalition.RiskEvent, len(stored))
	for _, r := range stored {
		have[keyOf(r)] = r
	}
	n := 0
	for _, b := range bs {
		cur, dups := pickStored(b, have)
		if cur == nil {
			continue // new: the load creates it
		}
		upd, changed := upgradeOf(cur, b.ev)
		if !changed && len(dups) == 0 {
			continue
		}
		n++
		if dryRun {
			continue
		}
		for _, d := range dups {
			if err := s.DeleteRiskEvent(ctx, d.ID, d.Version); err != nil {
				return n, fmt.Errorf("seed: upgrade: delete duplicate risk event %d (%s): %w", d.ID, d.Label, err)
			}
		}
		if changed {
			if _, err := s.UpdateRiskEvent(ctx, cur.ID, upd); err != nil {
				return n, fmt.Errorf("seed: upgrade risk event %d (%s): %w", cur.ID, cur.Label, err)
			}
		}
	}
	return n, nil
}

// pickStored finds the stored forms of bundled event b: under its key and
// its legacy keys. It keeps one, a user-edited one (version > 1) first,
// and returns the unedited others as duplicates to delete; an edited
// other is left alone (two edited forms: the user's to resolve).
func pickStored(b bundledEvent, have map[eventKey]*coalition.RiskEvent) (*coalition.RiskEvent, []*coalition.RiskEvent) {
	var found []*coalition.RiskEvent
	for _, k := range append([]eventKey{keyOf(b.ev)}, b.legacy...) {
		if r := have[k]; r != nil && !slices.Contains(found, r) {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	keep := found[0]
	for _, r := range found {
		if r.Version > 1 {
			keep = r
			break
		}
	}
	var dups []*coalition.RiskEvent
	for _, r := range found {
		if r != keep && r.Version == 1 {
			dups = append(dups, r)
		}
	}
	return keep, dups
}

// upgradeOf is the update that makes stored cur the bundled b: date,
// window and label always; the assumptions only if cur is unedited.
func upgradeOf(cur, b *coalition.RiskEvent) (coalition.RiskEventUpdate, bool) {
	upd := coalition.RiskEventUpdate{Version: cur.Version}
	changed := false
	if cur.Date != b.Date || cur.Label != b.Label || !sameWindow(cur, b) || cur.DateUnknown != b.DateUnknown {
		date, label, unknown := b.Date, b.Label, b.DateUnknown
		upd.Date, upd.Label, upd.DateUnknown = &date, &label, &unknown
		upd.Earliest, upd.Latest = b.Earliest, b.Latest
		upd.ClearWindow = b.Earliest == nil
		changed = true
	}
	if cur.Version == 1 && (cur.Probability != b.Probability || cur.Factor != b.Factor || cur.Source != b.Source || cur.Assumption != b.Assumption) {
		p, f, src, a := b.Probability, b.Factor, b.Source, b.Assumption
		upd.Probability, upd.Factor, upd.Source, upd.Assumption = &p, &f, &src, &a
		changed = true
	}
	return upd, changed
}

func sameWindow(a, b *coalition.RiskEvent) bool {
	if (a.Earliest == nil) != (b.Earliest == nil) {
		return false
	}
	return a.Earliest == nil || (*a.Earliest == *b.Earliest && *a.Latest == *b.Latest)
}
