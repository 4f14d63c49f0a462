package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/refdata"
	"coalition/sqlstore/sqltest"
)

// donorTotals is `coalition donors --json`: total EUR per donor.
func donorTotals(t *testing.T, db string) map[string]float64 {
	t.Helper()
	out, errOut, err := cli(t, nil, "donors", "--json", "--db", db)
	if err != nil {
		t.Fatalf("donors: %v\n%s", err, errOut)
	}
	var rows []donorRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for _, r := range rows {
		m[r.ISO3] = r.TotalEUR
	}
	return m
}

type datasetsOut struct {
	Datasets []struct {
		Name    string `json:"name"`
		Release string `json:"release"`
		AsOf    string `json:"as_of"`
		Records int    `json:"records"`
		Kind    string `json:"kind"`
	} `json:"datasets"`
}

func datasetsJSON(t *testing.T, db string) datasetsOut {
	t.Helper()
	out, errOut, err := cli(t, nil, "datasets", "--json", "--db", db)
	if err != nil {
		t.Fatalf("datasets: %v\n%s", err, errOut)
	}
	var d datasetsOut
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return d
}

func sum(m map[string]float64) float64 {
	var s float64
	for _, v := range m {
		s += v
	}
	return s
}

// Issue 16 §2: `coalition import kiel-csv` of the bundled file into a
// seeded database doubled every figure (€358.40 bn → €716.80 bn) unless
// --source was the seed's exact citation. The same release, under another
// file name and another --source, imported twice, now changes nothing.
func TestImportKielSameReleaseNeverDoubles(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := freshDSN(t, engine)
			if _, errOut, err := cli(t, nil, "seed", "--db", db); err != nil {
				t.Fatalf("seed: %v\n%s", err, errOut)
			}
			seeded := donorTotals(t, db)
			if got := coalition.FormatEUR(sum(seeded), 2); got != "€358.40 bn" {
				t.Fatalf("seeded total = %s, want €358.40 bn", got)
			}
			b, err := os.ReadFile(bundledKiel(t))
			if err != nil {
				t.Fatal(err)
			}
			other := writeFile(t, "kiel-latest-download.csv", string(b))
			for i, args := range [][]string{{"kiel-csv", other, "--db", db}, {"kiel-csv", other, "--db", db, "--source", "my own citation"}} {
				rep := importJSON(t, args...)
				r := rep.Result
				if r.Release == nil {
					t.Fatalf("import %d: no release in %+v", i+1, r)
				}
				if !check.Facts(t,
					check.Eq(fmt.Sprintf("import %d: committed", i+1), rep.Committed, true),
					check.Eq(fmt.Sprintf("import %d: created", i+1), r.Created["pledges"], 0),
					check.Eq(fmt.Sprintf("import %d: updated", i+1), r.Updated["pledges"], 0),
					check.Eq(fmt.Sprintf("import %d: unchanged", i+1), r.Unchanged["pledges"], 1450),
					check.Eq(fmt.Sprintf("import %d: release action", i+1), r.Release.Action, "same"),
					check.Eq(fmt.Sprintf("import %d: release", i+1), r.Release.Release, refdata.KielRelease),
					check.Eq(fmt.Sprintf("import %d: removed", i+1), r.Release.Removed, 0),
				) {
					t.FailNow()
				}
				if got := donorTotals(t, db); len(got) != len(seeded) || !near(sum(got), sum(seeded)) || got["USA"] != seeded["USA"] {
					t.Fatalf("import %d: totals %s (USA %s), want %s (USA %s)", i+1, coalition.FormatEUR(sum(got), 2),
						coalition.FormatEUR(got["USA"], 2), coalition.FormatEUR(sum(seeded), 2), coalition.FormatEUR(seeded["USA"], 2))
				}
			}
			// The records still cite release 29 as of its last day, not today.
			out, _, err := cli(t, nil, "donors", "--json", "--db", db)
			if err != nil || !strings.Contains(out, `"as_of": "2026-04-30"`) && !strings.Contains(out, `"as_of":"2026-04-30"`) {
				t.Fatalf("donors as_of: %v\n%.400s", err, out)
			}
			d := datasetsJSON(t, db)
			got := map[string]string{}
			for _, x := range d.Datasets {
				got[x.Name] = x.Release + "|" + x.AsOf + "|" + x.Kind
				if x.Name == "kiel" && x.Records != 1450 {
					t.Errorf("kiel records = %d, want 1450", x.Records)
				}
				if x.Name == "ecb-fx-history" && x.Records != 5046 {
					t.Errorf("ecb-fx-history records = %d, want 5046 (20 currencies' monthly means, 1999-2021)", x.Records)
				}
			}
			want := map[string]string{"kiel": "29|2026-04-30|pledges", "ecb-fx": "data to 2026-06|2026-06-30|fx_rates",
				"ecb-fx-history": "data to 2021-12|2021-12-31|fx_history", "worldbank": "2023|2023-12-31|countries", "nato": "2025|2025-08-28|countries"}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("dataset %s = %q, want %q", k, got[k], w)
				}
			}
		})
	}
}

// newerKiel writes a modified copy of the bundled file: USA's military of
// 2024-12 +€1.2 bn, Norway's 2023-03 row dropped, Germany 2026-05 added
// (€0.5 bn military): data to May 2026.
func newerKiel(t *testing.T) (path string, dropped int) {
	t.Helper()
	f, err := os.Open(bundledKiel(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(rows[0])
	changed := false
	for _, r := range rows[1:] {
		switch r[1] + "/" + r[2] + "/" + r[3] {
		case "USA/2024/12":
			if r[7] != "3.559012" {
				t.Fatalf("USA 2024-12 military = %s: the bundled file changed", r[7])
			}
			r[7], changed = "4.759012", true
		case "NOR/2023/3":
			for _, v := range r[5:8] {
				if v != "0" && v != "" {
					dropped++
				}
			}
			continue
		}
		w.Write(r)
	}
	w.Write([]string{"Germany", "DEU", "2026", "5", "0.5", "0", "0", "0.5", "0", "0", "0", "0"})
	w.Flush()
	if !changed || dropped == 0 {
		t.Fatalf("the bundled file has no USA 2024-12 or NOR 2023-03 row (changed %v, dropped %d)", changed, dropped)
	}
	return writeFile(t, "data_explorer_r30.csv", b.String()), dropped
}

// A newer release replaces the loaded one: exactly the changed rows
// change, the diff names them, the dropped donor-month is removed, and a
// pledge entered by a person is untouched. An older release is then
// refused unless forced.
func TestImportKielNewerRelease(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := freshDSN(t, engine)
			if _, errOut, err := cli(t, nil, "seed", "--db", db); err != nil {
				t.Fatalf("seed: %v\n%s", err, errOut)
			}
			ctx := coalition.WithUser(context.Background(), coalition.System)
			s := sqltest.OpenDSN(t, db)
			mine := &coalition.Pledge{Donor: "NOR", Recipient: "UKR", Category: "air-defence", Amount: coalition.Money{Minor: 12_300_000_00, Currency: "EUR"},
				Announced: coalition.Date{Y: 2023, M: 3, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "a secretariat's note",
				SourceRef: "NOR/2023-03/military"}
			if err := s.CreatePledge(ctx, mine); err != nil {
				t.Fatal(err)
			}
			s.Close()
			before := donorTotals(t, db)
			file, dropped := newerKiel(t)

			dry := importJSON(t, "kiel-csv", file, "--db", db, "--release", "30", "--dry-run")
			if dry.Committed || dry.Result.Release == nil || dry.Result.Release.Action != "newer" {
				t.Fatalf("dry run: %+v", dry.Result.Release)
			}
			if got := donorTotals(t, db); !near(sum(got), sum(before)) {
				t.Fatalf("the dry run changed the total: %v → %v", sum(before), sum(got))
			}

			out, errOut, err := cli(t, nil, "import", "kiel-csv", file, "--db", db, "--release", "30")
			if err != nil {
				t.Fatalf("import: %v\n%s", err, errOut)
			}
			for _, want := range []string{"kiel release 30 (data to 2026-05-31): newer, was release 29 (data to 2026-04-30)",
				"1 created, 1 updated, " + itoa(1450-1-dropped) + " unchanged, " + itoa(dropped) + " removed", "+€1.20 bn", "+€500.0 m"} {
				if !strings.Contains(out, want) {
					t.Errorf("report lacks %q:\n%s", want, out)
				}
			}
			usa := strings.Fields(lineWith(out, "USA "))
			if len(usa) < 2 || usa[1] != "military" || usa[len(usa)-2] != "+€1.20" {
				t.Errorf("USA line = %q", lineWith(out, "USA "))
			}
			after := donorTotals(t, db)
			for iso, v := range after {
				d := v - before[iso]
				switch iso {
				case "USA":
					if !near(d, 1.2e9) {
						t.Errorf("USA changed by %v, want +1.2e9", d)
					}
				case "DEU":
					if !near(d, 0.5e9) {
						t.Errorf("DEU changed by %v, want +0.5e9", d)
					}
				case "NOR":
					if d >= 0 {
						t.Errorf("NOR changed by %v, want less (a donor-month dropped)", d)
					}
				default:
					if !near(d, 0) {
						t.Errorf("%s changed by %v: only USA, DEU and NOR may change", iso, d)
					}
				}
			}
			s = sqltest.OpenDSN(t, db)
			defer s.Close()
			got, err := s.FindPledge(ctx, mine.ID)
			if err != nil {
				t.Fatalf("the person's pledge after release 30: %v", err)
			}
			if !check.Facts(t,
				check.Eq("version", got.Version, int64(1)),
				check.Eq("amount_eur", got.AmountEUR, mine.AmountEUR),
				check.Eq("source", got.Source, mine.Source),
				check.Eq("dataset", got.Dataset, ""),
			) {
				t.FailNow()
			}
			var nor int
			if err := s.DB().QueryRow("SELECT count(*) FROM pledges WHERE dataset = 'kiel' AND source_ref LIKE 'NOR/2023-03/%'").Scan(&nor); err != nil || nor != 0 {
				t.Fatalf("dropped NOR 2023-03 records left: %d, %v", nor, err)
			}
			d := datasetsJSON(t, db)
			for _, x := range d.Datasets {
				if x.Name == "kiel" && (x.Release != "30" || x.AsOf != "2026-05-31" || x.Records != 1450-dropped+1) {
					t.Errorf("kiel after release 30: %+v", x)
				}
			}

			// Release 29 again (the bundled file, any name): older, refused, nothing changes.
			_, errOut, err = cli(t, nil, "import", "kiel-csv", bundledKiel(t), "--db", db)
			if err == nil || !strings.Contains(err.Error(), "older than the loaded release 30") {
				t.Fatalf("older release: err = %v\n%s", err, errOut)
			}
			if exitCode(err) != 1 {
				t.Errorf("exit code %d, want 1", exitCode(err))
			}
			if got := donorTotals(t, db); !near(sum(got), sum(after)) {
				t.Fatalf("a refused release changed the total")
			}
			forced := importJSON(t, "kiel-csv", bundledKiel(t), "--db", db, "--force")
			r := forced.Result.Release
			if r == nil {
				t.Fatalf("forced: no release in %+v", forced.Result)
			}
			if !check.Facts(t,
				check.Eq("forced: action", r.Action, "older, forced"),
				check.Eq("forced: release", r.Release, "data to 2026-04"),
				check.Eq("forced: removed", r.Removed, 1),
				check.Eq("forced: created", r.Created, dropped),
			) {
				t.FailNow()
			}
			if got := donorTotals(t, db); !near(sum(got), sum(before)) {
				t.Fatalf("forcing release 29 back: total %v, want %v", sum(got), sum(before))
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// near says whether two euro figures agree to the cent (sums of floats in
// map order differ in the last bits).
func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

func lineWith(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// A release is loaded whole: a row the database refuses (a donor it does
// not hold) with --skip-invalid writes nothing, since skipping the row
// would delete that donor-month's record.
func TestImportKielReleaseNotInPart(t *testing.T) {
	db := tempDB(t)
	if _, errOut, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut)
	}
	before := donorTotals(t, db)
	file, _ := newerKiel(t)
	b, _ := os.ReadFile(file)
	bad := writeFile(t, "r30-bad.csv", string(b)+"Atlantis,ATL,2026,5,1,0,0,1,0,0,0,0\n")
	_, errOut, err := cli(t, nil, "import", "kiel-csv", bad, "--db", db, "--release", "30", "--skip-invalid")
	if err == nil {
		t.Fatalf("a release with an invalid row was loaded:\n%s", errOut)
	}
	if !check.Facts(t,
		check.Eq("exit code", exitCode(err), 2),
		check.Holds("error", strings.Contains(err.Error(), "a release is loaded whole"), err, "says a release is loaded whole"),
		check.Holds("stderr", strings.Contains(errOut, `r30-bad.csv:1081:iso: unknown country or donor "ATL"`), errOut, "names r30-bad.csv:1081 and ATL"),
	) {
		t.FailNow()
	}
	if got := donorTotals(t, db); !near(sum(got), sum(before)) {
		t.Fatalf("a refused release changed the total: %v → %v", sum(before), sum(got))
	}
	out, _, err := cli(t, nil, "datasets", "--db", db)
	if err != nil || !strings.Contains(lineWith(out, "kiel "), " 29 ") || !strings.Contains(lineWith(out, "kiel "), "1450") {
		t.Fatalf("datasets: %v\n%s", err, out)
	}
}
