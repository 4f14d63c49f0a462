package risk

import (
	"context"
	"os"
	"testing"
	"time"
)

// loadReference reads testdata/reference-model.json, written by
// scripts/risk-numpy/gen_model.py: 100,000 trials × 40 members × 10
// categories × 36 months, 1–3 events per member.
func loadReference(tb testing.TB) Model {
	tb.Helper()
	f, err := os.Open("testdata/reference-model.json")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// benchAgainstNaive runs Run b.N times and, once, the naive implementation of
// the same model (test file naive_test.go: D[c][t] summed over all members in
// every trial), and reports the ratio naive/Run.
func benchAgainstNaive(b *testing.B, m Model) {
	ctx := context.Background()
	start := time.Now()
	if _, err := runNaive(m); err != nil {
		b.Fatal(err)
	}
	naive := time.Since(start)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(ctx, m, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Milliseconds()), "ms/run")
	b.ReportMetric(float64(naive)/float64(per), "x-faster-than-naive")
}

// BenchmarkReference is the reference size; the goal is ≤ 1 s per run on 2 cores.
func BenchmarkReference(b *testing.B) {
	benchAgainstNaive(b, loadReference(b))
}

// BenchmarkReferenceDense is the reference size with every support changing
// every month: the worst case for the break-based inner loop.
func BenchmarkReferenceDense(b *testing.B) {
	m := loadReference(b)
	for i := range m.Members {
		for c, s := range m.Members[i].Support {
			vals := make([]float64, m.Months)
			for t := range vals {
				vals[t] = s.At(t) * (1 + 0.01*float64(t%7))
			}
			m.Members[i].Support[c] = PerMonth(vals...)
		}
	}
	benchAgainstNaive(b, m)
}

// BenchmarkSmall is 10,000 trials of the first 10 members.
func BenchmarkSmall(b *testing.B) {
	m := loadReference(b)
	m.Members = m.Members[:10]
	m.Trials = 10_000
	benchAgainstNaive(b, m)
}
