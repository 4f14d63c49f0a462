package refdata_test

import (
	"strings"
	"testing"
	"time"

	"coalition/refdata"
)

// The bundled budget deadlines fall where their laws put them (the US
// fiscal year begins on 1 October, Germany's on 1 January, both primary
// sources); the government risks are windows sourced to press reports;
// every row states its probability and factor as a user assumption.
func TestPoliticalRisks(t *testing.T) {
	rs, err := refdata.PoliticalRisks()
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]int{}
	for _, r := range rs {
		countries[r.ISO3]++
		if !strings.HasPrefix(r.Assumption, "User assumption, not an estimate") || r.Probability <= 0 || r.Factor >= 1 {
			t.Errorf("%s %s: probability %v factor %v assumption %q", r.ISO3, r.Label, r.Probability, r.Factor, r.Assumption)
		}
		if r.Kind != refdata.RiskBudgetDeadline {
			if r.Earliest == r.Latest || r.Grade != refdata.GradePress || r.Source == "" {
				t.Errorf("%s %s: window %s..%s grade %q; want a window sourced to the press", r.ISO3, r.Label, r.Earliest, r.Latest, r.Grade)
			}
			continue
		}
		if r.Earliest != r.Latest {
			t.Errorf("%s %s: window %s..%s; want a fixed-date budget deadline", r.ISO3, r.Label, r.Earliest, r.Latest)
		}
		want := map[string]time.Month{"USA": time.October, "DEU": time.January}[r.ISO3]
		if want == 0 || r.Latest.M != want || r.Latest.D != 1 {
			t.Errorf("%s deadline %s, want the 1st of %s", r.ISO3, r.Latest, want)
		}
		if r.Grade != refdata.GradePrimary || r.Source == "" {
			t.Errorf("%s %s: grade %q source %q", r.ISO3, r.Label, r.Grade, r.Source)
		}
	}
	for iso3, n := range map[string]int{"USA": 2, "DEU": 2, "NLD": 1, "CAN": 1, "NOR": 1, "BEL": 1} {
		if countries[iso3] != n {
			t.Errorf("%s: %d rows, want %d", iso3, countries[iso3], n)
		}
	}
}
