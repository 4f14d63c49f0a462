package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// BulkDelivery is a delivery against a pledge of the same BulkInsert,
// named by the pledge's SourceRef.
type BulkDelivery struct {
	PledgeRef string
	Date      coalition.Date
	AmountEUR int64
	Source    string
}

// BulkReport says what one BulkInsert wrote.
type BulkReport struct {
	Pledges    int `json:"pledges"`
	Deliveries int `json:"deliveries"`
}

// pledgeInsertCols are the columns a bulk insert writes, in order.
const pledgeInsertCols = `donor, recipient, coalition_id, category, support_type, amount_minor, currency, amount_eur_minor, fx_rate,
	fx_month, quantity, unit, announced, deliver_from, deliver_to, status, conditions, visibility, source, source_ref, as_of,
	provenance, version, created_at, updated_at, dataset, dataset_release`

const pledgeInsertN = 27

// BulkInsert writes ps and ds in one transaction with multi-row INSERTs
// and appends one audit entry for the whole batch (counts and sources, not
// every row). Every pledge must Validate and the user must be allowed to
// write it; deliveries must name a pledge of ps by SourceRef. pledge_rollup
// is kept by the same triggers as for single writes. IDs are not set on ps.
// Meant for generated and very large loads: callers choose the batch size
// (10,000 rows is a good one on both engines).
func (s *Store) BulkInsert(ctx context.Context, ps []*coalition.Pledge, ds []BulkDelivery) (BulkReport, error) {
	return writeValue(s, ctx, "bulk insert", func(tx *Tx) (BulkReport, error) {
		var rep BulkReport
		sources := map[string]bool{}
		for i, p := range ps {
			if p.Amount.Currency == "EUR" {
				p.AmountEUR, p.FXRate = p.Amount.Minor, 1
			}
			if err := p.Validate(); err != nil {
				return rep, fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
			if err := tx.requireWrite(coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not enter pledges for %s", p.Donor); err != nil {
				return rep, err
			}
			sources[p.Source] = true
		}
		if s.dialect == sqlite {
			// As for imports: statement journals in memory, a larger page cache.
			for _, pragma := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -262144"} {
				if _, err := tx.exec(ctx, pragma); err != nil {
					return rep, fmt.Errorf("sqlstore: bulk insert: %s: %w", pragma, err)
				}
			}
		}
		ids, err := tx.bulkPledges(ctx, ps, len(ds) > 0)
		if err != nil {
			return rep, err
		}
		rep.Pledges = len(ps)
		if err := tx.bulkDeliveries(ctx, ds, ids); err != nil {
			return rep, err
		}
		rep.Deliveries = len(ds)
		srcs := make([]string, 0, len(sources))
		for src := range sources {
			srcs = append(srcs, src)
		}
		summary := map[string]any{"pledges": rep.Pledges, "deliveries": rep.Deliveries, "sources": srcs}
		if len(ps) > 0 {
			summary["first_ref"], summary["last_ref"] = ps[0].SourceRef, ps[len(ps)-1].SourceRef
		}
		if err := tx.audit(ctx, "bulk-create", "pledge", nil, nil, summary, nil); err != nil {
			return rep, err
		}
		return rep, nil
	})
}

// bulkPledges inserts ps in statements of many rows; with wantIDs it
// returns the new ids by SourceRef.
func (tx *Tx) bulkPledges(ctx context.Context, ps []*coalition.Pledge, wantIDs bool) (map[string]int64, error) {
	per := 1000 // PostgreSQL allows 65,535 parameters a statement
	if tx.s.dialect == sqlite {
		per = 400 // SQLite 32,766
	}
	ids := map[string]int64{}
	now := ts(tx.now)
	args := make([]any, 0, per*pledgeInsertN)
	for start := 0; start < len(ps); start += per {
		chunk := ps[start:min(start+per, len(ps))]
		args = args[:0]
		for _, p := range chunk {
			p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
			args = appendPledgeArgs(args, p, now)
		}
		q := "INSERT INTO pledges (" + pledgeInsertCols + ") VALUES " + valuesList(len(chunk), pledgeInsertN)
		if !wantIDs {
			if _, err := tx.exec(ctx, q, args...); err != nil {
				return nil, tx.s.mapErr(fmt.Errorf("sqlstore: bulk insert pledges: %w", err))
			}
			continue
		}
		rows, err := tx.query(ctx, q+" RETURNING id, source_ref", args...)
		if err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: bulk insert pledges: %w", err))
		}
		for rows.Next() {
			var id int64
			var ref string
			if err := rows.Scan(&id, &ref); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlstore: bulk insert pledges: %w", err)
			}
			if ref != "" {
				ids[ref] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: bulk insert pledges: %w", err))
		}
	}
	return ids, nil
}

func (tx *Tx) bulkDeliveries(ctx context.Context, ds []BulkDelivery, ids map[string]int64) error {
	const per, n = 1000, 6
	now := ts(tx.now)
	args := make([]any, 0, per*n)
	for start := 0; start < len(ds); start += per {
		chunk := ds[start:min(start+per, len(ds))]
		args = args[:0]
		for i, d := range chunk {
			id, ok := ids[d.PledgeRef]
			if !ok {
				return coalition.FieldError("pledge_ref", "deliveries[%d]: no pledge %q in this batch", start+i, d.PledgeRef)
			}
			dv := coalition.Delivery{PledgeID: id, Date: d.Date, AmountEUR: d.AmountEUR, Source: d.Source}
			if err := dv.Validate(); err != nil {
				return fmt.Errorf("deliveries[%d]: %w", start+i, err)
			}
			args = append(args, id, d.Date, d.AmountEUR, d.Source, 1, now)
		}
		if _, err := tx.exec(ctx, "INSERT INTO deliveries (pledge_id, date, amount_eur_minor, source, version, created_at) VALUES "+
			valuesList(len(chunk), n), args...); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: bulk insert deliveries: %w", err))
		}
	}
	return nil
}

// appendPledgeArgs appends the values of pledgeInsertCols for a new pledge
// written at now. They are the driver's own types (string, int64, float64,
// nil), what database/sql would convert the domain's types to by
// reflection, row after row.
func appendPledgeArgs(args []any, p *coalition.Pledge, now string) []any {
	cat, _ := coalition.CategoryByCode(p.Category)
	return append(args, p.Donor, p.Recipient, optInt(p.CoalitionID), p.Category, string(cat.Type), p.Amount.Minor, p.Amount.Currency,
		p.AmountEUR, p.FXRate, int64(p.FXMonth), optInt(p.Quantity), p.Unit, dateArg(p.Announced), int64(p.DeliverFrom),
		int64(p.DeliverTo), string(p.Status), p.Conditions, string(p.Visibility), p.Source, p.SourceRef, dateArg(p.AsOf), p.Provenance,
		int64(1), now, now, p.Dataset, p.Release)
}

// optInt is an optional number as the driver takes it: nil or an int64.
func optInt(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}

// dateArg is a date as the driver takes it (coalition.Date.Value).
func dateArg(d coalition.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// valuesList returns "(?,…,?),(?,…,?)": rows groups of cols placeholders.
func valuesList(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	var b strings.Builder
	b.Grow(rows * (len(one) + 1))
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}
