package analysis

import (
	"math"
)

// This file holds an independent reference solver for the burden LP: a plain
// dense tableau simplex (Dantzig's rule, Bland's rule after many degenerate
// steps). It is slow and used only by tests and the reference benchmark.

// simplexMax maximises c·x subject to A x <= b, x >= 0, with b >= 0 (so the
// slack basis is feasible). It returns x and whether an optimum was found.
func simplexMax(c []float64, A [][]float64, b []float64) ([]float64, bool) {
	m, n := len(A), len(c)
	w := n + m + 1
	t := make([]float64, (m+1)*w)
	row := func(i int) []float64 { return t[i*w : (i+1)*w] }
	basis := make([]int, m)
	for i := 0; i < m; i++ {
		r := row(i)
		copy(r, A[i])
		r[n+i] = 1
		r[w-1] = b[i]
		basis[i] = n + i
	}
	obj := row(m)
	for j := 0; j < n; j++ {
		obj[j] = -c[j]
	}
	const tol = 1e-9
	for iter := 0; iter < 200000; iter++ {
		bland := iter > 5000
		enter := -1
		best := -tol
		for j := 0; j < w-1; j++ {
			if obj[j] < best {
				enter, best = j, obj[j]
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			x := make([]float64, n)
			for i, bv := range basis {
				if bv < n {
					x[bv] = row(i)[w-1]
				}
			}
			return x, true
		}
		leave := -1
		var ratio float64
		for i := 0; i < m; i++ {
			a := row(i)[enter]
			if a <= tol {
				continue
			}
			q := row(i)[w-1] / a
			if leave < 0 || q < ratio-1e-12 || (q <= ratio+1e-12 && basis[i] < basis[leave]) {
				leave, ratio = i, q
			}
		}
		if leave < 0 {
			return nil, false // unbounded
		}
		pr := row(leave)
		pv := pr[enter]
		for j := range pr {
			pr[j] /= pv
		}
		for i := 0; i <= m; i++ {
			if i == leave {
				continue
			}
			r := row(i)
			f := r[enter]
			if f == 0 {
				continue
			}
			for j := range r {
				r[j] -= f * pr[j]
			}
		}
		basis[leave] = enter
	}
	return nil, false
}

// referenceBurden solves p with the dense simplex as one LP:
// maximise 4·Σx − Σd, d_m >= |t_m − w_m/W·Σx|. A unit of coverage can save
// at most 2 units of deviation (docs/analysis.md), so weight 4 makes the
// single LP lexicographic. It returns covered and deviation.
func referenceBurden(p BurdenProblem) (covered, deviation float64, ok bool) {
	nm, nc := len(p.Members), len(p.Categories)
	nx := nm * nc
	n := nx + nm
	var W float64
	for _, m := range p.Members {
		W += m.Weight
	}
	c := make([]float64, n)
	for k := 0; k < nx; k++ {
		c[k] = 4
	}
	for i := 0; i < nm; i++ {
		c[nx+i] = -1
	}
	var A [][]float64
	var b []float64
	add := func(r []float64, v float64) { A = append(A, r); b = append(b, v) }
	for i, m := range p.Members {
		if m.Cap != nil && !math.IsInf(*m.Cap, 1) {
			r := make([]float64, n)
			for j := 0; j < nc; j++ {
				r[i*nc+j] = 1
			}
			add(r, *m.Cap)
		}
		for j, cat := range p.Categories {
			if v, ok := m.CategoryCaps[cat]; ok && !math.IsInf(v, 1) {
				r := make([]float64, n)
				r[i*nc+j] = 1
				add(r, v)
			}
		}
		// t_i − f_i·Σx − d_i <= 0 and −t_i + f_i·Σx − d_i <= 0.
		f := m.Weight / W
		up, down := make([]float64, n), make([]float64, n)
		for k := 0; k < nx; k++ {
			up[k], down[k] = -f, f
		}
		for j := 0; j < nc; j++ {
			up[i*nc+j] += 1
			down[i*nc+j] -= 1
		}
		up[nx+i], down[nx+i] = -1, -1
		add(up, 0)
		add(down, 0)
	}
	for j, cat := range p.Categories {
		r := make([]float64, n)
		for i := 0; i < nm; i++ {
			r[i*nc+j] = 1
		}
		add(r, p.Gap[cat])
	}
	x, ok := simplexMax(c, A, b)
	if !ok {
		return 0, 0, false
	}
	t := make([]float64, nm)
	for i := 0; i < nm; i++ {
		for j := 0; j < nc; j++ {
			t[i] += x[i*nc+j]
			covered += x[i*nc+j]
		}
	}
	for i, m := range p.Members {
		deviation += math.Abs(t[i] - m.Weight/W*covered)
	}
	return covered, deviation, true
}
