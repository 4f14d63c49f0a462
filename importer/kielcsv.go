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
	err := kielCSV(r, opt, func(_ int, p *coalition.Pledge) { out = append(out, p) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// KielCSVTo reads a Kiel monthly file like KielCSV and sends each pledge,
// with its provenance, to sink. Nothing is sent if any row is invalid.
func KielCSVTo(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("kiel-csv")
	rec := opt.Recipient
	if rec == "" {
		rec = "UKR"
	}
	var st Stats
	var ps []*coalition.Pledge
	var lines []int
	err := kielCSV(r, KielOptions{File: opt.File, Source: opt.Source, AsOf: opt.AsOf, Recipient: rec}, func(line int, p *coalition.Pledge) {
		ps, lines = append(ps, p), append(lines, line)
	})
	if err != nil {
		if es, ok := AsErrors(err); ok {
			st.Invalid = len(es)
		}
		return st, err
	}
	e := errs{max: opt.MaxErrors}
	for i, p := range ps {
		p.Provenance = opt.provenance("", lines[i], nil)
		if err := sink.Pledge(ctx, p); err != nil {
			e.add(opt.File, "", lines[i], "record", err)
			st.Invalid++
			continue
		}
		st.Records++
	}
	st.Rows = len(ps)
	return st, e.err()
}

func kielCSV(r io.Reader, opt KielOptions, emit func(line int, p *coalition.Pledge)) error {
	if opt.Recipient == "" {
		opt.Recipient = "UKR"
	}
	cr := csv.NewReader(newLineLimit(r, MaxLine))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return Errors{{File: opt.File, Row: 1, Field: "header", Err: fmt.Errorf("cannot read the header: %w", err)}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
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
	var out []*coalition.Pledge
	var outLines []int
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
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, &RowError{File: opt.File, Row: line, Field: "row", Err: err})
			if len(errs) > 100 || !errors.As(err, &pe) {
				break
			}
			continue
		}
		rowErr := func(field string, format string, args ...any) {
			errs = append(errs, &RowError{File: opt.File, Row: line, Field: field, Err: fmt.Errorf(format, args...)})
		}
		iso := strings.TrimSpace(rec[col["iso"]])
		if m, ok := kielISO[iso]; ok {
			iso = m
		}
		if !coalition.ValidISO3(iso) {
			rowErr("iso", "%q is not an ISO 3166-1 alpha-3 code", iso)
			continue
		}
		y, err1 := strconv.Atoi(strings.TrimSpace(rec[col["year"]]))
		mo, err2 := strconv.Atoi(strings.TrimSpace(rec[col["month"]]))
		if err1 != nil || y < 2000 || y > 2100 {
			rowErr("year", "%q is not a year", rec[col["year"]])
			continue
		}
		if err2 != nil || mo < 1 || mo > 12 {
			rowErr("month", "%q is not a month 1–12", rec[col["month"]])
			continue
		}
		month := coalition.MonthOf(y, timeMonth(mo))
		for _, kt := range kielTypes {
			raw := strings.TrimSpace(rec[col[kt.column]])
			if raw == "" || raw == "." || raw == "NA" {
				continue
			}
			cents, err := coalition.ParseDecimal(raw, 1_000_000_000, "EUR")
			if err != nil {
				rowErr(kt.column, "%v", err)
				continue
			}
			if cents < 0 {
				rowErr(kt.column, "negative amount %s", raw)
				continue
			}
			if cents == 0 {
				continue
			}
			outLines = append(outLines, line)
			out = append(out, &coalition.Pledge{
				Donor: iso, Recipient: opt.Recipient, Category: kt.category,
				Amount: coalition.Money{Minor: cents, Currency: "EUR"}, AmountEUR: cents, FXRate: 1, FXMonth: month,
				Announced: month.FirstDay(), DeliverFrom: month, DeliverTo: month,
				Status: coalition.Allocated, Visibility: coalition.Public,
				Source: opt.Source, SourceRef: fmt.Sprintf("%s/%s/%s", iso, month, kt.column), AsOf: opt.AsOf,
			})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for i, p := range out {
		emit(outLines[i], p)
	}
	return nil
}

func timeMonth(m int) time.Month { return time.Month(m) }
