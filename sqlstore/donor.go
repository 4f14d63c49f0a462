package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"

	"coalition"
)

// FindRate returns the rate for cur in month, or the nearest earlier month's.
func (s *Store) FindRate(ctx context.Context, cur string, month coalition.Month) (*coalition.FXRate, error) {
	return findRate(ctx, s.db.QueryRowContext, s.dialect, cur, month)
}

// findRate is FindRate in the transaction.
func (tx *Tx) findRate(ctx context.Context, cur string, month coalition.Month) (*coalition.FXRate, error) {
	return findRate(ctx, tx.QueryRowContext, tx.s.dialect, cur, month)
}

func findRate(ctx context.Context, queryRow func(context.Context, string, ...any) *sql.Row, d dialect, cur string, month coalition.Month) (*coalition.FXRate, error) {
	cur = strings.ToUpper(cur)
	if cur == "EUR" {
		return &coalition.FXRate{Month: month, Currency: "EUR", UnitsPerEUR: 1, Source: "identity"}, nil
	}
	var r coalition.FXRate
	err := queryRow(ctx, d.rebind(`SELECT month, currency, units_per_eur, source FROM fx_rates
		WHERE currency = ? AND month <= ? ORDER BY month DESC LIMIT 1`), cur, month).Scan(&r.Month, &r.Currency, &r.UnitsPerEUR, &r.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "no euro reference rate for %s in or before %s", cur, month)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find rate: %w", err)
	}
	return &r, nil
}

// annualUSDPerEUR returns coalition.AnnualRate of USD for each year whose
// 12 months are all in the table; a year with a month missing has none (and
// its GDPs no euro value: pct_gdp stays null).
func (tx *Tx) annualUSDPerEUR(ctx context.Context) (map[int]float64, error) {
	rows, err := tx.query(ctx, "SELECT month, units_per_eur FROM fx_rates WHERE currency = 'USD'")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: usd rates: %w", err)
	}
	defer rows.Close()
	var rates []coalition.FXRate
	for rows.Next() {
		r := coalition.FXRate{Currency: "USD"}
		if err := rows.Scan(&r.Month, &r.UnitsPerEUR); err != nil {
			return nil, err
		}
		rates = append(rates, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	years := map[int]bool{}
	for _, r := range rates {
		years[r.Month.Year()] = true
	}
	out := map[int]float64{}
	for y := range years {
		if v, err := coalition.AnnualRate(rates, "USD", y); err == nil {
			out[y] = v
		}
	}
	return out, nil
}

// donorWhere builds the WHERE clause shared by the donor aggregates, over
// pledge_rollup p (raw false: months) or pledges p (raw true: dates). Both
// tables have the columns visible and the filters read.
func (tx *Tx) donorWhere(ctx context.Context, f coalition.DonorFilter, raw bool) (string, []any, error) {
	cond, args := visible(tx.user, "p.", "p.donor")
	statuses := donorStatuses(f)
	ph := make([]string, len(statuses))
	for i, st := range statuses {
		ph[i] = "?"
		args = append(args, string(st))
	}
	return tx.donorWhereAnd(ctx, f, raw, cond+" AND p.status IN ("+strings.Join(ph, ",")+")", args)
}

// donorStatuses are the statuses f counts: its own, or allocated and
// delivered.
func donorStatuses(f coalition.DonorFilter) []coalition.PledgeStatus {
	if len(f.Statuses) == 0 {
		return []coalition.PledgeStatus{coalition.Allocated, coalition.Delivered}
	}
	return f.Statuses
}

// donorWhereAnd is donorWhere with cond (and its args) in place of the
// conditions on visibility and status.
func (tx *Tx) donorWhereAnd(ctx context.Context, f coalition.DonorFilter, raw bool, cond string, args []any) (string, []any, error) {
	where := []string{cond}
	if f.Type != "" {
		where, args = append(where, "p.support_type = ?"), append(args, string(f.Type))
	}
	switch {
	case raw && f.Since != 0:
		where, args = append(where, "p.announced >= ?"), append(args, f.Since.FirstDay().String())
	case f.Since != 0:
		where, args = append(where, "p.month >= ?"), append(args, f.Since.String())
	}
	switch {
	case raw && f.Until != 0:
		where, args = append(where, "p.announced < ?"), append(args, f.Until.Add(1).FirstDay().String())
	case f.Until != 0:
		where, args = append(where, "p.month <= ?"), append(args, f.Until.String())
	}
	if f.Group != "" {
		code := strings.ToUpper(f.Group)
		var n int
		if err := tx.queryRow(ctx, "SELECT (SELECT count(*) FROM alliance_groups WHERE code = ?) + (SELECT count(*) FROM coalitions WHERE code = ?)", code, code).Scan(&n); err != nil {
			return "", nil, fmt.Errorf("sqlstore: donors: %w", err)
		}
		if n == 0 {
			return "", nil, coalition.FieldError("group", "%q is not a group or coalition code", f.Group)
		}
		where = append(where, `p.donor IN (SELECT iso3 FROM group_members WHERE group_code = ?
			UNION SELECT m.iso3 FROM coalition_members m JOIN coalitions c ON c.id = m.coalition_id WHERE c.code = ? AND m.status = 'joined')`)
		args = append(args, code, code)
	}
	return strings.Join(where, " AND "), args, nil
}

// DonorTotals sums visible pledges per donor and type, from pledge_rollup
// (see rollup.go).
func (s *Store) DonorTotals(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorTotal, error) {
	return s.donorTotals(ctx, f, false)
}

func (s *Store) donorTotals(ctx context.Context, f coalition.DonorFilter, raw bool) ([]coalition.DonorTotal, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, err := tx.donorWhere(ctx, f, raw)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, donorTotalsSQL(where, raw, f), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: donor totals: %w", err)
	}
	byDonor, err := scanDonorGroups(rows)
	if err != nil {
		return nil, err
	}
	usd, err := tx.annualUSDPerEUR(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]coalition.DonorTotal, 0, len(byDonor))
	for _, a := range byDonor {
		out = append(out, a.total(usd))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TotalEUR != out[j].TotalEUR {
			return out[i].TotalEUR > out[j].TotalEUR
		}
		return out[i].ISO3 < out[j].ISO3
	})
	return out, nil
}

// donorSums is one donor's groups of the rollup, summed.
type donorSums struct {
	t        coalition.DonorTotal
	cents    map[coalition.SupportType]int64
	gdp, pop sql.NullFloat64
	gdpYear  int
	sources  map[string]bool
}

// scanDonorGroups sums the rows of donorTotalsSQL (one per donor, type and
// group) per donor, and closes rows.
func scanDonorGroups(rows *sql.Rows) (map[string]*donorSums, error) {
	defer rows.Close()
	byDonor := map[string]*donorSums{}
	for rows.Next() {
		var iso, name, typ string
		var gdp, pop sql.NullFloat64
		var gdpYear int
		var sum coalition.Minor
		var asOf coalition.Date
		var src1, src2 string
		if err := rows.Scan(&iso, &name, &gdp, &gdpYear, &pop, &typ, &sum, &asOf, &src1, &src2); err != nil {
			return nil, fmt.Errorf("sqlstore: donor totals: %w", err)
		}
		a := byDonor[iso]
		if a == nil {
			a = &donorSums{t: coalition.DonorTotal{ISO3: iso, Name: name}, cents: map[coalition.SupportType]int64{}, gdp: gdp, pop: pop, gdpYear: gdpYear, sources: map[string]bool{}}
			byDonor[iso] = a
		}
		a.cents[coalition.SupportType(typ)] = coalition.AddMinor(a.cents[coalition.SupportType(typ)], int64(sum))
		if asOf.After(a.t.AsOf) {
			a.t.AsOf = asOf
		}
		a.sources[src1], a.sources[src2] = true, true
	}
	return byDonor, rows.Err()
}

// total is the donor's total in euros, by type, as a share of its GDP (at
// the annual USD/EUR rate of its GDP's year, usd) and per head, with the
// sources it comes from.
func (a *donorSums) total(usd map[int]float64) coalition.DonorTotal {
	t := a.t
	var total int64
	for _, c := range a.cents {
		total = coalition.AddMinor(total, c)
	}
	t.MilitaryEUR = float64(a.cents[coalition.Military]) / 100
	t.FinancialEUR = float64(a.cents[coalition.Financial]) / 100
	t.HumanitarianEUR = float64(a.cents[coalition.Humanitarian]) / 100
	t.ReconstructionEUR = float64(a.cents[coalition.Reconstruction]) / 100
	t.TotalEUR = float64(total) / 100
	country := coalition.Country{GDPYear: a.gdpYear}
	if a.gdp.Valid {
		country.GDPUSDBn = &a.gdp.Float64
	}
	if gdpEUR, ok := country.GDPEUR(usd[a.gdpYear]); ok {
		pct := t.TotalEUR / gdpEUR * 100
		t.PctGDP, t.GDPEUR, t.GDPYear = &pct, &gdpEUR, a.gdpYear
		t.GDPBasis = fmt.Sprintf("World Bank GDP %d (USD %.1fbn) at the ECB %d average of %.4f USD per EUR", a.gdpYear, a.gdp.Float64, a.gdpYear, usd[a.gdpYear])
	}
	if a.pop.Valid && a.pop.Float64 > 0 {
		pc := t.TotalEUR / (a.pop.Float64 * 1e6)
		t.PerCapitaEUR = &pc
	}
	srcs := make([]string, 0, len(a.sources))
	for s := range a.sources {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	t.Source = strings.Join(srcs, " ; ")
	return t
}

// MonthlySupport sums visible pledges per donor, announcement month and
// type, from pledge_monthly where the user sees every pledge or the public
// ones (visibleShare), else from pledge_rollup (see rollup.go).
func (s *Store) MonthlySupport(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorMonth, error) {
	return s.monthlySupport(ctx, f, false)
}

func (s *Store) monthlySupport(ctx context.Context, f coalition.DonorFilter, raw bool) ([]coalition.DonorMonth, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, args, sums, err := tx.monthlyQuery(ctx, f, raw)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: monthly support: %w", err)
	}
	defer rows.Close()
	var out []coalition.DonorMonth
	// Months stored beyond the supported range count at its edge (see
	// coalition.StoredMonth), so several stored months can make one answer
	// row: at finds it, for the edge months only (every other row is a
	// group of its own).
	at := map[coalition.DonorMonth]int{} // (donor, month, type) with EUR 0 → index in out
	// The few donors and types are read as bytes and made strings once.
	names := map[string]string{}
	name := func(b []byte) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	var donor, month, typ sql.RawBytes
	var cents coalition.Minor
	dest := []any{&donor, &month, &typ, &cents}
	parts := make([]int64, sums) // the columns exactSum adds, if any
	if sums > 0 {
		dest = dest[:3]
		for i := range parts {
			dest = append(dest, &parts[i])
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("sqlstore: monthly support: %w", err)
		}
		if sums > 0 {
			cents = exactSum(parts)
		}
		m, err := coalition.StoredMonth(string(month))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: monthly support: %w", err)
		}
		d := coalition.DonorMonth{ISO3: name(donor), Month: m, Type: coalition.SupportType(name(typ)), EUR: float64(cents) / 100}
		if m == coalition.MinMonth || m == coalition.MaxMonth || !plainMonth(month) {
			k := d
			k.EUR = 0
			if i, ok := at[k]; ok {
				out[i].EUR += d.EUR
				continue
			}
			at[k] = len(out)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// monthlyQuery is MonthlySupport's query for the user of tx and its
// arguments: over the pledges when raw, else over pledge_monthly where the
// user sees all of it or its public share (visibleShare) and it has the
// statuses f counts, else over pledge_rollup. Its rows are donor, month,
// type and the euro cents, or, when sums > 0, that many columns of cents
// for exactSum to add (PostgreSQL: see below).
func (tx *Tx) monthlyQuery(ctx context.Context, f coalition.DonorFilter, raw bool) (q string, args []any, sums int, err error) {
	if raw {
		where, args, err := tx.donorWhere(ctx, f, true)
		return monthlySQL(where, true), args, 0, err
	}
	share := visibleShare(tx.user)
	// The columns of the statuses counted (each once), of every pledge or
	// of the public ones.
	suffix := map[string]string{"all": "", "public": "_public"}[share]
	var cols, counts []string
	seen := map[coalition.PledgeStatus]bool{}
	for _, st := range donorStatuses(f) {
		if seen[st] {
			continue
		}
		seen[st] = true
		if share == "" || !slices.Contains(monthlyStatuses, st) {
			where, args, err := tx.donorWhere(ctx, f, false)
			return monthlySQL(where, false), args, 0, err
		}
		cols = append(cols, "p."+string(st)+suffix+"_eur")
		counts = append(counts, "p."+string(st)+suffix+"_n")
	}
	where, args, err := tx.donorWhereAnd(ctx, f, false, strings.Join(counts, " + ")+" > 0", nil)
	if tx.s.dialect == postgres {
		// The sum sumMinor makes there is exact (numeric), and numeric
		// arithmetic and its text were a third of the query: the bigint
		// columns are added in Go instead, as exactly.
		return monthlyTableSQL(where, strings.Join(cols, ", ")), args, len(cols), err
	}
	// SQLite: × 1.0 as in sumMinor, a sum of REALs that never overflows.
	return monthlyTableSQL(where, strings.Join(cols, " * 1.0 + ")+" * 1.0"), args, 0, err
}

// exactSum is the exact sum of vs as a coalition.Minor scanned from
// PostgreSQL's numeric sum would be: saturated at ±MaxInt64 only if the
// exact sum is beyond.
func exactSum(vs []int64) coalition.Minor {
	var s int64
	for _, v := range vs {
		if (v > 0 && s > math.MaxInt64-v) || (v < 0 && s < math.MinInt64-v) {
			var b big.Int
			for _, v := range vs {
				b.Add(&b, big.NewInt(v))
			}
			switch {
			case b.IsInt64():
				return coalition.Minor(b.Int64())
			case b.Sign() > 0:
				return math.MaxInt64
			}
			return math.MinInt64
		}
		s += v
	}
	return coalition.Minor(s)
}

// plainMonth says whether a stored month is "YYYY-MM" in digits, the one
// text of its month (StoredMonth also reads e.g. "2024-+3").
func plainMonth(b []byte) bool {
	for i, c := range b {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	return len(b) == 7
}

// UpsertRates replaces FX rates (used by the seed).
func (tx *Tx) upsertRate(ctx context.Context, r coalition.FXRate) error {
	_, err := tx.exec(ctx, `INSERT INTO fx_rates (month, currency, units_per_eur, source) VALUES (?,?,?,?)
		ON CONFLICT (currency, month) DO UPDATE SET units_per_eur = excluded.units_per_eur, source = excluded.source`,
		r.Month, r.Currency, r.UnitsPerEUR, r.Source)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: fx rate %s %s: %w", r.Currency, r.Month, err))
	}
	return nil
}
