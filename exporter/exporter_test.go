package exporter

import (
	"bytes"
	"encoding/json"
	"testing"

	"coalition"

	"github.com/xuri/excelize/v2"
)

// A scenario-like table: any row type with a column spec.
type gapRow struct {
	Month coalition.Month
	Gap   float64
	Note  string
	Count *int64
}

var gapCols = []Column[gapRow]{
	{"month", Month, func(r gapRow) any { return r.Month }},
	{"gap_eur", Number, func(r gapRow) any { return r.Gap }},
	{"note", Text, func(r gapRow) any { return r.Note }},
	{"count", Int, func(r gapRow) any { return r.Count }},
}

func TestWriteAnyRows(t *testing.T) {
	two := int64(2)
	rows := []gapRow{{coalition.MonthOf(2025, 3), 1250000.5, "a, \"quoted\" note", &two}, {0, 0, "", nil}}
	var b bytes.Buffer
	if err := Write(&b, "csv", gapCols, rows, Meta{}); err != nil {
		t.Fatal(err)
	}
	want := "month,gap_eur,note,count\n2025-03,1250000.5,\"a, \"\"quoted\"\" note\",2\n,0,,\n"
	if b.String() != want {
		t.Errorf("csv:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, "json", gapCols, rows, Meta{}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	json.Unmarshal(b.Bytes(), &got)
	if len(got) != 2 {
		t.Fatalf("json: %d rows, want 2", len(got))
	}
	eq(t, "json gap_eur", got[0]["gap_eur"], any(1250000.5))
	eq(t, "json month", got[0]["month"], any("2025-03"))
	eq(t, "json count", got[0]["count"], any(2.0))
	eq(t, "json empty month", got[1]["month"], nil)
	eq(t, "json empty count", got[1]["count"], nil)
	b.Reset()
	meta := Meta{Title: "gap", AsOf: coalition.Date{Y: 2026, M: 4, D: 30}, Sources: []string{"Kiel UST Release 29"}}
	if err := Write(&b, "xlsx", gapCols, rows, meta); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if typ, _ := f.GetCellType("gap", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B2 type %v, want a number", typ)
	}
	raw, _ := f.GetCellValue("gap", "B2", excelize.Options{RawCellValue: true})
	if raw != "1250000.5" {
		t.Errorf("B2 raw = %q", raw)
	}
	// 2025-03-01 is Excel serial 45717.
	if raw, _ := f.GetCellValue("gap", "A2", excelize.Options{RawCellValue: true}); raw != "45717" {
		t.Errorf("A2 raw = %q, want the date serial 45717", raw)
	}
	if v, _ := f.GetCellValue("Sources", "A7"); v != "Kiel UST Release 29" {
		rows, _ := f.GetRows("Sources")
		t.Errorf("Sources sheet: %q", rows)
	}
	if err := Write(&b, "pdf", gapCols, rows, meta); coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("pdf: %v", err)
	}
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
