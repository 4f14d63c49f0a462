package http

import (
	"net/http"
	"net/url"
	"strings"

	"coalition"
	"coalition/report"
)

// forcePage shows the sourcing of a coalition's force requirement: per
// line, units offered, conditional and unfilled (chart and table), and
// every offer (table), each with its CSV; the conditions-fall-away
// scenario by ?without-condition=. The same report as GET
// /api/v1/coalitions/{id}/force; no internal ids are shown.
func (s *server) forcePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ref, without := forceParams(r)
	rep, err := report.Force(ctx, s.store, ref, without)
	if err != nil {
		return err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return err
	}
	d := forceData{page: s.newPage("Force generation", "coalitions"), Report: rep,
		Lines: forceLinesChart(rep, names), Counts: forceCountsChart(rep), Offers: forceOffersTable(rep, names)}
	for _, c := range coalition.ConditionCodes() {
		d.Conditions = append(d.Conditions, option{c, coalition.OfferConditions[c], strings.Contains(","+strings.Join(rep.WithoutConditions, ",")+",", ","+c+",")})
	}
	for _, l := range rep.Lines {
		d.Offered += l.Offered
		d.Conditional += l.Conditional
		d.OfferCount += len(l.Offers)
		if l.Unfilled != nil {
			d.Unfilled += *l.Unfilled
		} else {
			d.Unstated++
		}
	}
	return s.render(w, http.StatusOK, "force.html", d)
}

type forceData struct {
	page
	Report                         *report.ForceReport
	Conditions                     []option
	Lines, Counts                  chart
	Offers                         dataTable
	Offered, Conditional, Unfilled int64
	OfferCount, Unstated           int
}

// forceParams reads ?coalition= (COW2025 when absent) and ?without-condition=.
func forceParams(r *http.Request) (string, []string) {
	q := r.URL.Query()
	ref := q.Get("coalition")
	if ref == "" {
		ref = "COW2025"
	}
	return ref, q["without-condition"]
}

// forceQuery is the page's parameters as the query of a CSV download.
func forceQuery(rep *report.ForceReport) string {
	v := url.Values{"coalition": {rep.Coalition}}
	for _, c := range rep.WithoutConditions {
		v.Add("without-condition", c)
	}
	return "?" + v.Encode()
}

func optUnits(p *int64) cell {
	if p == nil {
		return cell{Text: "not stated", Raw: "", Num: true}
	}
	return int64Cell(*p)
}

func lineLabel(l report.ForceLineView) string { return l.Capability + ": " + l.UnitType }

func countryList(isos []string, names map[string]string) string {
	out := make([]string, len(isos))
	for i, iso := range isos {
		out[i] = nameOr(names, iso)
	}
	return strings.Join(out, ", ")
}

// forceLinesChart: per line, units offered, conditional and unfilled.
func forceLinesChart(rep *report.ForceReport, names map[string]string) chart {
	ch := chart{ID: "force-lines", Title: "Sourcing per line of the force requirement (units of each line's type)", Kind: "bar",
		CSV: "/csv/force-lines" + forceQuery(rep), Sources: rep.Sources, Open: true,
		Note: "Offered: offers without conditions; conditional: offers subject to conditions that still hold; unfilled: the quantity needed less both. " +
			"Where the requirement states no quantity (the public record gives none), unfilled is not stated, not zero. Offers that state no quantity count as offers but add no units."}
	d := barData{Unit: "units", Labels: []string{}, Series: []series{{Name: "Offered", Values: []float64{}}, {Name: "Conditional", Values: []float64{}}, {Name: "Unfilled", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Lines of the requirement and their sourcing", Columns: []column{
		{Label: "Capability", Name: "capability"}, {Label: "Unit type", Name: "unit_type"}, {Label: "Needed", Name: "quantity", Num: true},
		{Label: "People needed", Name: "personnel", Num: true}, {Label: "Period", Name: "period"}, {Label: "Priority", Name: "priority", Num: true},
		{Label: "Offered", Name: "offered", Num: true}, {Label: "Conditional", Name: "conditional", Num: true}, {Label: "Unfilled", Name: "unfilled", Num: true},
		{Label: "Offers", Name: "offers", Num: true}, {Label: "Lapsed", Name: "lapsed", Num: true}, {Label: "Led by", Name: "leads"},
		{Label: "Source", Name: "source"}, {Label: "As of", Name: "as_of"},
	}}
	for _, l := range rep.Lines {
		d.Labels = append(d.Labels, lineLabel(l))
		d.Series[0].Values = append(d.Series[0].Values, float64(l.Offered))
		d.Series[1].Values = append(d.Series[1].Values, float64(l.Conditional))
		d.Series[2].Values = append(d.Series[2].Values, float64(unfilledUnits(l.Unfilled)))
		period, prio := "not stated", cell{Text: "–", Num: true}
		if l.From != 0 {
			period = l.From.String() + " to " + l.To.String()
		}
		if l.Priority > 0 {
			prio = intCell(l.Priority)
		}
		leads := countryList(l.Leads, names)
		if leads == "" {
			leads = "none declared"
		}
		ch.Table.Rows = append(ch.Table.Rows, []cell{textCell(l.Capability), textCell(l.UnitType), optUnits(l.Quantity), optUnits(l.Personnel),
			textCell(period), prio, int64Cell(l.Offered), int64Cell(l.Conditional), optUnits(l.Unfilled), intCell(len(l.Offers)), intCell(len(l.Lapsed)),
			textCell(leads), textCell(l.Source), textCell(l.AsOf)})
	}
	ch.Data = d
	if len(rep.Lines) == 0 {
		ch.Empty = "This coalition has no force requirement you may see. Load the reference data (`coalition seed`) for the public record of the reassurance force, or add lines through the API."
	}
	return ch
}

// forceCountsChart: per line, how many offers stand without conditions,
// stand under conditions, or lapse in the scenario: what the public record
// holds when it gives no unit counts.
func forceCountsChart(rep *report.ForceReport) chart {
	ch := chart{ID: "force-offer-counts", Title: "Offers per line: without conditions, conditional, lapsed", Kind: "bar",
		CSV: "/csv/force-offer-counts" + forceQuery(rep), Sources: rep.Sources,
		Note: "Counts of offers, whatever their size: an offer that states no quantity is counted here but adds no units to the chart above."}
	d := barData{Unit: "offers", Labels: []string{}, Series: []series{{Name: "Without conditions", Values: []float64{}},
		{Name: "Conditional", Values: []float64{}}, {Name: "Lapsed", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Offers per line by status", Columns: []column{
		{Label: "Line", Name: "line"}, {Label: "Without conditions", Name: "offered_offers", Num: true},
		{Label: "Conditional", Name: "conditional_offers", Num: true}, {Label: "Lapsed", Name: "lapsed_offers", Num: true},
		{Label: "Stating no quantity", Name: "unquantified", Num: true},
	}}
	for _, l := range rep.Lines {
		firm := 0
		for _, o := range l.Offers {
			if o.Status == report.OfferFirm {
				firm++
			}
		}
		cond := len(l.Offers) - firm
		d.Labels = append(d.Labels, lineLabel(l))
		d.Series[0].Values = append(d.Series[0].Values, float64(firm))
		d.Series[1].Values = append(d.Series[1].Values, float64(cond))
		d.Series[2].Values = append(d.Series[2].Values, float64(len(l.Lapsed)))
		ch.Table.Rows = append(ch.Table.Rows, []cell{textCell(lineLabel(l)), intCell(firm), intCell(cond), intCell(len(l.Lapsed)), intCell(l.Unquantified)})
	}
	ch.Data = d
	if len(rep.Lines) == 0 {
		ch.Empty = "No lines you may see."
	}
	return ch
}

// forceOffersTable: every offer (standing and lapsed), by line.
func forceOffersTable(rep *report.ForceReport, names map[string]string) dataTable {
	t := dataTable{ID: "force-offers-table", Caption: "Offers by members, by line", Columns: []column{
		{Label: "Line", Name: "line"}, {Label: "Member", Name: "member"}, {Label: "ISO3", Name: "iso3"}, {Label: "Unit", Name: "unit"},
		{Label: "Units", Name: "quantity", Num: true}, {Label: "People", Name: "personnel", Num: true}, {Label: "Equipment", Name: "equipment"},
		{Label: "Readiness", Name: "readiness"}, {Label: "Duration", Name: "duration"}, {Label: "Conditions", Name: "conditions"},
		{Label: "Leads", Name: "lead"}, {Label: "Status", Name: "status"}, {Label: "Visibility", Name: "visibility"},
		{Label: "Source", Name: "source"}, {Label: "As of", Name: "as_of"},
	}}
	for _, l := range rep.Lines {
		for _, o := range append(append([]report.ForceOfferRow{}, l.Offers...), l.Lapsed...) {
			conds := make([]string, len(o.Conditions))
			for i, c := range o.Conditions {
				conds[i] = coalition.OfferConditions[c]
			}
			lead := ""
			if o.Lead {
				lead = "yes"
			}
			t.Rows = append(t.Rows, []cell{textCell(lineLabel(l)), linkCell(nameOr(names, o.Country), "/countries/"+o.Country), textCell(o.Country),
				textCell(o.Unit), optUnits(o.Quantity), optUnits(o.Personnel), textCell(o.Equipment), textCell(o.Readiness), textCell(o.Duration),
				textCell(strings.Join(conds, "; ")), textCell(lead), textCell(o.Status), textCell(o.Visibility), textCell(o.Source), textCell(o.AsOf)})
		}
	}
	return t
}

// forceCSV builds the page's line chart or offer table for its download.
func forceCSV(which string) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		ref, without := forceParams(r)
		rep, err := report.Force(r.Context(), s.store, ref, without)
		if err != nil {
			return chart{}, err
		}
		names, err := s.countryNames(r.Context())
		if err != nil {
			return chart{}, err
		}
		switch which {
		case "offers":
			return chart{Table: forceOffersTable(rep, names)}, nil
		case "counts":
			return forceCountsChart(rep), nil
		}
		return forceLinesChart(rep, names), nil
	}
}

func unfilledUnits(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
