package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore/internal/pgtest"
)

// internalEngines are the engines this package's internal tests run on:
// SQLite always, PostgreSQL when configured (openPostgresInternal).
var internalEngines = []struct {
	name string
	open func(t *testing.T) *Store
}{{"sqlite", openSQLiteInternal}, {"postgres", openPostgresInternal}}

// TestQueryPlans fills a store with enough pledges for the planner (30,000
// by default, 100,000 with COALITION_SCALE_FULL=1), ANALYZEs it and checks
// the plan of every hot API query on both engines: none may scan a whole
// table where an index is expected (SQLite EXPLAIN QUERY PLAN "SCAN t";
// PostgreSQL EXPLAIN (FORMAT JSON) "Seq Scan" on t). The aggregates must not
// read pledges at all: they read pledge_rollup.
func TestQueryPlans(t *testing.T) {
	n := 30_000
	if os.Getenv("COALITION_SCALE_FULL") == "1" {
		n = 100_000
	}
	for _, e := range internalEngines {
		t.Run(e.name, func(t *testing.T) {
			s := e.open(t)
			ctx := coalition.WithUser(context.Background(), coalition.System)
			start := time.Now()
			fillForPlans(t, ctx, s, n)
			t.Logf("%s: %d pledges in %.1fs", e.name, n, time.Since(start).Seconds())
			if diff, err := s.RollupDiff(ctx, 5); err != nil || len(diff) > 0 {
				t.Fatalf("rollup after bulk insert: %v %v", diff, err)
			}
			if _, err := s.db.ExecContext(ctx, "ANALYZE"); err != nil {
				t.Fatal(err)
			}
			checkPlans(t, ctx, s)
			// The detector itself: the raw aggregate reads pledges.
			tx, err := s.readTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			where, args, err := tx.donorWhere(ctx, coalition.DonorFilter{}, true)
			tx.Rollback()
			if err != nil {
				t.Fatal(err)
			}
			if _, tables, plan := explain(t, ctx, s, donorTotalsSQL(where, true, coalition.DonorFilter{}), args); !tables["pledges"] {
				t.Errorf("the raw donor totals do not read pledges? plan:\n%s", plan)
			}
		})
	}
}

// planCase is one hot query and the tables it must not scan whole.
type planCase struct {
	name    string
	query   string
	args    []any
	noScan  []string // tables that must be read through an index, if at all
	notRead []string // tables the plan must not touch
	noSort  bool     // SQLite: no temporary b-tree (for GROUP BY or ORDER BY)
}

func hotQueries(t *testing.T, ctx context.Context, s *Store) []planCase {
	tx, err := s.readTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var out []planCase
	y2024, _ := coalition.ParseMonth("2024-01")
	delegate := &coalition.User{ID: 9, Role: coalition.Delegate, Country: donorCode(1), Coalitions: []int64{1}}
	for _, c := range []struct {
		name string
		u    *coalition.User
		f    coalition.DonorFilter
	}{
		{"donor totals (anonymous)", nil, coalition.DonorFilter{}},
		{"donor totals (administrator)", coalition.System, coalition.DonorFilter{}},
		{"donor totals (delegate, 2024, military)", delegate, coalition.DonorFilter{Since: y2024, Until: y2024.Add(11), Type: coalition.Military}},
	} {
		tx.user = c.u
		where, args, err := tx.donorWhere(ctx, c.f, false)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, planCase{name: c.name, query: donorTotalsSQL(where, false, c.f), args: args, notRead: []string{"pledges"}})
		q, args, _, err := tx.monthlyQuery(ctx, c.f, false)
		if err != nil {
			t.Fatal(err)
		}
		ms := planCase{name: strings.Replace(c.name, "donor totals", "monthly support", 1), query: q, args: args, notRead: []string{"pledges"}}
		if c.f.Since != 0 { // one year of ten: the month index, not the whole rollup
			ms.noScan = []string{"pledge_rollup"}
		}
		if c.u != delegate { // all or the public share: pledge_monthly in its key's order, nothing sorted
			ms.notRead, ms.noSort = append(ms.notRead, "pledge_rollup"), true
		}
		out = append(out, ms)
	}
	tx.user = coalition.System
	cond, vargs := visible(nil, "", "donor")
	// The same statements as FindPledges, FindPledge and FindEngagements.
	out = append(out,
		planCase{name: "pledge by id", query: "SELECT " + pledgeCols + " FROM pledges WHERE id = ? AND " + cond,
			args: append([]any{int64(77)}, vargs...), noScan: []string{"pledges"}},
		planCase{name: "pledges of a donor, keyset page", query: "SELECT " + pledgeCols + " FROM pledges WHERE " + cond +
			" AND id > ? AND donor = ? ORDER BY id LIMIT 101", args: append(append([]any{}, vargs...), int64(5000), donorCode(3)), noScan: []string{"pledges"}},
		planCase{name: "pledges of a month, keyset page", query: "SELECT " + pledgeCols + " FROM pledges WHERE " + cond +
			" AND id > ? AND announced >= ? AND announced <= ? ORDER BY id LIMIT 101", args: append(append([]any{}, vargs...), int64(0), "2024-03-01", "2024-03-31"),
			noScan: []string{"pledges"}},
		planCase{name: "engagements by country, keyset page", query: "SELECT " + engagementCols + " FROM engagements WHERE " + cond +
			" AND id > ? AND id IN (SELECT engagement_id FROM engagement_participants WHERE iso3 = ?) ORDER BY id LIMIT 101",
			args: append(append([]any{}, vargs...), int64(0), donorCode(2)), noScan: []string{"engagements", "engagement_participants"}},
		planCase{name: "datasets with their record counts", query: datasetsSQL, noScan: []string{"pledges"}},
		// An import's checks of a natural key (Import.claim, pledgeID).
		planCase{name: "pledges with a natural key", query: keyCountSQL, args: []any{"iati: t.xml", "act-1/tx"}, noScan: []string{"pledges"}},
		planCase{name: "pledge by its natural key", query: pledgeIDSQL, args: []any{"iati: t.xml", "act-1/tx"}, noScan: []string{"pledges"}},
	)
	return out
}

func checkPlans(t *testing.T, ctx context.Context, s *Store) {
	for _, c := range hotQueries(t, ctx, s) {
		scans, tables, plan := explain(t, ctx, s, c.query, c.args)
		for _, tb := range c.noScan {
			if scans[tb] {
				t.Errorf("%s: full scan of %s; plan:\n%s", c.name, tb, plan)
			}
		}
		for _, tb := range c.notRead {
			if tables[tb] {
				t.Errorf("%s: reads %s; plan:\n%s", c.name, tb, plan)
			}
		}
		if c.noSort && s.dialect == sqlite && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: sorts; plan:\n%s", c.name, plan)
		}
	}
}

// explain returns the tables scanned whole, the tables read, and the plan.
func explain(t *testing.T, ctx context.Context, s *Store, q string, args []any) (scans, tables map[string]bool, plan string) {
	t.Helper()
	scans, tables = map[string]bool{}, map[string]bool{}
	if s.dialect == sqlite {
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("explain %s: %v", q, err)
		}
		defer rows.Close()
		aliases := map[string]string{}
		for _, m := range aliasRE.FindAllStringSubmatch(q, -1) {
			aliases[m[2]] = m[1]
		}
		var b strings.Builder
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, detail)
			f := strings.Fields(detail) // "SCAN t", "SCAN t USING INDEX i", "SEARCH t USING …"
			if len(f) >= 2 && (f[0] == "SCAN" || f[0] == "SEARCH") {
				tb := f[1]
				if real, ok := aliases[tb]; ok { // SQLite names a table by its alias
					tb = real
				}
				tables[tb] = true
				if f[0] == "SCAN" && !strings.Contains(detail, "COVERING INDEX") {
					scans[tb] = true
				}
			}
		}
		return scans, tables, b.String()
	}
	var js string
	if err := s.db.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+s.dialect.rebind(q), args...).Scan(&js); err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	var doc []struct{ Plan map[string]any }
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if rel, ok := n["Relation Name"].(string); ok {
			tables[rel] = true
			if n["Node Type"] == "Seq Scan" {
				scans[rel] = true
			}
		}
		if kids, ok := n["Plans"].([]any); ok {
			for _, k := range kids {
				if m, ok := k.(map[string]any); ok {
					walk(m)
				}
			}
		}
	}
	for _, d := range doc {
		walk(d.Plan)
	}
	return scans, tables, js
}

var aliasRE = regexp.MustCompile(`\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)`)

// fillForPlans writes 40 donors, n pledges over ten years through
// BulkInsert, and 5,000 engagements with two participants each.
func fillForPlans(t *testing.T, ctx context.Context, s *Store, n int) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.UpsertCountry(ctx, &coalition.Country{ISO3: "UKR", Name: "Ukraine", State: true, Source: "test"}))
	for i := range 40 {
		must(s.UpsertCountry(ctx, &coalition.Country{ISO3: donorCode(i), Name: fmt.Sprintf("Donor %d", i), State: true, Source: "test"}))
	}
	c := &coalition.Coalition{Code: "C1", Name: "C1", Recipient: "UKR"}
	must(s.CreateCoalition(ctx, c))
	rng := rand.New(rand.NewPCG(3, 4))
	cats := coalition.Categories
	vis := []coalition.Visibility{coalition.Public, coalition.Public, coalition.Public, coalition.CoalitionVis, coalition.Confidential}
	for done := 0; done < n; {
		k := min(10_000, n-done)
		ps := make([]*coalition.Pledge, k)
		for i := range ps {
			p := &coalition.Pledge{Donor: donorCode(int(40 * rng.Float64() * rng.Float64())), Recipient: "UKR",
				Category: cats[rng.IntN(len(cats))].Code, Amount: coalition.Money{Minor: int64(rng.IntN(1e9)), Currency: "EUR"},
				Announced: coalition.Date{Y: 2016 + rng.IntN(10), M: time.Month(1 + rng.IntN(12)), D: 1 + rng.IntN(28)},
				Status:    coalition.PledgeStatuses[rng.IntN(5)], Visibility: vis[rng.IntN(len(vis))], Source: "plan test",
				SourceRef: fmt.Sprintf("p%d", done+i)}
			if p.Visibility == coalition.CoalitionVis {
				p.CoalitionID = &c.ID
			}
			ps[i] = p
		}
		_, err := s.BulkInsert(ctx, ps, nil)
		must(err)
		done += k
	}
	tx, err := s.begin(ctx)
	must(err)
	defer tx.Rollback()
	for i := range 5000 {
		id, err := tx.insertID(ctx, `INSERT INTO engagements (date, kind, title, visibility, source, created_at) VALUES (?, 'call', ?, 'public', 'plan test', ?)`,
			fmt.Sprintf("20%02d-%02d-01", 16+i%10, 1+i%12), fmt.Sprintf("e%d", i), ts(tx.now))
		must(err)
		for pos := range 2 {
			_, err := tx.exec(ctx, "INSERT INTO engagement_participants (engagement_id, pos, iso3) VALUES (?, ?, ?)", id, pos, donorCode((i+pos*7)%40))
			must(err)
		}
	}
	must(tx.Commit())
}

func openSQLiteInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openPostgresInternal opens a schema of its own on COALITION_TEST_POSTGRES
// (skipped without it, failed under CI=true).
func openPostgresInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.SchemaURL(t, "plans"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// donorCode is the i-th test donor: DAA, DAB, …
func donorCode(i int) string { return fmt.Sprintf("D%c%c", 'A'+i/26, 'A'+i%26) }
