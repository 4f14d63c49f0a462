package sqlstore

import (
	"context"

	"coalition"
)

// Load applies ds in one transaction. Records are matched on their natural
// keys; with dryRun the transaction is rolled back after counting. The
// pledges of a release in ds.Releases replace the release of their dataset
// loaded before (same or newer; an older release is skipped and reported).
// Load writes the reference tables itself (countries, groups, coalitions,
// people, FX rates, risk events); pledges and engagements go through the
// import's natural-key upsert (Import.Pledge, Import.Engagement), so a
// record loaded again is unchanged or updated exactly as an import says.
func (s *Store) Load(ctx context.Context, ds *coalition.Dataset, dryRun bool) (coalition.LoadReport, error) {
	rep := coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
	return writeValue(s, ctx, "load", func(tx *Tx) (coalition.LoadReport, error) {
		if err := tx.requireWrite(coalition.CanLoad(tx.user), "only admins and coordinators load or import data"); err != nil {
			return rep, err
		}
		tx.reuseStatements()
		rels := map[string]*releaseLoad{}
		for _, r := range ds.Releases {
			if rels[r.Dataset] != nil {
				return rep, coalition.FieldError("dataset", "two releases of %s in one load", r.Dataset)
			}
			var err error
			if rels[r.Dataset], err = tx.beginRelease(ctx, r, false, true); err != nil {
				return rep, err
			}
		}
		removed := map[string][]int64{}
		steps := []func(context.Context, *coalition.Dataset, *coalition.LoadReport) error{
			tx.loadCountries, tx.loadGroups, tx.loadCoalitions, tx.loadPeople, tx.loadFX,
			func(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
				return tx.loadPledges(ctx, ds, rep, rels, removed)
			},
			tx.loadEngagements, tx.loadRiskEvents,
		}
		for _, step := range steps {
			if err := step(ctx, ds, &rep); err != nil {
				return rep, err
			}
		}
		for _, r := range ds.Releases {
			st := rels[r.Dataset]
			if st.r.Records == coalition.ReleaseFXRates && !st.skip {
				if err := tx.tagRates(ctx, st, ds.FXRates); err != nil {
					return rep, err
				}
			}
			if err := tx.finishRelease(ctx, st, removed[r.Dataset]); err != nil {
				return rep, err
			}
			rep.Releases = append(rep.Releases, st.rep)
		}
		if dryRun {
			tx.discard = true
			return rep, nil
		}
		if err := tx.audit(ctx, "load", "dataset", nil, nil, rep, nil); err != nil {
			return rep, err
		}
		return rep, nil
	})
}

func count(rep *coalition.LoadReport, kind string, existed, changed bool) {
	switch {
	case !existed:
		rep.Created[kind]++
	case changed:
		rep.Updated[kind]++
	default:
		rep.Unchanged[kind]++
	}
}

// addCounts adds the counts of kind in from (an import's) to rep.
func addCounts(rep *coalition.LoadReport, from coalition.LoadReport, kind string) {
	for _, m := range []struct{ to, from map[string]int }{{rep.Created, from.Created}, {rep.Updated, from.Updated},
		{rep.Unchanged, from.Unchanged}} {
		if v := m.from[kind]; v > 0 {
			m.to[kind] += v
		}
	}
}
