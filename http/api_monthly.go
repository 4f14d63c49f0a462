package http

import (
	"net/http"

	"coalition"
)

// listDonorMonths answers GET /api/v1/donors/monthly: support per donor,
// announcement month and type (EUR) under the same filters as
// /api/v1/donors, from the store's rollup (see docs/scale-out.md).
func (s *server) listDonorMonths(w http.ResponseWriter, r *http.Request) error {
	f, err := donorParams(r)
	if err != nil {
		return err
	}
	p := params{r: r}
	if notPaged(&p); p.err != nil {
		return p.err
	}
	rows, err := s.monthlySupport(r.Context(), f)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []coalition.DonorMonth{}
	}
	return encode(w, http.StatusOK, rows)
}
