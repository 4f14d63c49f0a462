package coalition

import (
	"math"
	"strconv"
	"strings"
)

// FormatEUR writes an amount in euros for people: €1.2 bn, €350.0 m,
// €12 k, €950, with bnDecimals digits after the point for billions.
// A negative amount reads -€985.0 m; thousands are separated (€27,361.0 bn).
func FormatEUR(v float64, bnDecimals int) string { return FormatAmount("€", v, bnDecimals) }

// FormatAmount is FormatEUR in another currency: symbol is "€" or "$".
// Every amount a person reads (pages, CLI tables) goes through it, so that
// each has separators and a unit.
func FormatAmount(symbol string, v float64, bnDecimals int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	scale, suffix := AmountScale(v)
	switch {
	case scale == 1e9:
		return sign + symbol + FormatNumber(v/scale, bnDecimals) + suffix
	case scale == 1e6:
		return sign + symbol + FormatNumber(v/scale, 1) + suffix
	case scale == 1e3:
		return sign + symbol + FormatNumber(v/scale, 0) + suffix
	case math.Round(v) == 0:
		return symbol + "0"
	default:
		return sign + symbol + FormatNumber(v, 0)
	}
}

// AmountScale is the unit an amount of v's size is written in: 1e9 and
// " bn", 1e6 and " m", 1e3 and " k", or 1 and "".
func AmountScale(v float64) (scale float64, suffix string) {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return 1e9, " bn"
	case a >= 1e6:
		return 1e6, " m"
	case a >= 1e3:
		return 1e3, " k"
	}
	return 1, ""
}

// FormatNumber writes v with decimals digits after the point and a comma
// between thousands: 27,361 or 1,854.5.
func FormatNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}
