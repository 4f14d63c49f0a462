package http_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// GET /api/v1/donors?gdp_year=2021 divides by Kiel's 2021 GDP (its own
// denominator); the donors page names the GDP in its % of GDP header; any
// other year is a 400.
func TestDonorsGDPYear(t *testing.T) {
	srv, _ := newTestServer(t)
	share := func(path string) map[string]float64 {
		t.Helper()
		status, _, body := get(t, srv.URL+path)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", path, status, body)
		}
		var rows []struct {
			ISO3    string   `json:"iso3"`
			PctGDP  *float64 `json:"pct_gdp"`
			GDPYear int      `json:"gdp_year"`
		}
		if err := json.Unmarshal(body, &rows); err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, r := range rows {
			if r.PctGDP != nil {
				out[r.ISO3] = *r.PctGDP + float64(r.GDPYear)*1e6 // the year rides along, to be checked below
			}
		}
		return out
	}
	wb, kiel := share("/api/v1/donors"), share("/api/v1/donors?gdp_year=2021")
	// Denmark: Kiel publishes 3.274% of its 2021 GDP (refdata sources.md §1b).
	if got := kiel["DNK"] - 2021e6; got < 3.2735 || got > 3.2745 {
		t.Errorf("DNK on 2021 GDP = %.4f%%, want Kiel's 3.274%%", got)
	}
	if got := wb["DNK"] - 2023e6; got <= 0 || got > 3.2 {
		t.Errorf("DNK on World Bank 2023 GDP = %.4f%%, want a smaller share of a larger GDP", got)
	}
	if status, _, body := get(t, srv.URL+"/api/v1/donors?gdp_year=2019"); status != http.StatusBadRequest || !strings.Contains(string(body), "gdp_year") {
		t.Errorf("gdp_year=2019: status %d: %s", status, body)
	}
	for path, want := range map[string]string{"/donors": "% of GDP (World Bank 2023)", "/donors?gdp_year=2021": "% of GDP (Kiel 2021)"} {
		if _, _, body := get(t, srv.URL+path); !strings.Contains(string(body), want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
}
