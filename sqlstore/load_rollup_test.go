package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"coalition"
	"coalition/internal/check"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestSeedRollupBothWays seeds two fresh databases of each engine with the
// bundled data: one computes pledge_rollup and pledge_totals once after
// its pledges (load_rollup.go), the other keeps the per-row triggers on,
// as every Load did before. Both rollups must be the same rows and equal
// the pledges group by group; a second seed (pledges no longer empty)
// takes the trigger path; and the triggers are back afterwards: a new
// pledge reaches both tables.
func TestSeedRollupBothWays(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		sys := coalition.WithUser(context.Background(), coalition.System)
		bulk, perRow := e.Open(t), e.Open(t)
		sqlstore.PerRowRollup(perRow)
		for _, s := range []*sqlstore.Store{bulk, perRow} {
			if _, err := seed.Load(sys, s, false); err != nil {
				t.Fatal(err)
			}
		}
		check.Facts(t,
			check.Eq("loads that computed the rollup once (bulk)", sqlstore.BulkRollups(bulk), 1),
			check.Eq("loads that computed the rollup once (per row)", sqlstore.BulkRollups(perRow), 0))
		rollupEqual(t, sys, "after the seed", bulk, perRow)

		// The bundled Kiel file has 1,450 pledges (1,450 data rows): every one
		// is counted once in each table.
		check.Facts(t,
			check.Eq("pledges counted in pledge_rollup", sumColumn(t, bulk, "SELECT sum(pledges) FROM pledge_rollup"), 1450),
			check.Eq("pledges counted in pledge_totals", sumColumn(t, bulk, "SELECT sum(pledges) FROM pledge_totals"), 1450),
			check.Eq("pledges counted in pledge_monthly", sumColumn(t, bulk,
				"SELECT sum(announced_n + committed_n + allocated_n + delivered_n + cancelled_n) FROM pledge_monthly"), 1450),
			check.Eq("public allocated pledges counted in pledge_monthly", sumColumn(t, bulk, "SELECT sum(allocated_public_n) FROM pledge_monthly"),
				sumColumn(t, bulk, "SELECT count(*) FROM pledges WHERE visibility = 'public' AND status = 'allocated'")))

		// Seeding again finds pledges: the triggers keep the rollup.
		if _, err := seed.Load(sys, bulk, false); err != nil {
			t.Fatal(err)
		}
		check.Facts(t, check.Eq("bulk loads after a second seed", sqlstore.BulkRollups(bulk), 1))

		// The triggers are back: one more pledge in both stores.
		for _, s := range []*sqlstore.Store{bulk, perRow} {
			p := &coalition.Pledge{Donor: "DEU", Recipient: "UKR", Category: "humanitarian",
				Amount: coalition.Money{Minor: 123_456, Currency: "EUR"}, Announced: coalition.Date{Y: 2031, M: time.March, D: 3},
				Status: coalition.Allocated, Visibility: coalition.Public, Source: "test: after the seed", AsOf: coalition.Date{Y: 2031, M: time.March, D: 4}}
			if err := s.CreatePledge(sys, p); err != nil {
				t.Fatal(err)
			}
		}
		rollupEqual(t, sys, "after a new pledge", bulk, perRow)
		check.Facts(t,
			check.Eq("pledges counted in pledge_totals after one more", sumColumn(t, bulk, "SELECT sum(pledges) FROM pledge_totals"), 1451),
			check.Eq("the new pledge's month in pledge_rollup", sumColumn(t, bulk,
				"SELECT sum(amount_eur_minor) FROM pledge_rollup WHERE month = '2031-03' AND donor = 'DEU'"), 123_456),
			check.Eq("the new pledge's month in pledge_monthly (allocated, public)", sumColumn(t, bulk,
				"SELECT sum(allocated_public_eur) FROM pledge_monthly WHERE month = '2031-03' AND donor = 'DEU'"), 123_456))
	})
}

// rollupEqual checks that a and b hold the same pledge_rollup,
// pledge_totals and pledge_monthly rows and that each equals its pledges
// group by group.
func rollupEqual(t *testing.T, ctx context.Context, when string, a, b *sqlstore.Store) {
	t.Helper()
	for _, s := range []*sqlstore.Store{a, b} {
		diff, err := s.RollupDiff(ctx, 5)
		if err != nil {
			t.Fatal(err)
		}
		check.Facts(t, check.Eq(when+": groups where the rollup differs from the pledges", fmt.Sprint(diff), "[]"))
	}
	for _, q := range []string{
		`SELECT donor, month, support_type, status, visibility, coalition_id, amount_eur_minor, pledges,
			coalesce(max_as_of, ''), min_source, max_source FROM pledge_rollup
			ORDER BY donor, month, support_type, status, visibility, coalition_id`,
		`SELECT donor, '*', support_type, status, visibility, coalition_id, amount_eur_minor, pledges,
			coalesce(max_as_of, ''), min_source, max_source FROM pledge_totals
			ORDER BY donor, support_type, status, visibility, coalition_id`,
		// pledge_monthly in the same eleven columns: its totals, and every
		// column as text.
		`SELECT donor, month, support_type, '*', '*', 0, announced_eur + committed_eur + allocated_eur + delivered_eur + cancelled_eur,
			announced_n + committed_n + allocated_n + delivered_n + cancelled_n, '',
			'' || announced_eur || ' ' || announced_n || ' ' || announced_public_eur || ' ' || announced_public_n || ' ' ||
				committed_eur || ' ' || committed_n || ' ' || committed_public_eur || ' ' || committed_public_n,
			'' || allocated_eur || ' ' || allocated_n || ' ' || allocated_public_eur || ' ' || allocated_public_n || ' ' ||
				delivered_eur || ' ' || delivered_n || ' ' || delivered_public_eur || ' ' || delivered_public_n || ' ' ||
				cancelled_eur || ' ' || cancelled_n || ' ' || cancelled_public_eur || ' ' || cancelled_public_n
			FROM pledge_monthly ORDER BY month, donor, support_type`,
	} {
		ra, rb := dumpRows(t, a, q), dumpRows(t, b, q)
		check.Facts(t, check.AtLeast(when+": rows", len(ra), 100),
			check.Eq(when+": same rows both ways", strings.Join(ra, "\n"), strings.Join(rb, "\n")))
	}
}

func dumpRows(t *testing.T, s *sqlstore.Store, q string) []string {
	t.Helper()
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var donor, month, typ, status, vis, asOf, minSrc, maxSrc string
		var coal, amount, n int64
		if err := rows.Scan(&donor, &month, &typ, &status, &vis, &coal, &amount, &n, &asOf, &minSrc, &maxSrc); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%d|%d|%d|%s|%s|%s", donor, month, typ, status, vis, coal, amount, n, asOf, minSrc, maxSrc))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sumColumn(t *testing.T, s *sqlstore.Store, q string) int64 {
	t.Helper()
	var n int64
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestMonthlyDiffAndRebuild: RollupDiff finds a pledge_monthly group that
// is off (its public share here) or missing, on both engines, and
// RebuildRollup makes pledge_monthly exact again from the pledges.
func TestMonthlyDiffAndRebuild(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		sys := coalition.WithUser(context.Background(), coalition.System)
		s := e.Open(t)
		if _, err := seed.Load(sys, s, false); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`UPDATE pledge_monthly SET allocated_public_n = allocated_public_n + 1
				WHERE month = (SELECT min(month) FROM pledge_monthly WHERE allocated_public_n > 0)`,
			`DELETE FROM pledge_monthly WHERE month = (SELECT max(month) FROM pledge_monthly)`,
		} {
			if _, err := s.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		diff, err := s.RollupDiff(sys, 100)
		if err != nil {
			t.Fatal(err)
		}
		var off, missing int
		for _, d := range diff {
			switch {
			case strings.HasPrefix(d, "pledge_monthly group ") && strings.Contains(d, ": missing, pledges give"):
				missing++
			case strings.HasPrefix(d, "pledge_monthly group "):
				off++
			default:
				t.Errorf("a difference outside pledge_monthly: %s", d)
			}
		}
		check.Facts(t, check.AtLeast("pledge_monthly groups found off", off, 1), check.AtLeast("pledge_monthly groups found missing", missing, 1))
		if err := s.RebuildRollup(sys); err != nil {
			t.Fatal(err)
		}
		diff, err = s.RollupDiff(sys, 5)
		if err != nil {
			t.Fatal(err)
		}
		check.Facts(t, check.Eq("groups that differ after RebuildRollup", fmt.Sprint(diff), "[]"))
	})
}

// BenchmarkSeedRollup loads the bundled dataset into fresh SQLite databases,
// in turn with the rollup computed once after the pledges and with the
// per-row triggers, and reports both and their ratio (same run, same
// machine load):
//
//	go test ./sqlstore -run '^$' -bench SeedRollup -benchtime 20x
func BenchmarkSeedRollup(b *testing.B) {
	ds, err := seed.Dataset()
	if err != nil {
		b.Fatal(err)
	}
	sys := coalition.WithUser(context.Background(), coalition.System)
	var took, cpu [2]time.Duration
	for i := 0; i < b.N; i++ {
		for k := range 2 {
			way := (i + k) % 2 // alternate which goes first
			s, err := sqlstore.Open(sys, sqltest.SQLite.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			if way == 1 {
				sqlstore.PerRowRollup(s)
			}
			start, startCPU := time.Now(), cpuTime()
			if _, err := s.Load(sys, ds, false); err != nil {
				b.Fatal(err)
			}
			took[way] += time.Since(start)
			cpu[way] += cpuTime() - startCPU
			s.Close()
		}
	}
	b.ReportMetric(float64(took[0].Milliseconds())/float64(b.N), "ms-bulk/op")
	b.ReportMetric(float64(took[1].Milliseconds())/float64(b.N), "ms-per-row/op")
	b.ReportMetric(float64(took[0])/float64(took[1]), "bulk/per-row")
	b.ReportMetric(float64(cpu[0].Milliseconds())/float64(b.N), "cpu-ms-bulk/op")
	b.ReportMetric(float64(cpu[1].Milliseconds())/float64(b.N), "cpu-ms-per-row/op")
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-bulk/per-row")
}

// cpuTime is the user + system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
