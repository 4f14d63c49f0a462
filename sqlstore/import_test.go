package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestImportBatches runs large imports on both engines: new pledges go to
// the database in batches (a full one and a partial one here), existing
// ones are updated or left alone, deliveries find pledges of the same
// import, pledge_rollup stays exact (on SQLite the import sums it itself
// instead of the per-row trigger), references are checked before anything
// is buffered, removed pledges take their deliveries with them, and after
// the import the writer enforces foreign keys and keeps the rollup again.
func TestImportBatches(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { testImportBatches(t, e.Open(t)) })
}

func testImportBatches(t *testing.T, s *sqlstore.Store) {
	sys := coalition.WithUser(context.Background(), coalition.System)
	for _, c := range []string{"FRA", "GBR", "DEU", "UKR"} {
		if err := s.UpsertCountry(sys, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string, args ...any) int {
		t.Helper()
		if s.Engine() == "postgres" {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
			}
		}
		var n int
		if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	rollupExact := func(when string) {
		t.Helper()
		diff, err := s.RollupDiff(sys, 5)
		if err != nil || len(diff) > 0 {
			t.Fatalf("%s: pledge_rollup differs from the pledges: %v %v", when, err, diff)
		}
	}
	donors := []string{"FRA", "GBR", "DEU"}
	pledge := func(i int, amount int64) *coalition.Pledge {
		return &coalition.Pledge{Donor: donors[i%3], Recipient: "UKR", Category: []string{"humanitarian", "air-defence", "budget-support"}[i%3],
			Amount: coalition.Money{Minor: amount, Currency: "EUR"}, Announced: coalition.Date{Y: 2024, M: time.Month(1 + i%12), D: 1 + i%28},
			Status: coalition.Allocated, Visibility: coalition.Public, Source: "iati: t.xml", SourceRef: fmt.Sprintf("act-%d/tx", i),
			AsOf: coalition.Date{Y: 2025, M: time.Month(1 + i%6), D: 1}, Provenance: `{"row":1}`}
	}
	// A pledge from before the import, which the import updates.
	old := pledge(0, 500)
	if err := s.CreatePledge(sys, old); err != nil {
		t.Fatal(err)
	}
	const n = 600 // two full batches and a partial one
	im, err := s.BeginImport(sys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := im.Pledge(sys, pledge(i, int64(1000+i))); err != nil {
			t.Fatalf("pledge %d: %v", i, err)
		}
	}
	// What the database would refuse is refused here, one record at a time.
	bad := pledge(n+1, 1)
	bad.Donor = "USA"
	if err := im.Pledge(sys, bad); coalition.ErrorKind(err) != coalition.Invalid || !strings.Contains(err.Error(), "USA") {
		t.Fatalf("unknown donor: %v", err)
	}
	bad = pledge(n+2, 1)
	cid := int64(999)
	bad.CoalitionID = &cid
	if err := im.Pledge(sys, bad); coalition.ErrorKind(err) != coalition.Invalid {
		t.Fatalf("unknown coalition: %v", err)
	}
	if err := im.Pledge(sys, pledge(7, 1)); coalition.ErrorKind(err) != coalition.Invalid || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("a natural key given twice in one import: %v", err)
	}
	// Deliveries against pledges created in this import, still buffered.
	for i := 1; i <= 3; i++ {
		d := &coalition.Delivery{Date: coalition.Date{Y: 2025, M: 2, D: 1}, AmountEUR: 10, Source: "iati: t.xml"}
		if err := im.Delivery(sys, "iati: t.xml", fmt.Sprintf("act-%d/tx", n-i), fmt.Sprintf("d%d", i), "{}", d); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	rep, err := im.Finish(sys, sqlstore.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created["pledges"] != n-1 || rep.Updated["pledges"] != 1 || rep.Created["deliveries"] != 3 {
		t.Fatalf("report: %+v", rep)
	}
	if got := count("SELECT count(*) FROM pledges WHERE source = ?", "iati: t.xml"); got != n {
		t.Fatalf("%d pledges stored, want %d", got, n)
	}
	if got := count("SELECT sum(amount_eur_minor) FROM pledges WHERE source = ?", "iati: t.xml"); got != n*1000+n*(n-1)/2 {
		t.Fatalf("stored amounts sum to %d", got)
	}
	rollupExact("after the import")

	// The same file again changes nothing.
	im, err = s.BeginImport(sys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := im.Pledge(sys, pledge(i, int64(1000+i))); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err = im.Finish(sys, sqlstore.ImportOptions{DryRun: true}); err != nil || rep.Unchanged["pledges"] != n || len(rep.Created) != 0 {
		t.Fatalf("second import: %+v %v", rep, err)
	}

	// A newer release without the last ten pledges, deleting what it no
	// longer holds: their deliveries go with them.
	im, err = s.BeginImport(sys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n - 10 {
		if err := im.Pledge(sys, pledge(i, int64(1000+i))); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err = im.Finish(sys, sqlstore.ImportOptions{DeleteRemoved: true}); err != nil || rep.Deleted["pledges"] != 10 {
		t.Fatalf("import with deletions: %+v %v", rep, err)
	}
	if got := count("SELECT count(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM pledges p WHERE p.id = d.pledge_id)"); got != 0 {
		t.Fatalf("%d deliveries of deleted pledges are left", got)
	}
	if got := count("SELECT count(*) FROM deliveries"); got != 0 {
		t.Fatalf("the deliveries of the removed pledges are still there (%d)", got)
	}
	rollupExact("after deleting removed pledges")

	// An aborted import leaves nothing, and afterwards single writes keep
	// the rollup and the foreign keys again (the cascade below needs them).
	im, err = s.BeginImport(sys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if err := im.Pledge(sys, pledge(10_000+i, 5)); err != nil {
			t.Fatal(err)
		}
	}
	im.Abort()
	if got := count("SELECT count(*) FROM pledges"); got != n-10 {
		t.Fatalf("an aborted import left pledges: %d", got)
	}
	p := pledge(20_000, 42)
	if err := s.CreatePledge(sys, p); err != nil {
		t.Fatal(err)
	}
	d := &coalition.Delivery{PledgeID: p.ID, Date: coalition.Date{Y: 2025, M: 3, D: 1}, AmountEUR: 1, Source: "t"}
	if err := s.CreateDelivery(sys, d); err != nil {
		t.Fatal(err)
	}
	rollupExact("after a single write following the imports")
	if err := s.DeletePledge(sys, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	if got := count("SELECT count(*) FROM deliveries WHERE pledge_id = ?", p.ID); got != 0 {
		t.Fatal("deleting a pledge after an import left its delivery: foreign keys are off on the writer")
	}
	rollupExact("at the end")
}
