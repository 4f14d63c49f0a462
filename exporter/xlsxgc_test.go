package exporter

import (
	"io"
	"iter"
	"runtime/debug"
	"sync"
	"testing"
)

// gcPercent reads the collector's target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestXLSXLowersGC: while an XLSX export writes its rows the collector's
// target is xlsxGCPercent, two overlapping exports share it, and the
// target before them is back once the last has ended (also after an error).
func TestXLSXLowersGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	cols := []Column[int]{{Name: "n", Kind: Number, Value: func(n int) any { return n }}}
	var mu sync.Mutex
	seen := map[string]int{}
	rows := func(name string, wait, done chan struct{}) iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			mu.Lock()
			seen[name+" first"] = gcPercent()
			mu.Unlock()
			if wait != nil {
				close(done)
				<-wait
			}
			mu.Lock()
			seen[name+" last"] = gcPercent()
			mu.Unlock()
			yield(1, nil)
		}
	}
	meta := func() Meta { return Meta{Title: "t"} }
	firstStarted, firstMayEnd := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- WriteSeq(io.Discard, "xlsx", cols, rows("first", firstMayEnd, firstStarted), meta) }()
	<-firstStarted
	if err := WriteSeq(io.Discard, "xlsx", cols, rows("second", nil, nil), meta); err != nil {
		t.Fatal(err)
	}
	if got := gcPercent(); got != xlsxGCPercent {
		t.Errorf("after the second export ended, with the first still writing: GC target %d, want %d", got, xlsxGCPercent)
	}
	close(firstMayEnd)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	for k, v := range seen {
		if v != xlsxGCPercent {
			t.Errorf("%s row: GC target %d, want %d", k, v, xlsxGCPercent)
		}
	}
	if len(seen) != 4 {
		t.Fatalf("rows seen: %v", seen)
	}
	if got := gcPercent(); got != 100 {
		t.Errorf("after both exports: GC target %d, want 100 (as before)", got)
	}
	// A lower target set by the operator (GOGC=10) is kept.
	debug.SetGCPercent(10)
	if err := WriteSeq(io.Discard, "xlsx", cols, rows("low", nil, nil), meta); err != nil {
		t.Fatal(err)
	}
	if seen["low first"] != 10 || gcPercent() != 10 {
		t.Errorf("GOGC=10: during the export %d, after %d; want 10 and 10", seen["low first"], gcPercent())
	}
}
