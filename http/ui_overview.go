package http

import (
	"context"
	"net/http"
	"net/url"
	"sort"

	"coalition"
	"coalition/report"
)

// support is what the overview's charts are drawn from: one DonorTotals and
// one MonthlySupport query under the same filter.
type support struct {
	Filter  coalition.DonorFilter
	Query   string // the filter as a query string, for CSV links ("" or "?type=military")
	Totals  []coalition.DonorTotal
	Monthly []coalition.DonorMonth
	AsOf    coalition.Date
	Sources []string
	First   coalition.Month // first and last month with support; 0 when none
	Last    coalition.Month
}

func (s *server) loadSupport(ctx context.Context, r *http.Request) (*support, error) {
	f, err := donorParams(r)
	if err != nil {
		return nil, err
	}
	d := &support{Filter: f, Query: filterQuery(f)}
	if d.Totals, err = s.donorTotals(ctx, f); err != nil {
		return nil, err
	}
	if d.Monthly, err = s.monthlySupport(ctx, f); err != nil {
		return nil, err
	}
	for _, t := range d.Totals {
		if t.AsOf.After(d.AsOf) {
			d.AsOf = t.AsOf
		}
		for _, src := range splitSources(t.Source) {
			d.Sources = addSource(d.Sources, src)
		}
	}
	for _, m := range d.Monthly {
		if m.EUR == 0 {
			continue
		}
		if d.First == 0 || m.Month < d.First {
			d.First = m.Month
		}
		if m.Month > d.Last {
			d.Last = m.Month
		}
	}
	return d, nil
}

// filterQuery is the donor filter as a query string ("" when empty).
func filterQuery(f coalition.DonorFilter) string {
	v := url.Values{}
	if f.Type != "" {
		v.Set("type", string(f.Type))
	}
	if f.Since != 0 {
		v.Set("since", f.Since.String())
	}
	if f.Until != 0 {
		v.Set("until", f.Until.String())
	}
	if f.Group != "" {
		v.Set("group", f.Group)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// gdpNote explains the % of GDP columns.
const gdpNote = "% of GDP: World Bank GDP 2023 at the ECB 2023 average USD/EUR rate (Kiel's own figures use 2021 GDP)."

// typeTotal is one support type's sum.
type typeTotal struct {
	Type  coalition.SupportType
	Label string
	EUR   float64
}

var typeLabels = map[coalition.SupportType]string{
	coalition.Military: "Military", coalition.Financial: "Financial",
	coalition.Humanitarian: "Humanitarian", coalition.Reconstruction: "Reconstruction",
}

// byType sums the totals per type, in display order, leaving out types with nothing.
func byType(ts []coalition.DonorTotal) []typeTotal {
	sum := map[coalition.SupportType]float64{}
	for _, t := range ts {
		sum[coalition.Military] += t.MilitaryEUR
		sum[coalition.Financial] += t.FinancialEUR
		sum[coalition.Humanitarian] += t.HumanitarianEUR
		sum[coalition.Reconstruction] += t.ReconstructionEUR
	}
	var out []typeTotal
	for _, typ := range coalition.SupportTypes {
		if sum[typ] != 0 {
			out = append(out, typeTotal{typ, typeLabels[typ], sum[typ]})
		}
	}
	return out
}

// shareOfGDP is the support of the donors with a known GDP as a share of
// their combined GDP: Σ total / Σ GDP (each donor's GDP in EUR as the store
// gives it). Nil when no donor has a GDP.
func shareOfGDP(ts []coalition.DonorTotal) *float64 {
	var support, gdp float64
	for _, t := range ts {
		if t.GDPEUR == nil || *t.GDPEUR <= 0 || t.TotalEUR <= 0 {
			continue
		}
		support += t.TotalEUR
		gdp += *t.GDPEUR
	}
	if gdp == 0 {
		return nil
	}
	p := support / gdp * 100
	return &p
}

// series is one named line of numbers for dashboard.js.
type series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// stackData is a stacked bar chart over months.
type stackData struct {
	Unit   string   `json:"unit"`
	X      []string `json:"x"`
	Series []series `json:"series"`
}

// monthsBetween lists first..last as strings.
func monthsBetween(first, last coalition.Month) []string {
	var out []string
	for m := first; first != 0 && m <= last; m++ {
		out = append(out, m.String())
	}
	return out
}

// monthlyByType is support per month stacked by type, for the donors in
// rows whose key is accepted (nil: all).
func monthlyByType(id, title string, rows []coalition.DonorMonth, accept func(iso3 string) bool) (stackData, dataTable) {
	var first, last coalition.Month
	for _, m := range rows {
		if m.EUR == 0 || (accept != nil && !accept(m.ISO3)) {
			continue
		}
		if first == 0 || m.Month < first {
			first = m.Month
		}
		last = max(last, m.Month)
	}
	x := monthsBetween(first, last)
	vals := map[coalition.SupportType][]float64{}
	for _, typ := range coalition.SupportTypes {
		vals[typ] = make([]float64, len(x))
	}
	for _, m := range rows {
		if m.EUR == 0 || (accept != nil && !accept(m.ISO3)) {
			continue
		}
		if v, ok := vals[m.Type]; ok {
			v[m.Month-first] += m.EUR
		}
	}
	d := stackData{Unit: "EUR", X: x}
	t := dataTable{ID: id + "-table", Caption: title, Columns: []column{{Label: "Month", Name: "month"}}}
	var used []coalition.SupportType
	for _, typ := range coalition.SupportTypes {
		nonzero := false
		for _, v := range vals[typ] {
			nonzero = nonzero || v != 0
		}
		if nonzero {
			used = append(used, typ)
			d.Series = append(d.Series, series{typeLabels[typ], vals[typ]})
			t.Columns = append(t.Columns, column{Label: typeLabels[typ], Name: string(typ) + "_eur", Num: true})
		}
	}
	t.Columns = append(t.Columns, column{Label: "Total", Name: "total_eur", Num: true})
	for i, m := range x {
		row := []cell{textCell(m)}
		var sum float64
		for _, typ := range used {
			row = append(row, eurCell(vals[typ][i]))
			sum += vals[typ][i]
		}
		t.Rows = append(t.Rows, append(row, eurCell(sum)))
	}
	return d, t
}

// topN is how many donors the overview singles out.
const topN = 5

// monthlyTopDonors is support per month stacked by donor: the top donors
// and all others together.
func monthlyTopDonors(id, title string, totals []coalition.DonorTotal, rows []coalition.DonorMonth) (stackData, dataTable) {
	var first, last coalition.Month
	for _, m := range rows {
		if m.EUR != 0 {
			if first == 0 || m.Month < first {
				first = m.Month
			}
			last = max(last, m.Month)
		}
	}
	x := monthsBetween(first, last)
	top := map[string]int{}
	var names []string
	for i, t := range totals {
		if i == topN {
			break
		}
		top[t.ISO3] = i
		names = append(names, t.Name)
	}
	others := len(names)
	vals := make([][]float64, len(names)+1)
	for i := range vals {
		vals[i] = make([]float64, len(x))
	}
	for _, m := range rows {
		if m.EUR == 0 {
			continue
		}
		k, ok := top[m.ISO3]
		if !ok {
			k = others
		}
		vals[k][m.Month-first] += m.EUR
	}
	d := stackData{Unit: "EUR", X: x}
	t := dataTable{ID: id + "-table", Caption: title, Columns: []column{{Label: "Month", Name: "month"}}}
	for i, n := range append(names, "All other donors") {
		d.Series = append(d.Series, series{n, vals[i]})
		t.Columns = append(t.Columns, column{Label: n, Name: n, Num: true})
	}
	for j, m := range x {
		row := []cell{textCell(m)}
		for i := range vals {
			row = append(row, eurCell(vals[i][j]))
		}
		t.Rows = append(t.Rows, row)
	}
	return d, t
}

// mapItem is one country on the world map.
type mapItem struct {
	ID    string  `json:"id"` // ISO 3166-1 numeric, as world-atlas keys its features
	ISO3  string  `json:"iso3"`
	Name  string  `json:"name"`
	Value float64 `json:"value"` // support as % of GDP
	EUR   float64 `json:"eur"`
}

type mapData struct {
	Topology string    `json:"topology"` // URL of countries-110m.json
	Label    string    `json:"label"`
	Items    []mapItem `json:"items"`
}

// supportMap shades donors by support as a share of GDP; donors without a
// GDP or without a place on the map (EU institutions) stay in the table only.
func (s *server) supportMap(id, title string, totals []coalition.DonorTotal) (mapData, dataTable) {
	label := "% of GDP (" + report.GDPLabel(totals) + ")"
	d := mapData{Topology: s.assetURL("vendor/countries-110m.json"), Label: label, Items: []mapItem{}}
	t := dataTable{ID: id + "-table", Caption: title, Columns: []column{
		{Label: "Donor", Name: "donor"}, {Label: "ISO3", Name: "iso3"},
		{Label: "Total", Name: "total_eur", Num: true}, {Label: label, Name: "pct_gdp", Num: true},
	}}
	rows := append([]coalition.DonorTotal(nil), totals...)
	sort.SliceStable(rows, func(i, j int) bool { return pctKey(rows[i].PctGDP) > pctKey(rows[j].PctGDP) })
	for _, r := range rows {
		if r.PctGDP == nil {
			continue
		}
		if num, ok := isoNumeric[r.ISO3]; ok {
			d.Items = append(d.Items, mapItem{ID: num, ISO3: r.ISO3, Name: r.Name, Value: *r.PctGDP, EUR: r.TotalEUR})
		}
		t.Rows = append(t.Rows, []cell{linkCell(r.Name, "/countries/"+r.ISO3), textCell(r.ISO3), eurCell(r.TotalEUR), pctCell(r.PctGDP)})
	}
	return d, t
}

func pctKey(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// overviewCharts builds the overview's charts from one support load.
func (s *server) overviewCharts(d *support) map[string]chart {
	note := "Allocations: aid delivered or specified for delivery (Kiel's definition); loans count as financial aid."
	out := map[string]chart{}
	c := chart{ID: "support-monthly", Title: "Monthly support, all donors, by type", Kind: "stack", AsOf: d.AsOf, Sources: d.Sources, Note: note}
	c.Data, c.Table = monthlyByType(c.ID, c.Title+" (EUR)", d.Monthly, nil)
	out[c.ID] = c
	c = chart{ID: "support-top", Title: "Monthly support of the top donors", Kind: "stack", AsOf: d.AsOf, Sources: d.Sources, Note: note}
	c.Data, c.Table = monthlyTopDonors(c.ID, c.Title+" (EUR)", d.Totals, d.Monthly)
	out[c.ID] = c
	c = chart{ID: "support-map", Title: "Support as a share of the donor's GDP", Kind: "map", AsOf: d.AsOf,
		Sources: addSource(d.Sources, "World Bank GDP 2023; ECB 2023 average USD/EUR rate"), Note: gdpNote + " The EU institutions have no GDP and are not shaded."}
	c.Data, c.Table = s.supportMap(c.ID, c.Title, d.Totals)
	out[c.ID] = c
	for id, c := range out {
		c.CSV = "/csv/" + id + d.Query
		if len(c.Table.Rows) == 0 {
			c.Empty = "No support matches these filters. Clear the filters, or load the reference data with `coalition seed`."
		}
		out[id] = c
	}
	return out
}

type overviewData struct {
	page
	*support
	Total    float64
	ByType   []typeTotal
	ShareGDP *float64
	Months   int
	Monthly  chart
	Top      chart
	Map      chart
	Donors   dataTable
	TopCSV   string
}

// overviewPage shows the headline figures, support over time, the world map
// and the top donors.
func (s *server) overviewPage(w http.ResponseWriter, r *http.Request) error {
	d := overviewData{page: s.newPage("Support at a glance", "overview")}
	sup, err := s.loadSupport(r.Context(), r)
	if err != nil {
		return err
	}
	d.support = sup
	for _, t := range sup.Totals {
		d.Total += t.TotalEUR
	}
	d.ByType = byType(sup.Totals)
	d.ShareGDP = shareOfGDP(sup.Totals)
	if sup.First != 0 {
		d.Months = int(sup.Last-sup.First) + 1
	}
	charts := s.overviewCharts(sup)
	d.Monthly, d.Top, d.Map = charts["support-monthly"], charts["support-top"], charts["support-map"]
	q := donorQuery{DonorFilter: sup.Filter, Sort: "total", Top: 15}
	d.Donors = donorTable(sup.Totals, q)
	d.Donors.Caption = "Top donors by total support (EUR)"
	d.TopCSV = "/donors.csv" + q.encode()
	return s.render(w, http.StatusOK, "overview.html", d)
}
