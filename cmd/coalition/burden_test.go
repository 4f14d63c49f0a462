package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const burdenIssueExample = `{
  "categories": ["air-defence", "ammunition", "budget-support"],
  "gap": {"air-defence": 2.0e9, "ammunition": 1.5e9, "budget-support": 4.0e9},
  "members": [
    {"iso3": "DEU", "weight": 4525.7, "cap": 5.0e9, "category_caps": {"air-defence": 1.2e9}},
    {"iso3": "EST", "weight": 41.8}
  ]
}`

func runBurdenCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"burden"}, args...), func(string) string { return "" },
		strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestBurdenCLIJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(file, []byte(burdenIssueExample), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--input", file, "--json"}, {"--json", "--input", "-"}} {
		out, _, err := runBurdenCLI(t, burdenIssueExample, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		var got struct {
			Covered     float64            `json:"covered"`
			Deviation   float64            `json:"deviation"`
			Unfilled    map[string]float64 `json:"unfilled"`
			Status      string             `json:"status"`
			Allocations []struct {
				ISO3     string  `json:"iso3"`
				Category string  `json:"category"`
				Amount   float64 `json:"amount"`
			} `json:"allocations"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: output is not the documented JSON: %v\n%s", args, err, out)
		}
		// Gap 2e9+1.5e9+4e9 = 7.5e9, all coverable (DEU ≤ 5e9, EST unlimited).
		// DEU's fair share 4525.7/4567.5 × 7.5e9 ≈ 7.43e9 exceeds its cap, so
		// DEU gives 5e9 and EST 2.5e9; deviation = 2 × (2.5e9 − 41.8/4567.5 × 7.5e9).
		wantDev := 2 * (2.5e9 - 41.8/4567.5*7.5e9)
		if got.Status != "optimal" || math.Abs(got.Covered-7.5e9) > 1 || math.Abs(got.Deviation-wantDev) > 1 {
			t.Errorf("%v: got status %q covered %v deviation %v, want optimal 7.5e9 %v", args, got.Status, got.Covered, got.Deviation, wantDev)
		}
		var deuAir float64
		for _, a := range got.Allocations {
			if a.ISO3 == "DEU" && a.Category == "air-defence" {
				deuAir = a.Amount
			}
		}
		if deuAir > 1.2e9+1 {
			t.Errorf("%v: DEU air-defence %v above its category cap 1.2e9", args, deuAir)
		}
	}
}

func TestBurdenCLITable(t *testing.T) {
	out, _, err := runBurdenCLI(t, burdenIssueExample, "--input", "-")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"member", "fair share", "DEU", "total", "5,000,000,000.00", "covered 7,500,000,000.00 of 7,500,000,000.00", "unfilled: nothing"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestBurdenCLIErrors(t *testing.T) {
	tests := []struct {
		name    string
		stdin   string
		args    []string
		wantMsg string
	}{
		{"negative cap", strings.Replace(burdenIssueExample, `"cap": 5.0e9`, `"cap": -5`, 1), []string{"--input", "-"}, "members[0].cap"},
		{"unknown category", strings.Replace(burdenIssueExample, `{"air-defence": 1.2e9}`, `{"tanks": 1}`, 1), []string{"--input", "-"}, "members[0].category_caps.tanks"},
		{"missing weight", strings.Replace(burdenIssueExample, `, "weight": 41.8`, ``, 1), []string{"--input", "-"}, "members[1].weight"},
		{"not JSON", "nonsense", []string{"--input", "-"}, "burden problem"},
		{"no input flag", "", nil, "--input is required"},
		{"missing file", "", []string{"--input", "/nonexistent/p.json"}, "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runBurdenCLI(t, tt.stdin, tt.args...)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if code := exitCode(err); code != 2 {
				t.Errorf("exit code = %d, want 2 (%v)", code, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
			if out != "" {
				t.Errorf("printed a result for an invalid problem:\n%s", out)
			}
		})
	}
}

func TestBurdenCLIBatch(t *testing.T) {
	bad := strings.Replace(burdenIssueExample, `"weight": 41.8`, `"weight": -1`, 1)
	out, _, err := runBurdenCLI(t, "["+burdenIssueExample+","+bad+"]", "--batch", "--input", "-")
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Result *struct {
			Covered float64 `json:"covered"`
		} `json:"result"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 2 {
		t.Fatalf("got %d results, want 2", len(got))
	}
	if got[0].Result == nil || math.Abs(got[0].Result.Covered-7.5e9) > 1 {
		t.Errorf("first result = %+v, want covered 7.5e9", got[0])
	}
	if got[1].Result != nil || !strings.Contains(got[1].Error, "members[1].weight") {
		t.Errorf("second result = %+v, want an error naming members[1].weight", got[1])
	}
}
