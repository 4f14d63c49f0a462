package sqlstore

import (
	"math"
	"math/big"
	"testing"

	"coalition"
)

// TestExactSum: the columns PostgreSQL's monthly support adds in Go sum as
// its exact numeric sum scanned into a coalition.Minor does: exact while
// the sum fits, whatever the partial sums, and saturated beyond.
func TestExactSum(t *testing.T) {
	for _, c := range []struct {
		vs   []int64
		want coalition.Minor
	}{
		{nil, 0},
		{[]int64{5}, 5},
		{[]int64{12_345, -345, 1_000}, 13_000},
		{[]int64{math.MaxInt64, 1, -2}, math.MaxInt64 - 1},     // a partial sum beyond, the sum not
		{[]int64{math.MinInt64, -1, 2}, math.MinInt64 + 1},     // the same below
		{[]int64{math.MaxInt64, math.MaxInt64}, math.MaxInt64}, // beyond: saturated
		{[]int64{math.MinInt64, -1}, math.MinInt64},
		{[]int64{1 << 53, 1}, 1<<53 + 1}, // exact where a float64 is not
	} {
		if got := exactSum(c.vs); got != c.want {
			t.Errorf("exactSum(%v) = %d, want %d", c.vs, got, c.want)
		}
		// The same as scanning the exact sum's text, as numeric gives it.
		var b big.Int
		for _, v := range c.vs {
			b.Add(&b, big.NewInt(v))
		}
		var m coalition.Minor
		if err := m.Scan(b.String()); err != nil || m != c.want {
			t.Errorf("Minor.Scan(%s) = %d, %v; want %d", b.String(), m, err, c.want)
		}
	}
}
