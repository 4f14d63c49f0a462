package analysis

import (
	"math"
	"sort"
)

// WaterFill shares gap among members proportionally to weights, no member
// above its cap (caps may be +Inf): x_i = min(cap_i, λ·w_i) with the single
// λ that makes Σ x_i = min(gap, Σ cap_i). It is exact: members are fixed at
// their caps in order of cap_i/w_i, then λ is solved in closed form.
//
// If the members with a positive weight cannot take the whole gap, the rest
// goes to zero-weight members, equally with caps (this is still optimal for
// the burden LP: any coverage above the fair shares costs the same). Weights
// and caps must be non-negative; the result has one entry per weight.
func WaterFill(gap float64, weights, caps []float64) []float64 {
	x := make([]float64, len(weights))
	if !(gap > 0) {
		return x
	}
	var pos, zero []int
	for i, w := range weights {
		if w > 0 {
			pos = append(pos, i)
		} else {
			zero = append(zero, i)
		}
	}
	rest := fill(gap, pos, weights, caps, x)
	if rest > 0 && len(zero) > 0 {
		ones := make([]float64, len(weights))
		for _, i := range zero {
			ones[i] = 1
		}
		fill(rest, zero, ones, caps, x)
	}
	return x
}

// fill water-fills r over the members idx (all with w > 0) into x and returns
// what nobody could take.
func fill(r float64, idx []int, w, caps []float64, x []float64) float64 {
	order := append([]int(nil), idx...)
	ratio := func(i int) float64 { return caps[i] / w[i] }
	sort.SliceStable(order, func(a, b int) bool { return ratio(order[a]) < ratio(order[b]) })
	var wsum float64
	for _, i := range order {
		wsum += w[i]
	}
	for k, i := range order {
		// Member i is capped when its cap is below its proportional share
		// of what is left: cap_i/w_i <= r/wsum.
		if caps[i]*wsum <= r*w[i] {
			x[i] = caps[i]
			r -= caps[i]
			wsum -= w[i]
			if r < 0 {
				r = 0
			}
			continue
		}
		lambda := r / wsum
		for _, j := range order[k:] {
			x[j] = math.Min(caps[j], lambda*w[j])
		}
		return 0
	}
	return r
}
