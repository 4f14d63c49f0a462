package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"coalition"
)

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
}

// eur formats euros for people: €1.23 bn, €350.0 m.
func eur(v float64) string { return coalition.FormatEUR(v, 2) }

func pctGDP(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f%%", *p)
}
