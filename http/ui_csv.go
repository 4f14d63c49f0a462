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
		if ch, err = s.coverageChart(ctx, c); err != nil {
			return err
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
