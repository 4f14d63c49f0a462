package http

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
	"coalition/report"
)

// barData is a horizontal bar chart.
type barData struct {
	Unit   string   `json:"unit"`
	Labels []string `json:"labels"`
	Series []series `json:"series"`
}

// weaponsChart is a donor's heavy weapons by category (value, with counts in the table).
func weaponsChart(c *coalition.Country) (chart, error) {
	ch := chart{ID: "country-weapons", Title: "Heavy weapons delivered by category", Kind: "bar",
		AsOf: refdata.KielAsOf, Sources: []string{refdata.WeaponsSource}, CSV: "/csv/country-weapons?iso3=" + c.ISO3, Open: true,
		Note: "Kiel values heavy weapons at their estimated market price; numbers are units delivered."}
	rows, err := refdata.WeaponsOf(c.ISO3) // by code: the store's display name may differ from Kiel's
	if err != nil {
		return ch, err
	}
	d := barData{Unit: "EUR", Series: []series{{Name: "Value", Values: []float64{}}}, Labels: []string{}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Heavy weapons delivered by " + c.Name, Columns: []column{
		{Label: "Category", Name: "category"}, {Label: "Units", Name: "units", Num: true},
		{Label: "Value", Name: "value_eur", Num: true}, {Label: "Systems", Name: "systems"},
	}}
	for _, w := range rows {
		d.Labels = append(d.Labels, w.Category)
		d.Series[0].Values = append(d.Series[0].Values, w.EUR)
		ch.Table.Rows = append(ch.Table.Rows, []cell{textCell(w.Category), intCell(w.Number), eurCell(w.EUR), textCell(w.List)})
	}
	ch.Data = d
	if len(ch.Table.Rows) == 0 {
		ch.Empty = "Kiel's heavy-weapons file lists no deliveries by " + c.Name + ". It covers tanks, infantry fighting vehicles, howitzers, rocket launchers and air defence only."
	}
	return ch, nil
}

// countryMonthly is a donor's support per month by type.
func (s *server) countryMonthly(ctx context.Context, c *coalition.Country) (chart, *coalition.DonorTotal, error) {
	ch := chart{ID: "country-monthly", Title: "Support over time by type", Kind: "stack", CSV: "/csv/country-monthly?iso3=" + c.ISO3,
		Note: "Allocations per month (Kiel's definition); loans count as financial aid."}
	totals, err := s.donorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return ch, nil, err
	}
	var total *coalition.DonorTotal
	for i := range totals {
		if totals[i].ISO3 == c.ISO3 {
			total = &totals[i]
			ch.AsOf = total.AsOf
			ch.Sources = splitSources(total.Source)
		}
	}
	monthly, err := s.monthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return ch, nil, err
	}
	ch.Data, ch.Table = monthlyByType(ch.ID, "Support from "+c.Name+" per month (EUR)", monthly, func(iso3 string) bool { return iso3 == c.ISO3 })
	if len(ch.Table.Rows) == 0 {
		ch.Empty = "No support from " + c.Name + " is recorded. Import its pledges (coalition import) or load the reference data (coalition seed)."
	}
	return ch, total, nil
}

// membership is one row of the memberships table.
type membership struct {
	Code, Name, Status, Href string
	Since                    coalition.Date
}

type countryData struct {
	page
	Country     *coalition.Country
	Total       *coalition.DonorTotal
	Rank        int
	Monthly     chart
	Weapons     chart
	Equipment   chart // units of each system pledged and delivered (the /equipment report for this donor)
	Memberships []membership
	Engagements []engagementRow
	Source      string
	Target      *report.TargetRow // nil: not a NATO member with a figure
	TargetNote  string
	TargetSrcs  []string
	RiskEvents  []*coalition.RiskEvent
	EditRisk    bool // the reader may edit risk events (ui_edit_risk.go)
	FairShares  []fairShareRow
	Stages      []stageRow // pledges entered by people, stage by stage (ui_stages.go)
	// Procurement is how the military aid to the country was sourced
	// (stocks, procurement, PURL), per year: shown on the recipient's page,
	// Ukraine, the country Kiel's procurement_trends.csv is about.
	Procurement []refdata.ProcurementYear
	// PURLShare is the country's share of PURL's declared funding (0: none).
	PURLShare float64
}

// fairShareRow is the country's line in one built-in scenario.
type fairShareRow struct {
	Name, Label, Href string
	From, To          coalition.Month
	Row               *analysis.FairVsActual // nil: it does not share this burden
	Sources           []string
}

// countryAnalysis fills the NATO target status, the risk events, the
// fair-share position in the built-in scenarios and how aid was sourced.
func (s *server) countryAnalysis(ctx context.Context, d *countryData) error {
	if err := s.countryProcurement(ctx, d); err != nil {
		return err
	}
	iso := d.Country.ISO3
	tr, err := cached(ctx, s, "targets/NATO", func() (*report.TargetsReport, error) { return report.Targets(ctx, s.store, "NATO") })
	if err != nil {
		return err
	}
	for i := range tr.Rows {
		if tr.Rows[i].ISO3 == iso {
			d.Target = &tr.Rows[i]
		}
	}
	d.TargetNote = tr.Note
	d.TargetSrcs, _ = reportSources(tr.Sources)
	if d.RiskEvents, err = s.store.FindRiskEvents(ctx, coalition.RiskEventFilter{ISO3: iso}); err != nil {
		return err
	}
	d.EditRisk = coalition.CanEditRisk(coalition.UserFrom(ctx))
	for _, name := range analysis.BuiltinNames {
		rep, err := cached(ctx, s, "builtin/"+name, func() (*report.BuiltinReport, error) { return report.BuiltinScenario(ctx, s.store, name) })
		if coalition.ErrorKind(err) == coalition.NotFound {
			continue // no GDP figures: nothing to share
		}
		if err != nil {
			return err
		}
		fs := fairShareRow{Name: name, Label: builtinLabels[name], Href: "/scenarios?builtin=" + name, From: rep.From, To: rep.To}
		fs.Sources, _ = reportSources(rep.Sources)
		for i := range rep.Rows {
			if rep.Rows[i].ISO3 == iso {
				fs.Row = &rep.Rows[i]
			}
		}
		d.FairShares = append(d.FairShares, fs)
	}
	return nil
}

// findCountry reads the {iso3} path value and finds the country.
func (s *server) findCountry(ctx context.Context, v string) (*coalition.Country, error) {
	iso := strings.ToUpper(v)
	if !coalition.ValidISO3(iso) {
		return nil, coalition.FieldError("iso3", "%q is not an ISO 3166-1 alpha-3 code", v)
	}
	return s.store.FindCountry(ctx, iso)
}

// countryPage is one country: its support, heavy weapons, memberships and engagements.
func (s *server) countryPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.findCountry(ctx, r.PathValue("iso3"))
	if err != nil {
		return err
	}
	d := countryData{page: s.newPage(c.Name, "countries"), Country: c}
	if d.Monthly, d.Total, err = s.countryMonthly(ctx, c); err != nil {
		return err
	}
	if d.Weapons, err = weaponsChart(c); err != nil {
		return err
	}
	f := coalition.EquipmentFilter{Donor: c.ISO3}
	eq, err := report.Equipment(ctx, s.store, f)
	if err != nil {
		return err
	}
	d.Equipment = equipmentSystemChart(eq, f)
	d.Equipment.Title = "Equipment pledged and delivered, units per system"
	if d.Equipment.Empty != "" {
		d.Equipment.Empty = "No equipment of " + c.Name + " is recorded (Kiel's heavy-weapons table covers the main donors of heavy weapons)."
	}
	groups, err := s.store.FindGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		for _, m := range g.Members {
			if m.ISO3 == c.ISO3 {
				d.Memberships = append(d.Memberships, membership{Code: g.Code, Name: g.Name, Status: "member", Since: m.Since, Href: "/donors?group=" + g.Code})
			}
		}
	}
	coalitions, err := s.store.FindCoalitions(ctx)
	if err != nil {
		return err
	}
	for _, co := range coalitions {
		for _, m := range co.Members {
			if m.ISO3 == c.ISO3 {
				d.Memberships = append(d.Memberships, membership{Code: co.Code, Name: co.Name, Status: string(m.Status), Since: m.Since, Href: fmt.Sprintf("/coalitions/%d", co.ID)})
			}
		}
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return err
	}
	es, err := s.allEngagements(ctx, coalition.EngagementFilter{Country: c.ISO3})
	if err != nil {
		return err
	}
	d.Engagements = engagementRows(es, names)
	if d.Stages, err = s.pledgeStages(ctx, c.ISO3); err != nil {
		return err
	}
	if err := s.countryAnalysis(ctx, &d); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "country.html", d)
}

// countryNames maps ISO3 codes to names, in one query.
func (s *server) countryNames(ctx context.Context) (map[string]string, error) {
	cs, err := s.store.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.ISO3] = c.Name
	}
	return m, nil
}

// countryProcurement fills how military aid was sourced (the recipient's
// page) and the country's share of PURL's funding (a funder's page).
func (s *server) countryProcurement(ctx context.Context, d *countryData) error {
	if d.Country.ISO3 == "UKR" {
		ms, err := refdata.Procurement()
		if err != nil {
			return err
		}
		d.Procurement = refdata.ProcurementByYear(ms)
	}
	purl, err := s.store.FindChannelByCode(ctx, "PURL")
	if coalition.ErrorKind(err) == coalition.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	d.PURLShare = purl.ShareOf(d.Country.ISO3)
	return nil
}
