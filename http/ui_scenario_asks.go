package http

import (
	"fmt"
	"sort"
	"strings"

	"coalition"
	"coalition/report"
)

// asksChart is "who is asked for what": each member's extra per category
// (report.PlanRow.ExtraByCategory, the same figures as the plan's JSON),
// a stacked bar per member and a member × category table; the caps from
// data that bound the asks are listed in its note with their sources.
func asksChart(rows []planRow, caps []report.CapNote, qs string, srcs []string, asOf coalition.Date) chart {
	ch := chart{ID: "scenario-asks", Title: "Who is asked for what: each member's extra by category", Kind: "stack",
		Sources: srcs, AsOf: asOf, Open: true,
		Note: "Extra: what the plan asks of the member over the horizon, after caps, by category; the row total is its extra."}
	cats := map[string]bool{}
	for _, r := range rows {
		for c, v := range r.ByCategory {
			if v != 0 {
				cats[c] = true
			}
		}
	}
	order := make([]string, 0, len(cats))
	for c := range cats {
		order = append(order, c)
	}
	sort.Strings(order)
	d := stackData{Unit: "EUR", X: []string{}, Series: []series{}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Extra asked per member and category over the horizon (EUR)",
		Columns: []column{{Label: "Country", Name: "country"}, {Label: "ISO3", Name: "iso3"}}}
	for _, c := range order {
		d.Series = append(d.Series, series{categoryLabel(c), []float64{}})
		ch.Table.Columns = append(ch.Table.Columns, column{Label: categoryLabel(c), Name: c + "_eur", Num: true})
	}
	ch.Table.Columns = append(ch.Table.Columns, column{Label: "Extra, all categories", Name: "extra_eur", Num: true})
	for _, r := range rows {
		if r.Extra == 0 {
			continue
		}
		d.X = append(d.X, r.Name)
		row := []cell{linkCell(r.Name, "/countries/"+r.ISO3), textCell(r.ISO3)}
		for i, c := range order {
			d.Series[i].Values = append(d.Series[i].Values, r.ByCategory[c])
			row = append(row, eurCell(r.ByCategory[c]))
		}
		ch.Table.Rows = append(ch.Table.Rows, append(row, eurCell(r.Extra)))
	}
	ch.Data = d
	if len(d.X) == 0 {
		ch.Empty = "Nobody is asked for anything: the withdrawal opens no gap that the members can fill."
	}
	if notes := capNotes(caps); notes != "" {
		ch.Note += " Caps from data: " + notes
		for _, c := range caps {
			if c.Source != "" {
				ch.Sources = addSource(ch.Sources, c.Source)
			}
		}
	}
	return ch
}

// capNotes says which caps from data bound the asks: every capability
// limit (a member's categories under one rule together), and how many
// members a defence-spending cap applied to.
func capNotes(caps []report.CapNote) string {
	var parts []string
	type limit struct{ iso3, basis string }
	var limits []limit
	cats := map[limit][]string{}
	amount := map[limit]float64{}
	defence, share := 0, ""
	for _, c := range caps {
		switch {
		case c.Kind == "capability":
			k := limit{c.ISO3, c.Basis}
			if cats[k] == nil {
				limits = append(limits, k)
			}
			cats[k], amount[k] = append(cats[k], categoryLabel(c.Category)), c.CapEUR
		case c.Kind == "defence-share" && c.CapEUR >= 0:
			defence++
			share = c.Basis
		}
	}
	for _, k := range limits {
		parts = append(parts, fmt.Sprintf("%s: %s capped at %s a year each (%s)", k.iso3, strings.Join(cats[k], ", "), eur(amount[k]), k.basis))
	}
	if defence > 0 {
		if i := strings.Index(share, " × "); i > 0 {
			share = share[:i]
		}
		parts = append(parts, fmt.Sprintf("%d members' asks capped at %s × their defence spending (NATO 2025e, else the stored figure)", defence, share))
	}
	return strings.Join(parts, "; ")
}
