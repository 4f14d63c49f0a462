package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"coalition"
	"coalition/report"
)

// equipmentPage shows equipment pledged and delivered: units per
// capability category and per system, and value delivered by donor, each
// chart with its table and CSV (the same report as GET /api/v1/equipment).
func (s *server) equipmentPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := equipmentFilter(r)
	rep, err := report.Equipment(ctx, s.store, f)
	if err != nil {
		return err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return err
	}
	d := equipmentData{page: s.newPage("Equipment", "equipment"), Filter: rep.Filter, Records: len(rep.Equipment),
		ByCategory: equipmentCategoryChart(rep, f), BySystem: equipmentSystemChart(rep, f), ByDonor: equipmentDonorChart(rep, f, names)}
	for _, ch := range []*chart{&d.ByCategory, &d.BySystem, &d.ByDonor} {
		ch.AsOf = equipmentAsOf(rep)
	}
	d.Categories = append(d.Categories, option{"", "All categories", f.Category == ""})
	for _, c := range coalition.CapabilityCategories {
		d.Categories = append(d.Categories, option{c, c, c == rep.Filter.Category})
	}
	for _, t := range rep.Totals {
		d.Pledged, d.Delivered = d.Pledged+t.Pledged, d.Delivered+t.Delivered
	}
	return s.render(w, http.StatusOK, "equipment.html", d)
}

type equipmentData struct {
	page
	Filter                        coalition.EquipmentFilter
	Categories                    []option
	Records                       int
	Pledged, Delivered            int64
	ByCategory, BySystem, ByDonor chart
}

func equipmentFilter(r *http.Request) coalition.EquipmentFilter {
	q := r.URL.Query()
	return coalition.EquipmentFilter{Donor: q.Get("donor"), Category: q.Get("category"), System: q.Get("system")}
}

// equipmentQuery is the filter as the query of a CSV download.
func equipmentQuery(f coalition.EquipmentFilter) string {
	v := url.Values{}
	for k, s := range map[string]string{"donor": f.Donor, "category": f.Category, "system": f.System} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func int64Cell(n int64) cell { s := strconv.FormatInt(n, 10); return cell{Text: s, Raw: s, Num: true} }

const equipmentNote = "Kiel's heavy-weapons table counts deliveries only: its records have as many units pledged as delivered. " +
	"Kiel values a donor's category as a whole; where a category lists several systems, the value is split by units."

// equipmentCategoryChart: units pledged and delivered per capability category.
func equipmentCategoryChart(rep *report.EquipmentReport, f coalition.EquipmentFilter) chart {
	ch := chart{ID: "equipment-categories", Title: "Units pledged and delivered per capability category", Kind: "bar",
		CSV: "/csv/equipment-categories" + equipmentQuery(f), Sources: rep.Sources, Note: equipmentNote, Open: true}
	d := barData{Unit: "units", Labels: []string{}, Series: []series{{Name: "Pledged", Values: []float64{}}, {Name: "Delivered", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Units and value per capability category", Columns: []column{
		{Label: "Category", Name: "category"}, {Label: "Pledged", Name: "pledged", Num: true},
		{Label: "Delivered", Name: "delivered", Num: true}, {Label: "Value (where given)", Name: "value_eur", Num: true},
	}}
	for _, t := range rep.Totals {
		d.Labels = append(d.Labels, t.Category)
		d.Series[0].Values = append(d.Series[0].Values, float64(t.Pledged))
		d.Series[1].Values = append(d.Series[1].Values, float64(t.Delivered))
		ch.Table.Rows = append(ch.Table.Rows, []cell{linkCell(t.Category, "/equipment?category="+t.Category), int64Cell(t.Pledged), int64Cell(t.Delivered), eurCell(t.ValueEUR)})
	}
	ch.Data = d
	if len(rep.Totals) == 0 {
		ch.Empty = "No equipment matches. Load the reference data (`coalition seed`) for Kiel's heavy weapons, or widen the filter."
	}
	return ch
}

// equipmentSystemChart: units pledged and delivered per system.
func equipmentSystemChart(rep *report.EquipmentReport, f coalition.EquipmentFilter) chart {
	ch := chart{ID: "equipment-systems", Title: "Units pledged and delivered per system", Kind: "bar",
		CSV: "/csv/equipment-systems" + equipmentQuery(f), Sources: rep.Sources,
		Note: "Systems marked * are named as the source names them; the catalogue does not hold them."}
	type tot struct {
		category, kind     string
		catalogued         bool
		pledged, delivered int64
	}
	var order []string
	by := map[string]*tot{}
	for _, r := range rep.Equipment {
		t := by[r.System]
		if t == nil {
			t = &tot{category: r.Category, kind: r.Kind, catalogued: r.Catalogued}
			by[r.System] = t
			order = append(order, r.System)
		}
		t.pledged += r.Pledged
		t.delivered += r.Delivered
	}
	d := barData{Unit: "units", Labels: []string{}, Series: []series{{Name: "Pledged", Values: []float64{}}, {Name: "Delivered", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Units per system", Columns: []column{
		{Label: "System", Name: "system"}, {Label: "Category", Name: "category"}, {Label: "Kind", Name: "kind"},
		{Label: "Catalogued", Name: "catalogued"}, {Label: "Pledged", Name: "pledged", Num: true}, {Label: "Delivered", Name: "delivered", Num: true},
	}}
	for _, name := range order {
		t := by[name]
		label, cat := name, "yes"
		if !t.catalogued {
			label, cat = name+" *", "no"
		}
		d.Labels = append(d.Labels, label)
		d.Series[0].Values = append(d.Series[0].Values, float64(t.pledged))
		d.Series[1].Values = append(d.Series[1].Values, float64(t.delivered))
		ch.Table.Rows = append(ch.Table.Rows, []cell{linkCell(name, "/equipment?system="+url.QueryEscape(name)), textCell(t.category), textCell(t.kind),
			textCell(cat), int64Cell(t.pledged), int64Cell(t.delivered)})
	}
	ch.Data = d
	if len(order) == 0 {
		ch.Empty = "No equipment matches the filter."
	}
	return ch
}

// equipmentDonorChart: value delivered by donor, with every record in the table.
func equipmentDonorChart(rep *report.EquipmentReport, f coalition.EquipmentFilter, names map[string]string) chart {
	ch := chart{ID: "equipment-donors", Title: "Equipment by donor (value where the source gives one)", Kind: "bar",
		CSV: "/csv/equipment-donors" + equipmentQuery(f), Sources: rep.Sources, Note: equipmentNote}
	var order []string
	value := map[string]float64{}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Every record: donor, system, units and value", Columns: []column{
		{Label: "Donor", Name: "donor"}, {Label: "ISO3", Name: "iso3"}, {Label: "Category", Name: "category"}, {Label: "System", Name: "system"},
		{Label: "Pledged", Name: "pledged", Num: true}, {Label: "Delivered", Name: "delivered", Num: true},
		{Label: "Value", Name: "value_eur", Num: true}, {Label: "Delivered by", Name: "delivered_by"}, {Label: "Source", Name: "source"},
	}}
	for _, r := range rep.Equipment {
		if _, seen := value[r.Donor]; !seen {
			order = append(order, r.Donor)
			value[r.Donor] = 0
		}
		v := cell{Text: "–"}
		if r.ValueEUR != nil {
			value[r.Donor] += *r.ValueEUR
			v = eurCell(*r.ValueEUR)
		}
		by := ""
		if !r.DeliveredBy.IsZero() {
			by = r.DeliveredBy.String()
		}
		ch.Table.Rows = append(ch.Table.Rows, []cell{linkCell(nameOr(names, r.Donor), "/equipment?donor="+r.Donor), textCell(r.Donor),
			textCell(r.Category), textCell(r.System), int64Cell(r.Pledged), int64Cell(r.Delivered), v, textCell(by), textCell(r.Source)})
	}
	d := barData{Unit: "EUR", Labels: []string{}, Series: []series{{Name: "Value", Values: []float64{}}}}
	for _, iso := range order {
		d.Labels = append(d.Labels, nameOr(names, iso))
		d.Series[0].Values = append(d.Series[0].Values, value[iso])
	}
	ch.Data = d
	if len(order) == 0 {
		ch.Empty = "No equipment matches the filter."
	}
	return ch
}

// equipmentAsOf is the latest day the records' deliveries are dated to.
func equipmentAsOf(rep *report.EquipmentReport) coalition.Date {
	var last coalition.Date
	for _, r := range rep.Equipment {
		if r.DeliveredBy.After(last) {
			last = r.DeliveredBy
		}
	}
	return last
}

func nameOr(names map[string]string, iso string) string {
	if n := names[iso]; n != "" {
		return n
	}
	return iso
}

// equipmentCSV builds one of the page's charts for its download.
func equipmentCSV(build func(*report.EquipmentReport, coalition.EquipmentFilter, map[string]string) chart) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		return s.equipmentChart(r.Context(), equipmentFilter(r), build)
	}
}

func (s *server) equipmentChart(ctx context.Context, f coalition.EquipmentFilter, build func(*report.EquipmentReport, coalition.EquipmentFilter, map[string]string) chart) (chart, error) {
	rep, err := report.Equipment(ctx, s.store, f)
	if err != nil {
		return chart{}, err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return chart{}, err
	}
	return build(rep, f, names), nil
}
