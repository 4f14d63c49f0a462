package exporter

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"coalition"
)

// pledgePages is a PledgeStore that makes n pledges on the fly, a page at a
// time, as a database would return them.
type pledgePages struct {
	coalition.PledgeStore
	n int64
}

func (s pledgePages) FindPledges(_ context.Context, f coalition.PledgeFilter) ([]*coalition.Pledge, bool, error) {
	var page []*coalition.Pledge
	for id := f.After + 1; id <= s.n && len(page) < f.Limit; id++ {
		page = append(page, &coalition.Pledge{ID: id, Donor: "DEU", Recipient: "UKR", Category: "air-defence",
			Amount: coalition.Money{Minor: id * 100, Currency: "EUR"}, AmountEUR: id * 100, FXRate: 1,
			Announced: coalition.Date{Y: 2025, M: 3, D: 4}, Status: coalition.Allocated, Visibility: coalition.Public,
			Source: fmt.Sprintf("source %d", id%7), SourceRef: fmt.Sprintf("ref-%d", id), AsOf: coalition.Date{Y: 2025, M: 3, D: 4},
			Conditions: "only if the US takes part; delivered from stocks over two quarters"})
	}
	return page, len(page) == f.Limit && page[len(page)-1].ID < s.n, nil
}

// peakHeap runs f and returns the largest live heap seen while it ran,
// above the heap before it, sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
		}
	}()
	f()
	close(done)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// TestExportStreams: exporting many times as many pledges needs about the
// same memory, in every format: rows are read a page at a time and written
// as they come (before, every row was held: 937 MiB for a million). XLSX is
// compared from 50,000 rows on: excelize's StreamWriter keeps up to its
// 16 MiB chunk in memory before it spills to a temporary file, so its
// memory is flat (about 60 MiB here) only past that.
func TestExportStreams(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		format     string
		small, big int64
	}{{"csv", 10_000, 100_000}, {"json", 10_000, 100_000}, {"xlsx", 50_000, 200_000}} {
		t.Run(tc.format, func(t *testing.T) {
			run := func(n int64) uint64 {
				return peakHeap(func() {
					seq, err := Pledges(ctx, pledgePages{n: n}, Filters{})
					if err != nil {
						t.Fatal(err)
					}
					c := newCollector(func(p *coalition.Pledge) (string, coalition.Date) { return p.Source, p.AsOf })
					if err := WriteSeq(io.Discard, tc.format, PledgeColumns, c.watch(seq), c.meta(Meta{Title: "pledges"})); err != nil {
						t.Fatal(err)
					}
					if got := c.meta(Meta{})(); len(got.Sources) != 7 || got.AsOf != (coalition.Date{Y: 2025, M: 3, D: 4}) {
						t.Fatalf("collected %d sources, as of %s; want 7 and 2025-03-04", len(got.Sources), got.AsOf)
					}
				})
			}
			small, big := run(tc.small), run(tc.big)
			t.Logf("%s: peak heap %.1f MiB for %d rows, %.1f MiB for %d", tc.format, float64(small)/(1<<20), tc.small, float64(big)/(1<<20), tc.big)
			// Four to ten times the rows: at most twice the memory, plus
			// 8 MiB of buffers (held rows would need four to ten times).
			if big > 2*small+8<<20 {
				t.Errorf("%s: %d rows peak at %.1f MiB, %d rows at %.1f MiB: memory grows with the export", tc.format,
					tc.big, float64(big)/(1<<20), tc.small, float64(small)/(1<<20))
			}
		})
	}
}

// maxWrite records the largest single Write and the total.
type maxWrite struct{ max, total int }

func (m *maxWrite) Write(p []byte) (int, error) {
	m.max, m.total = max(m.max, len(p)), m.total+len(p)
	return len(p), nil
}

// TestXLSXWritesAsItGoes: the XLSX archive reaches the writer in small
// pieces as excelize makes it, not as one buffer of the whole file (its
// Write builds the archive in memory: 90 MB more at a million pledges).
func TestXLSXWritesAsItGoes(t *testing.T) {
	seq, err := Pledges(context.Background(), pledgePages{n: 100_000}, Filters{})
	if err != nil {
		t.Fatal(err)
	}
	var w maxWrite
	if err := WriteSeq(&w, "xlsx", PledgeColumns, seq, func() Meta { return Meta{Title: "pledges"} }); err != nil {
		t.Fatal(err)
	}
	if w.total < 2<<20 || w.max > 256<<10 {
		t.Fatalf("%d bytes written, the largest write %d bytes: want a file of megabytes in writes of at most 256 KiB", w.total, w.max)
	}
	t.Logf("%d bytes in writes of at most %d", w.total, w.max)
}
