package http

import (
	"net/http"

	"coalition"
	"coalition/report"
)

// chartCSV serves the table behind a chart as CSV: /csv/{chart}?same
// parameters as the page. It builds the chart with the same code as the page,
// so the download is exactly what the page shows.
func (s *server) chartCSV(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("chart")
	build, ok := chartCSVs[name]
	if !ok {
		return coalition.Errorf(coalition.NotFound, "no chart named %q", name)
	}
	ch, err := build(s, r)
	if err != nil {
		return err
	}
	return writeCSV(w, name+".csv", ch.Table)
}

// chartCSVs builds each downloadable chart from the request's parameters,
// one function per chart (or per page, where one run draws several).
var chartCSVs = map[string]func(*server, *http.Request) (chart, error){
	"support-monthly":    overviewChartCSV("support-monthly"),
	"support-top":        overviewChartCSV("support-top"),
	"support-map":        overviewChartCSV("support-map"),
	"country-monthly":    (*server).countryMonthlyCSV,
	"country-weapons":    (*server).countryWeaponsCSV,
	"coalition-coverage": (*server).coalitionCoverageCSV,
	"coalition-gap":      (*server).coalitionGapCSV,
	"scenario-plan":      scenarioChartCSV(false),
	"scenario-gap":       scenarioChartCSV(true),
	"targets":            (*server).targetsCSV,
	"equipment-categories": equipmentCSV(func(r *report.EquipmentReport, f coalition.EquipmentFilter, _ map[string]string) chart {
		return equipmentCategoryChart(r, f)
	}),
	"equipment-systems": equipmentCSV(func(r *report.EquipmentReport, f coalition.EquipmentFilter, _ map[string]string) chart {
		return equipmentSystemChart(r, f)
	}),
	"equipment-donors":   equipmentCSV(equipmentDonorChart),
	"risk-fan":           riskChartCSV(false),
	"risk-members":       riskChartCSV(true),
	"engagements":        (*server).engagementsCSV,
	"force-lines":        forceCSV("lines"),
	"force-offer-counts": forceCSV("counts"),
	"force-offers":       forceCSV("offers"),
	"capability-gap":     capabilityCSV(false),
	"capability-roles":   capabilityCSV(true),
}

// overviewChartCSV is one of the overview page's support charts.
func overviewChartCSV(name string) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		sup, err := s.loadSupport(r.Context(), r)
		if err != nil {
			return chart{}, err
		}
		return s.overviewCharts(sup)[name], nil
	}
}

// countryMonthlyCSV is a country page's support per month.
func (s *server) countryMonthlyCSV(r *http.Request) (chart, error) {
	c, err := s.findCountry(r.Context(), r.URL.Query().Get("iso3"))
	if err != nil {
		return chart{}, err
	}
	ch, _, err := s.countryMonthly(r.Context(), c)
	return ch, err
}

// countryWeaponsCSV is a country page's weapons chart.
func (s *server) countryWeaponsCSV(r *http.Request) (chart, error) {
	c, err := s.findCountry(r.Context(), r.URL.Query().Get("iso3"))
	if err != nil {
		return chart{}, err
	}
	return weaponsChart(c)
}

// coalitionCoverageCSV is a coalition page's coverage chart.
func (s *server) coalitionCoverageCSV(r *http.Request) (chart, error) {
	c, err := s.findCoalition(r.Context(), r.URL.Query().Get("id"))
	if err != nil {
		return chart{}, err
	}
	opt, err := coverageOptions(r)
	if err != nil {
		return chart{}, err
	}
	return s.coverageChart(r.Context(), c, opt)
}

// coalitionGapCSV is a coalition page's gap chart.
func (s *server) coalitionGapCSV(r *http.Request) (chart, error) {
	c, err := s.findCoalition(r.Context(), r.URL.Query().Get("id"))
	if err != nil {
		return chart{}, err
	}
	opt, err := coverageOptions(r)
	if err != nil {
		return chart{}, err
	}
	_, ch, err := s.coverageCharts(r.Context(), c, opt)
	return ch, err
}

// scenarioChartCSV is the scenario page's plan chart, or its gap chart,
// which a scenario without a gap does not have.
func scenarioChartCSV(gap bool) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		q, err := scenarioParams(r)
		if err != nil {
			return chart{}, err
		}
		if q.Builtin == "" && len(q.Withdraw) == 0 {
			return chart{}, coalition.FieldError("withdraw", "choose at least one country that withdraws")
		}
		v, err := s.scenarioResult(r.Context(), q)
		if err != nil {
			return chart{}, err
		}
		if !gap {
			return v.Plan, nil
		}
		if v.Gap.ID == "" {
			return chart{}, coalition.Errorf(coalition.NotFound, "this scenario has no gap chart")
		}
		return v.Gap, nil
	}
}

// targetsCSV is the targets page's chart.
func (s *server) targetsCSV(r *http.Request) (chart, error) {
	ch, _, err := s.targetsChart(r.Context(), r.URL.Query().Get("group"))
	return ch, err
}

// riskChartCSV is the risk page's fan chart, or its members chart.
func riskChartCSV(members bool) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		q, err := riskParams(r)
		if err != nil {
			return chart{}, err
		}
		v, err := s.riskRun(r.Context(), q)
		if err != nil {
			return chart{}, err
		}
		if members {
			return v.Members, nil
		}
		return v.Fan, nil
	}
}

// engagementsCSV is the engagements page's timeline.
func (s *server) engagementsCSV(r *http.Request) (chart, error) {
	q, err := engagementParams(r)
	if err != nil {
		return chart{}, err
	}
	d, err := s.engagementsView(r.Context(), q)
	if err != nil {
		return chart{}, err
	}
	return d.Timeline, nil
}
