package http

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestRiskPageAsOf: the risk page's "data as of" is the model's data date,
// the one the API reports, not the date of a future election among its
// sources (issue 21: "Data as of 2028-11-07").
func TestRiskPageAsOf(t *testing.T) {
	h, _ := newUIServer(t)
	w := get(t, h, "/api/v1/risk/coalition/COW2025?trials=1000")
	var rep struct {
		AsOf string `json:"as_of"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || rep.AsOf == "" {
		t.Fatalf("API: %v %.300s", err, w.Body.String())
	}
	page := get(t, h, "/risk?trials=1000").Body.String()
	m := regexp.MustCompile(`(?i)data as of (\d{4}-\d{2}-\d{2})`).FindAllStringSubmatch(page, -1)
	if len(m) == 0 {
		t.Fatal("the risk page gives no data date")
	}
	for _, d := range m {
		if d[1] != rep.AsOf {
			t.Errorf("the page says data as of %s, the model's data is as of %s", d[1], rep.AsOf)
		}
	}
	if rep.AsOf > "2026-12-31" {
		t.Errorf("the model's data date %s lies after the bundled data", rep.AsOf)
	}
}
