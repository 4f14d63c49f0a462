package analysis

import "math"

// evenSplit is the allocations with each member's total spread over the
// categories as evenly as the caps allow (proportionalSplit): the flow
// fixes the totals and what each category receives, and any split with
// those sums is as optimal, but the flow returns a corner (one member all
// military, another all financial), which reads as a recommendation it is
// not. Covered, deviation and every total are unchanged.
func evenSplit(p BurdenProblem, as []Allocation, eps float64) []Allocation {
	byCat := map[string]map[string]float64{}
	for _, a := range as {
		if byCat[a.ISO3] == nil {
			byCat[a.ISO3] = map[string]float64{}
		}
		byCat[a.ISO3][a.Category] += a.Amount
	}
	proportionalSplit(p, byCat)
	out := make([]Allocation, 0, len(as))
	for _, m := range p.Members {
		for _, c := range p.Categories {
			if x := byCat[m.ISO3][c]; x > eps {
				out = append(out, Allocation{ISO3: m.ISO3, Category: c, Amount: x})
			}
		}
	}
	return out
}

// proportionalSplit re-splits each member's total over the categories as
// evenly as the caps allow (SolveBurden's evenSplit). Iterative
// proportional fitting from the split "as the gap does" (a member's total
// in proportion to what each category receives), with a member's
// categories capped at zero held at zero, converges to the split closest
// to proportional with the same sums; if it breaks a positive cap or does
// not converge, the LP's own split is kept (always feasible). Members and
// categories are visited in the problem's order, so the result is the same
// bit for bit on every run.
func proportionalSplit(p BurdenProblem, byCat map[string]map[string]float64) {
	nm, nc := len(p.Members), len(p.Categories)
	rows, cols := make([]float64, nm), make([]float64, nc)
	for i, m := range p.Members {
		for j, c := range p.Categories {
			v := byCat[m.ISO3][c]
			rows[i] += v
			cols[j] += v
		}
	}
	var total float64
	for _, v := range cols {
		total += v
	}
	if total <= 0 {
		return
	}
	x := make([][]float64, nm)
	for i, m := range p.Members {
		x[i] = make([]float64, nc)
		for j, c := range p.Categories {
			if cc, ok := m.CategoryCaps[c]; ok && cc <= 0 {
				continue
			}
			x[i][j] = rows[i] * cols[j] / total
		}
	}
	if !fitProportions(x, rows, cols) {
		return
	}
	for i, m := range p.Members {
		for j, c := range p.Categories {
			if cc, ok := m.CategoryCaps[c]; ok && x[i][j] > cc*(1+1e-9)+1e-6 {
				return
			}
		}
	}
	for i, m := range p.Members {
		if rows[i] <= 0 {
			continue
		}
		split := map[string]float64{}
		for j, c := range p.Categories {
			if x[i][j] > 0 {
				split[c] = x[i][j]
			}
		}
		byCat[m.ISO3] = split
	}
}

// fitProportions scales x's rows and columns in turn until their sums are
// rows and cols (relative error 1e-10), at most 1,000 rounds; false if
// they are not reached. Zero rows and columns stay zero.
func fitProportions(x [][]float64, rows, cols []float64) bool {
	colSum := make([]float64, len(cols))
	for round := 0; round < 1000; round++ {
		for i, r := range x {
			var s float64
			for _, v := range r {
				s += v
			}
			if s <= 0 {
				if rows[i] > 0 {
					return false
				}
				continue
			}
			for j := range r {
				r[j] *= rows[i] / s
			}
		}
		clear(colSum)
		for _, r := range x {
			for j, v := range r {
				colSum[j] += v
			}
		}
		worst := 0.0
		for j, want := range cols {
			if want <= 0 {
				continue
			}
			if colSum[j] <= 0 {
				return false
			}
			worst = math.Max(worst, math.Abs(colSum[j]-want)/want)
		}
		if worst < 1e-10 {
			return true
		}
		for _, r := range x {
			for j := range r {
				if colSum[j] > 0 {
					r[j] *= cols[j] / colSum[j]
				}
			}
		}
	}
	return false
}
