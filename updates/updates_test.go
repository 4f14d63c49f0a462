package updates_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"coalition"
	"coalition/refdata"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
	"coalition/updates"
)

// mirror stands in for the three publishers: it serves, per file name,
// the body set by the test, an HTTP status, or a body shorter than the
// Content-Length it announces (a connection cut mid-download).
type mirror struct {
	mu     sync.Mutex
	files  map[string][]byte
	status map[string]int
	cut    map[string]bool
	asked  []string
}

func newMirror(t *testing.T) (*mirror, string) {
	m := &mirror{files: recorded(t), status: map[string]int{}, cut: map[string]bool{}}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv.URL
}

// name is the file a publisher's path asks for.
func name(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/service/data/EXR/"):
		return "EXR.csv"
	case strings.HasPrefix(p, "/v2/country/all/indicator/"):
		return strings.TrimPrefix(p, "/v2/country/all/indicator/") + ".json"
	case strings.HasPrefix(p, "/ukraine-support-tracker/data/"):
		return strings.TrimPrefix(p, "/ukraine-support-tracker/data/")
	}
	return ""
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := name(r)
	m.asked = append(m.asked, r.URL.RequestURI())
	if st := m.status[n]; st != 0 {
		http.Error(w, "unavailable", st)
		return
	}
	b, ok := m.files[n]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if m.cut[n] {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/2])
		return // the server closes the connection: the client reads too little
	}
	w.Write(b)
}

func (m *mirror) set(name string, b []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = b
}

// reset serves the recorded files again, without failures.
func (m *mirror) reset(t *testing.T) {
	files := recorded(t)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files, m.status, m.cut = files, map[string]int{}, map[string]bool{}
}

// recorded are the publishers' files as recorded (testdata/README.md),
// with the bundled Kiel Release 29 and its release_info.csv.
func recorded(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	for _, f := range []string{"EXR.csv", "NY.GDP.MKTP.CD.json", "SP.POP.TOTL.json"} {
		files[f] = mustRead(t, filepath.Join("testdata", f))
	}
	files["data_explorer.csv"] = bundledKiel(t)
	files["release_info.csv"] = []byte("\"release\",\"period\",\"date\",\"label\"\n\"29\",\"04/2026\",\"2026-08-04\",\"Ukraine Support Tracker, Release 29 (04/2026)\"\n")
	return files
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func bundledKiel(t *testing.T) []byte {
	t.Helper()
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stores returns a seeded store per engine: SQLite always, PostgreSQL when
// COALITION_TEST_POSTGRES is set.
func stores(t *testing.T) map[string]func(t *testing.T) *sqlstore.Store {
	open := func(t *testing.T, dsn string) *sqlstore.Store {
		s, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := seed.Load(context.Background(), s, false); err != nil {
			t.Fatal(err)
		}
		return s
	}
	out := map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite": func(t *testing.T) *sqlstore.Store { return open(t, "sqlite:"+filepath.Join(t.TempDir(), "u.db")) },
	}
	if os.Getenv("COALITION_TEST_POSTGRES") != "" || os.Getenv("CI") == "true" {
		out["postgres"] = func(t *testing.T) *sqlstore.Store { return open(t, sqltest.SchemaURL(t, "updates")) }
	}
	return out
}

var sys = coalition.WithUser(context.Background(), coalition.System)

// snapshot is everything an update may change: the datasets and their
// releases, every donor's total, the FX table and the countries' figures.
func snapshot(t *testing.T, s *sqlstore.Store) string {
	t.Helper()
	ds, err := s.Datasets(sys)
	if err != nil {
		t.Fatal(err)
	}
	totals, err := s.DonorTotals(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rates, err := s.AllRates(sys)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.FindCountries(sys, coalition.CountryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{ds, totals, rates, cs})
	return string(b)
}

func donorTotal(t *testing.T, s *sqlstore.Store, iso string) int64 {
	t.Helper()
	totals, err := s.DonorTotals(sys, coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range totals {
		if d.ISO3 == iso {
			return int64(math.Round(d.TotalEUR * 100))
		}
	}
	return 0
}

func dataset(t *testing.T, s *sqlstore.Store, name string) string {
	t.Helper()
	ds, err := s.Datasets(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == name {
			return d.Release + "|" + d.AsOf.String()
		}
	}
	return ""
}

// without drops the rows of one donor from a Kiel file.
func without(b []byte, iso string) []byte {
	var out []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.Contains(l, `,"`+iso+`",`) && !strings.Contains(l, ","+iso+",") {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, ""))
}

// kiel30 is an invented next release: Release 29 plus May 2026 for two
// donors (not real figures).
func kiel30(t *testing.T) (data, info []byte) {
	b := bundledKiel(t)
	b = append(b, []byte("\"Germany\",\"DEU\",2026,5,1.5,0,0,1.5,1.5,0,3601.75,0.0416\n\"United Kingdom\",\"GBR\",2026,5,0.25,0.25,0,0,0.25,0,2900,0.0086\n")...)
	return b, []byte("\"release\",\"period\",\"date\",\"label\"\n\"30\",\"05/2026\",\"2026-09-04\",\"Ukraine Support Tracker, Release 30 (05/2026)\"\n")
}

// truncated cuts b in the middle of a row.
func truncated(b []byte) []byte {
	i := len(b) / 2
	for b[i-1] == '\n' || b[i] == '\n' {
		i++
	}
	return b[:i]
}

func TestUpdateRefusesBadDownloadsAndLeavesTheDatabase(t *testing.T) {
	for engine, open := range stores(t) {
		t.Run(engine, func(t *testing.T) {
			s := open(t)
			m, url := newMirror(t)
			before := snapshot(t, s)
			kiel := bundledKiel(t)
			cases := []struct {
				name, dataset string
				setup         func()
				allowDrop     bool
				want          string // in the error
				drops         []string
			}{
				{"kiel HTTP 503", "kiel", func() { m.status["data_explorer.csv"] = 503 }, false, "HTTP 503", nil},
				{"kiel cut mid-download", "kiel", func() { m.cut["data_explorer.csv"] = true }, false, "download broken", nil},
				{"kiel truncated file", "kiel", func() { m.set("data_explorer.csv", truncated(kiel)) }, false, "wrong number of fields", nil},
				{"kiel format change", "kiel", func() {
					m.set("data_explorer.csv", bytes.Replace(kiel, []byte(`"military"`), []byte(`"military_eur"`), 1))
				}, false, "military: missing column", nil},
				{"kiel drops a donor", "kiel", func() { m.set("data_explorer.csv", without(kiel, "NOR")) }, false,
					"a donor's total may fall by at most 10%", []string{"NOR total"}},
				{"fx JSON instead of CSV", "fx", func() { m.set("EXR.csv", []byte(`{"dataSets": []}`)) }, false, "not a valid file of its publisher", nil},
				{"fx format change", "fx", func() {
					m.set("EXR.csv", bytes.Replace(mustRead(t, "testdata/EXR.csv"), []byte("OBS_VALUE"), []byte("OBS_VAL"), 1))
				}, false, "OBS_VALUE: missing column", nil},
				{"fx drops a currency", "fx", func() {
					m.set("EXR.csv", without(mustRead(t, "testdata/EXR.csv"), "USD"))
				}, false, "USD", []string{"USD"}},
				{"fx not found", "fx", func() { m.status["EXR.csv"] = 404 }, false, "HTTP 404", nil},
				{"gdp truncated JSON", "gdp", func() {
					b := mustRead(t, "testdata/NY.GDP.MKTP.CD.json")
					m.set("NY.GDP.MKTP.CD.json", b[:len(b)-300])
				}, false, "not the World Bank API's JSON", nil},
				{"gdp API error", "gdp", func() {
					m.set("SP.POP.TOTL.json", []byte(`[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]`))
				}, false, "The provided parameter value is not valid", nil},
				{"gdp GDP falls by half", "gdp", func() {
					m.set("NY.GDP.MKTP.CD.json", wbNextYear(t, "testdata/NY.GDP.MKTP.CD.json", map[string]float64{"NOR": 0.5}))
					m.set("SP.POP.TOTL.json", wbNextYear(t, "testdata/SP.POP.TOTL.json", nil))
				}, false, "a country's GDP may fall by at most 40%", []string{"NOR GDP"}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					m.reset(t)
					c.setup()
					res, err := updates.Run(sys, s, updates.Request{Dataset: c.dataset, From: url, AllowDrop: c.allowDrop})
					if err == nil || !strings.Contains(err.Error(), c.want) {
						t.Fatalf("err = %v, want one saying %q", err, c.want)
					}
					if coalition.ErrorKind(err) != coalition.Invalid {
						t.Errorf("kind = %v, want Invalid (exit 2)", coalition.ErrorKind(err))
					}
					if c.drops != nil {
						var got []string
						for _, d := range res.Drops {
							got = append(got, d.Item)
						}
						if fmt.Sprint(got) != fmt.Sprint(c.drops) {
							t.Errorf("drops = %v, want %v", got, c.drops)
						}
					}
					if after := snapshot(t, s); after != before {
						t.Errorf("the database changed")
					}
				})
			}
		})
	}
}

// wbNextYear is an invented next year of a World Bank file: every 2023
// record again as 2024, times factor (default 1.03) — not real figures.
func wbNextYear(t *testing.T, path string, factor map[string]float64) []byte {
	t.Helper()
	var doc []json.RawMessage
	if err := json.Unmarshal(mustRead(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(doc[1], &recs); err != nil {
		t.Fatal(err)
	}
	n := len(recs)
	for _, r := range recs[:n] {
		c := map[string]any{}
		for k, v := range r {
			c[k] = v
		}
		c["date"] = "2024"
		if v, ok := r["value"].(float64); ok {
			f, ok := factor[r["countryiso3code"].(string)]
			if !ok {
				f = 1.03
			}
			c["value"] = v * f
		}
		recs = append(recs, c)
	}
	var meta map[string]any
	json.Unmarshal(doc[0], &meta)
	meta["total"] = len(recs)
	b, _ := json.Marshal([]any{meta, recs})
	return b
}

func TestUpdateLoadsNewerReleases(t *testing.T) {
	for engine, open := range stores(t) {
		t.Run(engine, func(t *testing.T) {
			s := open(t)
			m, url := newMirror(t)
			run := func(t *testing.T, req updates.Request) *updates.Result {
				t.Helper()
				req.From = url
				res, err := updates.Run(sys, s, req)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			t.Run("the same releases change nothing", func(t *testing.T) {
				before := snapshot(t, s)
				for _, d := range updates.Datasets {
					res := run(t, updates.Request{Dataset: d})
					if res.Committed || len(res.Diff) != 0 || res.Release.Action != "same" {
						t.Errorf("%s: committed %v, action %q, diff %v", d, res.Committed, res.Release.Action, res.Diff)
					}
				}
				if snapshot(t, s) != before {
					t.Error("the database changed")
				}
			})
			deu, gbr, usa := donorTotal(t, s, "DEU"), donorTotal(t, s, "GBR"), donorTotal(t, s, "USA")
			data, info := kiel30(t)
			m.set("data_explorer.csv", data)
			m.set("release_info.csv", info)
			t.Run("kiel dry run", func(t *testing.T) {
				before := snapshot(t, s)
				res := run(t, updates.Request{Dataset: "kiel", DryRun: true})
				if res.Committed || res.Release.Action != "newer" || len(res.Diff) != 2 {
					t.Errorf("committed %v, action %q, diff %v", res.Committed, res.Release.Action, res.Diff)
				}
				if snapshot(t, s) != before {
					t.Error("a dry run changed the database")
				}
			})
			t.Run("kiel release 30", func(t *testing.T) {
				res := run(t, updates.Request{Dataset: "kiel"})
				if !res.Committed {
					t.Fatalf("not committed: %+v", res.Release)
				}
				if res.Release.Release != "30" {
					t.Errorf("release = %q, want 30", res.Release.Release)
				}
				if res.Release.Action != "newer" {
					t.Errorf("action = %q, want newer", res.Release.Action)
				}
				if res.Release.Created != 2 {
					t.Errorf("created = %d, want 2", res.Release.Created)
				}
				if res.Release.Removed != 0 {
					t.Errorf("removed = %d, want 0", res.Release.Removed)
				}
				want := []updates.Change{{Item: "DEU military", Before: "€24.21 bn", After: "€25.71 bn", Change: "+€1.50 bn"},
					{Item: "GBR financial", Before: "€3.75 bn", After: "€4.00 bn", Change: "+€250.0 m"}}
				if fmt.Sprint(res.Diff) != fmt.Sprint(want) {
					t.Errorf("diff = %v\nwant   %v", res.Diff, want)
				}
				if got := dataset(t, s, "kiel"); got != "30|2026-05-31" {
					t.Errorf("kiel = %s, want 30|2026-05-31", got)
				}
				if d, g, u := donorTotal(t, s, "DEU"), donorTotal(t, s, "GBR"), donorTotal(t, s, "USA"); d-deu != 150_000_000_000 || g-gbr != 25_000_000_000 || u != usa {
					t.Errorf("DEU %+d, GBR %+d, USA %+d cents; want +1.5 bn, +250 m, 0", d-deu, g-gbr, u-usa)
				}
			})
			t.Run("kiel without a donor, allowed", func(t *testing.T) {
				m.set("data_explorer.csv", without(data, "NOR"))
				res := run(t, updates.Request{Dataset: "kiel", AllowDrop: true})
				if !res.Committed || len(res.Drops) != 1 || res.Release.Removed == 0 {
					t.Fatalf("committed %v, drops %v, %+v", res.Committed, res.Drops, res.Release)
				}
				if got := donorTotal(t, s, "NOR"); got != 0 {
					t.Errorf("NOR = %d, want 0", got)
				}
			})
			t.Run("fx with July 2026", func(t *testing.T) {
				// Invented: July repeats June's rates (not real figures).
				var july []string
				for _, l := range strings.Split(string(mustRead(t, "testdata/EXR.csv")), "\n") {
					if strings.Contains(l, ",2026-06,") {
						july = append(july, strings.Replace(l, ",2026-06,", ",2026-07,", 1))
					}
				}
				m.set("EXR.csv", append(mustRead(t, "testdata/EXR.csv"), []byte(strings.Join(july, "\n")+"\n")...))
				res := run(t, updates.Request{Dataset: "fx"})
				if !res.Committed {
					t.Fatalf("not committed: %+v", res.Release)
				}
				if res.Release.Created != 19 {
					t.Errorf("created = %d, want 19", res.Release.Created)
				}
				if res.Release.Updated != 0 {
					t.Errorf("updated = %d, want 0", res.Release.Updated)
				}
				if res.Release.Action != "newer" {
					t.Errorf("action = %q, want newer", res.Release.Action)
				}
				if got := dataset(t, s, "ecb-fx"); got != "data to 2026-07|2026-07-31" {
					t.Errorf("ecb-fx = %s", got)
				}
				r, err := s.FindRate(sys, "USD", coalition.MonthOf(2026, 7))
				if err != nil || r.Month != coalition.MonthOf(2026, 7) {
					t.Errorf("USD 2026-07: %+v %v", r, err)
				}
				if !strings.Contains(m.asked[len(m.asked)-1], "M.AUD+BGN+CAD") || !strings.Contains(m.asked[len(m.asked)-1], "format=csvdata&startPeriod=2022-01") {
					t.Errorf("asked the ECB for %s", m.asked[len(m.asked)-1])
				}
			})
			t.Run("gdp 2024", func(t *testing.T) {
				m.set("NY.GDP.MKTP.CD.json", wbNextYear(t, "testdata/NY.GDP.MKTP.CD.json", nil))
				m.set("SP.POP.TOTL.json", wbNextYear(t, "testdata/SP.POP.TOTL.json", nil))
				res := run(t, updates.Request{Dataset: "gdp"})
				if !res.Committed || res.Release.Release != "2024" || res.Release.Action != "newer" {
					t.Fatalf("%+v", res.Release)
				}
				cs, _ := s.FindCountries(sys, coalition.CountryFilter{})
				for _, c := range cs {
					if c.ISO3 != "USA" {
						continue
					}
					if c.GDPYear != 2024 {
						t.Errorf("USA GDP year = %d, want 2024", c.GDPYear)
					}
					if c.GDPUSDBn == nil {
						t.Error("USA GDP missing, want 28181.7 bn")
					} else if *c.GDPUSDBn != 28181.7 {
						t.Errorf("USA GDP = %v bn, want 28181.7", *c.GDPUSDBn)
					}
					if !strings.Contains(c.Source, "World Bank WDI 2024") {
						t.Errorf("USA source = %q, want it to name World Bank WDI 2024", c.Source)
					}
					if strings.Contains(c.Source, "2023") {
						t.Errorf("USA source = %q, still names 2023", c.Source)
					}
				}
				if got := dataset(t, s, "worldbank"); got != "2024|2024-12-31" {
					t.Errorf("worldbank = %s", got)
				}
			})
			t.Run("an older release is refused", func(t *testing.T) {
				m.reset(t)
				before := snapshot(t, s)
				for _, d := range []string{"kiel", "gdp"} {
					_, err := updates.Run(sys, s, updates.Request{Dataset: d, From: url})
					if coalition.ErrorKind(err) != coalition.Conflict {
						t.Errorf("%s: %v, want a Conflict", d, err)
					}
				}
				if snapshot(t, s) != before {
					t.Error("the database changed")
				}
			})
		})
	}
}

func TestUpdateFromLocalFiles(t *testing.T) {
	s := stores(t)["sqlite"](t)
	before := snapshot(t, s)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "data_explorer.csv"), bundledKiel(t), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dataset, from string }{{"kiel", filepath.Join(dir, "data_explorer.csv")}, {"fx", "testdata/EXR.csv"}, {"gdp", "testdata"}} {
		res, err := updates.Run(sys, s, updates.Request{Dataset: c.dataset, From: c.from})
		if err != nil || res.Release.Action != "same" || len(res.Read) == 0 {
			t.Errorf("%s from %s: %v %+v", c.dataset, c.from, err, res)
		}
	}
	if _, err := updates.Run(sys, s, updates.Request{Dataset: "gdp", From: "testdata/EXR.csv"}); err == nil || !strings.Contains(err.Error(), "NY.GDP.MKTP.CD.json is needed") {
		t.Errorf("gdp from one file: %v", err)
	}
	if snapshot(t, s) != before {
		t.Error("the database changed")
	}
}

// serve --update-every: each tick updates every dataset; a failed one is
// logged and left as it was, the others are loaded.
func TestLoopUpdatesEachTick(t *testing.T) {
	s := stores(t)["sqlite"](t)
	m, url := newMirror(t)
	data, info := kiel30(t)
	m.set("data_explorer.csv", data)
	m.set("release_info.csv", info)
	m.status["EXR.csv"] = 503
	before := dataset(t, s, "ecb-fx")
	var logs bytes.Buffer
	ticks := make(chan time.Time, 1)
	ticks <- time.Now()
	close(ticks)
	updates.Loop(context.Background(), s, updates.Request{From: url}, ticks, slog.New(slog.NewTextHandler(&logs, nil)))
	if got := dataset(t, s, "kiel"); got != "30|2026-05-31" {
		t.Errorf("kiel = %s, want release 30", got)
	}
	if got := dataset(t, s, "ecb-fx"); got != before {
		t.Errorf("ecb-fx = %s, want %s as it was", got, before)
	}
	for _, want := range []string{`msg="update loaded a new release" dataset=kiel release=30`, `msg="update failed: the dataset is left as it was" dataset=fx`,
		`msg="update: nothing new" dataset=worldbank`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}
