package http

import (
	"net/http"

	"coalition"
)

type overviewData struct {
	Title   string
	Version string
	Donors  []coalition.DonorTotal
	Total   float64
	ByType  map[string]float64
	Sources []string
	AsOf    coalition.Date
	Filter  coalition.DonorFilter
	Problem string
}

// overviewPage lists donors with their totals, share of GDP and sources.
func (s *server) overviewPage(w http.ResponseWriter, r *http.Request) error {
	d := overviewData{Title: "Coalition — support at a glance", Version: s.cfg.Version, ByType: map[string]float64{}}
	f, err := donorParams(r)
	if err != nil {
		d.Problem = coalition.ErrorMessage(err)
		return s.render(w, http.StatusBadRequest, "overview.html", d)
	}
	d.Filter = f
	d.Donors, err = s.store.DonorTotals(r.Context(), f)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range d.Donors {
		d.Total += t.TotalEUR
		d.ByType["military"] += t.MilitaryEUR
		d.ByType["financial"] += t.FinancialEUR
		d.ByType["humanitarian"] += t.HumanitarianEUR
		if t.AsOf.After(d.AsOf) {
			d.AsOf = t.AsOf
		}
		if !seen[t.Source] {
			seen[t.Source] = true
			d.Sources = append(d.Sources, t.Source)
		}
	}
	return s.render(w, http.StatusOK, "overview.html", d)
}
