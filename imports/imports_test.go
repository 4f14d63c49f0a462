package imports_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"coalition"
	"coalition/importer"
	"coalition/imports"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// mustOpen is a temporary SQLite store with four countries and one NOK rate.
func mustOpen(t *testing.T) *sqlstore.Store {
	t.Helper()
	return withCountries(t, sqltest.Open(t))
}

// withCountries loads four countries and one NOK rate into s.
func withCountries(t *testing.T, s *sqlstore.Store) *sqlstore.Store {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), coalition.System)
	jan, _ := coalition.ParseMonth("2024-01")
	ds := &coalition.Dataset{FXRates: []coalition.FXRate{{Month: jan, Currency: "NOK", UnitsPerEUR: 11.5, Source: "test"}}}
	for _, c := range [][2]string{{"NOR", "Norway"}, {"DEU", "Germany"}, {"FRA", "France"}, {"UKR", "Ukraine"}} {
		ds.Countries = append(ds.Countries, &coalition.Country{ISO3: c[0], Name: c[1], State: true, Source: "test"})
	}
	if _, err := s.Load(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	return s
}

// asAdmin is a context whose user may import.
func asAdmin() context.Context {
	return coalition.WithUser(context.Background(), &coalition.User{ID: 7, Email: "admin@example.org", Role: coalition.Admin})
}

func file(name, content string) imports.File {
	return imports.File{Name: name, Size: int64(len(content)), R: strings.NewReader(content)}
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func count(t *testing.T, s *sqlstore.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

const (
	pledgesCSV = "source_ref,donor,category,amount,currency,announced\n" +
		"P-1,Norway,air-defence,1140000000,NOK,2024-01-15\n" +
		"P-2,DEU,humanitarian,5000000,EUR,2024-02-01\n"
	deliveriesCSV = "source_ref,pledge_source,pledge_ref,date,amount_eur\n" +
		"D-1,csv: pledges.csv,P-2,2024-03-01,2000000\n"
)

// progress records what the pipeline told it.
type progress struct {
	name          string
	bytes         int64
	records, done int
}

func (p *progress) Reader(r io.Reader) io.Reader { return &countReader{r, p} }
func (p *progress) Record()                      { p.records++ }
func (p *progress) Done()                        { p.done++ }

type countReader struct {
	r io.Reader
	p *progress
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.bytes += int64(n)
	return n, err
}

// Two files in one run: the deliveries find the pledges written before
// them; the report has each file's hash and size, the counts, no errors;
// amounts are converted with the store's rates; provenance names the user
// in ctx; the progress hook sees every byte and record of each file. On
// both engines.
func TestRun(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { testRun(t, withCountries(t, e.Open(t))) })
}

func testRun(t *testing.T, s *sqlstore.Store) {
	var progs []*progress
	req := imports.Request{Format: "csv", Progress: func(name string, size int64) imports.Progress {
		p := &progress{name: name}
		progs = append(progs, p)
		return p
	}}
	rep, err := imports.Run(asAdmin(), s, req, []imports.File{file("pledges.csv", pledgesCSV), file("deliveries.csv", deliveriesCSV)})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "committed", rep.Committed, true)
	eq(t, "dry run", rep.DryRun, false)
	eq(t, "format", rep.Format, "csv")
	eq(t, "errors", len(rep.Errors), 0)
	if len(rep.Files) != 2 {
		t.Fatalf("%d files reported, want 2", len(rep.Files))
	}
	for i, want := range []struct {
		name, content string
		records       int
	}{{"pledges.csv", pledgesCSV, 2}, {"deliveries.csv", deliveriesCSV, 1}} {
		sum := sha256.Sum256([]byte(want.content))
		f := rep.Files[i]
		eq(t, want.name+" file", f.File, want.name)
		eq(t, want.name+" sha256", f.SHA256, hex.EncodeToString(sum[:]))
		eq(t, want.name+" bytes", f.Bytes, int64(len(want.content)))
		eq(t, want.name+" records", f.Stats.Records, want.records)
		p := progs[i]
		eq(t, want.name+" progress name", p.name, want.name)
		eq(t, want.name+" progress bytes", p.bytes, int64(len(want.content)))
		eq(t, want.name+" progress records", p.records, want.records)
		eq(t, want.name+" progress done", p.done, 1)
	}
	if r := rep.Result; r.Created["pledges"] != 2 || r.Created["deliveries"] != 1 {
		t.Errorf("result %+v", r)
	}
	var eur int64
	var rate float64
	var prov string
	if err := s.DB().QueryRow("SELECT amount_eur_minor, fx_rate, provenance FROM pledges WHERE source = 'csv: pledges.csv' AND source_ref = 'P-1'").
		Scan(&eur, &rate, &prov); err != nil {
		t.Fatal(err)
	}
	if want := coalition.ToEUR(coalition.Money{Minor: 1140000000_00, Currency: "NOK"}, 11.5); eur != want || rate != 11.5 {
		t.Errorf("NOK pledge: %d EUR cents at %g, want %d at 11.5", eur, rate, want)
	}
	if !strings.Contains(prov, `"user":"admin@example.org"`) || !strings.Contains(prov, `"row":2`) {
		t.Errorf("provenance %s", prov)
	}
	if n := count(t, s, `SELECT count(*) FROM deliveries d JOIN pledges p ON p.id = d.pledge_id
		WHERE p.source_ref = 'P-2' AND d.amount_eur_minor = 200000000 AND d.date = '2024-03-01'`); n != 1 {
		t.Errorf("delivery against P-2: %d", n)
	}

	// Again, as a dry run that also deletes what is gone: one pledge fewer
	// (and its delivery), counted, nothing written.
	rep, err = imports.Run(asAdmin(), s, imports.Request{Format: "csv", DryRun: true, DeleteRemoved: true},
		[]imports.File{file("pledges.csv", "source_ref,donor,category,amount,currency,announced\nP-1,Norway,air-defence,1140000000,NOK,2024-01-15\n")})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "dry run committed", rep.Committed, false)
	eq(t, "dry run", rep.DryRun, true)
	eq(t, "dry run unchanged pledges", rep.Result.Unchanged["pledges"], 1)
	eq(t, "dry run removed pledges", rep.Result.Removed["pledges"], 1)
	eq(t, "dry run deleted pledges", rep.Result.Deleted["pledges"], 1)
	if n := count(t, s, "SELECT count(*) FROM pledges WHERE source = 'csv: pledges.csv'"); n != 2 {
		t.Errorf("after the dry run: %d pledges, want 2", n)
	}
}

// Invalid rows: nothing is written, every row error reported; with
// SkipInvalid the valid rows are committed and the invalid listed.
func TestRunInvalidRows(t *testing.T) {
	s := mustOpen(t)
	bad := "source_ref,donor,category,amount,currency,announced\nB-1,Norway,military,5,EUR,2024-01-01\nB-2,Norwya,military,5,EUR,2024-01-01\n"
	for _, skip := range []bool{false, true} {
		rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "csv", SkipInvalid: skip}, []imports.File{file("bad.csv", bad)})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) != 1 {
			t.Fatalf("skip=%v: errors %v, want one", skip, rep.Errors)
		}
		eq(t, "error row", rep.Errors[0].Row, 3)
		eq(t, "error field", rep.Errors[0].Field, "donor")
		eq(t, "error file", rep.Errors[0].File, "bad.csv")
		want := 0
		if skip {
			want = 1
		}
		// Created is what was written: none when nothing was (issue 24).
		if rep.Committed != skip || rep.Result.Created["pledges"] != want || count(t, s, "SELECT count(*) FROM pledges") != want {
			t.Errorf("skip=%v: committed %v, created %v, %d pledges stored, want %d", skip, rep.Committed, rep.Result.Created,
				count(t, s, "SELECT count(*) FROM pledges"), want)
		}
	}
}

// What stops the import as a whole is the error, not a row error: an
// unknown format or recipient, a user who may not import, and the database
// failing, whether while the pledges' goroutine writes a batch or when a
// delivery makes the pending pledges be written.
func TestRunFails(t *testing.T) {
	s := mustOpen(t)
	one := []imports.File{file("pledges.csv", pledgesCSV)}
	if _, err := imports.Run(asAdmin(), s, imports.Request{Format: "xml"}, one); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := imports.Run(asAdmin(), s, imports.Request{Format: "csv", Recipient: "Atlantis"}, one); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("unknown recipient: %v", err)
	}
	analyst := coalition.WithUser(context.Background(), &coalition.User{ID: 8, Email: "a@example.org", Role: coalition.Analyst})
	if _, err := imports.Run(analyst, s, imports.Request{Format: "csv"}, one); coalition.ErrorKind(err) != coalition.Forbidden {
		t.Errorf("analyst: %v", err)
	}

	// The database refuses every new pledge, as a full disk would.
	if _, err := s.DB().Exec("CREATE TRIGGER fail_pledges BEFORE INSERT ON pledges BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END"); err != nil {
		t.Fatal(err)
	}
	var many strings.Builder
	many.WriteString("source_ref,donor,category,amount,currency,announced\n")
	for i := range 300 { // more than a batch: written by the goroutine
		fmt.Fprintf(&many, "M-%d,DEU,humanitarian,%d,EUR,2024-02-01\n", i, i+1)
	}
	for _, c := range []struct {
		name  string
		files []imports.File
	}{
		{"batch", []imports.File{file("many.csv", many.String())}},
		{"delivery", []imports.File{file("pledges.csv", pledgesCSV), file("deliveries.csv", deliveriesCSV)}},
	} {
		for _, skip := range []bool{false, true} {
			rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "csv", SkipInvalid: skip}, c.files)
			var es importer.Errors
			if err == nil || !strings.Contains(err.Error(), "simulated write failure") {
				t.Errorf("%s, skip=%v: error %v, want the simulated write failure", c.name, skip, err)
			}
			eq(t, c.name+" error is row errors", errors.As(err, &es), false)
			if rep != nil {
				t.Errorf("%s, skip=%v: report %+v, want none", c.name, skip, rep)
			}
		}
	}
	if n := count(t, s, "SELECT count(*) FROM pledges"); n != 0 {
		t.Errorf("%d pledges written", n)
	}
	// The import did not leave the database half-changed: with the
	// failure gone, the same files import.
	if _, err := s.DB().Exec("DROP TRIGGER fail_pledges"); err != nil {
		t.Fatal(err)
	}
	rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "csv"}, []imports.File{file("many.csv", many.String())})
	if err != nil || rep.Result.Created["pledges"] != 300 || count(t, s, "SELECT count(*) FROM pledges") != 300 {
		t.Errorf("after the failure: %v %+v", err, rep)
	}
}

// A File is read from its start even if its reader was moved on.
func TestRunSeeksToStart(t *testing.T) {
	s := mustOpen(t)
	r := bytes.NewReader([]byte(pledgesCSV))
	io.ReadAll(r)
	rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "csv"}, []imports.File{{Name: "pledges.csv", Size: r.Size(), R: r}})
	if err != nil || rep.Result.Created["pledges"] != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
}

const kielHeader = "country,iso,year,month,total,financial,humanitarian,military\n"

// A Kiel CSV row of a donor the database does not hold is one error, not
// one per non-zero column (before: three); a truncated last line is an
// error of its own line (before: no error at all). The other rows are read
// and counted, but a Kiel file is a release of the kiel dataset, loaded
// whole: with any invalid row nothing is committed, even with SkipInvalid
// (a release in part would replace the whole release).
func TestRunKielCSVOneErrorPerRow(t *testing.T) {
	s := mustOpen(t)
	unknown := kielHeader + "Norway,NOR,2024,1,3,1,1,1\nBelgium,BEL,2024,1,3,1,1,1\nGermany,DEU,2024,2,2,1,1,0\n"
	rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "kiel-csv", SkipInvalid: true}, []imports.File{file("k.csv", unknown)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 {
		t.Fatalf("errors %v: want one, k.csv:3:iso", rep.Errors)
	}
	eq(t, "error row", rep.Errors[0].Row, 3)
	eq(t, "error field", rep.Errors[0].Field, "iso")
	eq(t, "invalid", rep.Files[0].Stats.Invalid, 1)
	// Read and counted in the file's stats, but nothing is reported as
	// created, since nothing was (issue 24).
	eq(t, "records read", rep.Files[0].Stats.Records, 5)
	if got := rep.Result.Created["pledges"]; got != 0 || rep.Committed {
		t.Errorf("created %d pledges (committed %v), want none: nothing was committed", got, rep.Committed)
	}

	// The database refuses the second row's three pledges (their keys are
	// given twice): one error for the row.
	twice := kielHeader + "Norway,NOR,2024,5,3,1,1,1\nNorway,NOR,2024,5,3,1,1,1\n"
	rep, err = imports.Run(asAdmin(), s, imports.Request{Format: "kiel-csv"}, []imports.File{file("d.csv", twice)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 {
		t.Fatalf("errors %v: want one, d.csv:3", rep.Errors)
	}
	eq(t, "error row", rep.Errors[0].Row, 3)
	eq(t, "records", rep.Files[0].Stats.Records, 3)
	eq(t, "invalid", rep.Files[0].Stats.Invalid, 1)

	truncated := kielHeader + "Norway,NOR,2024,3,3,1,1,1\nGermany,DEU,2024,3,2,1,1,0\nFrance,FRA,2024,3,1,0."
	rep, err = imports.Run(asAdmin(), s, imports.Request{Format: "kiel-csv", SkipInvalid: true}, []imports.File{file("t.csv", truncated)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Row != 4 || !strings.Contains(rep.Errors[0].Error(), "t.csv:4:row: wrong number of fields") {
		t.Fatalf("errors %v: want t.csv:4:row: wrong number of fields", rep.Errors)
	}
	eq(t, "records read before the broken line", rep.Files[0].Stats.Records, 5)
	if got := rep.Result.Created["pledges"]; got != 0 || rep.Committed {
		t.Errorf("created %d pledges (committed %v), want none: nothing was committed", got, rep.Committed)
	}
}

// A file over its format's size limit is refused by its size, before it
// is read.
func TestRunRefusesOversizeFile(t *testing.T) {
	s := mustOpen(t)
	big := imports.File{Name: "big.json", Size: importer.MaxFTSFile + 1, R: &unreadable{}}
	rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "fts"}, []imports.File{big})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Error() != "big.json:0:file: larger than 256 MB: split it" || rep.Committed {
		t.Errorf("errors %v, committed %v", rep.Errors, rep.Committed)
	}
}

// unreadable fails every read: the test shows the file was not read.
type unreadable struct{}

func (unreadable) Read([]byte) (int, error)       { return 0, errors.New("read") }
func (unreadable) Seek(int64, int) (int64, error) { return 0, nil }
