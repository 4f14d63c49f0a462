package main

import (
	"bytes"
	"coalition/internal/check"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

// riskExample is the example, completed: 3 months, two members.
const riskExample = `{
  "start": "2026-01", "months": 3,
  "categories": ["military", "financial", "humanitarian"],
  "requirements": {"military": 3.0e9, "financial": [2.0e9, 2.1e9, 2.2e9], "humanitarian": 0.3e9},
  "members": [
    {"iso3": "USA",
     "support": {"military": 1.0e9, "financial": [0.5e9, 0.5e9, 0.5e9]},
     "reliability": {"alpha": 9, "beta": 1},
     "events": [{"month": "2026-02", "probability": 0.4, "factor": 0.0, "label": "midterm elections"}]},
    {"iso3": "DEU", "support": {"military": 2.0e9, "financial": 1.6e9, "humanitarian": 0.3e9}}
  ],
  "correlation": 0.3,
  "shortfall_threshold": 1.0e9,
  "trials": 3000, "seed": 1
}`

func runRiskCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"risk"}, args...), func(string) string { return "" },
		strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeModel(t *testing.T, body string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

type riskJSON struct {
	Months []struct {
		Month string  `json:"month"`
		Mean  float64 `json:"mean"`
		P05   float64 `json:"p05"`
		P50   float64 `json:"p50"`
		P95   float64 `json:"p95"`
	} `json:"months"`
	Shortfall struct {
		Mean           float64 `json:"mean"`
		P50            float64 `json:"p50"`
		P95            float64 `json:"p95"`
		PPositive      float64 `json:"p_positive"`
		POverThreshold float64 `json:"p_over_threshold"`
	} `json:"shortfall"`
	ByCategory map[string]float64 `json:"by_category"`
	Members    []struct {
		ISO3        string   `json:"iso3"`
		PEvent      float64  `json:"p_event"`
		Attribution *float64 `json:"attribution"`
	} `json:"members"`
	EventsEffect              float64 `json:"events_effect"`
	Interaction               float64 `json:"interaction"`
	SupportWithoutEventsShare float64 `json:"support_without_events_share"`
	Trials                    int     `json:"trials"`
	Seed                      uint64  `json:"seed"`
	ElapsedMS                 float64 `json:"elapsed_ms"`
}

func TestRiskCLIJSON(t *testing.T) {
	file := writeModel(t, riskExample)
	out, _, err := runRiskCLI(t, "", "--input", file, "--json", "--trials", "2000", "--seed", "9", "--workers", "2")
	if err != nil {
		t.Fatal(err)
	}
	var got riskJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not the documented JSON: %v\n%s", err, out)
	}
	// the flags override the model's trials and seed
	if check.Facts(t, check.Eq("trials", got.Trials, 2000), check.Eq("seed", got.Seed, 9), check.Eq("months", len(got.Months), 3)) {
		check.Facts(t, check.Eq("second month", got.Months[1].Month, "2026-02"))
	}
	// financial: at most USA 0.5e9 + DEU 1.6e9 = 2.1e9 is delivered, and
	// 2.2e9 is required in 2026-03, so S ≥ 0.1e9 > 0 in every trial.
	if got.Shortfall.PPositive != 1 {
		t.Errorf("P(S>0) = %v, want 1 (financial is short 0.1e9 in 2026-03 in every trial)", got.Shortfall.PPositive)
	}
	// DEU has no events: p_event 0, attribution exactly 0, listed last
	last := got.Members[len(got.Members)-1]
	if last.ISO3 != "DEU" || last.PEvent != 0 || last.Attribution == nil || *last.Attribution != 0 {
		t.Errorf("last member = %+v, want DEU with p_event 0 and attribution 0", last)
	}
	if got.SupportWithoutEventsShare <= 0 || got.SupportWithoutEventsShare >= 1 {
		t.Errorf("support_without_events_share = %v, want in (0, 1): DEU has support and no event", got.SupportWithoutEventsShare)
	}
	if _, ok := got.ByCategory["humanitarian"]; !ok || len(got.ByCategory) != 3 {
		t.Errorf("by_category = %v, want the 3 categories", got.ByCategory)
	}
}

func TestRiskCLISameResultWhateverWorkers(t *testing.T) {
	file := writeModel(t, riskExample)
	var first string
	for _, w := range []string{"1", "2", "5"} {
		out, _, err := runRiskCLI(t, "", "--input", file, "--json", "--workers", w)
		if err != nil {
			t.Fatal(err)
		}
		// drop elapsed_ms, the only field allowed to differ
		i := strings.Index(out, `"elapsed_ms"`)
		out = out[:i]
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("--workers %s: output differs from --workers 1", w)
		}
	}
}

func TestRiskCLITable(t *testing.T) {
	out, stderr, err := runRiskCLI(t, riskExample, "--input", "-", "--trials", "500")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026-03", "P(S > 0)", "USA", "DEU", "financial", "shortfall threshold 1.00 bn: the total shortfall", "support without risk events in the horizon: ", "interaction"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing (not a terminal: no progress bar)", stderr)
	}
}

func TestRiskCLIInvalid(t *testing.T) {
	tests := []struct {
		name, from, to, field string
	}{
		{"probability", `"probability": 0.4`, `"probability": 1.4`, "members[0].events[0].probability"},
		{"alpha", `"alpha": 9`, `"alpha": 0`, "members[0].reliability.alpha"},
		{"months", `"months": 3`, `"months": 0`, "months"},
		{"list length", `[0.5e9, 0.5e9, 0.5e9]`, `[0.5e9, 0.5e9]`, "members[0].support.financial"},
		{"unknown category", `"humanitarian": 0.3e9}}`, `"cyber": 0.3e9}}`, "members[1].support.cyber"},
		{"unknown requirement", `"humanitarian": 0.3e9},`, `"space": 0.3e9},`, "requirements.space"},
		{"correlation", `"correlation": 0.3`, `"correlation": -1.5`, "correlation"},
		{"bad month", `"month": "2026-02"`, `"month": "2026-13"`, "members[0].events[0].month"},
		{"trials", `"trials": 3000`, `"trials": 0`, "trials"},
		{"unknown field", `"correlation": 0.3`, `"corelation": 0.3`, "corelation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(riskExample, tt.from, tt.to, 1)
			if body == riskExample {
				t.Fatalf("test case does not change the model: %q", tt.from)
			}
			_, _, err := runRiskCLI(t, "", "--input", writeModel(t, body))
			var ce *coalition.Error
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("err = %v, want an error on field %s", err, tt.field)
			}
			if code := exitCode(err); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
		})
	}
	for _, args := range [][]string{{}, {"--input", "x.json", "extra"}, {"--input", "-", "--trials", "0"}, {"--input", "-", "--seed", "-1"}} {
		_, _, err := runRiskCLI(t, riskExample, args...)
		if code := exitCode(err); err == nil || code != 2 {
			t.Errorf("%v: err = %v (exit %d), want a usage error (exit 2)", args, err, code)
		}
	}
}
