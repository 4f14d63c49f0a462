// Pledges and engagements of a Load go through the natural-key upsert of an
// import (Import.Pledge, Import.Engagement), in the load's transaction.

package sqlstore

import (
	"context"
	"fmt"

	"coalition"
)

// loadPledges writes ds.Pledges through the natural-key upsert of an
// import (Import.Pledge) in the load's transaction: those of a release
// (Dataset set) matched on (dataset, source_ref), noting in removed the
// dataset's pledges the release no longer has; the others on (source,
// source_ref).
func (tx *Tx) loadPledges(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport, rels map[string]*releaseLoad,
	removed map[string][]int64) error {
	if len(ds.Pledges) == 0 {
		return nil
	}
	im, err := newImport(ctx, tx, false)
	if err != nil {
		return err
	}
	defer im.closeBatch()
	bulk, err := tx.deferRollupIfEmpty(ctx)
	if err != nil {
		return err
	}
	n := im.rep.LoadReport
	for i, p := range ds.Pledges {
		im.rel = nil
		if p.Dataset != "" {
			st := rels[p.Dataset]
			if st == nil || st.r.Records != coalition.ReleasePledges {
				return coalition.FieldError("dataset", "pledges[%d] (%s): no release of pledges of %q in this load", i, p.SourceRef, p.Dataset)
			}
			if st.skip {
				continue // an older release than the one loaded
			}
			im.rel = st
		}
		created, updated, unchanged := n.Created["pledges"], n.Updated["pledges"], n.Unchanged["pledges"]
		if err := im.Pledge(ctx, p); err != nil {
			return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
		}
		if st := im.rel; st != nil {
			st.rep.Created += n.Created["pledges"] - created
			st.rep.Updated += n.Updated["pledges"] - updated
			st.rep.Unchanged += n.Unchanged["pledges"] - unchanged
		}
	}
	if err := im.flush(ctx); err != nil {
		return err
	}
	if err := bulk.finish(ctx, tx); err != nil {
		return err
	}
	addCounts(rep, im.rep.LoadReport, "pledges")
	for dataset, rows := range im.relPledges {
		if st := rels[dataset]; st == nil || st.skip {
			continue
		}
		for _, r := range rows {
			if !r.seen {
				removed[dataset] = append(removed[dataset], r.id)
			}
		}
	}
	return nil
}

// loadEngagements writes ds.Engagements through the natural-key upsert of
// an import (Import.Engagement), matched on (source, source_ref), in the
// load's transaction.
func (tx *Tx) loadEngagements(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.Engagements) == 0 {
		return nil
	}
	im, err := newImport(ctx, tx, false)
	if err != nil {
		return err
	}
	defer im.closeBatch()
	for i, e := range ds.Engagements {
		if err := im.Engagement(ctx, e); err != nil {
			return fmt.Errorf("engagements[%d] (%s): %w", i, e.SourceRef, err)
		}
	}
	addCounts(rep, im.rep.LoadReport, "engagements")
	return nil
}

// tagRates marks the FX rates of ds as the records of the release st.
func (tx *Tx) tagRates(ctx context.Context, st *releaseLoad, rates []coalition.FXRate) error {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM fx_rates WHERE dataset = ? AND dataset_release = ?", st.r.Dataset, st.r.Name).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: load fx rates: %w", err)
	}
	if n == len(rates) {
		return nil // tagged before (the rates are keyed on currency and month: none is twice in rates)
	}
	var all int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM fx_rates").Scan(&all); err != nil {
		return fmt.Errorf("sqlstore: load fx rates: %w", err)
	}
	if all == distinctRates(rates) {
		// loadFX stored every rate of rates, and the table has no other
		// row: one UPDATE tags them all (a fresh database: 1,000 UPDATEs
		// of one row each before).
		if _, err := tx.exec(ctx, `UPDATE fx_rates SET dataset = ?, dataset_release = ? WHERE dataset <> ? OR dataset_release <> ?`,
			st.r.Dataset, st.r.Name, st.r.Dataset, st.r.Name); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load fx rates: %w", err))
		}
		return nil
	}
	for _, r := range rates {
		if _, err := tx.exec(ctx, `UPDATE fx_rates SET dataset = ?, dataset_release = ? WHERE currency = ? AND month = ?
			AND (dataset <> ? OR dataset_release <> ?)`, st.r.Dataset, st.r.Name, r.Currency, r.Month, st.r.Dataset, st.r.Name); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load fx rates: %w", err))
		}
	}
	return nil
}

// distinctRates is how many (currency, month) keys rates has.
func distinctRates(rates []coalition.FXRate) int {
	type key struct {
		currency string
		month    coalition.Month
	}
	seen := make(map[key]bool, len(rates))
	for _, r := range rates {
		seen[key{r.Currency, r.Month}] = true
	}
	return len(seen)
}
