package coalition

import (
	"fmt"
	"math"
)

// FormatEUR writes an amount in euros for people: €1.2 bn, €350.0 m,
// €12 k, €950, with bnDecimals digits after the point for billions.
// A negative amount reads -€985.0 m.
func FormatEUR(v float64, bnDecimals int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%s€%.*f bn", sign, bnDecimals, v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%s€%.1f m", sign, v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%s€%.0f k", sign, v/1e3)
	case math.Round(v) == 0:
		return "€0"
	default:
		return fmt.Sprintf("%s€%.0f", sign, v)
	}
}
