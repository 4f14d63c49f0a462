package http

import (
	"net/http"

	"coalition"
	"coalition/report"
)

// getEquipment answers GET /api/v1/equipment?donor=&category=&system=:
// equipment pledged and delivered that the caller may see, as coalition
// equipment --json does (report.Equipment).
func (s *server) getEquipment(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rep, err := report.Equipment(r.Context(), s.store, coalition.EquipmentFilter{
		Donor: q.Get("donor"), Category: q.Get("category"), System: q.Get("system")})
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}
