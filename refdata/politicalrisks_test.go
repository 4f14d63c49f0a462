package refdata_test

import (
	"testing"
	"time"

	"coalition/refdata"
)

// The bundled budget deadlines fall where their laws put them: the US
// fiscal year begins on 1 October, Germany's on 1 January.
func TestPoliticalRisks(t *testing.T) {
	rs, err := refdata.PoliticalRisks()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("no political risks bundled")
	}
	for _, r := range rs {
		if r.Kind != refdata.RiskBudgetDeadline || r.Earliest != r.Latest {
			t.Errorf("%s %s: kind %q, window %s..%s; want a fixed-date budget deadline", r.ISO3, r.Label, r.Kind, r.Earliest, r.Latest)
		}
		want := map[string]time.Month{"USA": time.October, "DEU": time.January}[r.ISO3]
		if want == 0 || r.Latest.M != want || r.Latest.D != 1 {
			t.Errorf("%s deadline %s, want the 1st of %s", r.ISO3, r.Latest, want)
		}
		if r.Grade != refdata.GradePrimary || r.Source == "" {
			t.Errorf("%s %s: grade %q source %q", r.ISO3, r.Label, r.Grade, r.Source)
		}
	}
}
