package importer

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"coalition"

	"github.com/xuri/excelize/v2"
)

// No Kiel workbook is held in a public repository we could fetch, so this
// one is built with excelize the way Excel stores a real one (issue 24):
// dates are serial numbers in cells styled with the built-in date format
// 14 (m/d/yy, shown 03-01-22 by excelize) or a custom date format; amounts
// are full-precision numbers in cells styled #,##0 (built-in format 3,
// shown rounded to whole euros); the headers are the human-readable ones
// of the early releases ("Countries", "Type of donation", "Earmarked
// year", "No. of Units"), with a title row above them; the values are the
// conventions Kiel's own workbooks use ("undisclosed" units, text dates
// such as "until 12/20/2022", "not specified, 03/22", "unclear, 10/2022").
// Figures are invented; the shapes are Kiel's.

// styled is a cell value with a number format: a built-in id, or a custom
// format when custom is set.
type styled struct {
	v      any
	numFmt int
	custom string
}

// excelWorkbook writes rows into MAIN DATA from row 1, styling the
// styled cells as Excel does.
func excelWorkbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", KielMainSheet)
	styles := map[styled]int{}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			s, ok := v.(styled)
			if !ok {
				if err := f.SetCellValue(KielMainSheet, cell, v); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := f.SetCellValue(KielMainSheet, cell, s.v); err != nil {
				t.Fatal(err)
			}
			key := styled{numFmt: s.numFmt, custom: s.custom}
			id, ok := styles[key]
			if !ok {
				st := &excelize.Style{NumFmt: s.numFmt}
				if s.custom != "" {
					st.CustomNumFmt = &s.custom
				}
				var err error
				if id, err = f.NewStyle(st); err != nil {
					t.Fatal(err)
				}
				styles[key] = id
			}
			if err := f.SetCellStyle(KielMainSheet, cell, cell, id); err != nil {
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

// sheetXML is the first worksheet part of a workbook, to check that the
// test file stores values as Excel does.
func sheetXML(t testing.TB, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

func date14(serial float64) styled { return styled{v: serial, numFmt: 14} }
func eur3(v float64) styled        { return styled{v: v, numFmt: 3} }

// kielEarlyRelease is a MAIN DATA sheet in the layout of the early
// releases, with one row per convention the importer must accept.
var kielEarlyRelease = [][]any{
	{"Ukraine Support Tracker - bilateral aid, data as of 2022"},
	{"ID", "Countries", "Announcement Date", "Type of donation", "Type of Aid General", "Type of Aid Specific", "Item", "No. of Units", "Original Currency", "Monetary Value as Given by Source", "Converted Value in EUR", "Earmarked year"},
	// Serial 44621 = 2022-03-01 in format 14; €321,234,567.49 shown as 321,234,567.
	{"US-1", "United States", date14(44621), "Allocation", "Military", "Weapons and equipment", "Stinger", "undisclosed", "USD", 350000000, eur3(321234567.49), ""},
	// A commitment with its delivery years: 2023-01 to 2025-12.
	{"DE-7", "Germany", "until 12/20/2022", "Commitment", "Financial", "Budget support", "", "", "EUR", 1000000000, eur3(1000000000), "2023-2025"},
	{"PL-3", "Poland", "not specified, 03/22", "Allocation", "Humanitarian", "Humanitarian aid", "", "", "PLN", 10000000, eur3(2150000.5), ""},
	{"FR-2", "France", "unclear, 10/2022", "Allocation", "Military", "Weapons and equipment", "CAESAR howitzer", 6, "EUR", 24000000.25, eur3(24000000.25), 2022},
	// Serial 44713 = 2022-06-01 in a day-first custom format (shown 01/06/2022, which reads as January 6 as M/D/Y).
	{"NO-4", "Norway", styled{v: 44713, custom: "dd/mm/yyyy"}, "Commitment", "Military", "Weapons and equipment", "", "", "NOK", 100000000, eur3(9876543.21), "2022, 2023"},
	// A row whose value is blank: skipped and counted.
	{"NO-5", "Norway", date14(44713), "Allocation", "Military", "Weapons and equipment", "", "", "NOK", "", "", ""},
}

func TestKielXLSXExcelValues(t *testing.T) {
	data := excelWorkbook(t, kielEarlyRelease)
	// The file is what Excel writes: a serial number in a cell whose style is format 14.
	xml := sheetXML(t, data)
	if !strings.Contains(xml, `<c r="C3" s="`) || !strings.Contains(xml, `<v>44621</v>`) || !strings.Contains(xml, `<v>321234567.49</v>`) {
		t.Fatalf("test workbook does not store serials and full amounts: %.400s", xml)
	}
	var c Collect
	st, err := KielXLSX(bg, bytes.NewReader(data), testOptions("release-early.xlsx"), &c)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "rows", st.Rows, 6)
	eq(t, "records (5 pledges)", st.Records, 5)
	eq(t, "skipped", st.Skipped, 1)
	eq(t, "skipped: no allocation value", st.SkippedBy["no allocation value"], 1)
	eq(t, "flagged approximate dates", st.Flagged["approximate announcement date"], 3)
	eq(t, "flagged undisclosed quantities", st.Flagged["undisclosed quantity"], 1)
	p := byRef(c.Pledges)

	us := p["US-1/allocation"]
	if us == nil {
		t.Fatalf("no US pledge in %v", keys(p))
	}
	eq(t, "US amount (cents kept, not the displayed 321,234,567)", us.AmountEUR, int64(321_234_567_49))
	eq(t, "US announced (serial 44621, format 14)", us.Announced, coalition.Date{Y: 2022, M: 3, D: 1})
	eq(t, "US status", us.Status, coalition.Allocated)
	if us.Quantity != nil || !strings.Contains(us.Provenance, `"item_numb":"undisclosed"`) {
		t.Errorf("US quantity = %v, provenance %s: want unknown, noted as undisclosed", us.Quantity, us.Provenance)
	}

	de := p["DE-7/commitment"]
	if de == nil {
		t.Fatalf("the Commitment row was not loaded: %v", keys(p))
	}
	eq(t, "DE status", de.Status, coalition.Committed)
	eq(t, "DE amount", de.AmountEUR, int64(1_000_000_000_00))
	eq(t, "DE announced (until 12/20/2022)", de.Announced, coalition.Date{Y: 2022, M: 12, D: 1})
	eq(t, "DE deliver_from (earmarked 2023-2025)", de.DeliverFrom.String(), "2023-01")
	eq(t, "DE deliver_to", de.DeliverTo.String(), "2025-12")
	if !strings.Contains(de.Provenance, `"announcement_date_approximate":"month of the date stated"`) ||
		!strings.Contains(de.Provenance, `"announcement_date_text":"until 12/20/2022"`) {
		t.Errorf("DE provenance does not say the date is approximate: %s", de.Provenance)
	}

	pl := p["PL-3/allocation"]
	eq(t, "PL announced (not specified, 03/22)", pl.Announced, coalition.Date{Y: 2022, M: 3, D: 1})
	eq(t, "PL amount", pl.AmountEUR, int64(2_150_000_50))
	eq(t, "PL category", pl.Category, "humanitarian")

	fr := p["FR-2/allocation"]
	eq(t, "FR announced (unclear, 10/2022)", fr.Announced, coalition.Date{Y: 2022, M: 10, D: 1})
	if fr.Quantity == nil || *fr.Quantity != 6 {
		t.Errorf("FR quantity = %v, want 6", fr.Quantity)
	}
	eq(t, "FR amount", fr.AmountEUR, int64(24_000_000_25))
	eq(t, "FR deliver window (earmarked 2022 as a number)", fr.DeliverFrom.String()+".."+fr.DeliverTo.String(), "2022-01..2022-12")

	no := p["NO-4/commitment"]
	eq(t, "NO announced (serial 44713 in dd/mm/yyyy)", no.Announced, coalition.Date{Y: 2022, M: 6, D: 1})
	eq(t, "NO amount", no.AmountEUR, int64(9_876_543_21))
	eq(t, "NO deliver window (2022, 2023)", no.DeliverFrom.String()+".."+no.DeliverTo.String(), "2022-01..2023-12")
}

// TestKielApproxMonth pins the text dates read as a month, and those that
// stay errors because they are mistyped dates rather than approximate ones.
func TestKielApproxMonth(t *testing.T) {
	tracker := coalition.MonthOf(2022, 7)
	tests := []struct {
		in, want string // want "" = not approximated
	}{
		{"until 12/20/2022", "2022-12"},
		{"not specified, 03/22", "2022-03"},
		{"unclear, 10/2022", "2022-10"},
		{"03/22", "2022-03"},
		{"end of March 2023", "2023-03"},
		{"mid-2022", "2022-07"}, // the year stated, the tracker month within it
		{"2023", "2023-01"},     // the year only, another year than the tracker's
		{"not specified", "2022-07"},
		{"2024-13-45", ""},
		{"13/22", ""},
		{"12/40/2022", ""},
		{"1/2/3/4", ""},
	}
	for _, tt := range tests {
		m, how, ok := kielApproxMonth(tt.in, tracker)
		got := ""
		if ok {
			got = m.String()
		}
		if got != tt.want {
			t.Errorf("kielApproxMonth(%q) = %q (%s), want %q", tt.in, got, how, tt.want)
		}
	}
}

// TestKielXLSXBadDateNamesCell: a date that is neither a date nor an
// approximate one is refused with file, sheet, row and field, and the
// valid rows are not written by the command (the import is all or nothing
// unless --skip-invalid).
func TestKielXLSXBadDateNamesCell(t *testing.T) {
	rows := [][]any{kielEarlyRelease[1],
		{"X-1", "Germany", "2024-13-45", "Allocation", "Military", "Weapons", "", "", "EUR", 1, eur3(1), ""}}
	var c Collect
	st, err := KielXLSX(bg, bytes.NewReader(excelWorkbook(t, rows)), testOptions("k.xlsx"), &c)
	want := `k.xlsx:Bilateral Assistance, MAIN DATA!2:announcement_date:`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	eq(t, "invalid", st.Invalid, 1)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestKielSummaryReadsValues: the Country Summary's € bn are checked at
// their value, not as displayed: 0.095 shown as "0.1" (format 0.0) is no
// mismatch.
func TestKielSummaryReadsValues(t *testing.T) {
	rows := [][]any{kielMain[0], kielMain[1]} // Norway: 95,000,000 allocated
	f, err := excelize.OpenReader(bytes.NewReader(kielWorkbook(t, rows, [][]any{
		{"Country", "Total bilateral allocations"}, {"Norway", 0.095}, {"Total", 0.095}})))
	if err != nil {
		t.Fatal(err)
	}
	style, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0.0")})
	f.SetCellStyle(KielSummarySheet, "C9", "C9", style)
	if got, _ := f.GetCellValue(KielSummarySheet, "C9"); got != "0.1" {
		t.Fatalf("shown as %q, want 0.1: the test does not test the format", got)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	st, err := KielXLSX(bg, &b, testOptions("k.xlsx"), &Collect{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) != 0 {
		t.Errorf("warnings = %q, want none", st.Warnings)
	}
}

func ptr[T any](v T) *T { return &v }
