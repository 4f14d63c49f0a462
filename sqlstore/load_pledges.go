package sqlstore

import (
	"context"
	"fmt"

	"coalition"
)

// loadPledges creates or updates ds.Pledges: those of a release (Dataset
// set) matched on (dataset, source_ref), noting in removed the dataset's
// pledges the release no longer has; the others on (source, source_ref).
func (tx *Tx) loadPledges(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport, rels map[string]*releaseLoad,
	removed map[string][]int64) error {
	if len(ds.Pledges) == 0 {
		return nil
	}
	type row struct {
		cur  *coalition.Pledge // as stored
		seen bool
	}
	have := map[string]*row{}
	rows, err := tx.query(ctx, "SELECT "+pledgeCols+" FROM pledges WHERE source_ref <> ''")
	if err != nil {
		return fmt.Errorf("sqlstore: load pledges: %w", err)
	}
	for rows.Next() {
		p, err := scanPledge(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: load pledges: %w", err)
		}
		if p.Dataset != "" {
			have["d\x00"+p.Dataset+"\x00"+p.SourceRef] = &row{cur: p}
		} else {
			have["s\x00"+p.Source+"\x00"+p.SourceRef] = &row{cur: p}
		}
	}
	rows.Close()
	for i, p := range ds.Pledges {
		key := "s\x00" + p.Source + "\x00" + p.SourceRef
		if p.Dataset != "" {
			st := rels[p.Dataset]
			if st == nil || st.r.Records != coalition.ReleasePledges {
				return coalition.FieldError("dataset", "pledges[%d] (%s): no release of pledges of %q in this load", i, p.SourceRef, p.Dataset)
			}
			if st.skip {
				continue // an older release than the one loaded
			}
			if p.SourceRef == "" {
				return coalition.FieldError("source_ref", "pledges[%d]: a record of %s needs its key", i, p.Dataset)
			}
			st.claim(p)
			key = "d\x00" + p.Dataset + "\x00" + p.SourceRef
		} else {
			p.Release = ""
		}
		if p.Amount.Currency == "EUR" {
			p.AmountEUR, p.FXRate = p.Amount.Minor, 1
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
		}
		old, ok := have[key]
		if ok && old.seen {
			return coalition.FieldError("source_ref", "pledges[%d]: %q appears twice in this load", i, p.SourceRef)
		}
		changed := ok && !sameImported(old.cur, p)
		count(rep, "pledges", ok, changed)
		if st := rels[p.Dataset]; p.Dataset != "" {
			switch {
			case !ok:
				st.rep.Created++
			case changed:
				st.rep.Updated++
			default:
				st.rep.Unchanged++
			}
		}
		switch {
		case !ok:
			if err := tx.createPledge(ctx, p); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
			if p.SourceRef != "" {
				have[key] = &row{cur: p, seen: true}
			}
		case changed:
			old.seen = true
			// As updatePledge would: the user must be able to write the
			// pledge as it is and as it will be.
			if err := tx.requireWrite(coalition.CanWrite(tx.user, old.cur.Donor, old.cur.CoalitionID) &&
				coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not change pledges of %s", old.cur.Donor); err != nil {
				return err
			}
			if err := tx.rewritePledge(ctx, old.cur.ID, p); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
		default:
			old.seen = true
		}
	}
	for _, r := range have {
		if d := r.cur.Dataset; d != "" && !r.seen && rels[d] != nil && !rels[d].skip {
			removed[d] = append(removed[d], r.cur.ID)
		}
	}
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
	for _, r := range rates {
		if _, err := tx.exec(ctx, `UPDATE fx_rates SET dataset = ?, dataset_release = ? WHERE currency = ? AND month = ?
			AND (dataset <> ? OR dataset_release <> ?)`, st.r.Dataset, st.r.Name, r.Currency, r.Month, st.r.Dataset, st.r.Name); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load fx rates: %w", err))
		}
	}
	return nil
}
