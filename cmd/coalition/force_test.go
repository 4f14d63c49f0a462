package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	stdhttp "net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"coalition/http"
	"coalition/report"
	"coalition/sqlstore/sqltest"
)

// TestForceOneAnswer: coalition force --json, GET
// /api/v1/coalitions/{id}/force and the /force page's CSV downloads give
// the same answer for the same parameters, because all three call
// report.Force: the CLI and the API answers are equal field for field,
// and the page's line table carries the same offered, conditional and
// unfilled figures, line by line; and so for the "no US backstop"
// scenario. The seeded bundled record is public, so the system user of the
// CLI and the anonymous reader of the API see the same records.
func TestForceOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()
	get := func(t *testing.T, path string) []byte {
		t.Helper()
		resp, err := stdhttp.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		cli  []string
		api  string
		csv  string
	}{
		{"base", nil, "", "?coalition=COW2025"},
		{"no US backstop", []string{"--without-condition", "us-backstop"}, "?without-condition=us-backstop", "?coalition=COW2025&without-condition=us-backstop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runCLI(t, "", append(append([]string{"force", "--coalition", "COW2025"}, tc.cli...), "--json", "--db", db)...)
			if err != nil {
				t.Fatal(err)
			}
			var cli, api report.ForceReport
			if err := json.Unmarshal([]byte(out), &cli); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(get(t, "/api/v1/coalitions/COW2025/force"+tc.api), &api); err != nil {
				t.Fatal(err)
			}
			if len(cli.Lines) != 6 {
				t.Fatalf("%d lines, want the 6 bundled", len(cli.Lines))
			}
			if !reflect.DeepEqual(cli, api) {
				t.Errorf("CLI and API differ:\nCLI %+v\nAPI %+v", cli, api)
			}
			rows, err := csv.NewReader(strings.NewReader(string(get(t, "/csv/force-lines"+tc.csv)))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			if len(rows)-1 != len(api.Lines) {
				t.Fatalf("CSV has %d lines, API %d", len(rows)-1, len(api.Lines))
			}
			for i, l := range api.Lines {
				r := rows[i+1]
				unfilled := ""
				if l.Unfilled != nil {
					unfilled = strconv.FormatInt(*l.Unfilled, 10)
				}
				for _, f := range []struct{ name, csv, api string }{
					{"capability", r[col["capability"]], l.Capability},
					{"offered", r[col["offered"]], strconv.FormatInt(l.Offered, 10)},
					{"conditional", r[col["conditional"]], strconv.FormatInt(l.Conditional, 10)},
					{"unfilled", r[col["unfilled"]], unfilled},
					{"offers", r[col["offers"]], strconv.Itoa(len(l.Offers))},
					{"lapsed", r[col["lapsed"]], strconv.Itoa(len(l.Lapsed))},
				} {
					if f.csv != f.api {
						t.Errorf("line %d %s: CSV %q, API %q", i, f.name, f.csv, f.api)
					}
				}
			}
		})
	}
}
