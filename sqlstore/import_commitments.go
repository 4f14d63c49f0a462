package sqlstore

import (
	"context"
	"fmt"

	"coalition"
)

// Commitments replaces dataset's commitments with cs in the import's
// transaction, so that a release's commitments and allocations change
// together (a dry run or a refused row rolls both back). Counted under
// "commitments": unchanged when the stored rows are cs already.
func (im *Import) Commitments(ctx context.Context, dataset string, cs []coalition.Commitment) error {
	if err := im.settle(ctx); err != nil {
		return err
	}
	same, err := im.sameCommitments(ctx, dataset, cs)
	if err != nil {
		im.err = err
		return err
	}
	if same {
		im.rep.Unchanged["commitments"] += len(cs)
		return nil
	}
	if _, err := im.tx.replaceCommitments(ctx, dataset, cs); err != nil {
		im.err = err
		return err
	}
	im.rep.Created["commitments"] += len(cs)
	return nil
}

// sameCommitments says whether dataset's stored commitments are cs, row
// for row (donor, month, both figures and the release).
func (im *Import) sameCommitments(ctx context.Context, dataset string, cs []coalition.Commitment) (bool, error) {
	type row struct {
		release        string
		committed, tba int64
	}
	rows, err := im.tx.query(ctx, `SELECT iso3, month, dataset_release, committed_eur_minor, to_be_allocated_eur_minor FROM commitments WHERE dataset = ?`, dataset)
	if err != nil {
		return false, fmt.Errorf("sqlstore: import commitments: %w", err)
	}
	defer rows.Close()
	have := map[string]row{}
	for rows.Next() {
		var iso string
		var m coalition.Month
		var r row
		if err := rows.Scan(&iso, &m, &r.release, &r.committed, &r.tba); err != nil {
			return false, fmt.Errorf("sqlstore: import commitments: %w", err)
		}
		have[iso+" "+m.String()] = r
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("sqlstore: import commitments: %w", err)
	}
	if len(have) != len(cs) {
		return false, nil
	}
	for _, c := range cs {
		if have[c.ISO3+" "+c.Month.String()] != (row{c.Release, c.CommittedEUR, c.ToBeAllocatedEUR}) {
			return false, nil
		}
	}
	return true, nil
}
