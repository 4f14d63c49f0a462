package analysis

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// bench60x12 is one fixed random problem of the size the issue names: 60
// members × 12 categories, with a third of the caps set.
func bench60x12() BurdenProblem {
	return randomProblem(rand.New(rand.NewPCG(60, 12)), 60, 12)
}

var (
	simplexOnce sync.Once
	simplexNS   float64 // reference: the dense simplex's time per solve
)

// BenchmarkSolveBurden60x12 times SolveBurden and reports, as
// "simplex/ours", how many times faster it is than the dense-simplex
// reference (simplex_test.go) solving the same problem in the same run.
func BenchmarkSolveBurden60x12(b *testing.B) {
	p := bench60x12()
	simplexOnce.Do(func() {
		const runs = 3
		start := time.Now()
		for range runs {
			if _, _, ok := referenceBurden(p); !ok {
				b.Fatal("reference simplex failed")
			}
		}
		simplexNS = float64(time.Since(start).Nanoseconds()) / runs
	})
	var res BurdenResult
	var err error
	b.ResetTimer()
	for b.Loop() {
		res, err = SolveBurden(p)
		if err != nil {
			b.Fatal(err)
		}
	}
	ours := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(simplexNS/ours, "simplex/ours")
	rc, rd, _ := referenceBurden(p)
	if !near(res.Covered, rc, 1e-7) || !near(res.Deviation, rd, 1e-7) {
		b.Errorf("ours covered %v deviation %v, simplex %v %v", res.Covered, res.Deviation, rc, rd)
	}
}

// BenchmarkReferenceSimplex60x12 times the reference alone.
func BenchmarkReferenceSimplex60x12(b *testing.B) {
	p := bench60x12()
	for b.Loop() {
		if _, _, ok := referenceBurden(p); !ok {
			b.Fatal("reference simplex failed")
		}
	}
}

// BenchmarkWaterFill60 times the single-pool closed form for 60 members.
func BenchmarkWaterFill60(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 60))
	w, c := make([]float64, 60), make([]float64, 60)
	for i := range w {
		w[i], c[i] = rng.Float64(), rng.Float64()*20
	}
	for b.Loop() {
		WaterFill(500, w, c)
	}
}
