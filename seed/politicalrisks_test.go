package seed

import (
	"strings"
	"testing"
)

// The bundled non-election risks become risk events with their stated
// assumptions (checked against political_risks.csv by hand): a budget
// deadline keeps its day, a government risk gets its window.
func TestPoliticalRiskEvents(t *testing.T) {
	evs, err := PoliticalRiskEvents()
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 8 {
		t.Fatalf("%d events, want 8 (2 USA, 2 DEU budget deadlines; NLD, CAN, NOR, BEL)", len(evs))
	}
	type want struct {
		kind, earliest, latest string
		p, f                   float64
	}
	wants := map[string]want{
		"USA 2026-10-01": {"budget-deadline", "", "", 0.40, 0.80},
		"DEU 2027-01-01": {"budget-deadline", "", "", 0.15, 0.90},
		"NLD 2029-10-28": {"coalition-collapse", "2026-02-23", "2029-10-28", 0.35, 0.85},
		"CAN 2029-10-14": {"snap-election", "2025-11-17", "2029-10-14", 0.30, 0.85},
		"NOR 2028-12-31": {"budget-vote", "2026-11-01", "2028-12-31", 0.25, 0.90},
		"BEL 2029-06-09": {"coalition-collapse", "2025-02-03", "2029-06-09", 0.25, 0.90},
	}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.Label, err)
		}
		if !strings.HasPrefix(e.Assumption, "User assumption, not an estimate") {
			t.Errorf("%s: assumption %q does not say it is a user assumption", e.Label, e.Assumption)
		}
		if strings.HasPrefix(e.Source, UnverifiedMarker) || e.Source == "" {
			t.Errorf("%s: source %q, want a graded source", e.Label, e.Source)
		}
		w, ok := wants[e.ISO3+" "+e.Date.String()]
		if !ok {
			continue
		}
		delete(wants, e.ISO3+" "+e.Date.String())
		if e.Kind != w.kind || e.Probability != w.p || e.Factor != w.f {
			t.Errorf("%s: kind %s p %v f %v, want %s %v %v", e.Label, e.Kind, e.Probability, e.Factor, w.kind, w.p, w.f)
		}
		got := [2]string{}
		if e.Earliest != nil {
			got = [2]string{e.Earliest.String(), e.Latest.String()}
		}
		if got != [2]string{w.earliest, w.latest} {
			t.Errorf("%s: window %v, want %s..%s", e.Label, got, w.earliest, w.latest)
		}
		if w.earliest != "" && !strings.HasPrefix(e.Source, "press: ") {
			t.Errorf("%s: source %q, want it marked as press", e.Label, e.Source)
		}
	}
	if len(wants) != 0 {
		t.Errorf("missing events: %v", wants)
	}
}
