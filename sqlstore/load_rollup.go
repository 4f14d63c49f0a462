// The pledges of a Load into a database without pledges (a fresh one: the
// reference data seeded by `serve`, `seed` or any first command) are
// written without the rollup triggers, and pledge_rollup, pledge_totals and
// pledge_monthly are computed once from them afterwards: the migrations' own
// grouped INSERT … SELECT, which gives what the triggers give pledge by
// pledge (load_rollup_test.go compares the two on both engines).

package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// rollupTriggers are the insert triggers that keep the rollups, by table:
// the one on pledges fills pledge_rollup, those on pledge_rollup fill
// pledge_totals and pledge_monthly (migrations 0006, 0007 and 0017, both
// engines).
var rollupTriggers = []struct{ table, trigger string }{
	{"pledges", "pledge_rollup_insert"},
	{"pledge_rollup", "pledge_totals_insert"},
	{"pledge_rollup", "pledge_monthly_insert"},
}

// bulkRollup is a deferred rollup: the triggers it turned off (on SQLite
// their CREATE statements, to put back) until finish.
type bulkRollup struct {
	created []string
}

// deferRollupIfEmpty turns the rollup insert triggers off for the rest of
// the load when pledges is empty, and returns what finish needs; nil (and
// nothing changed) when pledges has rows, so that the triggers keep the
// rollup of a database in use exactly as before. Inside the transaction:
// a rollback puts the triggers back. SQLite has one writer, so the check
// holds until commit; on PostgreSQL see deferRollupPostgres.
func (tx *Tx) deferRollupIfEmpty(ctx context.Context) (*bulkRollup, error) {
	if tx.s.perRowRollup {
		return nil, nil
	}
	if has, err := tx.pledgesExist(ctx); has || err != nil {
		return nil, err
	}
	if tx.s.dialect == postgres {
		return tx.deferRollupPostgres(ctx)
	}
	b := &bulkRollup{}
	for _, t := range rollupTriggers {
		var q string
		if err := tx.queryRow(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", t.trigger).Scan(&q); err != nil {
			return nil, fmt.Errorf("sqlstore: load: read trigger %s: %w", t.trigger, err)
		}
		b.created = append(b.created, q)
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+t.trigger); err != nil {
			return nil, fmt.Errorf("sqlstore: load: %w", err)
		}
	}
	tx.s.bulkRollups.Add(1)
	return b, nil
}

// deferRollupPostgres disables the triggers, which locks pledges and
// pledge_rollup against other writers (SHARE ROW EXCLUSIVE; readers are
// not blocked) until commit, then checks again that pledges is empty: no
// other transaction can add pledges between that check and finish. Where
// the role may not alter the tables, or pledges has rows after all, the
// savepoint undoes it and the load keeps the triggers.
func (tx *Tx) deferRollupPostgres(ctx context.Context) (*bulkRollup, error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT rollup_bulk"); err != nil {
		return nil, fmt.Errorf("sqlstore: load: %w", err)
	}
	var err error
	for _, t := range rollupTriggers {
		if _, err = tx.ExecContext(ctx, "ALTER TABLE "+t.table+" DISABLE TRIGGER "+t.trigger); err != nil {
			break
		}
	}
	var has bool
	if err == nil {
		has, err = tx.pledgesExist(ctx)
	}
	if err != nil || has {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT rollup_bulk"); err != nil {
			return nil, fmt.Errorf("sqlstore: load: %w", err)
		}
		return nil, nil
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT rollup_bulk"); err != nil {
		return nil, fmt.Errorf("sqlstore: load: %w", err)
	}
	tx.s.bulkRollups.Add(1)
	return &bulkRollup{}, nil
}

// pledgesExist says whether pledges has a row.
func (tx *Tx) pledgesExist(ctx context.Context) (bool, error) {
	var has bool
	if err := tx.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pledges)").Scan(&has); err != nil {
		return false, fmt.Errorf("sqlstore: load: %w", err)
	}
	return has, nil
}

// finish computes pledge_rollup from the pledges, and pledge_totals and
// pledge_monthly from the rollup, as the migrations that created them did,
// and puts the triggers back. The rollup tables are empty when it begins:
// pledges was, and only inserts into pledges ran since (no trigger filled
// the rollup).
func (b *bulkRollup) finish(ctx context.Context, tx *Tx) error {
	if b == nil {
		return nil
	}
	for _, q := range []string{
		`INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id,
			amount_eur_minor, pledges, max_as_of, min_source, max_source) ` + rollupFromPledges,
		`INSERT INTO pledge_totals (donor, support_type, status, visibility, coalition_id, amount_eur_minor, pledges,
			max_as_of, min_source, max_source)
		SELECT donor, support_type, status, visibility, coalition_id, sum(amount_eur_minor), sum(pledges), max(max_as_of),
			min(min_source), max(max_source)
		FROM pledge_rollup GROUP BY donor, support_type, status, visibility, coalition_id`,
		`INSERT INTO pledge_monthly (month, donor, support_type, ` + strings.Join(monthlyColumns(), ", ") + `) ` + monthlyFromRollup(),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load: compute the rollup: %w", err))
		}
	}
	return b.restore(ctx, tx)
}

// restore puts the triggers back.
func (b *bulkRollup) restore(ctx context.Context, tx *Tx) error {
	for i, t := range rollupTriggers {
		q := "ALTER TABLE " + t.table + " ENABLE TRIGGER " + t.trigger
		if tx.s.dialect == sqlite {
			if i >= len(b.created) {
				continue
			}
			q = b.created[i]
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load: restore trigger %s: %w", t.trigger, err))
		}
	}
	return nil
}
