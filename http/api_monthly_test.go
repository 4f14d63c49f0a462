package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"coalition"
)

// TestDonorMonthsAPI: GET /api/v1/donors/monthly answers what the store's
// MonthlySupport answers (an anonymous caller: public pledges), and its
// rows per donor add up to /api/v1/donors' totals under the same filter.
func TestDonorMonthsAPI(t *testing.T) {
	srv, s := newTestServer(t)
	y2024, _ := coalition.ParseMonth("2024-01")
	cases := []struct {
		q string
		f coalition.DonorFilter
	}{
		{"", coalition.DonorFilter{}},
		{"?type=military&since=2024-01&until=2024-12", coalition.DonorFilter{Type: coalition.Military, Since: y2024, Until: y2024.Add(11)}},
		{"?group=COW2025&status=allocated,delivered,committed", coalition.DonorFilter{Group: "COW2025",
			Statuses: []coalition.PledgeStatus{coalition.Allocated, coalition.Delivered, coalition.Committed}}},
	}
	for _, c := range cases {
		q, f := c.q, c.f
		status, _, body := get(t, srv.URL+"/api/v1/donors/monthly"+q)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", q, status, body)
		}
		var got []coalition.DonorMonth
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		want, err := s.MonthlySupport(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d rows, the store gives %d", q, len(got), len(want))
		}
		sum := map[string]float64{}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: row %d = %+v, the store gives %+v", q, i, got[i], want[i])
			}
			sum[got[i].ISO3] += got[i].EUR
		}
		totals, err := s.DonorTotals(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range totals {
			if diff := sum[d.ISO3] - d.TotalEUR; diff > 0.01 || diff < -0.01 {
				t.Errorf("%s: %s months add up to %.2f, total %.2f", q, d.ISO3, sum[d.ISO3], d.TotalEUR)
			}
		}
	}
	if status, _, body := get(t, srv.URL+"/api/v1/donors/monthly?since=2025-13"); status != http.StatusBadRequest {
		t.Errorf("bad since: %d %s", status, body)
	}
}
