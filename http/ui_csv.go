package http

import (
	"net/http"

	"coalition"
)

// chartCSV serves the table behind a chart as CSV: /csv/{chart}?same
// parameters as the page. It builds the chart with the same code as the page,
// so the download is exactly what the page shows.
func (s *server) chartCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("chart")
	var ch chart
	switch name {
	case "support-monthly", "support-top", "support-map":
		sup, err := s.loadSupport(ctx, r)
		if err != nil {
			return err
		}
		ch = s.overviewCharts(sup)[name]
	case "country-monthly", "country-weapons":
		c, err := s.findCountry(ctx, r.URL.Query().Get("iso3"))
		if err != nil {
			return err
		}
		if name == "country-weapons" {
			ch, err = weaponsChart(c)
		} else {
			ch, _, err = s.countryMonthly(ctx, c)
		}
		if err != nil {
			return err
		}
	case "coalition-coverage":
		c, err := s.findCoalition(ctx, r.URL.Query().Get("id"))
		if err != nil {
			return err
		}
		opt, err := coverageOptions(r)
		if err != nil {
			return err
		}
		if ch, err = s.coverageChart(ctx, c, opt); err != nil {
			return err
		}
	case "coalition-gap":
		c, err := s.findCoalition(ctx, r.URL.Query().Get("id"))
		if err != nil {
			return err
		}
		opt, err := coverageOptions(r)
		if err != nil {
			return err
		}
		if _, ch, err = s.coverageCharts(ctx, c, opt); err != nil {
			return err
		}
	case "scenario-gap", "scenario-plan":
		q, err := scenarioParams(r)
		if err != nil {
			return err
		}
		if q.Builtin == "" && len(q.Withdraw) == 0 {
			return coalition.FieldError("withdraw", "choose at least one country that withdraws")
		}
		v, err := s.scenarioResult(ctx, q)
		if err != nil {
			return err
		}
		ch = v.Plan
		if name == "scenario-gap" {
			if v.Gap.ID == "" {
				return coalition.Errorf(coalition.NotFound, "this scenario has no gap chart")
			}
			ch = v.Gap
		}
	case "targets":
		var err error
		if ch, _, err = s.targetsChart(ctx, r.URL.Query().Get("group")); err != nil {
			return err
		}
	case "risk-fan", "risk-members":
		q, err := riskParams(r)
		if err != nil {
			return err
		}
		v, err := s.riskRun(ctx, q)
		if err != nil {
			return err
		}
		ch = v.Fan
		if name == "risk-members" {
			ch = v.Members
		}
	case "engagements":
		q, err := engagementParams(r)
		if err != nil {
			return err
		}
		d, err := s.engagementsView(ctx, q)
		if err != nil {
			return err
		}
		ch = d.Timeline
	default:
		return coalition.Errorf(coalition.NotFound, "no chart named %q", name)
	}
	return writeCSV(w, name+".csv", ch.Table)
}
