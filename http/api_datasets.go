package http

import (
	"net/http"
)

// listDatasets lists the published datasets loaded (Kiel, ECB, World Bank,
// NATO) with their release, as-of date and record count, as coalition
// datasets --json does: {"datasets": [...]}.
func (s *server) listDatasets(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.Datasets(r.Context())
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, map[string]any{"datasets": ds})
}
