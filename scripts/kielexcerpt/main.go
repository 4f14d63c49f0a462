// Command kielexcerpt cuts a small excerpt of a Kiel Ukraine Support
// Tracker workbook for the real-files tests: a new workbook with one
// sheet, named as the original's main data sheet, holding its header row
// and the rows asked for (by their row number in the original), each cell
// with its stored value, its type (number or text) and its style (number
// format: Excel's date format 14, custom date formats, #,##0 amounts).
// A formula is written as its cached value (the sheets it refers to are
// not copied).
//
//	go run ./scripts/kielexcerpt IN.xlsx OUT.xlsx "Bilateral assistance, MAIN DATA" 2,3,7-11,149
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: kielexcerpt IN.xlsx OUT.xlsx SHEET ROWS")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "kielexcerpt:", err)
		os.Exit(1)
	}
}

func run(in, out, sheet, spec string) error {
	keep, err := rows(spec)
	if err != nil {
		return err
	}
	src, err := excelize.OpenFile(in)
	if err != nil {
		return err
	}
	defer src.Close()
	all, err := src.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	dst := excelize.NewFile()
	defer dst.Close()
	if err := dst.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	styles := map[int]int{} // source style id → the copy's
	formulas := 0
	to := 1
	for r := 1; r <= len(all); r++ {
		if r != 1 && !keep[r] {
			continue
		}
		for c := 1; c <= len(all[r-1]); c++ {
			from, _ := excelize.CoordinatesToCellName(c, r)
			cell, _ := excelize.CoordinatesToCellName(c, to)
			if err := copyCell(src, dst, sheet, from, cell, all[r-1][c-1], styles); err != nil {
				return fmt.Errorf("%s: %w", from, err)
			}
			if fo, _ := src.GetCellFormula(sheet, from); fo != "" {
				formulas++
			}
		}
		to++
	}
	fmt.Fprintf(os.Stderr, "kielexcerpt: %d rows, %d formulas kept as their cached values\n", to-1, formulas)
	return dst.SaveAs(out)
}

// copyCell writes the cell's stored value with its type (a number stays a
// number, text stays text) and its style (number format, font, fill).
func copyCell(src, dst *excelize.File, sheet, from, to, raw string, styles map[int]int) error {
	id, err := src.GetCellStyle(sheet, from)
	if err != nil {
		return err
	}
	if _, ok := styles[id]; !ok {
		st, err := src.GetStyle(id)
		if err != nil {
			return err
		}
		if styles[id], err = dst.NewStyle(st); err != nil {
			return err
		}
	}
	typ, err := src.GetCellType(sheet, from)
	if err != nil {
		return err
	}
	switch {
	case raw == "":
	case typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && isNumber(raw):
		// The stored digits as they are (a float64 round trip could
		// shorten them).
		if err := dst.SetCellDefault(sheet, to, raw); err != nil {
			return err
		}
	case typ == excelize.CellTypeBool:
		if err := dst.SetCellBool(sheet, to, raw == "1" || raw == "TRUE"); err != nil {
			return err
		}
	default:
		if err := dst.SetCellStr(sheet, to, raw); err != nil {
			return err
		}
	}
	return dst.SetCellStyle(sheet, to, to, styles[id])
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// rows reads "2,3,7-11".
func rows(spec string) (map[int]bool, error) {
	out := map[int]bool{}
	for _, part := range strings.Split(spec, ",") {
		lo, hi, found := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("%q: not a row", part)
		}
		b := a
		if found {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("%q: not a range of rows", part)
			}
		}
		for r := a; r <= b; r++ {
			out[r] = true
		}
	}
	return out, nil
}
