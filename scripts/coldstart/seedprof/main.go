// Command seedprof profiles what `serve` does on a fresh directory before
// it listens: create and migrate a new SQLite database, then seed it with
// the bundled reference data, n times over, with a CPU profile.
//
//	go run ./scripts/coldstart/seedprof -n 40 -cpuprofile /tmp/seed.prof
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"coalition"
	"coalition/seed"
	"coalition/sqlstore"
)

func main() {
	n := flag.Int("n", 20, "fresh databases to create and seed")
	prof := flag.String("cpuprofile", "", "write a CPU profile to this file")
	inPlace := flag.Bool("in-place", false, "seed the database where it is opened (as before CreateSeeded)")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	var phases [3]time.Duration
	start := time.Now()
	cpu0 := cpuTime()
	for range *n {
		dir, err := os.MkdirTemp("", "seedprof")
		if err != nil {
			fail(err)
		}
		t0 := time.Now()
		ds, err := seed.Dataset()
		if err != nil {
			fail(err)
		}
		t1 := time.Now()
		path := filepath.Join(dir, "coalition.db")
		var t2 time.Time
		if *inPlace {
			s, err := sqlstore.Open(ctx, path)
			if err != nil {
				fail(err)
			}
			t2 = time.Now()
			if _, err := s.FindCountries(ctx, coalition.CountryFilter{}); err != nil {
				fail(err)
			}
			if _, err := seed.LoadDataset(ctx, s, ds, false); err != nil {
				fail(err)
			}
			s.Close()
		} else {
			created, err := sqlstore.CreateSeeded(ctx, path, func(s *sqlstore.Store) error {
				t2 = time.Now()
				_, err := seed.LoadDataset(ctx, s, ds, false)
				return err
			})
			if err != nil || !created {
				fail(fmt.Errorf("created %v: %v", created, err))
			}
		}
		t3 := time.Now()
		os.RemoveAll(dir)
		phases[0] += t1.Sub(t0)
		phases[1] += t2.Sub(t1)
		phases[2] += t3.Sub(t2)
	}
	d := float64(*n)
	fmt.Printf("per fresh database: wall %.1f ms, CPU %.1f ms; dataset %.1f ms, open+migrate %.1f ms, seed %.1f ms (wall)\n",
		ms(time.Since(start))/d, ms(cpuTime()-cpu0)/d, ms(phases[0])/d, ms(phases[1])/d, ms(phases[2])/d)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "seedprof:", err)
	os.Exit(1)
}
