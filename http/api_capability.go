package http

import (
	"net/http"

	"coalition/report"
)

// getCapabilityGap answers GET /api/v1/capability-gap?withdraw=USA: the
// capability gap if those members withdraw, as coalition capability-gap
// --json does (report.CapabilityGap).
func (s *server) getCapabilityGap(w http.ResponseWriter, r *http.Request) error {
	rep, err := report.CapabilityGap(r.Context(), s.store, r.URL.Query()["withdraw"])
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}
