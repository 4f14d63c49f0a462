package exporter

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/xuri/excelize/v2"

	"coalition"
)

// TestPercentCells: pct_gdp is 0.46 (percent) in CSV and JSON and, in
// XLSX, the number 0.0046 in a cell formatted 0.00%, which Excel shows as
// 0.46% (issue 21: a bare 0.46 left the reader guessing).
func TestPercentCells(t *testing.T) {
	pct := 0.46
	rows := []coalition.DonorTotal{{ISO3: "DEU", Name: "Germany", TotalEUR: 1, PctGDP: &pct, Source: "test"}}
	var b bytes.Buffer
	if err := Write(&b, "xlsx", DonorColumns, rows, Meta{Title: "donors"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, c := range DonorColumns {
		if c.Name == "pct_gdp" {
			col = i + 1
		}
	}
	cell, _ := excelize.CoordinatesToCellName(col, 2)
	if typ, _ := f.GetCellType("donors", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s type %v, want a number", cell, typ)
	}
	if raw, _ := f.GetCellValue("donors", cell, excelize.Options{RawCellValue: true}); raw != "0.0046" {
		t.Errorf("%s raw %q, want 0.0046", cell, raw)
	}
	if shown, _ := f.GetCellValue("donors", cell); shown != "0.46%" {
		t.Errorf("%s shows %q, want 0.46%%", cell, shown)
	}
	b.Reset()
	if err := Write(&b, "json", DonorColumns, rows, Meta{}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || len(got) != 1 || got[0]["pct_gdp"] != 0.46 {
		t.Errorf("json pct_gdp: %v (%v), want 0.46", got, err)
	}
	b.Reset()
	if err := Write(&b, "csv", DonorColumns, rows, Meta{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(",0.46,")) {
		t.Errorf("csv: %s, want 0.46 in pct_gdp", b.String())
	}
}
