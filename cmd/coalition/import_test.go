package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/refdata"
	"coalition/sqlstore/sqltest"

	"github.com/xuri/excelize/v2"
)

// writeFile writes content to a file in a temporary folder.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// bundledKiel copies the bundled Kiel monthly file out of the binary.
func bundledKiel(t *testing.T) string {
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
	return writeFile(t, "data_explorer.csv", string(b))
}

func importJSON(t *testing.T, args ...string) importReport {
	t.Helper()
	out, errOut, err := cli(t, nil, append([]string{"import", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("import %v: %v\n%s", args, err, errOut)
	}
	var rep importReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

// snapshot is what must not change when an import fails.
type snapshot struct {
	pledges, deliveries, engagements, requirements int
	eur                                            int64
}

func takeSnapshot(t *testing.T, db string) snapshot {
	t.Helper()
	s := sqltest.OpenDSN(t, db)
	defer s.Close()
	var sn snapshot
	q := s.DB().QueryRow(`SELECT (SELECT count(*) FROM pledges), (SELECT coalesce(sum(amount_eur_minor), 0) FROM pledges),
		(SELECT count(*) FROM deliveries), (SELECT count(*) FROM engagements), (SELECT count(*) FROM requirements)`)
	if err := q.Scan(&sn.pledges, &sn.eur, &sn.deliveries, &sn.engagements, &sn.requirements); err != nil {
		t.Fatal(err)
	}
	return sn
}

// The bundled Kiel CSV imported with `coalition import kiel-csv` into a
// database with the reference data but no pledges reproduces the per-donor
// totals of ukraine_support.csv to the euro-million; a second import
// changes nothing.
func TestImportKielCSVReproducesDonorTotals(t *testing.T) {
	db := tempDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, db)
	ds, err := referenceDataset()
	if err != nil {
		t.Fatal(err)
	}
	ds.Pledges, ds.Releases = nil, ds.Releases[1:] // without the Kiel release, which seed.Dataset puts first
	if ds.Releases[0].Dataset == "kiel" {
		t.Fatal("the Kiel release is still in the dataset")
	}
	if _, err := s.Load(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	file := bundledKiel(t)
	rep := importJSON(t, "kiel-csv", file, "--db", db)
	created := rep.Result.Created["pledges"]
	if created == 0 || !rep.Committed {
		t.Fatalf("report = %+v", rep)
	}
	out, _, err := cli(t, nil, "donors", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var rows []donorRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	want := kielTotals(t)
	got := map[string]donorRow{}
	for _, r := range rows {
		got[r.ISO3] = r
	}
	for iso, w := range want {
		g := got[iso]
		// The published figures are EUR bn rounded to 3 decimals (the euro-million):
		// the imported sum must round to them, |v - w| <= half a million euros.
		for i, v := range []float64{g.MilitaryEUR, g.FinancialEUR, g.HumanitarianEUR, g.TotalEUR} {
			if math.Abs(v/1e9-w[i]) > 0.0005+1e-12 {
				t.Errorf("%s column %d: imported %.3f bn, published %.3f bn", iso, i, v/1e9, w[i])
			}
		}
	}
	again := importJSON(t, "kiel-csv", file, "--db", db)
	if again.Result.Unchanged["pledges"] != created || again.Result.Created["pledges"] != 0 || again.Result.Updated["pledges"] != 0 {
		t.Errorf("second import: %+v, want all %d unchanged", again.Result, created)
	}
}

// Importing the bundled file into a seeded database under the reference
// data's own citation matches every seeded pledge: all unchanged.
func TestImportKielCSVIntoSeeded(t *testing.T) {
	db := tempDB(t)
	before := takeSnapshot(t, db) // opening seeds? no: sqlstore.Open does not seed
	if before.pledges != 0 {
		t.Fatalf("fresh database has %d pledges", before.pledges)
	}
	if _, _, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatal(err)
	}
	seeded := takeSnapshot(t, db)
	rep := importJSON(t, "kiel-csv", bundledKiel(t), "--db", db, "--source", refdata.KielSource, "--as-of", refdata.KielAsOf.String())
	if rep.Result.Unchanged["pledges"] != seeded.pledges || rep.Result.Created["pledges"] != 0 || rep.Result.Updated["pledges"] != 0 {
		t.Errorf("result %+v, want %d unchanged", rep.Result, seeded.pledges)
	}
	if after := takeSnapshot(t, db); after != seeded {
		t.Errorf("snapshot %+v, want %+v", after, seeded)
	}
}

const iatiDoc = `<iati-activities version="2.03">
<iati-activity default-currency="EUR"><iati-identifier>NO-BRC-971277882-UKR-1</iati-identifier>
<reporting-org ref="XM-DAC-8" type="10"><narrative>Norway</narrative></reporting-org>
<recipient-country code="UA"/>
<transaction ref="a"><transaction-type code="2"/><transaction-date iso-date="2024-02-01"/><value value-date="2024-02-01">AMOUNT</value></transaction>
<transaction ref="b"><transaction-type code="3"/><transaction-date iso-date="2024-06-01"/><value currency="USD" value-date="2024-06-01">1000000</value></transaction>
TX_C
</iati-activity></iati-activities>`

func iatiFile(t *testing.T, amount string, withC bool) string {
	c := ""
	if withC {
		c = `<transaction ref="c"><transaction-type code="3"/><transaction-date iso-date="2024-07-01"/><value value-date="2024-07-01">250000</value></transaction>`
	}
	return writeFile(t, "no.xml", strings.NewReplacer("AMOUNT", amount, "TX_C", c).Replace(iatiDoc))
}

// Import, import again (unchanged), then a newer release: one updated, one removed from source.
func TestImportIATIIdempotentAndRelease(t *testing.T) {
	db := tempDB(t)
	first := importJSON(t, "iati", iatiFile(t, "5000000", true), "--recipient", "UA", "--db", db)
	if first.Result.Created["pledges"] != 3 {
		t.Fatalf("first: %+v", first.Result)
	}
	again := importJSON(t, "iati", iatiFile(t, "5000000", true), "--recipient", "UA", "--db", db)
	if again.Result.Unchanged["pledges"] != 3 || again.Result.Created["pledges"]+again.Result.Updated["pledges"] != 0 {
		t.Errorf("again: %+v, want 3 unchanged", again.Result)
	}
	newer := importJSON(t, "iati", iatiFile(t, "6000000", false), "--recipient", "UA", "--db", db)
	r := newer.Result
	check.Facts(t,
		check.Eq("newer release: updated", r.Updated["pledges"], 1),
		check.Eq("newer release: unchanged", r.Unchanged["pledges"], 1),
		check.Eq("newer release: removed from source", r.Removed["pledges"], 1),
		check.Eq("newer release: deleted", r.Deleted["pledges"], 0),
	)
	if got := takeSnapshot(t, db).pledges; got <= 3 {
		t.Errorf("pledges = %d: the removed one must be kept without --delete-removed", got)
	}
	del := importJSON(t, "iati", iatiFile(t, "6000000", false), "--recipient", "UA", "--db", db, "--delete-removed")
	if del.Result.Deleted["pledges"] != 1 {
		t.Errorf("--delete-removed: %+v", del.Result)
	}
}

// Malformed files get clear errors (exit 2) and leave the database exactly as it was.
func TestImportMalformedLeavesDatabase(t *testing.T) {
	db := tempDB(t)
	if _, _, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, db)
	good := "donor,category,amount,currency,announced\nNorway,military,5,EUR,2024-01-01\n"
	long := filepath.Join(t.TempDir(), "long.csv")
	{
		f, _ := os.Create(long)
		f.WriteString("donor,category,amount,currency,announced\nNorway,military,")
		f.Write([]byte(strings.Repeat("9", 3<<20))) // a 3 MB line: refused after 1 MB
		f.Close()
	}
	tests := []struct {
		name, format, file, want string
	}{
		{"truncated xml", "iati", writeFile(t, "t.xml", strings.Replace(iatiFile0(), "</iati-activity></iati-activities>", "", 1)), "t.xml:"},
		{"binary garbage", "iati", writeFile(t, "g.xml", "\x00\x9f\x92\x96 garbage"), "g.xml:1:xml:"},
		{"garbage fts", "fts", writeFile(t, "g.json", "\x00\x9f\x92\x96"), "g.json:1:json:"},
		{"wrong column count", "csv", writeFile(t, "c.csv", good+"Norway,military,5,EUR\n"), "c.csv:3:row: wrong number of fields"},
		{"negative", "csv", writeFile(t, "n.csv", good+"Norway,military,-5,EUR,2024-01-01\n"), "n.csv:3:amount: negative amount -5"},
		{"bad date", "csv", writeFile(t, "d.csv", good+"Norway,military,5,EUR,2025-13-45\n"), "d.csv:3:announced: date \"2025-13-45\""},
		{"unknown currency", "csv", writeFile(t, "u.csv", good+"Norway,military,5,XYZ,2024-01-01\n"), "u.csv:3:currency: unknown currency XYZ"},
		{"unknown donor", "csv", writeFile(t, "k.csv", good+"Narway,military,5,EUR,2024-01-01\n"), "closest: Norway (NOR)"},
		{"long line", "csv", long, "long.csv:2:amount: the line is longer than 1048576 bytes"},
		{"not a workbook", "kiel-xlsx", writeFile(t, "w.xlsx", "PK\x03\x04 nope"), "w.xlsx:0:file: not an XLSX workbook"},
		{"kiel csv bad", "kiel-csv", writeFile(t, "kiel.csv", "country,iso,year,month,total,financial,humanitarian,military\nX,NOR,2024,13,1,1,1,1\n"), "kiel.csv:2:month"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, err := cli(t, nil, "import", tt.format, tt.file, "--db", db)
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
			}
			if !strings.Contains(errOut+err.Error(), tt.want) {
				t.Errorf("stderr %q, err %v: want %q", errOut, err, tt.want)
			}
			if after := takeSnapshot(t, db); after != before {
				t.Errorf("database changed: %+v, want %+v", after, before)
			}
		})
	}
}

func iatiFile0() string { return strings.NewReplacer("AMOUNT", "5", "TX_C", "").Replace(iatiDoc) }

// --skip-invalid imports the valid rows and writes a report of the rest.
func TestImportSkipInvalid(t *testing.T) {
	db := tempDB(t)
	file := writeFile(t, "p.csv", "source_ref,donor,category,amount,currency,announced\nA,Norway,military,5,EUR,2024-01-01\nB,Norway,military,-5,EUR,2024-01-01\n")
	reportPath := filepath.Join(t.TempDir(), "report.json")
	rep := importJSON(t, "csv", file, "--db", db, "--skip-invalid", "--report", reportPath)
	if rep.Result.Created["pledges"] != 1 || len(rep.Errors) != 1 || !rep.Committed {
		t.Fatalf("report %+v", rep)
	}
	b, err := os.ReadFile(reportPath)
	if err != nil || !strings.Contains(string(b), `"field": "amount"`) || !strings.Contains(string(b), `"row": 3`) {
		t.Errorf("report file: %s (%v)", b, err)
	}
	// Dry run: counted, not written.
	dry := importJSON(t, "csv", writeFile(t, "q.csv", "source_ref,donor,category,amount,currency,announced\nC,Norway,military,5,EUR,2024-01-01\n"), "--db", db, "--dry-run")
	if dry.Result.Created["pledges"] != 1 || dry.Committed {
		t.Errorf("dry run %+v", dry)
	}
}

func TestImportTemplate(t *testing.T) {
	out, _, err := cli(t, nil, "import", "csv", "--template", "pledges")
	if err != nil || !strings.HasPrefix(out, "source_ref,donor,recipient,category,status,amount,currency") || strings.Count(out, "\n") != 2 {
		t.Errorf("template = %q, %v", out, err)
	}
	if _, _, err := cli(t, nil, "import", "xml", "f"); exitCode(err) != 2 {
		t.Errorf("unknown format: %v", err)
	}
}

// `coalition import FORMAT -` reads standard input, for every format (the
// pipeline reads a file twice and a workbook from its end: standard input
// is spooled to a temporary file). Before: `seek /dev/stdin: illegal seek`.
func TestImportStdin(t *testing.T) {
	wb := excelize.NewFile()
	main := "Bilateral Assistance, MAIN DATA"
	wb.SetSheetName("Sheet1", main)
	wb.SetSheetRow(main, "A1", &[]any{"donor", "announcement_date", "aid_type_general", "measure", "tot_activity_value_EUR", "tot_sub_activity_value_EUR_redistr"})
	wb.SetSheetRow(main, "A2", &[]any{"Norway", "2024-01-15", "Military", "Allocation", 110000000, 95000000})
	var xlsx bytes.Buffer
	if err := wb.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	fts := `{"data":{"flows":[{"id":1,"status":"paid","originalAmount":5,"originalCurrency":"EUR","date":"2024-01-01","sourceObjects":[{"type":"Organization","name":"Norway, Government of"}],"destinationObjects":[{"type":"Location","name":"Ukraine"}]}]}}`
	tests := []struct {
		format, in string
		args       []string
		want       int // pledges created
	}{
		{"csv", "source_ref,donor,category,amount,currency,announced\nA,Norway,military,5,EUR,2024-01-01\n", nil, 1},
		// The database holds Kiel release 29 (to 2026-04): this one, to
		// 2024-01, is older and loads only when forced.
		{"kiel-csv", "country,iso,year,month,total,financial,humanitarian,military\nNorway,NOR,2024,1,3,1,1,1\n", []string{"--force"}, 3},
		{"iati", iatiFile0(), []string{"--recipient", "UA"}, 2},
		{"fts", fts, nil, 1},
		{"kiel-xlsx", xlsx.String(), nil, 1},
	}
	db := tempDB(t)
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"import", tt.format, "-", "--json", "--dry-run", "--db", db}, tt.args...)
			if err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(tt.in), &out, &errOut); err != nil {
				t.Fatalf("import %s -: %v\n%s", tt.format, err, errOut.String())
			}
			var rep importReport
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if check.Facts(t, check.Eq("pledges created", rep.Result.Created["pledges"], tt.want), check.Eq("files", len(rep.Files), 1)) {
				check.Facts(t,
					check.Eq("file", rep.Files[0].File, "stdin"),
					check.Eq("bytes", rep.Files[0].Bytes, int64(len(tt.in))),
				)
			}
		})
	}
	if _, _, err := cli(t, nil, "import", "csv", "-", "-", "--db", db); exitCode(err) != 2 {
		t.Errorf("- twice: %v, want a usage error", err)
	}
}

// --skip-invalid on a file whose last line is cut off imports every valid
// row and prints every invalid one, and a summary line, on standard error.
// A Kiel file is a release, loaded whole: its invalid row is printed and
// the import refused, exit 2, nothing stored (before: nothing imported, no
// error, exit 0).
func TestImportSkipInvalidTruncated(t *testing.T) {
	db := tempDB(t)
	if _, _, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format, content, wantErr string
		records                  int
	}{
		{"kiel-csv", "country,iso,year,month,total,financial,humanitarian,military\nNorway,NOR,2024,1,3,1,1,1\nFrance,FRA,2024,1,2,1,1,0\nGermany,DEU,2024,1,1,0.", "t.kiel-csv:4:row: wrong number of fields", 5},
		{"csv", "source_ref,donor,category,amount,currency,announced\nA,Norway,military,5,EUR,2024-01-01\nB,France,military,5,EUR,2024-01-01\nC,Germany,milit", "t.csv:4:row: wrong number of fields", 2},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			file := writeFile(t, "t."+tt.format, tt.content)
			before := takeSnapshot(t, db)
			out, errOut, err := cli(t, nil, "import", tt.format, file, "--skip-invalid", "--db", db)
			if tt.format == "kiel-csv" {
				if exitCode(err) != 2 || !strings.Contains(err.Error(), "a release is loaded whole") || errOut != tt.wantErr+"\n" {
					t.Fatalf("exit %d: %v\nstderr %q", exitCode(err), err, errOut)
				}
				if after := takeSnapshot(t, db); after.pledges != before.pledges {
					t.Errorf("%d pledges stored by a refused release", after.pledges-before.pledges)
				}
				return
			}
			if err != nil {
				t.Fatalf("exit %d: %v\n%s", exitCode(err), err, errOut)
			}
			want := tt.wantErr + "\ncoalition: import: 1 invalid rows skipped; " + strconv.Itoa(tt.records) + " records imported\n"
			if errOut != want {
				t.Errorf("stderr %q\nwant %q", errOut, want)
			}
			if !strings.Contains(out, "1 invalid rows were skipped") {
				t.Errorf("stdout %q", out)
			}
			if after := takeSnapshot(t, db); after.pledges-before.pledges != tt.records {
				t.Errorf("%d pledges stored, want %d", after.pledges-before.pledges, tt.records)
			}
		})
	}
}

// Standard input has the format's size limit: 257 MB for fts is refused
// once 256 MB have been spooled, exit 2.
func TestImportStdinSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("spools 256 MB")
	}
	var out, errOut bytes.Buffer
	in := io.LimitReader(spaces{}, 257<<20)
	err := run(context.Background(), []string{"import", "fts", "-", "--db", tempDB(t)}, func(string) string { return "" }, in, &out, &errOut)
	if err == nil || exitCode(err) != 2 || err.Error() != "import fts: standard input is larger than 256 MB: split it" {
		t.Fatalf("err = %v (exit %d)", err, exitCode(err))
	}
}

// spaces is an endless reader of spaces.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
