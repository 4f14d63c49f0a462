package coalition

import (
	"fmt"
	"math"
)

// FormatEUR writes an amount in euros for people: €1.2 bn, €350.0 m,
// €12 k, €950, with bnDecimals digits after the point for billions.
func FormatEUR(v float64, bnDecimals int) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return fmt.Sprintf("€%.*f bn", bnDecimals, v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("€%.1f m", v/1e6)
	case a >= 1e3:
		return fmt.Sprintf("€%.0f k", v/1e3)
	default:
		return fmt.Sprintf("€%.0f", v)
	}
}
