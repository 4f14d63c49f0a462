// Package exporter writes tables of records as CSV, XLSX (typed cells, a
// header row, frozen panes and a Sources sheet) or JSON. Tables are any
// slice of rows with a column spec, so scenario and risk results reuse it.
package exporter

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"coalition"

	"github.com/xuri/excelize/v2"
)

// Kind says how a column's values are typed in XLSX and JSON.
type Kind int

const (
	Text   Kind = iota // string
	Number             // float64 (euros, rates, shares)
	Int                // int64
	Date               // coalition.Date; empty when zero
	Month              // coalition.Month; empty when zero
	// Percent is a float64 in percent (0.46 means 0.46 %): the same number
	// in CSV and JSON; in XLSX the fraction (0.0046) in a percent-formatted
	// cell, so Excel shows 0.46% and computes with it.
	Percent
)

// Column is one column: its header and how to read it from a row.
type Column[T any] struct {
	Name  string
	Kind  Kind
	Value func(T) any // string, float64, int64, *int64, coalition.Date, coalition.Month or nil
}

// Meta describes the export for the Sources sheet.
type Meta struct {
	Title   string         // sheet name, e.g. "pledges"
	AsOf    coalition.Date // the data's as-of date
	Sources []string       // citations of the records
	Made    time.Time      // when the export was made
	Filters []string       // the filters applied, for the reader
	User    string         // who exported (visibility depends on it)
}

// Formats lists the export formats.
var Formats = []string{"csv", "xlsx", "json"}

// ContentType returns the media type of a format.
func ContentType(format string) string {
	switch format {
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "json":
		return "application/json"
	}
	return "text/csv; charset=utf-8"
}

// Write writes rows in format ("csv", "xlsx" or "json").
func Write[T any](w io.Writer, format string, cols []Column[T], rows []T, meta Meta) error {
	return WriteSeq(w, format, cols, func(yield func(T, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}, func() Meta { return meta })
}

// WriteSeq writes the rows of seq in format as they come, holding one row
// at a time (an export of a million rows needs no more memory than one of
// ten): CSV and JSON are written row by row, XLSX through excelize's
// StreamWriter, which spills to a temporary file. meta is called after the
// last row, so it may describe them all (the XLSX Sources sheet is written
// last). The first error of seq stops the write and is returned.
func WriteSeq[T any](w io.Writer, format string, cols []Column[T], seq iter.Seq2[T, error], meta func() Meta) error {
	switch format {
	case "csv":
		return writeCSV(w, cols, seq)
	case "xlsx":
		return writeXLSX(w, cols, seq, meta)
	case "json":
		return writeJSON(w, cols, seq)
	}
	return coalition.FieldError("format", "%q: want csv, xlsx or json", format)
}

// text renders a value for CSV: exact decimals, ISO dates, empty for nil.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case *int64:
		if x == nil {
			return ""
		}
		return strconv.FormatInt(*x, 10)
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case coalition.Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case coalition.Month:
		if x == 0 {
			return ""
		}
		return x.String()
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func writeCSV[T any](w io.Writer, cols []Column[T], seq iter.Seq2[T, error]) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.Name
	}
	cw.Write(rec)
	for r, err := range seq {
		if err != nil {
			return err
		}
		for i, c := range cols {
			rec[i] = text(c.Value(r))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonValue keeps numbers as numbers and dates as ISO strings.
func jsonValue(v any) any {
	switch x := v.(type) {
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case coalition.Date, coalition.Month:
		if s := text(x); s != "" {
			return s
		}
		return nil
	}
	return v
}

// writeJSON writes an indented array of objects (keys in order, as
// encoding/json writes a map), one row at a time.
func writeJSON[T any](w io.Writer, cols []Column[T], seq iter.Seq2[T, error]) error {
	bw := bufio.NewWriter(w)
	m := make(map[string]any, len(cols))
	n := 0
	for r, err := range seq {
		if err != nil {
			return err
		}
		for _, c := range cols {
			m[c.Name] = jsonValue(c.Value(r))
		}
		b, err := json.MarshalIndent(m, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		bw.WriteString(sep)
		bw.Write(b)
		n++
	}
	if n == 0 {
		bw.WriteString("[]\n")
	} else {
		bw.WriteString("\n]\n")
	}
	return bw.Flush()
}

func writeXLSX[T any](w io.Writer, cols []Column[T], seq iter.Seq2[T, error], metaOf func() Meta) error {
	defer lowerGC()()
	f := excelize.NewFile()
	defer f.Close()
	sheet := metaOf().Title
	if sheet == "" {
		sheet = "data"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	st := newXLSXStyles(f)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: st.bold, Value: c.Name}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := make([]any, len(cols))
	n := 0
	for r, err := range seq {
		if err != nil {
			return err
		}
		for i, c := range cols {
			row[i] = st.cell(jsonValue(c.Value(r)), c.Kind)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
		n++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeXLSXSources(f, sourcesLines(sheet, n, metaOf())); err != nil {
		return err
	}
	f.SetCellStyle("Sources", "B2", "B2", st.date)
	// excelize's Write builds the whole archive in memory (a bytes.Buffer
	// the size of the file: 90 MB for a million pledges) before copying it
	// to w; its zip writer hook lets the archive go to w as it is made.
	// The stream's rows wait in excelize's temporary file, not in memory.
	zw := zip.NewWriter(w)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	return nil
}

// xlsxStyles are the cell styles of an export, made once per workbook.
type xlsxStyles struct{ bold, date, month, num, pct int }

// newXLSXStyles makes the styles that let Excel show dates, months and
// amounts as such rather than as serial numbers.
func newXLSXStyles(f *excelize.File) xlsxStyles {
	var st xlsxStyles
	st.bold, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	st.date, _ = f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: strPtr("yyyy-mm-dd")})
	st.month, _ = f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("yyyy-mm")})
	st.num, _ = f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("#,##0.00")})
	st.pct, _ = f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("0.00%")})
	return st
}

// cell turns a JSON value of a column of kind into an XLSX cell: dates and
// months become Excel dates, numbers get two decimals.
func (st xlsxStyles) cell(v any, kind Kind) any {
	switch x := v.(type) {
	case string:
		return st.textCell(x, kind)
	case float64:
		if kind == Percent {
			return excelize.Cell{StyleID: st.pct, Value: x / 100}
		}
		return excelize.Cell{StyleID: st.num, Value: x}
	}
	return v
}

// textCell is a text value's cell: a date or month column's ISO text is
// parsed back so that Excel can sort and filter it.
func (st xlsxStyles) textCell(x string, kind Kind) any {
	switch kind {
	case Date:
		d, _ := coalition.ParseDate(x)
		return excelize.Cell{StyleID: st.date, Value: d.Time()}
	case Month:
		m, _ := coalition.ParseMonth(x)
		return excelize.Cell{StyleID: st.month, Value: m.FirstDay().Time()}
	}
	return x
}

// sourcesLines are the rows of the Sources sheet: where the figures come
// from and how current they are, so that a copied workbook still says so.
func sourcesLines(sheet string, n int, meta Meta) [][]any {
	made := meta.Made
	if made.IsZero() {
		made = time.Now().UTC()
	}
	lines := [][]any{{"Export", sheet}, {"Data as of", asOfCell(meta.AsOf)}, {"Exported at", made.Format(time.RFC3339)}, {"Rows", n}}
	if meta.User != "" {
		lines = append(lines, []any{"Exported by", meta.User + " (only records this user may see)"})
	}
	if len(meta.Filters) > 0 {
		lines = append(lines, []any{"Filters", strings.Join(meta.Filters, "; ")})
	}
	lines = append(lines, []any{}, []any{"Sources"})
	for _, s := range meta.Sources {
		lines = append(lines, []any{s})
	}
	return lines
}

// writeXLSXSources adds the Sources sheet, written after the data so that
// it can count the rows.
func writeXLSXSources(f *excelize.File, lines [][]any) error {
	f.NewSheet("Sources")
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sources", cell, &l); err != nil {
			return err
		}
	}
	return nil
}

func asOfCell(d coalition.Date) any {
	if d.IsZero() {
		return "unknown"
	}
	return d.Time()
}

func strPtr(s string) *string { return &s }
