package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
	"time"

	"coalition"
)

// TestImportDefersIndexes imports the same records into two databases of
// each engine, one with the threshold of deferIndexes lowered so that the
// import drops the non-unique indexes of pledges halfway (SQLite) and one
// without: the records, the rollup and the report are the same; the
// indexes are gone during the import and back after it with the same
// definitions, consistent with the table, and used by the hot queries; an
// update after the drop builds them first; a re-import changes nothing;
// an aborted import leaves them as they were.
func TestImportDefersIndexes(t *testing.T) {
	for _, e := range internalEngines {
		t.Run(e.name, func(t *testing.T) {
			deferred := importForIndexes(t, e.open(t), 300)
			plain := importForIndexes(t, e.open(t), 1<<30)
			if deferred != plain {
				t.Errorf("records differ with the indexes deferred:\n%s\nwithout:\n%s", deferred, plain)
			}
		})
	}
}

// importForIndexes runs the imports of TestImportDefersIndexes with
// deferIndexesAt set to at, and returns the pledges as text.
func importForIndexes(t *testing.T, s *Store, at int) string {
	t.Helper()
	defer func(was int) { deferIndexesAt = was }(deferIndexesAt)
	deferIndexesAt = at
	ctx := coalition.WithUser(context.Background(), coalition.System)
	for _, c := range []string{"FRA", "GBR", "DEU", "UKR"} {
		if err := s.UpsertCountry(ctx, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	donors := []string{"FRA", "GBR", "DEU"}
	pledge := func(i int, amount int64) *coalition.Pledge {
		return &coalition.Pledge{Donor: donors[i%3], Recipient: "UKR", Category: []string{"humanitarian", "air-defence", "budget-support"}[i%3],
			Amount: coalition.Money{Minor: amount, Currency: "EUR"}, Announced: coalition.Date{Y: 2022 + i%4, M: time.Month(1 + i%12), D: 1 + i%28},
			Status: coalition.Allocated, Visibility: coalition.Public, Source: "iati: t.xml", SourceRef: fmt.Sprintf("act-%d/tx", i),
			AsOf: coalition.Date{Y: 2025, M: time.Month(1 + i%6), D: 1}, Provenance: fmt.Sprintf(`{"row":%d}`, i)}
	}
	for i := range 3 { // stored before: the import updates one, keeps one
		if err := s.CreatePledge(ctx, pledge(100_000+i, 7)); err != nil {
			t.Fatal(err)
		}
	}
	before := indexDefs(t, ctx, s)
	nIndexes := strings.Count(before, "\n") + 1
	run := func(amount int64) coalition.ImportReport {
		t.Helper()
		c, err := s.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		im := c.(*Import)
		defer im.Abort()
		for i := range 1000 {
			if err := im.Pledge(ctx, pledge(i, amount+int64(i))); err != nil {
				t.Fatalf("pledge %d: %v", i, err)
			}
		}
		if err := im.flush(ctx); err != nil {
			t.Fatal(err)
		}
		dropped := s.dialect == sqlite && at < 1000 && im.rep.Created["pledges"] == 1000
		if got := countIndexes(t, ctx, im.tx); (got < nIndexes) != dropped {
			t.Errorf("indexes of pledges during the import: %d of %d, want dropped %v", got, nIndexes, dropped)
		}
		// A key given twice is refused, whether its first copy is written
		// or still pending.
		if err := im.Pledge(ctx, pledge(5, 1)); coalition.ErrorKind(err) != coalition.Invalid {
			t.Errorf("a key given twice: %v, want Invalid", err)
		}
		// An update: the rollup's trigger reads pledges by donor and month.
		up := pledge(100_000, 9)
		up.Amount.Minor = amount
		if err := im.Pledge(ctx, up); err != nil {
			t.Fatal(err)
		}
		if got := countIndexes(t, ctx, im.tx); got != nIndexes {
			t.Errorf("indexes of pledges after an update: %d, want %d", got, nIndexes)
		}
		if err := im.Pledge(ctx, pledge(100_001, 7)); err != nil {
			t.Fatal(err)
		}
		for i := 1000; i < 1500; i++ {
			if err := im.Pledge(ctx, pledge(i, amount+int64(i))); err != nil {
				t.Fatalf("pledge %d: %v", i, err)
			}
		}
		rep, err := im.Finish(ctx, coalition.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := run(1000)
	// Both stored pledges are updated: CreatePledge stored them with
	// what an import sets otherwise.
	if rep.Created["pledges"] != 1500 || rep.Updated["pledges"] != 2 || rep.Unchanged["pledges"] != 0 {
		t.Errorf("first import: created %d, updated %d, unchanged %d; want 1500, 2, 0",
			rep.Created["pledges"], rep.Updated["pledges"], rep.Unchanged["pledges"])
	}
	after := indexDefs(t, ctx, s)
	if after != before {
		t.Errorf("indexes of pledges after the import:\n%s\nbefore:\n%s", after, before)
	}
	integrity(t, ctx, s)
	if diff, err := s.RollupDiff(ctx, 5); err != nil || len(diff) > 0 {
		t.Fatalf("pledge_rollup differs from the pledges: %v %v", diff, err)
	}
	if s.dialect == sqlite { // PostgreSQL plans a table this small with scans
		checkPlans(t, ctx, s)
	}
	records := pledgeRows(t, ctx, s)
	// The same file again changes nothing; an aborted import with other
	// amounts neither.
	c, err := s.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1500 {
		if err := c.Pledge(ctx, pledge(i, 1000+int64(i))); err != nil {
			t.Fatal(err)
		}
	}
	up := pledge(100_000, 9)
	up.Amount.Minor = 1000
	for _, p := range []*coalition.Pledge{up, pledge(100_001, 7)} {
		if err := c.Pledge(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	again, err := c.Finish(ctx, coalition.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created["pledges"] != 0 || again.Updated["pledges"] != 0 || again.Unchanged["pledges"] != 1502 {
		t.Errorf("re-import: created %d, updated %d, unchanged %d; want 0, 0, 1502",
			again.Created["pledges"], again.Updated["pledges"], again.Unchanged["pledges"])
	}
	// An import that drops the indexes and is aborted leaves them.
	c, err = s.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	im := c.(*Import)
	for i := range 1000 {
		p := pledge(i, 1)
		p.SourceRef = fmt.Sprintf("new-%d", i)
		if err := im.Pledge(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, dropped := countIndexes(t, ctx, im.tx), s.dialect == sqlite && at < 1000; (got < nIndexes) != dropped {
		t.Errorf("indexes of pledges during the import to abort: %d, want dropped %v", got, dropped)
	}
	im.Abort()
	if got := indexDefs(t, ctx, s); got != before {
		t.Errorf("indexes of pledges after an aborted import:\n%s\nwant:\n%s", got, before)
	}
	if got := pledgeRows(t, ctx, s); got != records {
		t.Errorf("records after a re-import and an aborted import differ from the first import's")
	}
	integrity(t, ctx, s)
	if s.dialect == sqlite {
		checkPlans(t, ctx, s)
	}
	return records
}

// indexDefs lists the indexes of pledges with their definitions.
func indexDefs(t *testing.T, ctx context.Context, s *Store) string {
	t.Helper()
	q := "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pledges' AND sql IS NOT NULL ORDER BY name"
	if s.dialect == postgres {
		q = "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'pledges' ORDER BY indexname"
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	if len(out) < 5 {
		t.Fatalf("indexes of pledges: %q, want at least 5", out)
	}
	return strings.Join(out, "\n")
}

// countIndexes counts the indexes of pledges that tx sees.
func countIndexes(t *testing.T, ctx context.Context, tx *Tx) int {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pledges' AND sql IS NOT NULL"
	if tx.s.dialect == postgres {
		q = "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'pledges'"
	}
	var n int
	if err := tx.queryRow(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// integrity checks that SQLite's indexes hold exactly the table's rows.
func integrity(t *testing.T, ctx context.Context, s *Store) {
	t.Helper()
	if s.dialect != sqlite {
		return
	}
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q %v", res, err)
	}
}

// pledgeRows is every pledge as text, but for its timestamps.
func pledgeRows(t *testing.T, ctx context.Context, s *Store) string {
	t.Helper()
	rows, err := s.db.QueryContext(ctx, `SELECT id, donor, recipient, category, support_type, amount_minor, currency, amount_eur_minor,
		fx_rate, announced, status, visibility, source, source_ref, as_of, provenance, version, dataset FROM pledges ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, amount, eur, version int64
		var fx float64
		var donor, recipient, cat, st, cur, announced, status, vis, src, ref, prov, dataset string
		var asOf *string
		if err := rows.Scan(&id, &donor, &recipient, &cat, &st, &amount, &cur, &eur, &fx, &announced, &status, &vis, &src, &ref,
			&asOf, &prov, &version, &dataset); err != nil {
			t.Fatal(err)
		}
		a := ""
		if asOf != nil {
			a = *asOf
		}
		fmt.Fprintln(&b, id, donor, recipient, cat, st, amount, cur, eur, fx, announced[:10], status, vis, src, ref, a[:min(len(a), 10)], prov, version, dataset)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// appendPledgeArgs gives the values database/sql would bind for the
// domain's own types (Valuer, kinds by reflection, pointers), optional
// fields present or not.
func TestPledgeArgsAreDriverValues(t *testing.T) {
	c, q := int64(3), int64(12)
	full := &coalition.Pledge{Donor: "FRA", Recipient: "UKR", CoalitionID: &c, Category: "air-defence", Amount: coalition.Money{Minor: 5, Currency: "USD"},
		AmountEUR: 4, FXRate: 0.9, FXMonth: coalition.Month(24290), Quantity: &q, Unit: "units", Announced: coalition.Date{Y: 2024, M: 3, D: 9},
		DeliverFrom: coalition.Month(24291), DeliverTo: coalition.Month(24300), Status: coalition.Allocated, Conditions: "c",
		Visibility: coalition.Public, Source: "s", SourceRef: "r", AsOf: coalition.Date{Y: 2025, M: 1, D: 2}, Provenance: "{}",
		Dataset: "d", Release: "7"}
	bare := &coalition.Pledge{Donor: "FRA", Recipient: "UKR", Category: "humanitarian", Amount: coalition.Money{Minor: 5, Currency: "EUR"},
		Announced: coalition.Date{Y: 2024, M: 3, D: 9}, Status: coalition.Announced, Visibility: coalition.Confidential, Source: "s"}
	for _, p := range []*coalition.Pledge{full, bare} {
		cat, _ := coalition.CategoryByCode(p.Category)
		domain := []any{p.Donor, p.Recipient, p.CoalitionID, p.Category, string(cat.Type), p.Amount.Minor, p.Amount.Currency,
			p.AmountEUR, p.FXRate, p.FXMonth, p.Quantity, p.Unit, p.Announced, p.DeliverFrom, p.DeliverTo, p.Status, p.Conditions,
			p.Visibility, p.Source, p.SourceRef, p.AsOf, p.Provenance, 1, "now", "now", p.Dataset, p.Release}
		got := appendPledgeArgs(nil, p, "now")
		if len(got) != len(domain) || len(got) != pledgeInsertN {
			t.Fatalf("%d values, want %d", len(got), pledgeInsertN)
		}
		for i, v := range domain {
			want, err := driver.DefaultParameterConverter.ConvertValue(v)
			if err != nil {
				t.Fatal(err)
			}
			if got[i] != want {
				t.Errorf("value %d: %#v, database/sql binds %#v", i, got[i], want)
			}
		}
	}
}
