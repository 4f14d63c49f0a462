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
	header, err := cr.Read()
	if err != nil {
		var le *LongLineError
		if errors.As(err, &le) {
			return Errors{{File: opt.File, Row: le.Line, Field: "header", Err: le}}
		}
		return Errors{{File: opt.File, Row: 1, Field: "header", Err: fmt.Errorf("cannot read the header: %w", err)}}
	}
	header = append([]string(nil), header...) // the reader reuses its record
	col := map[string]int{}
	for i, h := range header {
		col[cleanHeader(h)] = i
	}
	var errs Errors
	for _, need := range []string{"iso", "year", "month", "military", "financial", "humanitarian"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, &RowError{File: opt.File, Row: 1, Field: need, Err: errors.New("missing column (is this the Kiel data_explorer.csv layout?)")})
		}
	}
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
		line := 0
		if err == nil {
			line, _ = cr.FieldPos(0)
		}
		if err != nil {
			var pe *csv.ParseError
			var le *LongLineError
			field := "row"
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
			errs = append(errs, &RowError{File: opt.File, Row: line, Field: field, Err: err})
			if len(errs) > 100 || !errors.Is(err, csv.ErrFieldCount) {
				break // a quote error or a long line: the rest cannot be trusted
			}
			continue
		}
		ps, rerr := kielCSVRow(rec, col, opt, names)
		if rerr != nil {
			rerr.File, rerr.Row = opt.File, line
			errs = append(errs, rerr)
			continue
		}
		if names != nil {
			emit(line, ps)
		} else {
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

// kielCSVRow turns one row into its pledges, or the row's first error.
func kielCSVRow(rec []string, col map[string]int, opt KielOptions, names *Names) ([]*coalition.Pledge, *RowError) {
	rowErr := func(field string, format string, args ...any) *RowError {
		return &RowError{Field: field, Err: fmt.Errorf(format, args...)}
	}
	if i, err := csvFields(rec); err != nil {
		return nil, &RowError{Field: fmt.Sprintf("column %d", i+1), Err: err}
	}
	iso := strings.TrimSpace(rec[col["iso"]])
	if m, ok := kielISO[iso]; ok {
		iso = m
	}
	if !coalition.ValidISO3(iso) {
		return nil, rowErr("iso", "%s is not an ISO 3166-1 alpha-3 code", quote(iso))
	}
	if names != nil {
		if _, err := names.Resolve(iso); err != nil {
			return nil, rowErr("iso", "%v", err)
		}
	}
	y, err1 := strconv.Atoi(strings.TrimSpace(rec[col["year"]]))
	mo, err2 := strconv.Atoi(strings.TrimSpace(rec[col["month"]]))
	if err1 != nil || y < 2000 || y > 2100 {
		return nil, rowErr("year", "%s is not a year", quote(rec[col["year"]]))
	}
	if err2 != nil || mo < 1 || mo > 12 {
		return nil, rowErr("month", "%s is not a month 1–12", quote(rec[col["month"]]))
	}
	month := coalition.MonthOf(y, timeMonth(mo))
	var ps []*coalition.Pledge
	for _, kt := range kielTypes {
		raw := strings.TrimSpace(rec[col[kt.column]])
		if raw == "" || raw == "." || raw == "NA" {
			continue
		}
		cents, err := parseDecimal(raw, 1_000_000_000, "EUR")
		if err != nil {
			return nil, rowErr(kt.column, "%v", err)
		}
		if cents < 0 {
			return nil, rowErr(kt.column, "negative amount %s", quote(raw))
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

func timeMonth(m int) time.Month { return time.Month(m) }
