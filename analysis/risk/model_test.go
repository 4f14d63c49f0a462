package risk

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"coalition"
)

const exampleModel = `{
  "start": "2026-01", "months": 2,
  "categories": ["military", "financial"],
  "requirements": {"military": 3.0e9, "financial": [2.0e9, 2.1e9]},
  "members": [
    {"iso3": "USA", "support": {"military": 1.0e9, "financial": [0.5e9, 0.6e9]},
     "reliability": {"alpha": 9, "beta": 1},
     "events": [{"month": "2026-02", "probability": 0.4, "factor": 0.0, "label": "midterms", "source": "https://example.org"}]},
    {"iso3": "DEU", "support": {"military": 2.0e9}}
  ],
  "correlation": 0.3, "shortfall_threshold": 1.0e9
}`

func TestDecode(t *testing.T) {
	m, err := Decode(strings.NewReader(exampleModel))
	if err != nil {
		t.Fatal(err)
	}
	// absent trials and seed take the defaults; a number is the same every month
	if m.Trials != DefaultTrials || m.Seed != DefaultSeed {
		t.Errorf("trials, seed = %d, %d; want defaults %d, %d", m.Trials, m.Seed, DefaultTrials, DefaultSeed)
	}
	if got := m.Requirements["military"].At(1); got != 3e9 {
		t.Errorf("military requirement in month 1 = %v, want 3e9", got)
	}
	if got := m.Members[0].Support["financial"].At(1); got != 0.6e9 {
		t.Errorf("USA financial in month 1 = %v, want 0.6e9", got)
	}
	ev := m.Members[0].Events[0]
	if ev.Month != coalition.MonthOf(2026, 2) || ev.Source != "https://example.org" || m.Members[1].Reliability != nil {
		t.Errorf("event = %+v, DEU reliability = %v", ev, m.Members[1].Reliability)
	}
	// encoding/json round trip: numbers stay numbers, lists stay lists
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeBytes(b)
	if err != nil {
		t.Fatalf("decode of the marshalled model: %v\n%s", err, b)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the model:\n%s\n%s", b, b2)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, from, to, field string }{
		{"string in a list", `[0.5e9, 0.6e9]`, `[0.5e9, "x"]`, "members[0].support.financial[1]"},
		{"negative support", `"military": 2.0e9}`, `"military": -2.0e9}`, "members[1].support.military"},
		{"duplicate member", `"iso3": "DEU"`, `"iso3": "USA"`, "members[1].iso3"},
		{"beta", `"beta": 1`, `"beta": -1`, "members[0].reliability.beta"},
		{"factor", `"factor": 0.0`, `"factor": -0.5`, "members[0].events[0].factor"},
		{"start", `"start": "2026-01"`, `"start": "Jan 2026"`, "start"},
		{"missing month", `"month": "2026-02", `, ``, "members[0].events[0].month"},
		{"unknown event field", `"label": "midterms"`, `"lable": "midterms"`, "members[0].events[0].lable"},
		{"months not whole", `"months": 2`, `"months": 2.5`, "months"},
		{"requirement list length", `[2.0e9, 2.1e9]`, `[2.0e9]`, "requirements.financial"},
		{"duplicate category", `["military", "financial"]`, `["military", "military"]`, "categories[1]"},
		{"seed", `"correlation": 0.3`, `"correlation": 0.3, "seed": -1`, "seed"},
		{"too many cells", `"months": 2`, `"months": 1100, "trials": 100000`, "trials"},
		{"threshold", `"shortfall_threshold": 1.0e9`, `"shortfall_threshold": -1`, "shortfall_threshold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(exampleModel, tt.from, tt.to, 1)
			if body == exampleModel {
				t.Fatalf("case does not change the model")
			}
			_, err := Decode(strings.NewReader(body))
			var ce *coalition.Error
			if !errors.As(err, &ce) || ce.Field != tt.field || ce.Kind != coalition.Invalid {
				t.Errorf("err = %v, want an Invalid error on %s", err, tt.field)
			}
		})
	}
	for _, body := range []string{`{`, exampleModel + `{}`, `[]`} {
		if _, err := Decode(strings.NewReader(body)); coalition.ErrorKind(err) != coalition.Invalid {
			t.Errorf("Decode(%.20q…) = %v, want an Invalid error", body, err)
		}
	}
}
