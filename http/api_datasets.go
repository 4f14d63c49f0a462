package http

import (
	"net/http"
	"time"

	"coalition"
)

// listDatasets lists the published datasets loaded (Kiel, ECB, World Bank,
// NATO) with their release, as-of date, record count and age against the
// publisher's cycle, as coalition datasets --json does: {"datasets": [...]}.
func (s *server) listDatasets(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.Datasets(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	for i := range ds {
		ds[i].Freshness = coalition.FreshnessOf(ds[i], now)
	}
	return encode(w, r, http.StatusOK, map[string]any{"datasets": ds})
}
