package seed

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// bundledEngagementRef opens the source_ref of every engagement the seed
// loads from refdata's events.csv.
const bundledEngagementRef = "events.csv:"

// engagementRow keys a bundled engagement by its row in events.csv: its
// date and host (unique in the file).
func engagementRow(e *coalition.Engagement) string {
	if len(e.Participants) == 0 {
		return e.Date.String()
	}
	return e.Date.String() + "|" + e.Participants[0].ISO3
}

// UpgradeEngagements brings the engagements an older seed stored from
// events.csv up to the bundled rows before they are loaded (issue 15 §4:
// the rows were re-sourced and graded). Loading matches engagements on
// (source, source_ref), so a re-sourced row would otherwise be added
// beside its old copy:
//
//   - an old copy no user has edited (version 1) is deleted, and the load
//     creates the bundled row in its place;
//   - an old copy a user edited (version > 1) is kept with the user's
//     edits, and the bundled row is left out of this load (skip).
//
// It returns the number of old copies replaced and the rows of
// bundled to leave out; a dry run counts them and changes nothing.
func UpgradeEngagements(ctx context.Context, s coalition.EngagementStore, bundled []*coalition.Engagement, dryRun bool) (int, map[string]bool, error) {
	want := make(map[string]*coalition.Engagement, len(bundled))
	for _, e := range bundled {
		if strings.HasPrefix(e.SourceRef, bundledEngagementRef) {
			want[engagementRow(e)] = e
		}
	}
	n, skip := 0, map[string]bool{}
	f := coalition.EngagementFilter{Limit: 500}
	for {
		page, more, err := s.FindEngagements(ctx, f)
		if err != nil {
			return n, skip, fmt.Errorf("seed: upgrade engagements: %w", err)
		}
		for _, e := range page {
			f.After = e.ID
			b := want[engagementRow(e)]
			if b == nil || !strings.HasPrefix(e.SourceRef, bundledEngagementRef) || e.Source == b.Source && e.SourceRef == b.SourceRef {
				continue // not from events.csv, or the bundled row as it is
			}
			if e.Version > 1 {
				skip[engagementRow(e)] = true // the user's edit stands
				continue
			}
			n++
			if dryRun {
				continue
			}
			if err := s.DeleteEngagement(ctx, e.ID, e.Version); err != nil {
				return n, skip, fmt.Errorf("seed: upgrade engagement %d (%s): %w", e.ID, engagementRow(e), err)
			}
		}
		if !more || len(page) == 0 {
			return n, skip, nil
		}
	}
}

// withoutEngagements is ds with the engagements of the rows in skip left
// out (ds itself unchanged).
func withoutEngagements(ds *coalition.Dataset, skip map[string]bool) *coalition.Dataset {
	if len(skip) == 0 {
		return ds
	}
	out := *ds
	out.Engagements = nil
	for _, e := range ds.Engagements {
		if !skip[engagementRow(e)] {
			out.Engagements = append(out.Engagements, e)
		}
	}
	return &out
}
