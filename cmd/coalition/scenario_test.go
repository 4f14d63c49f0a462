package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"coalition"
	"coalition/sqlstore/sqltest"
)

var (
	analysisDBOnce sync.Once
	analysisDB     string
	analysisDBErr  error
)

// analysisStoreDB returns the path of a fresh copy of a database seeded with
// the reference data (by openStore, through run), seeded once per test binary.
func analysisStoreDB(t *testing.T) string {
	t.Helper()
	analysisDBOnce.Do(func() {
		dir, err := os.MkdirTemp("", "coalition-analysis")
		if err != nil {
			analysisDBErr = err
			return
		}
		analysisDB = filepath.Join(dir, "seed.db")
		var out, errOut bytes.Buffer
		analysisDBErr = run(context.Background(), []string{"countries", "--db", analysisDB}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	})
	if analysisDBErr != nil {
		t.Fatal(analysisDBErr)
	}
	dst := filepath.Join(t.TempDir(), "c.db")
	in, err := os.Open(analysisDB)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func runCLI(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func wantExit(t *testing.T, err error, code int) {
	t.Helper()
	if err == nil || exitCode(err) != code {
		t.Fatalf("error %v, want exit code %d", err, code)
	}
}

// usMonthlyAverage recomputes the US 2022–2024 monthly average from the store.
func usMonthlyAverage(t *testing.T, db string) float64 {
	t.Helper()
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	rows, err := s.MonthlySupport(coalition.WithUser(context.Background(), coalition.System), coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, r := range rows {
		if r.ISO3 == "USA" && r.Month.Year() >= 2022 && r.Month.Year() <= 2024 {
			sum += r.EUR
		}
	}
	return sum / 36
}

type scenarioOut struct {
	Spec struct {
		Coalition string `json:"coalition"`
		Key       string `json:"key"`
	} `json:"spec"`
	Result struct {
		Covered  float64 `json:"covered"`
		Unfilled float64 `json:"unfilled"`
		Lost     []struct {
			ISO3   string  `json:"iso3"`
			Amount float64 `json:"amount"`
		} `json:"lost"`
	} `json:"result"`
	Sources []struct {
		Figure, Source, AsOf string
	} `json:"sources"`
}

func TestScenarioCLIBuiltin(t *testing.T) {
	db := analysisStoreDB(t)
	out, _, err := runCLI(t, "", "scenario", "--builtin", "replace-us", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Scenario struct {
			Covered float64 `json:"covered"`
			Lost    []struct {
				ISO3   string  `json:"iso3"`
				Amount float64 `json:"amount"`
			} `json:"lost"`
		} `json:"scenario"`
		PlanEUR float64 `json:"plan_eur"`
		Rows    []struct {
			ISO3       string             `json:"iso3"`
			PlanEUR    float64            `json:"plan_eur"`
			ByCategory map[string]float64 `json:"by_category"`
		} `json:"rows"`
		Sources []struct {
			Figure string `json:"figure"`
			AsOf   string `json:"as_of"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// The US withdraws from February: 11 × its 2022–2024 monthly average.
	want := 11 * usMonthlyAverage(t, db)
	if len(got.Scenario.Lost) != 1 || got.Scenario.Lost[0].ISO3 != "USA" || math.Abs(got.Scenario.Lost[0].Amount-want) > 1e-6*want {
		t.Fatalf("lost %+v, want USA %.0f", got.Scenario.Lost, want)
	}
	var plan float64
	for _, r := range got.Rows {
		plan += r.PlanEUR
		// member × category: what each is asked for in which category
		byCat := 0.0
		for _, v := range r.ByCategory {
			byCat += v
		}
		if math.Abs(byCat-r.PlanEUR) > 1e-9*math.Max(1, r.PlanEUR) || (r.PlanEUR > 0 && len(r.ByCategory) == 0) {
			t.Errorf("%s: by_category %v sums to %.2f, plan %.2f", r.ISO3, r.ByCategory, byCat, r.PlanEUR)
		}
	}
	if len(got.Rows) == 0 || math.Abs(plan-got.PlanEUR) > 1e-6*plan || len(got.Sources) < 3 {
		t.Fatalf("%d rows summing to %.0f, plan %.0f, %d sources", len(got.Rows), plan, got.PlanEUR, len(got.Sources))
	}
	// The table carries the source line.
	table, _, err := runCLI(t, "", "scenario", "--builtin", "nato-40bn", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"ISO3", "PLAN", "Sources:", "Kiel Institute", "Washington Summit"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
}

// --withdraw and --file say the same as replace-us and give its numbers
// when COW2025 has no stored requirement (the need is then replace-us's,
// the historical model; the bundled needs are deleted).
func TestScenarioCLIWithdrawAndFile(t *testing.T) {
	db := analysisStoreDB(t)
	withoutNeeds(t, db)
	builtinOut, _, err := runCLI(t, "", "scenario", "--builtin", "replace-us", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Scenario struct {
			Covered float64 `json:"covered"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal([]byte(builtinOut), &b); err != nil {
		t.Fatal(err)
	}
	spec := `{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"group":"COW2025","cap_pct_gdp":0.5}`
	file := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--group", "COW2025", "--cap-pct-gdp", "0.5", "--json", "--db", db}},
		{"", []string{"scenario", "--file", file, "--json", "--db", db}},
		{spec, []string{"scenario", "--json", "--file", "-", "--db", db}},
	} {
		out, _, err := runCLI(t, c.stdin, c.args...)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		var got scenarioOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if math.Abs(got.Result.Covered-b.Scenario.Covered) > 1e-6 || got.Spec.Key != "gdp" || got.Spec.Coalition != "COW2025" {
			t.Errorf("%v: covered %.0f (key %s), replace-us %.0f", c.args, got.Result.Covered, got.Spec.Key, b.Scenario.Covered)
		}
	}
	table, _, err := runCLI(t, "", "scenario", "--withdraw", "usa", "--from", "2025-02", "--categories", "military", "--fraction", "0.5", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Withdrawal: USA, 50% of military from 2025-02", "Lost: USA", "EXTRA % GDP", "Sources:"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
}

func TestScenarioCLIErrors(t *testing.T) {
	db := analysisStoreDB(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"kee":"gdp"}`), 0o600)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"scenario"}, "exactly one"},
		{[]string{"scenario", "--builtin", "replace-us", "--withdraw", "USA"}, "exactly one"},
		{[]string{"scenario", "--builtin", "replace-eu"}, "replace-eu"},
		{[]string{"scenario", "--withdraw", "USA"}, "--from"},
		{[]string{"scenario", "--withdraw", "USA", "--from", "2025-13"}, "from"},
		{[]string{"scenario", "--withdraw", "XYZ", "--from", "2025-02"}, "--withdraw: \"XYZ\""},
		{[]string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--fraction", "1.5"}, "--fraction: must be"},
		{[]string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--key", "gni"}, "key"},
		{[]string{"scenario", "--withdraw", "USA", "--from", "2025-02", "--group", "NOPE"}, "group"},
		{[]string{"scenario", "--file", bad}, "kee"},
		{[]string{"scenario", "--file", filepath.Join(t.TempDir(), "missing.json")}, "--file"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, "", append(c.args, "--db", db)...)
		wantExit(t, err, 2)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %q does not mention %q", c.args, err, c.want)
		}
	}
}
