package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"coalition"
)

// KielOptions says how to cite the records of one Kiel monthly file.
type KielOptions struct {
	File      string         // the file name, for errors and provenance
	Source    string         // citation carried by every pledge
	AsOf      coalition.Date // last day the release covers
	Recipient string         // ISO3; default UKR
}

// kielTypes are the monthly columns that become pledges, one category each.
var kielTypes = []struct{ column, category string }{
	{"military", "military"},
	{"financial", "financial"},
	{"humanitarian", "humanitarian"},
}

// kielISO maps Kiel's own donor codes to Coalition's.
var kielISO = map[string]string{"EU": "EUI"}

// KielCSV reads the Kiel Ukraine Support Tracker's monthly per-donor file
// (data_explorer.csv: country, iso, year, month, total, financial,
// humanitarian, military, commitments, …; values in EUR billions) into one
// allocated, public pledge per donor, month and type with a non-zero
// amount. Amounts are converted exactly (decimal text to euro cents). Every
// invalid row is reported; no pledge is returned if any row is invalid.
func KielCSV(r io.Reader, opt KielOptions) ([]*coalition.Pledge, error) {
	var out []*coalition.Pledge
	err := kielCSV(r, opt, nil, func(_ int, ps []*coalition.Pledge) { out = append(out, ps...) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// KielCSVTo reads a Kiel monthly file like KielCSV and sends the pledges
// of every valid row, with their provenance, to sink; it returns the
// errors of the other rows, one per row (the caller decides whether the
// valid ones stand, as for every format). A donor must be one of
// opt.Names.
func KielCSVTo(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("kiel-csv")
	rec := opt.Recipient
	if rec == "" {
		rec = "UKR"
	}
	var st Stats
	e := errs{max: opt.MaxErrors}
	err := kielCSV(r, KielOptions{File: opt.File, Source: opt.Source, AsOf: opt.AsOf, Recipient: rec}, opt.Names, func(line int, ps []*coalition.Pledge) {
		st.Rows++
		for _, p := range ps {
			p.Provenance = opt.provenance("", line, nil)
			if err := sink.Pledge(ctx, p); err != nil {
				e.add(opt.File, "", line, fieldOf(err, "record"), err)
				st.Invalid++
				return // one error for the row
			}
			st.Records++
		}
	})
	if es, ok := AsErrors(err); ok {
		st.Invalid += len(es)
		for _, re := range es {
			if re.Row > 1 {
				st.Rows++
			}
		}
		return st, append(es, e.list...)
	}
	if err != nil {
		return st, err
	}
	return st, e.err()
}

// kielCSV reads the file and calls emit with the pledges of each row, in
// order, when no row before it was invalid, or, with names (KielCSVTo),
// of every valid row. It returns one error per invalid row.
func kielCSV(r io.Reader, opt KielOptions, names *Names, emit func(line int, ps []*coalition.Pledge)) error {
	if opt.Recipient == "" {
		opt.Recipient = "UKR"
	}
	cr, _ := newCSVReader(r)
	header, err := readCSVHeader(cr, opt.File)
	if err != nil {
		return err
	}
	col, errs := kielCSVColumns(header, opt.File)
	if len(errs) > 0 {
		return errs
	}
	type row struct {
		line int
		ps   []*coalition.Pledge
	}
	var held []row // without names: kept until the end, sent only if every row is valid
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			re, more := kielCSVReadError(err, header, opt.File)
			errs = append(errs, re)
			if len(errs) > 100 || !more {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		ps, rerr := kielCSVRow(rec, col, opt, names)
		switch {
		case rerr != nil:
			rerr.File, rerr.Row = opt.File, line
			errs = append(errs, rerr)
		case names != nil:
			emit(line, ps)
		default:
			held = append(held, row{line, ps})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for _, h := range held {
		emit(h.line, h.ps)
	}
	return nil
}

// readCSVHeader reads the header row, which must be readable for anything
// else in the file to make sense.
func readCSVHeader(cr *csv.Reader, file string) ([]string, error) {
	header, err := cr.Read()
	if err != nil {
		var le *LongLineError
		if errors.As(err, &le) {
			return nil, Errors{{File: file, Row: le.Line, Field: "header", Err: le}}
		}
		return nil, Errors{{File: file, Row: 1, Field: "header", Err: fmt.Errorf("cannot read the header: %w", err)}}
	}
	return append([]string(nil), header...), nil // the reader reuses its record
}

// kielCSVColumns maps the header to column indexes and names every column
// of the data_explorer layout that is missing, all at once.
func kielCSVColumns(header []string, file string) (map[string]int, Errors) {
	col := map[string]int{}
	for i, h := range header {
		col[cleanHeader(h)] = i
	}
	var errs Errors
	for _, need := range []string{"iso", "year", "month", "military", "financial", "humanitarian"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, &RowError{File: file, Row: 1, Field: need, Err: errors.New("missing column (is this the Kiel data_explorer.csv layout?)")})
		}
	}
	return col, errs
}

// kielCSVReadError turns a row the CSV reader refused into a row error and
// says whether reading may go on: only after a wrong field count, since
// after a quote error or a long line the rest cannot be trusted.
func kielCSVReadError(err error, header []string, file string) (*RowError, bool) {
	var pe *csv.ParseError
	var le *LongLineError
	line, field := 0, "row"
	switch {
	case errors.As(err, &le):
		line = le.Line
		if le.Field < len(header) {
			field = cleanHeader(header[le.Field])
		}
	case errors.As(err, &pe):
		line = pe.Line
		if pe.StartLine != 0 && errors.Is(pe.Err, csv.ErrFieldCount) {
			line = pe.StartLine
		}
		err = pe.Err
	}
	return &RowError{File: file, Row: line, Field: field, Err: err}, errors.Is(err, csv.ErrFieldCount)
}

// kielCSVRow turns one row into its pledges, or the row's first error.
func kielCSVRow(rec []string, col map[string]int, opt KielOptions, names *Names) ([]*coalition.Pledge, *RowError) {
	if i, err := csvFields(rec); err != nil {
		return nil, &RowError{Field: fmt.Sprintf("column %d", i+1), Err: err}
	}
	iso, rerr := kielCSVDonor(strings.TrimSpace(rec[col["iso"]]), names)
	if rerr != nil {
		return nil, rerr
	}
	month, rerr := kielCSVMonth(rec[col["year"]], rec[col["month"]])
	if rerr != nil {
		return nil, rerr
	}
	var ps []*coalition.Pledge
	for _, kt := range kielTypes {
		cents, rerr := kielCSVAmount(rec[col[kt.column]], kt.column)
		if rerr != nil {
			return nil, rerr
		}
		if cents == 0 {
			continue
		}
		ps = append(ps, &coalition.Pledge{
			Donor: iso, Recipient: opt.Recipient, Category: kt.category,
			Amount: coalition.Money{Minor: cents, Currency: "EUR"}, AmountEUR: cents, FXRate: 1, FXMonth: month,
			Announced: month.FirstDay(), DeliverFrom: month, DeliverTo: month,
			Status: coalition.Allocated, Visibility: coalition.Public,
			Source: opt.Source, SourceRef: fmt.Sprintf("%s/%s/%s", iso, month, kt.column), AsOf: opt.AsOf,
		})
	}
	return ps, nil
}

// kielCSVDonor maps Kiel's donor code to Coalition's ISO3 and, with names,
// checks that it is a known country, so that a typo is refused by row.
func kielCSVDonor(iso string, names *Names) (string, *RowError) {
	if m, ok := kielISO[iso]; ok {
		iso = m
	}
	if !coalition.ValidISO3(iso) {
		return "", &RowError{Field: "iso", Err: fmt.Errorf("%s is not an ISO 3166-1 alpha-3 code", quote(iso))}
	}
	if names == nil {
		return iso, nil
	}
	if _, err := names.Resolve(iso); err != nil {
		return "", &RowError{Field: "iso", Err: err}
	}
	return iso, nil
}

// kielCSVMonth reads the year and month cells; the tracker starts in 2022,
// so a year outside 2000–2100 is a misread column.
func kielCSVMonth(year, month string) (coalition.Month, *RowError) {
	y, err1 := strconv.Atoi(strings.TrimSpace(year))
	mo, err2 := strconv.Atoi(strings.TrimSpace(month))
	if err1 != nil || y < 2000 || y > 2100 {
		return 0, &RowError{Field: "year", Err: fmt.Errorf("%s is not a year", quote(year))}
	}
	if err2 != nil || mo < 1 || mo > 12 {
		return 0, &RowError{Field: "month", Err: fmt.Errorf("%s is not a month 1–12", quote(month))}
	}
	return coalition.MonthOf(y, timeMonth(mo)), nil
}

// kielCSVAmount converts one type's amount (EUR billions, exact decimal
// text) to euro cents; empty, "." and NA are 0, as Kiel writes no value.
func kielCSVAmount(raw, column string) (int64, *RowError) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "." || raw == "NA" {
		return 0, nil
	}
	cents, err := parseDecimal(raw, 1_000_000_000, "EUR")
	if err != nil {
		return 0, &RowError{Field: column, Err: err}
	}
	if cents < 0 {
		return 0, &RowError{Field: column, Err: fmt.Errorf("negative amount %s", quote(raw))}
	}
	return cents, nil
}

func timeMonth(m int) time.Month { return time.Month(m) }
