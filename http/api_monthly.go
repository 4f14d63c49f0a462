package http

import (
	"context"
	"fmt"
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
	return cachedJSON(w, r, s, fmt.Sprintf("monthly/%+v", f), func(ctx context.Context) (donorMonths, error) {
		rows, err := s.monthlySupport(ctx, f)
		if rows == nil {
			rows = []coalition.DonorMonth{}
		}
		return rows, err
	})
}
