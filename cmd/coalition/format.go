package main

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
}

// eur formats euros for people: €1.2 bn, €350.0 m.
func eur(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return fmt.Sprintf("€%.2f bn", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("€%.1f m", v/1e6)
	case a >= 1e3:
		return fmt.Sprintf("€%.0f k", v/1e3)
	default:
		return fmt.Sprintf("€%.0f", v)
	}
}

func pctGDP(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f%%", *p)
}
