package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Export then import gives the same records: pledges and deliveries
// exported as CSV from one database and imported into a fresh one export
// again byte for byte the same (ids and versions aside: they are not in the export).
func TestExportImportRoundTrip(t *testing.T) {
	dbA, dbB := tempDB(t), tempDB(t)
	pledges := writeFile(t, "pledges.csv", `source_ref,donor,recipient,category,status,amount,currency,value_date,quantity,unit,announced,deliver_from,deliver_to,conditions,visibility,source
NO-1,Norway,UKR,air-defence,committed,1140000000,NOK,2024-01-15,2,NASAMS launcher,2024-01-15,2024-03,2024-12,only with partners,public,https://example.org/no
JP-1,JPN,UKR,loans,allocated,80000000000,JPY,2024-03-01,,,2024-03-01,,,,public,https://example.org/jp
DE-1,Germany,UKR,humanitarian,announced,48000000.55,EUR,,,,2024-04-01,,,,public,https://example.org/de
`)
	deliveries := writeFile(t, "deliveries.csv", `source_ref,pledge_source,pledge_ref,date,amount_eur,quantity,source,over_delivery
d1,https://example.org/no,NO-1,2024-05-02,50000000.00,1,https://example.org/no-d,
d2,https://example.org/no,NO-1,2024-06-02,200000000.00,1,https://example.org/no-d,a third launcher replaced a lost one
`)
	for _, f := range []string{pledges, deliveries} {
		importJSON(t, "csv", f, "--db", dbA, "--as-of", "2025-06-30")
	}
	exportA := filepath.Join(t.TempDir(), "a.csv")
	if _, _, err := cli(t, nil, "export", "pledges", "--donor", "NOR", "--format", "csv", "-o", exportA, "--db", dbA); err != nil {
		t.Fatal(err)
	}
	all := filepath.Join(t.TempDir(), "all.csv")
	if _, _, err := cli(t, nil, "export", "pledges", "--type", "financial", "-o", all, "--db", dbA); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(all); !strings.Contains(string(b), "JP-1") || strings.Contains(string(b), "NO-1") {
		t.Errorf("--type financial export:\n%s", b)
	}
	// Every imported pledge and delivery, out of A and into B.
	pa := filepath.Join(t.TempDir(), "pa.csv")
	da := filepath.Join(t.TempDir(), "da.csv")
	cli(t, nil, "export", "pledges", "--from", "2024-01", "-o", pa, "--db", dbA)
	cli(t, nil, "export", "deliveries", "-o", da, "--db", dbA)
	b, _ := os.ReadFile(pa)
	if n := strings.Count(string(b), "https://example.org/"); n != 3 {
		t.Fatalf("pledges export has %d imported rows, want 3:\n%s", n, b)
	}
	// Keep only the imported rows (dbA also holds the reference data).
	onlyImported := func(path string) string {
		b, _ := os.ReadFile(path)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		out := []string{lines[0]}
		for _, l := range lines[1:] {
			if strings.Contains(l, "example.org") {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n") + "\n"
	}
	pOnly, dOnly := writeFile(t, "p.csv", onlyImported(pa)), writeFile(t, "d.csv", onlyImported(da))
	importJSON(t, "csv", pOnly, "--db", dbB)
	importJSON(t, "csv", dOnly, "--db", dbB)
	pb := filepath.Join(t.TempDir(), "pb.csv")
	db2 := filepath.Join(t.TempDir(), "db.csv")
	cli(t, nil, "export", "pledges", "--from", "2024-01", "-o", pb, "--db", dbB)
	cli(t, nil, "export", "deliveries", "-o", db2, "--db", dbB)
	if got, want := onlyImported(pb), onlyImported(pa); got != want {
		t.Errorf("pledges after the round trip:\n%s\nwant\n%s", got, want)
	}
	if got, want := onlyImported(db2), onlyImported(da); got != want {
		t.Errorf("deliveries after the round trip:\n%s\nwant\n%s", got, want)
	}
	// Importing the export into the database it came from changes nothing.
	rep := importJSON(t, "csv", pOnly, "--db", dbA)
	if rep.Result.Unchanged["pledges"] != 3 || rep.Result.Created["pledges"]+rep.Result.Updated["pledges"] != 0 {
		t.Errorf("re-import into A: %+v", rep.Result)
	}
	// NOK 1,140,000,000 at the ECB's January 2024 average is in the export with its rate and month.
	if !strings.Contains(onlyImported(pa), ",NOK,") || !strings.Contains(onlyImported(pa), ",2024-01,") {
		t.Errorf("export lacks the FX rate month:\n%s", onlyImported(pa))
	}
}

func TestExportXLSXAndJSON(t *testing.T) {
	db := tempDB(t)
	x := filepath.Join(t.TempDir(), "donors.xlsx")
	if _, _, err := cli(t, nil, "export", "donors", "--format", "xlsx", "-o", x, "--db", db); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "donors" || got[1] != "Sources" {
		t.Fatalf("sheets = %v", got)
	}
	if h, _ := f.GetCellValue("donors", "G1"); h != "total_eur" {
		t.Errorf("G1 = %q", h)
	}
	// Numbers are numbers: the total column of row 2 is a numeric cell.
	if typ, _ := f.GetCellType("donors", "G2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("G2 type = %v, want a number", typ)
	}
	panes, _ := f.GetPanes("donors")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want the header row frozen", panes)
	}
	if v, _ := f.GetCellValue("Sources", "A2"); v != "Data as of" {
		t.Errorf("Sources!A2 = %q", v)
	}
	out, _, err := cli(t, nil, "export", "engagements", "--format", "json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 || rows[0]["date"] == nil {
		t.Errorf("json export: %v %d rows", err, len(rows))
	}
	if _, _, err := cli(t, nil, "export", "scenarios", "--db", db); exitCode(err) != 2 {
		t.Errorf("unknown export: %v", err)
	}
	if _, _, err := cli(t, nil, "export", "pledges", "--from", "2025-13", "--db", db); exitCode(err) != 2 {
		t.Errorf("bad filter: %v", err)
	}
}
