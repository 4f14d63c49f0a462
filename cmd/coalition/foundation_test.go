package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"coalition/internal/check"
	"coalition/internal/reftest"
	"coalition/refdata"
)

// cli runs the program as a user would and returns stdout, stderr and the error.
func cli(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func tempDB(t *testing.T) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "c.db")
}

type donorRow struct {
	ISO3            string   `json:"iso3"`
	Name            string   `json:"name"`
	MilitaryEUR     float64  `json:"military_eur"`
	FinancialEUR    float64  `json:"financial_eur"`
	HumanitarianEUR float64  `json:"humanitarian_eur"`
	TotalEUR        float64  `json:"total_eur"`
	PctGDP          *float64 `json:"pct_gdp"`
	AsOf            string   `json:"as_of"`
	Source          string   `json:"source"`
}

// kielTotals reads the published per-donor totals (EUR bn, 3 decimals).
func kielTotals(t *testing.T) map[string][4]float64 {
	t.Helper()
	recs := reftest.Refdata(t, "ukraine_support.csv")
	out := map[string][4]float64{}
	for _, r := range recs[1:] {
		var v [4]float64
		for i := 0; i < 4; i++ {
			v[i], _ = strconv.ParseFloat(r[2+i], 64)
		}
		out[r[0]] = v
	}
	return out
}

// TestDonorsReconcileWithKiel checks the store's totals against the
// published per-donor file, to the euro-million, for every donor.
func TestDonorsReconcileWithKiel(t *testing.T) {
	db := tempDB(t)
	out, stderr, err := cli(t, nil, "donors", "--json", "--db", db)
	if err != nil {
		t.Fatalf("donors: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "loaded the reference data") {
		t.Errorf("a fresh database should say it loaded the reference data; stderr: %q", stderr)
	}
	var rows []donorRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("donors --json is not an array of objects: %v", err)
	}
	want := kielTotals(t)
	if len(rows) != len(want) {
		t.Fatalf("%d donors, the Kiel file has %d", len(rows), len(want))
	}
	for _, r := range rows {
		w, ok := want[r.ISO3]
		if !ok {
			t.Errorf("donor %s is not in the Kiel file", r.ISO3)
			continue
		}
		// The published file rounds each sum to 3 decimals (EUR million):
		// ours must be within half a million of it.
		got := [4]float64{r.MilitaryEUR, r.FinancialEUR, r.HumanitarianEUR, r.TotalEUR}
		for i, name := range []string{"military", "financial", "humanitarian", "total"} {
			if d := math.Abs(got[i]/1e9 - w[i]); d > 0.0005+1e-9 {
				t.Errorf("%s %s: store %.6f bn, Kiel %.3f bn", r.ISO3, name, got[i]/1e9, w[i])
			}
		}
		if r.AsOf != "2026-04-30" || !strings.Contains(r.Source, "Kiel") || r.Name == "" {
			t.Errorf("%s: as_of %q source %q name %q", r.ISO3, r.AsOf, r.Source, r.Name)
		}
	}
	for _, iso := range []string{"USA", "DEU", "GBR", "AUS", "JPN", "EUI"} {
		found := false
		for _, r := range rows {
			found = found || r.ISO3 == iso
		}
		if !found {
			t.Errorf("%s missing", iso)
		}
	}
}

// TestDonorsReconcileMonthly sums the Kiel monthly file here, independently,
// and compares per type and period with the store.
func TestDonorsReconcileMonthly(t *testing.T) {
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Military support in 2025, per donor, in EUR.
	want := map[string]float64{}
	for _, r := range recs[1:] {
		if r[2] == "2025" {
			v, _ := strconv.ParseFloat(r[7], 64)
			iso := r[1]
			if iso == "EU" {
				iso = "EUI"
			}
			want[iso] += v * 1e9
		}
	}
	db := tempDB(t)
	out, _, err := cli(t, nil, "donors", "--type", "military", "--since", "2025-01", "--until", "2025-12", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var rows []donorRow
	json.Unmarshal([]byte(out), &rows)
	got := map[string]float64{}
	for _, r := range rows {
		got[r.ISO3] = r.TotalEUR
		if r.FinancialEUR != 0 || r.HumanitarianEUR != 0 {
			t.Errorf("%s: --type military returned other types", r.ISO3)
		}
	}
	for _, iso := range []string{"USA", "DEU", "GBR", "AUS", "JPN", "EUI", "NOR"} {
		if math.Abs(got[iso]-want[iso]) > 0.5 { // to the euro: the store sums exact cents
			t.Errorf("%s military 2025: store %.0f, Kiel monthly %.0f", iso, got[iso], want[iso])
		}
	}
	// Kiel records no new US aid after the package of January 2025.
	out, _, err = cli(t, nil, "donors", "--since", "2025-02", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"iso3": "USA"`) {
		t.Errorf("USA has allocations after January 2025")
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	db := tempDB(t)
	out, _, err := cli(t, nil, "seed", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var first struct{ Created, Updated, Unchanged map[string]int }
	json.Unmarshal([]byte(out), &first)
	if first.Created["pledges"] != 1450 || first.Created["countries"] != 49 || first.Created["coalitions"] != 1 {
		t.Fatalf("first seed created %v", first.Created)
	}
	out, _, err = cli(t, nil, "seed", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var second struct{ Created, Updated, Unchanged map[string]int }
	json.Unmarshal([]byte(out), &second)
	for k, n := range second.Created {
		if n != 0 {
			t.Errorf("second seed created %d %s", n, k)
		}
	}
	for k, n := range second.Updated {
		if n != 0 {
			t.Errorf("second seed updated %d %s", n, k)
		}
	}
	for k, n := range first.Created {
		if second.Unchanged[k] != n {
			t.Errorf("%s: %d created first, %d unchanged second", k, n, second.Unchanged[k])
		}
	}
}

func TestCountriesGroups(t *testing.T) {
	db := tempDB(t)
	count := func(group string) []map[string]any {
		out, _, err := cli(t, nil, "countries", "--group", group, "--json", "--db", db)
		if err != nil {
			t.Fatalf("countries --group %s: %v", group, err)
		}
		var cs []map[string]any
		json.Unmarshal([]byte(out), &cs)
		return cs
	}
	for group, want := range map[string]int{"NATO": 32, "EU": 27, "G7": 7, "AUKUS": 3, "FVEY": 5, "COW2025": 34} {
		if got := len(count(group)); got != want {
			t.Errorf("group %s: %d countries, want %d", group, got, want)
		}
	}
	cow := count("COW2025")
	has := map[string]bool{}
	for _, c := range cow {
		has[c["iso3"].(string)] = true
	}
	for _, m := range []struct {
		iso3   string
		member bool
	}{{"AUS", true}, {"GBR", true}, {"FRA", true}, {"USA", false}, {"UKR", false}} {
		check.Facts(t, check.Eq("COW2025 member "+m.iso3, has[m.iso3], m.member))
	}
	out, _, err := cli(t, nil, "countries", "--db", db)
	if err != nil || !strings.Contains(out, "Australia") || !strings.Contains(out, "World Bank") {
		t.Errorf("countries table: %v\n%s", err, out)
	}
}

func TestDonorsTableShowsSource(t *testing.T) {
	out, _, err := cli(t, nil, "donors", "--db", tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"United States", "Source: Kiel Institute", "% GDP", "2026-04-30"} {
		if !strings.Contains(out, want) {
			t.Errorf("donors table lacks %q", want)
		}
	}
}

func TestFlagsAfterArgumentsAndEnv(t *testing.T) {
	db := tempDB(t)
	// Flags after the subcommand's own flags and environment defaults.
	out, _, err := cli(t, map[string]string{"COALITION_DB": db}, "donors", "--json", "--type", "humanitarian")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"humanitarian_eur"`) {
		t.Errorf("env COALITION_DB not used: %s", out[:min(200, len(out))])
	}
	if _, err := os.Stat(strings.TrimPrefix(db, "sqlite:")); err != nil {
		t.Errorf("COALITION_DB did not create %s", db)
	}
}

func TestUsageErrors(t *testing.T) {
	db := tempDB(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{}, 2, "no subcommand"},
		{[]string{"frobnicate"}, 2, "unknown subcommand"},
		{[]string{"donors", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"donors", "--type", "snacks", "--db", db}, 2, "type"},
		{[]string{"donors", "--since", "2025-13", "--db", db}, 2, "since"},
		{[]string{"donors", "--since", "2025-05", "--until", "2025-01", "--db", db}, 2, "until"},
		{[]string{"countries", "--group", "NOPE", "--db", db}, 2, "group"},
		{[]string{"donors", "--db", "mysql://root@localhost/x"}, 2, "postgres://"},
		{[]string{"donors", "--db", "postgres://%zz"}, 2, "malformed"},
		{[]string{"donors", "--db", "sqlite:/no/such/folder/x.db"}, 1, "does not exist"},
		{[]string{"donors", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, 1, "not reachable"},
	}
	for _, c := range cases {
		_, _, err := cli(t, nil, c.args...)
		if err == nil {
			t.Errorf("%v: no error", c.args)
			continue
		}
		if got := exitCode(err); got != c.code {
			t.Errorf("%v: exit code %d, want %d (%v)", c.args, got, c.code, err)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: error %q does not mention %q", c.args, err, c.msg)
		}
		if strings.Contains(err.Error(), "goroutine") || strings.Count(err.Error(), "\n") > 2 {
			t.Errorf("%v: not one clear line: %q", c.args, err)
		}
	}
}

func TestHelpForEverySubcommand(t *testing.T) {
	for name := range commands() {
		_, stderr, err := cli(t, nil, name, "--help")
		if err != nil {
			t.Errorf("%s --help: %v", name, err)
		}
		if !strings.Contains(stderr, "usage: coalition "+name) || !strings.Contains(stderr, "example") {
			t.Errorf("%s --help lacks usage or example:\n%s", name, stderr)
		}
	}
}

func TestMigrateAndVersion(t *testing.T) {
	db := tempDB(t)
	out, _, err := cli(t, nil, "migrate", "--db", db)
	if err != nil || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, _, err = cli(t, nil, "migrate", "--db", db)
	if err != nil || !strings.Contains(out, "applied 0 migrations") {
		t.Fatalf("second migrate: %v %s", err, out)
	}
	out, _, err = cli(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "coalition ") {
		t.Fatalf("version: %v %q", err, out)
	}
}

// TestBuildStamp: without -ldflags, the version names the revision and
// commit time that Go stamps into a binary built in a git checkout.
func TestBuildStamp(t *testing.T) {
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-06T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if c, d := buildStamp(info, true); c != "0123abcd+modified" || d != "2026-12-06T10:00:00Z" {
		t.Errorf("stamped build: commit %q date %q", c, d)
	}
	if c, d := buildStamp(&debug.BuildInfo{}, true); c != "unknown" || d != "unknown" {
		t.Errorf("no stamp: commit %q date %q, want unknown", c, d)
	}
	if c, _ := buildStamp(nil, false); c != "unknown" {
		t.Errorf("no build info: commit %q", c)
	}
}
