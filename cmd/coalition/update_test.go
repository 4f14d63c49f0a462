package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/refdata"
)

// publisherMirror serves the recorded publisher files (updates/testdata)
// and the bundled Kiel release under the publishers' paths; body, when
// set, replaces the Kiel file.
func publisherMirror(t *testing.T, kiel func() []byte) string {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "updates", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasSuffix(p, "/data_explorer.csv"):
			w.Write(kiel())
		case strings.HasPrefix(p, "/service/data/EXR/"):
			w.Write(read("EXR.csv"))
		case strings.HasPrefix(p, "/v2/country/all/indicator/"):
			w.Write(read(strings.TrimPrefix(p, "/v2/country/all/indicator/") + ".json"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// `coalition update`: exit 0 with the diff on stdout when the publishers'
// releases are the loaded ones, exit 2 on an invalid download, which
// changes nothing.
func TestUpdateCommand(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := freshDSN(t, engine)
			if _, errOut, err := cli(t, nil, "seed", "--db", db); err != nil {
				t.Fatalf("seed: %v\n%s", err, errOut)
			}
			kiel, err := os.ReadFile(bundledKiel(t))
			if err != nil {
				t.Fatal(err)
			}
			body := kiel
			url := publisherMirror(t, func() []byte { return body })
			t.Run("all, nothing new", func(t *testing.T) {
				out, errOut, err := cli(t, nil, "update", "all", "--from", url, "--db", db, "--json")
				if err != nil {
					t.Fatalf("%v\n%s", err, errOut)
				}
				var got struct {
					Updates []struct {
						Dataset   string `json:"dataset"`
						Committed bool   `json:"committed"`
						Release   struct {
							Release string `json:"release"`
							Action  string `json:"action"`
						} `json:"release"`
					} `json:"updates"`
				}
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				want := []string{"kiel 29 same", "ecb-fx data to 2026-06 same", "worldbank 2023 same"}
				if len(got.Updates) != len(want) {
					t.Fatalf("%d updates, want %d:\n%s", len(got.Updates), len(want), out)
				}
				for i, u := range got.Updates {
					if s := u.Dataset + " " + u.Release.Release + " " + u.Release.Action; s != want[i] || u.Committed {
						t.Errorf("update %d = %q (committed %v), want %q", i, s, u.Committed, want[i])
					}
				}
			})
			before := datasetsJSON(t, db)
			totals := donorTotals(t, db)
			t.Run("kiel, truncated: exit 2", func(t *testing.T) {
				body = kiel[:len(kiel)/2+7]
				_, _, err := cli(t, nil, "update", "kiel", "--from", url, "--db", db)
				if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "not a valid file of its publisher") {
					t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
				}
			})
			t.Run("kiel, a donor missing: exit 2 with the diff", func(t *testing.T) {
				var rows []string
				for _, l := range strings.SplitAfter(string(kiel), "\n") {
					if !strings.Contains(l, `"POL"`) {
						rows = append(rows, l)
					}
				}
				body = []byte(strings.Join(rows, ""))
				out, _, err := cli(t, nil, "update", "kiel", "--from", url, "--db", db)
				if exitCode(err) != 2 || !strings.Contains(err.Error(), "--allow-drop") {
					t.Fatalf("err = %v, want exit 2 naming --allow-drop", err)
				}
				for _, want := range []string{"POL military", "implausible: POL total", "nothing was written"} {
					if !strings.Contains(out, want) {
						t.Errorf("stdout lacks %q:\n%s", want, out)
					}
				}
			})
			if after := datasetsJSON(t, db); len(after.Datasets) != len(before.Datasets) || after.Datasets[0] != before.Datasets[0] {
				t.Errorf("datasets changed: %+v, was %+v", after, before)
			}
			if got := donorTotals(t, db); got["POL"] != totals["POL"] || !near(sum(got), sum(totals)) {
				t.Errorf("totals changed: POL %v, was %v", got["POL"], totals["POL"])
			}
			t.Run("unknown dataset: usage", func(t *testing.T) {
				if _, _, err := cli(t, nil, "update", "sipri", "--db", db); exitCode(err) != 2 || !strings.Contains(err.Error(), "kiel, fx, gdp or all") {
					t.Errorf("err = %v", err)
				}
			})
		})
	}
}

// `coalition datasets` shows each dataset's age and when its next release
// was due; outputs that use a dataset older than its publisher's cycle
// (donors: Kiel, World Bank, ECB) say so on standard error.
func TestDatasetAgeAndStaleNotes(t *testing.T) {
	db := seededDB(t)
	out, _, err := cli(t, nil, "datasets", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "AGE") || !strings.Contains(out, "NEXT DUE") {
		t.Errorf("datasets lacks the age columns:\n%s", out)
	}
	kiel := coalition.FreshnessOf(coalition.DatasetInfo{Name: "kiel", Release: refdata.KielRelease, AsOf: refdata.KielAsOf}, time.Now())
	_, errOut, err := cli(t, nil, "donors", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Contains(errOut, "note: kiel release 29 has data to 2026-04-30"); got != kiel.Stale {
		t.Errorf("donors notes kiel as stale: %v, want %v (stderr %q)", got, kiel.Stale, errOut)
	}
	if got := strings.Contains(out, "note: kiel release 29"); got != kiel.Stale {
		t.Errorf("datasets notes kiel as stale: %v, want %v", got, kiel.Stale)
	}
	// Every output built on Kiel's data says so too (issue 16 §3).
	for _, args := range [][]string{
		{"coverage", "--coalition", "COW2025"},
		{"scenario", "--builtin", "replace-us"},
		{"prospects", "--coalition", "COW2025", "--top", "3"},
		{"risk", "--coalition", "COW2025", "--trials", "200"},
		{"brief", "--coalition", "COW2025"},
		{"export", "pledges", "--format", "json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			_, errOut, err := cli(t, nil, append(args, "--db", db)...)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(errOut, "note: kiel release 29 has data to 2026-04-30"); got != kiel.Stale {
				t.Errorf("%s notes kiel as stale: %v, want %v (stderr %q)", args[0], got, kiel.Stale, errOut)
			}
		})
	}
}
