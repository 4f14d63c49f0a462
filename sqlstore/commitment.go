package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"coalition"
)

// ReplaceCommitments replaces every commitment of dataset with cs in one
// audited transaction (admins and coordinators, as loads).
func (s *Store) ReplaceCommitments(ctx context.Context, dataset string, cs []coalition.Commitment) error {
	return s.write(ctx, "replace commitments", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanLoad(tx.user), "only admins and coordinators load datasets"); err != nil {
			return err
		}
		tx.reuseStatements() // one INSERT, compiled once, for ~1,000 rows
		_, err := tx.replaceCommitments(ctx, dataset, cs)
		return err
	})
}

// replaceCommitments deletes dataset's commitments and inserts cs in tx,
// audited; it returns how many rows were there before.
func (tx *Tx) replaceCommitments(ctx context.Context, dataset string, cs []coalition.Commitment) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM commitments WHERE dataset = ?", dataset)
	if err != nil {
		return 0, tx.s.mapErr(fmt.Errorf("sqlstore: replace commitments: %w", err))
	}
	before, _ := res.RowsAffected()
	for _, c := range cs {
		if c.Dataset != dataset {
			return 0, coalition.FieldError("dataset", "a commitment of %q among those of %q", c.Dataset, dataset)
		}
		if _, err := tx.exec(ctx, `INSERT INTO commitments (dataset, dataset_release, iso3, month, committed_eur_minor, to_be_allocated_eur_minor, source, as_of)
			VALUES (?,?,?,?,?,?,?,?)`, c.Dataset, c.Release, c.ISO3, c.Month, c.CommittedEUR, c.ToBeAllocatedEUR, c.Source, c.AsOf); err != nil {
			return 0, tx.s.mapErr(fmt.Errorf("sqlstore: replace commitments: %s %s: %w", c.ISO3, c.Month, err))
		}
	}
	return before, tx.audit(ctx, "replace", "commitments", dataset, map[string]int64{"rows": before}, map[string]int{"rows": len(cs)}, nil)
}

// CommitmentTotals sums the commitments per donor within f's months,
// largest committed first (ties by ISO3).
func (s *Store) CommitmentTotals(ctx context.Context, f coalition.DonorFilter) ([]coalition.CommitmentTotal, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `SELECT iso3, source, as_of, committed_eur_minor, to_be_allocated_eur_minor FROM commitments WHERE month >= ? AND month <= ?`
	until := f.Until
	if until == 0 {
		until = coalition.MaxMonth
	}
	rows, err := tx.query(ctx, q, f.Since, until)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: commitment totals: %w", err)
	}
	defer rows.Close()
	// Summed in cents (AddMinor saturates) and converted once: the
	// figures are Kiel's to the cent.
	type sums struct {
		t              coalition.CommitmentTotal
		committed, tba int64
	}
	by := map[string]*sums{}
	for rows.Next() {
		var iso, src string
		var asOf coalition.Date
		var committed, tba int64
		if err := rows.Scan(&iso, &src, &asOf, &committed, &tba); err != nil {
			return nil, fmt.Errorf("sqlstore: commitment totals: %w", err)
		}
		t := by[iso]
		if t == nil {
			t = &sums{t: coalition.CommitmentTotal{ISO3: iso, Source: src}}
			by[iso] = t
		}
		t.committed, t.tba = coalition.AddMinor(t.committed, committed), coalition.AddMinor(t.tba, tba)
		if asOf.After(t.t.AsOf) {
			t.t.AsOf = asOf
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: commitment totals: %w", err)
	}
	out := make([]coalition.CommitmentTotal, 0, len(by))
	for _, t := range by {
		t.t.CommittedEUR, t.t.ToBeAllocatedEUR = float64(t.committed)/100, float64(t.tba)/100
		out = append(out, t.t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CommittedEUR != out[j].CommittedEUR {
			return out[i].CommittedEUR > out[j].CommittedEUR
		}
		return out[i].ISO3 < out[j].ISO3
	})
	return out, nil
}
