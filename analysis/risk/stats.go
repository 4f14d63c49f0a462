package risk

import "math"

// nearestRank is the 1-based rank of the p-th percentile of n values by the
// nearest-rank method: ceil(p·n/100), at least 1.
func nearestRank(p, n int) int {
	return max(1, (p*n+99)/100)
}

// selectRanks reorders a so that a[lo], a[mid] and a[hi] (lo <= mid <= hi)
// hold the values they would hold if a were sorted.
func selectRanks(a []float64, lo, mid, hi int) {
	selectK(a, mid)
	selectK(a[:mid], lo)
	if hi > mid {
		selectK(a[mid+1:], hi-mid-1)
	}
}

// selectK reorders a so that a[k] is the k-th smallest (0-based) value, with
// no larger value before it and no smaller value after it: quickselect with a
// three-way partition (many equal values are common: a fully covered month).
func selectK(a []float64, k int) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		pivot := median3(a[lo], a[lo+(hi-lo)/2], a[hi])
		// a[lo:lt] < pivot, a[lt:i] == pivot, a[gt+1:hi+1] > pivot
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch v := a[i]; {
			case v < pivot:
				a[lt], a[i] = a[i], a[lt]
				lt++
				i++
			case v > pivot:
				a[i], a[gt] = a[gt], a[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return
		}
	}
}

func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		b = a
	}
	return b
}

// sqrt1m is sqrt(1 − ρ²), exactly 0 for |ρ| = 1.
func sqrt1m(rho float64) float64 {
	return math.Sqrt(math.Max(0, 1-rho*rho))
}
