package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"coalition"
)

// pledge_rollup (migration 0006) holds, per donor, announcement month
// ("YYYY-MM"), support type, status, visibility and coalition (0: none), the
// exact sum of amount_eur_minor, the number of pledges, max(as_of) and
// min/max(source). Triggers keep it in the same transaction as every write to
// pledges, whichever path makes it (a first Load and the SQLite import set
// the insert trigger aside and account for it themselves: load_rollup.go,
// Import.rollupCatchUp). DonorTotals and MonthlySupport read it
// under the same visible(...) condition as the pledges (the rollup keeps the
// columns the rule reads, with the donor as owner), so their answers equal
// the raw sums for every user. pledge_monthly (migration 0017) is the rollup
// pivoted per month, donor and type (a sum and count per status, of every
// pledge and of the public ones), kept from it by triggers as pledge_totals
// is: MonthlySupport reads it for the administrator and the readers of
// public pledges only (visibleShare). See docs/scale-out.md.

// sumMinor sums a column of minor units without ever failing: × 1.0 makes
// SQLite sum REALs (exact below 2^53, see coalition.MaxAmountMinor) instead
// of raising "integer overflow", and PostgreSQL sum an exact numeric instead
// of casting back to bigint. Scan the result into a coalition.Minor, which
// saturates.
func sumMinor(col string) string { return "sum(" + col + " * 1.0)" }

// donorTotalsSQL is DonorTotals' query over pledge_rollup p (pledge_totals
// when f has no period), or over pledges p when raw.
func donorTotalsSQL(where string, raw bool, f coalition.DonorFilter) string {
	table, asOf, minSrc, maxSrc := "pledge_rollup", "p.max_as_of", "p.min_source", "p.max_source"
	if f.Since == 0 && f.Until == 0 {
		table = "pledge_totals" // the same columns without the month (migration 0007)
	}
	if raw {
		table, asOf, minSrc, maxSrc = "pledges", "p.as_of", "p.source", "p.source"
	}
	// Sum first, then join the few (donor, type) rows to countries.
	return `SELECT t.donor, c.name, c.gdp_usd_bn, c.gdp_year, c.population_m, t.support_type, t.eur, t.as_of, t.src1, t.src2
		FROM (SELECT p.donor, p.support_type, ` + sumMinor("p.amount_eur_minor") + ` AS eur, max(` + asOf + `) AS as_of,
			min(` + minSrc + `) AS src1, max(` + maxSrc + `) AS src2
			FROM ` + table + ` p WHERE ` + where + ` GROUP BY p.donor, p.support_type) t
		JOIN countries c ON c.iso3 = t.donor`
}

// monthlySQL is MonthlySupport's query over pledge_rollup p, or over
// pledges p when raw.
func monthlySQL(where string, raw bool) string {
	table, month := "pledge_rollup", "p.month"
	if raw {
		table, month = "pledges", "substr(p.announced, 1, 7)"
	}
	return `SELECT p.donor, ` + month + `, p.support_type, ` + sumMinor("p.amount_eur_minor") + `
		FROM ` + table + ` p WHERE ` + where + ` GROUP BY p.donor, ` + month + `, p.support_type
		ORDER BY 2, 1, 3`
}

// monthlyTableSQL is MonthlySupport's query over pledge_monthly p
// (migration 0017): one row per answer row, amounts its euro cents (an
// expression over the row's columns, or the columns to add), in the
// table's key order, so that SQLite reads it once with neither grouping
// nor sorting.
func monthlyTableSQL(where, amounts string) string {
	return `SELECT p.donor, p.month, p.support_type, ` + amounts + `
		FROM pledge_monthly p WHERE ` + where + `
		ORDER BY 2, 1, 3`
}

// monthlyStatuses are the statuses pledge_monthly has columns for
// (STATUS_eur, STATUS_n, STATUS_public_eur, STATUS_public_n; migration
// 0017): today every coalition.PledgeStatuses (TestMonthlyStatuses). A
// filter on another status reads pledge_rollup.
var monthlyStatuses = []coalition.PledgeStatus{coalition.Announced, coalition.Committed, coalition.Allocated, coalition.Delivered, coalition.Cancelled}

// monthlyColumns are pledge_monthly's sum and count columns in their
// order, and monthlyPivot the same computed from rows of a table with the
// columns status and visibility, amount and n their euro cents and number
// of pledges.
func monthlyColumns() []string {
	var out []string
	for _, st := range monthlyStatuses {
		s := string(st)
		out = append(out, s+"_eur", s+"_n", s+"_public_eur", s+"_public_n")
	}
	return out
}

func monthlyPivot(amount, n string) string {
	var out []string
	for _, st := range monthlyStatuses {
		is := "status = '" + string(st) + "'"
		pub := is + " AND visibility = 'public'"
		out = append(out, "sum(CASE WHEN "+is+" THEN "+amount+" ELSE 0 END)", "sum(CASE WHEN "+is+" THEN "+n+" ELSE 0 END)",
			"sum(CASE WHEN "+pub+" THEN "+amount+" ELSE 0 END)", "sum(CASE WHEN "+pub+" THEN "+n+" ELSE 0 END)")
	}
	return strings.Join(out, ", ")
}

// monthlyStatusIn is the condition that a row's status has columns in
// pledge_monthly.
func monthlyStatusIn() string {
	var out []string
	for _, st := range monthlyStatuses {
		out = append(out, "'"+string(st)+"'")
	}
	return "status IN (" + strings.Join(out, ", ") + ")"
}

// RawDonorTotals is DonorTotals computed from the pledges themselves,
// without the rollup: the reference for equality tests and benchmarks.
func (s *Store) RawDonorTotals(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorTotal, error) {
	return s.donorTotals(ctx, f, true)
}

// RawMonthlySupport is MonthlySupport computed from the pledges themselves.
func (s *Store) RawMonthlySupport(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorMonth, error) {
	return s.monthlySupport(ctx, f, true)
}

// rollupKeyCols are the grouping columns of pledge_rollup, as computed
// from pledges.
const rollupFromPledges = `SELECT donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0),
	sum(amount_eur_minor), count(*), max(as_of), min(source), max(source)
	FROM pledges GROUP BY donor, substr(announced, 1, 7), support_type, status, visibility, coalesce(coalition_id, 0)`

const rollupRows = `SELECT donor, month, support_type, status, visibility, coalition_id,
	amount_eur_minor, pledges, max_as_of, min_source, max_source FROM pledge_rollup`

// totalsFromPledges and totalsRows are the same for pledge_totals (month '*').
const totalsFromPledges = `SELECT donor, '*', support_type, status, visibility, coalesce(coalition_id, 0),
	sum(amount_eur_minor), count(*), max(as_of), min(source), max(source)
	FROM pledges GROUP BY donor, support_type, status, visibility, coalesce(coalition_id, 0)`

const totalsRows = `SELECT donor, '*', support_type, status, visibility, coalition_id,
	amount_eur_minor, pledges, max_as_of, min_source, max_source FROM pledge_totals`

// monthlyFromRollup computes pledge_monthly from pledge_rollup, as its
// migration did; monthlyFromPledges computes the same groups from the
// pledges, and monthlyRows reads them (for RollupDiff).
func monthlyFromRollup() string {
	return `SELECT month, donor, support_type, ` + monthlyPivot("amount_eur_minor", "pledges") + `
	FROM pledge_rollup WHERE ` + monthlyStatusIn() + ` GROUP BY month, donor, support_type`
}

func monthlyFromPledges() string {
	return `SELECT substr(announced, 1, 7), donor, support_type, ` + monthlyPivot("amount_eur_minor", "1") + `
	FROM pledges WHERE ` + monthlyStatusIn() + ` GROUP BY substr(announced, 1, 7), donor, support_type`
}

func monthlyRows() string {
	return `SELECT month, donor, support_type, ` + strings.Join(monthlyColumns(), ", ") + ` FROM pledge_monthly`
}

// RollupDiff compares pledge_rollup, pledge_totals and pledge_monthly with
// the same groups computed from the pledges, in one snapshot, and describes
// every group that differs (at most max of them; nil when the rollup is
// exact). It reads every pledge: a check for tests and `coalition gen`, not
// for requests.
func (s *Store) RollupDiff(ctx context.Context, max int) ([]string, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []string
	for _, c := range []struct {
		table, want, got string
		read             func(context.Context, string) (map[string]string, error)
	}{
		{"pledge_rollup", rollupFromPledges, rollupRows, tx.rollupMap},
		{"pledge_totals", totalsFromPledges, totalsRows, tx.rollupMap},
		{"pledge_monthly", monthlyFromPledges(), monthlyRows(), tx.monthlyMap},
	} {
		want, err := c.read(ctx, c.want)
		if err != nil {
			return nil, err
		}
		got, err := c.read(ctx, c.got)
		if err != nil {
			return nil, err
		}
		for k, w := range want {
			if g, ok := got[k]; !ok {
				out = append(out, fmt.Sprintf("%s group %s: missing, pledges give %s", c.table, k, w))
			} else if g != w {
				out = append(out, fmt.Sprintf("%s group %s: %s, pledges give %s", c.table, k, g, w))
			}
		}
		for k, g := range got {
			if _, ok := want[k]; !ok {
				out = append(out, fmt.Sprintf("%s group %s: %s but no pledge is in it", c.table, k, g))
			}
		}
	}
	sort.Strings(out)
	if len(out) > max {
		out = append(out[:max], fmt.Sprintf("… and %d more", len(out)-max))
	}
	return out, nil
}

func (tx *Tx) rollupMap(ctx context.Context, q string) (map[string]string, error) {
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rollup check: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var donor, month, typ, status, vis, minSrc, maxSrc string
		var coal, n int64
		var sum coalition.Minor
		var asOf coalition.Date
		if err := rows.Scan(&donor, &month, &typ, &status, &vis, &coal, &sum, &n, &asOf, &minSrc, &maxSrc); err != nil {
			return nil, fmt.Errorf("sqlstore: rollup check: %w", err)
		}
		k := fmt.Sprintf("%s/%s/%s/%s/%s/%d", donor, month, typ, status, vis, coal)
		out[k] = fmt.Sprintf("sum=%d n=%d as_of=%s sources=[%q %q]", sum, n, asOf, minSrc, maxSrc)
	}
	return out, rows.Err()
}

// monthlyMap reads the groups of pledge_monthly (or the same computed from
// the pledges) as rollupMap does.
func (tx *Tx) monthlyMap(ctx context.Context, q string) (map[string]string, error) {
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rollup check: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	cols := monthlyColumns()
	var month, donor, typ string
	vals := make([]coalition.Minor, len(cols))
	dest := []any{&month, &donor, &typ}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlstore: rollup check: %w", err)
		}
		var b strings.Builder
		for i, c := range cols {
			if vals[i] != 0 {
				fmt.Fprintf(&b, " %s=%d", c, vals[i])
			}
		}
		out[month+"/"+donor+"/"+typ] = strings.TrimSpace(b.String())
	}
	return out, rows.Err()
}

// RebuildRollup recomputes pledge_rollup from the pledges in one write
// transaction (a repair; the triggers keep it exact otherwise).
func (s *Store) RebuildRollup(ctx context.Context) error {
	return s.write(ctx, "rebuild rollup", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only an administrator may rebuild the rollup"); err != nil {
			return err
		}
		// The tables derived from the rollup first: then the rollup's delete
		// triggers find nothing to subtract, and its insert triggers build
		// them again.
		for _, table := range []string{"pledge_totals", "pledge_monthly", "pledge_rollup"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table); err != nil {
				return s.mapErr(fmt.Errorf("sqlstore: rebuild rollup: %w", err))
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id,
			amount_eur_minor, pledges, max_as_of, min_source, max_source) `+rollupFromPledges); err != nil {
			return s.mapErr(fmt.Errorf("sqlstore: rebuild rollup: %w", err))
		}
		if err := tx.audit(ctx, "rebuild", "pledge_rollup", nil, nil, nil, nil); err != nil {
			return err
		}
		return nil
	})
}
