package http

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"coalition"
	"coalition/report"
)

// donorQuery is the donors table's state: its filter, sort order and length.
// The page, its CSV and the overview's top table share it.
type donorQuery struct {
	coalition.DonorFilter
	Sort string // a key of donorSorts
	Asc  bool
	Top  int // show only the first Top rows; 0: all
	// GDPYear is the GDP the shares divide by: 0 the World Bank's loaded,
	// 2021 Kiel's denominator (report.RebaseGDP).
	GDPYear int
}

// donorSorts are the sortable columns and the value each sorts by.
var donorSorts = map[string]func(t coalition.DonorTotal) float64{
	"military":     func(t coalition.DonorTotal) float64 { return t.MilitaryEUR },
	"financial":    func(t coalition.DonorTotal) float64 { return t.FinancialEUR },
	"humanitarian": func(t coalition.DonorTotal) float64 { return t.HumanitarianEUR },
	"total":        func(t coalition.DonorTotal) float64 { return t.TotalEUR },
	"pct_gdp":      func(t coalition.DonorTotal) float64 { return pctKey(t.PctGDP) },
	"per_capita":   func(t coalition.DonorTotal) float64 { return pctKey(t.PerCapitaEUR) },
}

// donorQueryParams reads the filter (as the API does) plus sort, dir and top.
func donorQueryParams(r *http.Request) (donorQuery, error) {
	f, err := donorParams(r)
	if err != nil {
		return donorQuery{}, err
	}
	q := donorQuery{DonorFilter: f, Sort: "total"}
	p := params{r: r}
	if v := p.str("sort"); v != "" {
		if _, ok := donorSorts[v]; !ok && v != "name" {
			p.fail("sort", "%q is not one of name, military, financial, humanitarian, total, pct_gdp, per_capita", v)
		}
		q.Sort = v
	}
	switch p.str("dir") {
	case "":
		q.Asc = q.Sort == "name"
	case "asc":
		q.Asc = true
	case "desc":
	default:
		p.fail("dir", "%q is not asc or desc", p.str("dir"))
	}
	q.Top = int(p.int64("top", 0, 0, 1000))
	q.GDPYear = int(p.int64("gdp_year", 0, 0, 2100))
	return q, p.err
}

// encode returns q as a query string, "" when it is all defaults.
func (q donorQuery) encode() string {
	v, _ := url.ParseQuery(strings.TrimPrefix(filterQuery(q.DonorFilter), "?"))
	if q.Sort != "total" {
		v.Set("sort", q.Sort)
	}
	if q.Asc != (q.Sort == "name") {
		v.Set("dir", map[bool]string{true: "asc", false: "desc"}[q.Asc])
	}
	if q.Top > 0 {
		v.Set("top", strconv.Itoa(q.Top))
	}
	if q.GDPYear != 0 {
		v.Set("gdp_year", strconv.Itoa(q.GDPYear))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// sortDonors orders rows by q; ties by name.
func sortDonors(rows []coalition.DonorTotal, q donorQuery) {
	key := donorSorts[q.Sort]
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if key != nil && key(a) != key(b) {
			if q.Asc {
				return key(a) < key(b)
			}
			return key(a) > key(b)
		}
		if q.Asc || key != nil {
			return a.Name < b.Name
		}
		return a.Name > b.Name
	})
}

// donorTable sorts and cuts the totals as q says and lays them out; the
// page and the CSV both come from it.
func donorTable(totals []coalition.DonorTotal, q donorQuery) dataTable {
	rows := append([]coalition.DonorTotal(nil), totals...)
	sortDonors(rows, q)
	if q.Top > 0 && len(rows) > q.Top {
		rows = rows[:q.Top]
	}
	t := dataTable{ID: "donor-table", Caption: "Support per donor (EUR)"}
	// With a type filter the other types' columns would be all zeros: leave them out.
	typeCol := func(typ coalition.SupportType) bool { return q.Type == "" || q.Type == typ }
	cols := []struct {
		column
		show bool
		cell func(i int, r coalition.DonorTotal) cell
	}{
		{column{Label: "#", Name: "rank", Num: true}, true, func(i int, _ coalition.DonorTotal) cell { return intCell(i + 1) }},
		{column{Label: "Donor", Name: "donor", Sort: "name"}, true, func(_ int, r coalition.DonorTotal) cell { return linkCell(r.Name, "/countries/"+r.ISO3) }},
		{column{Label: "ISO3", Name: "iso3"}, true, func(_ int, r coalition.DonorTotal) cell { return textCell(r.ISO3) }},
		{column{Label: "Military", Name: "military_eur", Num: true, Sort: "military"}, typeCol(coalition.Military), func(_ int, r coalition.DonorTotal) cell { return eurCell(r.MilitaryEUR) }},
		{column{Label: "Financial", Name: "financial_eur", Num: true, Sort: "financial"}, typeCol(coalition.Financial), func(_ int, r coalition.DonorTotal) cell { return eurCell(r.FinancialEUR) }},
		{column{Label: "Humanitarian", Name: "humanitarian_eur", Num: true, Sort: "humanitarian"}, typeCol(coalition.Humanitarian), func(_ int, r coalition.DonorTotal) cell { return eurCell(r.HumanitarianEUR) }},
		{column{Label: "Reconstruction", Name: "reconstruction_eur", Num: true}, q.Type == coalition.Reconstruction, func(_ int, r coalition.DonorTotal) cell { return eurCell(r.ReconstructionEUR) }},
		{column{Label: "Total", Name: "total_eur", Num: true, Sort: "total"}, true, func(_ int, r coalition.DonorTotal) cell { return eurCell(r.TotalEUR) }},
		{column{Label: "% of GDP (" + report.GDPLabel(totals) + ")", Name: "pct_gdp", Num: true, Sort: "pct_gdp"}, true, func(_ int, r coalition.DonorTotal) cell { return pctCell(r.PctGDP) }},
		{column{Label: "Per person", Name: "per_capita_eur", Num: true, Sort: "per_capita"}, true, func(_ int, r coalition.DonorTotal) cell {
			return cell{Text: perCapita(r.PerCapitaEUR), Raw: rawPtr(r.PerCapitaEUR), Num: true}
		}},
	}
	for _, col := range cols {
		if !col.show {
			continue
		}
		c := col.column
		if c.Sort != "" {
			next := q
			next.Top = 0
			next.Asc = c.Sort == "name"
			if c.Sort == q.Sort {
				c.Dir = map[bool]string{true: "ascending", false: "descending"}[q.Asc]
				next.Asc = !q.Asc
			}
			next.Sort = c.Sort
			c.Sort = "/donors" + next.encode()
		}
		t.Columns = append(t.Columns, c)
	}
	for i, r := range rows {
		var row []cell
		for _, col := range cols {
			if col.show {
				row = append(row, col.cell(i, r))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

type donorsData struct {
	page
	Query   donorQuery
	Table   dataTable
	CSV     string
	Types   []option
	Groups  []option
	Since   string
	Until   string
	AsOf    coalition.Date
	Sources []string
	Total   float64
}

// donorsPage is the sortable, filterable donors table.
func (s *server) donorsPage(w http.ResponseWriter, r *http.Request) error {
	d := donorsData{page: s.newPage("Donors", "donors")}
	q, err := donorQueryParams(r)
	if err != nil {
		return err
	}
	d.Query = q
	totals, err := s.donorTotals(r.Context(), q.DonorFilter)
	if err != nil {
		return err
	}
	if totals, err = report.RebaseGDP(totals, q.GDPYear); err != nil {
		return err
	}
	groups, err := s.store.FindGroups(r.Context())
	if err != nil {
		return err
	}
	coalitions, err := s.store.FindCoalitions(r.Context())
	if err != nil {
		return err
	}
	d.Table = donorTable(totals, q)
	d.CSV = "/donors.csv" + q.encode()
	for _, t := range totals {
		d.Total += t.TotalEUR
		if t.AsOf.After(d.AsOf) {
			d.AsOf = t.AsOf
		}
		for _, src := range splitSources(t.Source) {
			d.Sources = addSource(d.Sources, src)
		}
	}
	d.Types = []option{{"", "All types", q.Type == ""}}
	for _, typ := range coalition.SupportTypes {
		d.Types = append(d.Types, option{string(typ), typeLabels[typ], q.Type == typ})
	}
	d.Groups = []option{{"", "All donors", q.Group == ""}}
	for _, g := range groups {
		d.Groups = append(d.Groups, option{g.Code, g.Name, q.Group == g.Code})
	}
	for _, c := range coalitions {
		d.Groups = append(d.Groups, option{c.Code, c.Name, q.Group == c.Code})
	}
	if q.Since != 0 {
		d.Since = q.Since.String()
	}
	if q.Until != 0 {
		d.Until = q.Until.String()
	}
	return s.render(w, http.StatusOK, "donors.html", d)
}

// donorsCSV is exactly the donors table the same query shows.
func (s *server) donorsCSV(w http.ResponseWriter, r *http.Request) error {
	q, err := donorQueryParams(r)
	if err != nil {
		return err
	}
	totals, err := s.donorTotals(r.Context(), q.DonorFilter)
	if err != nil {
		return err
	}
	if totals, err = report.RebaseGDP(totals, q.GDPYear); err != nil {
		return err
	}
	return writeCSV(w, "donors.csv", donorTable(totals, q))
}
