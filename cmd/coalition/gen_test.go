package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

func genCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"gen"}, args...), func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

// TestGen: 2,000 pledges in batches of 500 on a fresh SQLite file seeded
// with the reference data. Everything written is marked synthetic, the
// rollup equals the raw sums, there is one audit entry per batch, the same
// seed twice is refused, and the same seed elsewhere writes the same data.
func TestGen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "gen.db")
	out, err := genCLI(t, "--pledges", "2000", "--batch", "500", "--seed", "7", "--verify", "--json", "--db", db)
	if err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	var rep struct {
		Pledges, Deliveries int
		Verified            *bool `json:"rollup_verified"`
		Source              string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Verified == nil {
		t.Fatalf("report %+v: no rollup_verified with --verify", rep)
	}
	if !check.Facts(t,
		check.Eq("pledges", rep.Pledges, 2000),
		check.AtLeast("deliveries", rep.Deliveries, 1),
		check.Eq("rollup verified", *rep.Verified, true),
	) {
		t.FailNow()
	}
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	q := func(sql string, args ...any) int64 {
		var n int64
		if err := s.DB().QueryRow(sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	src := "SYNTHETIC (coalition gen, seed 7)"
	if got := q("SELECT count(*) FROM pledges WHERE source = ? AND source_ref LIKE 'synthetic:7:%'", src); got != 2000 {
		t.Errorf("synthetic pledges = %d, want 2000", got)
	}
	if got := q("SELECT count(*) FROM deliveries WHERE source = ?", src); got != int64(rep.Deliveries) {
		t.Errorf("synthetic deliveries = %d, report says %d", got, rep.Deliveries)
	}
	// Deliveries only against delivered or allocated pledges, never above them.
	if got := q(`SELECT count(*) FROM deliveries d JOIN pledges p ON p.id = d.pledge_id
		WHERE d.source = ? AND (p.status NOT IN ('delivered', 'allocated') OR d.amount_eur_minor > p.amount_eur_minor)`, src); got != 0 {
		t.Errorf("%d deliveries against pledges that are not delivered or allocated, or above them", got)
	}
	// All five statuses, every support type, more than one visibility, and
	// announcement months spread over the ten years.
	for _, c := range []struct {
		sql  string
		want int64
	}{
		{"SELECT count(DISTINCT status) FROM pledges WHERE source = ?", 5},
		{"SELECT count(DISTINCT support_type) FROM pledges WHERE source = ?", 4},
		{"SELECT count(DISTINCT visibility) FROM pledges WHERE source = ?", 3},
		{"SELECT count(DISTINCT substr(announced, 1, 4)) FROM pledges WHERE source = ?", 10},
	} {
		if got := q(c.sql, src); got != c.want {
			t.Errorf("%s = %d, want %d", c.sql, got, c.want)
		}
	}
	// Donor sizes follow the reference totals: the largest reference donor
	// gets more synthetic pledges than the smallest.
	ref, err := s.DB().Query(`SELECT donor FROM pledges WHERE source <> ? AND status IN ('allocated', 'delivered')
		GROUP BY donor HAVING sum(amount_eur_minor) > 0 ORDER BY sum(amount_eur_minor) DESC`, src)
	if err != nil {
		t.Fatal(err)
	}
	var donors []string
	for ref.Next() {
		var d string
		ref.Scan(&d)
		donors = append(donors, d)
	}
	ref.Close()
	if len(donors) < 2 {
		t.Fatalf("reference donors: %v", donors)
	}
	big := q("SELECT count(*) FROM pledges WHERE source = ? AND donor = ?", src, donors[0])
	small := q("SELECT count(*) FROM pledges WHERE source = ? AND donor = ?", src, donors[len(donors)-1])
	if big <= small {
		t.Errorf("largest reference donor %s got %d synthetic pledges, smallest %s got %d", donors[0], big, donors[len(donors)-1], small)
	}
	// One audit entry per batch of 500: 2000/500 = 4.
	entries, _, err := s.FindAudit(ctx, coalition.AuditFilter{Action: "bulk-create", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("bulk-create audit entries = %d, want 4", len(entries))
	}
	if n, broken, reason, err := s.VerifyAudit(ctx); err != nil || broken != 0 {
		t.Errorf("audit chain of %d entries broken at %d: %s %v", n, broken, reason, err)
	}
	// The same seed again is refused.
	if _, err := genCLI(t, "--pledges", "10", "--seed", "7", "--db", db); coalition.ErrorKind(err) != coalition.Conflict {
		t.Errorf("second run with seed 7: %v, want a conflict", err)
	}
	// The same seed in another database, in other batches, writes the same data.
	db2 := filepath.Join(dir, "gen2.db")
	if _, err := genCLI(t, "--pledges", "2000", "--batch", "300", "--seed", "7", "--db", db2); err != nil {
		t.Fatal(err)
	}
	s2 := sqltest.OpenDSN(t, "sqlite:"+db2)
	defer s2.Close()
	sig := func(s *sqlstore.Store) string {
		var sum, n int64
		var maxRef string
		if err := s.DB().QueryRow(`SELECT sum(amount_eur_minor), count(DISTINCT donor || announced || status || visibility), max(source_ref)
			FROM pledges WHERE source = ?`, src).Scan(&sum, &n, &maxRef); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal([]any{sum, n, maxRef})
		return string(b)
	}
	if a, b := sig(s), sig(s2); a != b {
		t.Errorf("same seed, other batches: %s vs %s", a, b)
	}
}
