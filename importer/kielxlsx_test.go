package importer

import (
	"bytes"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"coalition"

	"github.com/xuri/excelize/v2"
)

// kielMain is the MAIN DATA fixture of the team's format notes (values invented).
var kielMain = [][]any{
	{"donor", "announcement_date", "aid_type_general", "aid_type_specific", "measure", "reporting_currency", "tot_activity_value", "tot_activity_value_EUR", "tot_sub_activity_value_EUR", "tot_sub_activity_value_EUR_redistr", "tot_value_deliv_EUR", "item", "item_type", "item_numb", "item_numb_deliv", "item_price_USD", "earmarked_year", "month", "month_exists_dummy", "loan_mat", "loan_int", "loan_gra"},
	{"Norway", "2024-01-15", "Military", "Weapons and equipment", "Allocation", "NOK", 1200000000, 110000000, 100000000, 95000000, 60000000, "CV90", "heavy weapon", 20, 12, 4500000, "2024", 25, 1, 0, 0, 0},
	{"Norway", "2024-02-10", "Military", "Weapons and equipment", "Commitment", "NOK", 5500000000, 500000000, 500000000, 0, ".", ".", ".", ".", ".", ".", "2024-2028", 26, 1, 0, 0, 0},
	{"Germany", "2024-04-01", "Humanitarian ", "Humanitarian aid", "Allocation", "EUR", 50000000, 50000000, 50000000, 48000000, 50000000, ".", ".", ".", ".", ".", "2024", 28, 1, 0, 0, 0},
	{"Japan", "", "Financial", "Loan", "Allocation", "JPY", 80000000000, 500000000, 500000000, 500000000, 500000000, ".", ".", ".", ".", ".", "2023-2024", 0, 0, 1, 1, 1},
	{"Turkiye", "2024-05-02", "Military", "Weapons and equipment", "Allocation", "USD", 1000000, 900000, 900000, 900000, ".", ".", ".", ".", ".", ".", "2024", 29, 1, 0, 0, 0},
	{"EU (Commission and Council)", "2024-06-01", "Financial", "Budget support", "Commitment", "EUR", 1000000000, 1000000000, 1000000000, 0, ".", ".", ".", ".", ".", ".", "2024", 30, 1, 0, 0, 0},
}

// kielWorkbook writes a workbook with MAIN DATA (header in row 1, or in a
// later row) and a Country Summary whose header is in row 8 behind a blank
// column A.
func kielWorkbook(t testing.TB, main [][]any, summary [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", KielMainSheet)
	for i, row := range main {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(KielMainSheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if summary != nil {
		f.NewSheet(KielSummarySheet)
		f.SetCellValue(KielSummarySheet, "B2", "Country summary, € billion")
		for i, row := range summary {
			cell, _ := excelize.CoordinatesToCellName(2, i+8)
			if err := f.SetSheetRow(KielSummarySheet, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestKielXLSX(t *testing.T) {
	summary := [][]any{
		{"Country", "EU member", "Geographic Europe", "Financial allocations", "Humanitarian allocations", "Military allocations", "Total bilateral allocations", "Financial commitments", "Humanitarian commitments", "Military commitments", "Total bilateral commitments"},
		// Norway: allocations 95,000,000 = 0.095 bn; commitments 500,000,000 = 0.5 bn.
		{"Norway", 0, 1, 0, 0, 0.095, 0.095, 0, 0, 0.5, 0.5},
		// Germany: 48,000,000 = 0.048 bn allocated; the summary says 0.050: a warning.
		{"Germany", 1, 1, 0, 0.05, 0, 0.050, 0, 0, 0, 0},
		{"Total", "", "", "", "", "", 1.543, "", "", "", 1.5},
	}
	data := kielWorkbook(t, kielMain, summary)
	var c Collect
	st, err := KielXLSX(bg, bytes.NewReader(data), testOptions("kiel.xlsx"), &c)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 6 {
		t.Errorf("rows = %d, want 6", st.Rows)
	}
	// Aggregation: allocations Σ redistr where measure=Allocation; commitments Σ tot_activity_value_EUR where measure=Commitment.
	alloc, commit := map[string]int64{}, map[string]int64{}
	for _, p := range c.Pledges {
		if p.Status == coalition.Allocated {
			alloc[p.Donor] += p.AmountEUR
		} else {
			commit[p.Donor] += p.AmountEUR
		}
	}
	wantAlloc := map[string]int64{"NOR": 95_000_000_00, "DEU": 48_000_000_00, "JPN": 500_000_000_00, "TUR": 900_000_00}
	wantCommit := map[string]int64{"NOR": 500_000_000_00, "EUI": 1_000_000_000_00}
	for k, v := range wantAlloc {
		if alloc[k] != v {
			t.Errorf("allocations %s = %d, want %d", k, alloc[k], v)
		}
	}
	for k, v := range wantCommit {
		if commit[k] != v {
			t.Errorf("commitments %s = %d, want %d", k, commit[k], v)
		}
	}
	byDonor := map[string]*coalition.Pledge{}
	for _, p := range c.Pledges {
		byDonor[p.Donor+"/"+string(p.Status)] = p
	}
	// "Humanitarian " with its trailing space; the undated multi-year Japanese loan.
	if p := byDonor["DEU/allocated"]; p.Category != "humanitarian" {
		t.Errorf("DEU category %q", p.Category)
	}
	jp := byDonor["JPN/allocated"]
	eq(t, "JPN category", jp.Category, "loans")
	eq(t, "JPN announced", jp.Announced, coalition.Date{Y: 2023, M: 1, D: 1})
	eq(t, "JPN deliver_from", jp.DeliverFrom.String(), "2023-01")
	eq(t, "JPN deliver_to", jp.DeliverTo.String(), "2024-12")
	// In-kind item with quantity; delivered units as a delivery.
	no := byDonor["NOR/allocated"]
	if no.Quantity == nil || *no.Quantity != 20 || no.Unit != "CV90" {
		t.Errorf("NOR quantity %v %q", no.Quantity, no.Unit)
	}
	if len(c.Deliveries) != 3 { // NOR, DEU, JPN have delivered values
		t.Fatalf("deliveries = %d, want 3", len(c.Deliveries))
	}
	if d := c.Deliveries[0]; d.PledgeRef != no.SourceRef || d.AmountEUR != 60_000_000_00 || *d.Quantity != 12 {
		t.Errorf("NOR delivery = %+v", d)
	}
	// The summary check flags Germany only.
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "DEU sums to 0.048 bn") {
		t.Errorf("warnings = %q", st.Warnings)
	}
}

func TestKielXLSXOldHeaders(t *testing.T) {
	rows := [][]any{
		{"Ukraine Support Tracker"},
		{"ID", "Countries", "Announcement Date", "Type of Aid General", "Type of Aid Specific", "Original Currency", "Monetary Value as Given by Source", "Converted Value in EUR", "Allocated Total in EUR (redistributed)"},
		{"A-1", "Poland", "2022-03-01", "Military", "Weapons", "PLN", 100, 22, 20.5},
	}
	var c Collect
	opt := testOptions("old.xlsx")
	_, err := KielXLSX(bg, bytes.NewReader(kielWorkbook(t, rows, nil)), opt, &c)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Pledges) != 1 {
		t.Fatalf("%d pledges, want 1", len(c.Pledges))
	}
	eq(t, "amount_eur", c.Pledges[0].AmountEUR, 20_50)
	eq(t, "donor", c.Pledges[0].Donor, "POL")
	eq(t, "source_ref", c.Pledges[0].SourceRef, "A-1/allocation")
}

func TestKielXLSXMalformed(t *testing.T) {
	wrong := excelize.NewFile()
	wrong.SetCellValue("Sheet1", "A1", "hello")
	var b bytes.Buffer
	wrong.Write(&b)
	bad := append([][]any{kielMain[0]}, []any{"Norwya", "2024-13-45", "Military", "x", "Allocation", "EUR", 1, 1, 1, -5})
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"wrong sheet", b.Bytes(), "no sheet \"Bilateral Assistance, MAIN DATA\" (the workbook has Sheet1)"},
		{"garbage", []byte("\x00\x01garbage"), "not an XLSX workbook"},
		{"bad row", kielWorkbook(t, bad, nil), "k.xlsx:Bilateral Assistance, MAIN DATA!2:donor: unknown country or donor \"Norwya\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Collect
			_, err := KielXLSX(bg, bytes.NewReader(tt.data), testOptions("k.xlsx"), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWriteXLSXSeed keeps the XLSX fuzz seed in testdata in step with the fixture (go test -run WriteXLSXSeed -update-seed).
func TestWriteXLSXSeed(t *testing.T) {
	if !*updateSeed {
		t.Skip("-update-seed not set")
	}
	data := kielWorkbook(t, kielMain, nil)
	var b strings.Builder
	b.WriteString("go test fuzz v1\n[]byte(")
	b.WriteString(strconv.Quote(string(data)))
	b.WriteString(")\n")
	os.MkdirAll("testdata/fuzz/FuzzKielXLSX", 0o755)
	if err := os.WriteFile("testdata/fuzz/FuzzKielXLSX/workbook", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

var updateSeed = flag.Bool("update-seed", false, "rewrite the XLSX fuzz seed")
