package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"coalition"
)

// KielCommitments reads the commitments of a Kiel monthly file
// (data_explorer.csv: the "commitments" and "to_be_allocated" columns, EUR
// billions) as one coalition.Commitment per donor and month with either
// figure non-zero, exactly (decimal text to euro cents). They are the
// stages of the same support as the file's allocations (KielCSV), never
// added to them. Every invalid row is reported; nothing is returned if any
// row is invalid. dataset and release name where they came from.
func KielCommitments(r io.Reader, opt KielOptions, dataset, release string) ([]coalition.Commitment, error) {
	cr, _ := newCSVReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, Errors{{File: opt.File, Row: 1, Field: "header", Err: fmt.Errorf("cannot read the header: %w", err)}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[cleanHeader(h)] = i
	}
	for _, need := range []string{"iso", "year", "month", "commitments", "to_be_allocated"} {
		if _, ok := col[need]; !ok {
			return nil, Errors{{File: opt.File, Row: 1, Field: need, Err: errors.New("missing column (is this the Kiel data_explorer.csv layout?)")}}
		}
	}
	var out []coalition.Commitment
	var errs Errors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A quote error or a long line: the rest cannot be trusted.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, append(errs, &RowError{File: opt.File, Row: line, Field: "row", Err: err})
		}
		line, _ := cr.FieldPos(0)
		c, rerr := kielCommitmentRow(rec, col)
		if rerr != nil {
			rerr.File, rerr.Row = opt.File, line
			errs = append(errs, rerr)
			continue
		}
		if c.CommittedEUR == 0 && c.ToBeAllocatedEUR == 0 {
			continue
		}
		c.Dataset, c.Release, c.Source, c.AsOf = dataset, release, opt.Source, opt.AsOf
		out = append(out, c)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// kielCommitmentRow reads one row's donor, month and the two figures.
func kielCommitmentRow(rec []string, col map[string]int) (coalition.Commitment, *RowError) {
	var c coalition.Commitment
	if i, err := csvFields(rec); err != nil {
		return c, &RowError{Field: fmt.Sprintf("column %d", i+1), Err: err}
	}
	for _, name := range []string{"iso", "year", "month", "commitments", "to_be_allocated"} {
		if col[name] >= len(rec) {
			return c, &RowError{Field: name, Err: fmt.Errorf("the row has %d fields, no %s", len(rec), name)}
		}
	}
	c.ISO3 = strings.TrimSpace(rec[col["iso"]])
	if m, ok := kielISO[c.ISO3]; ok {
		c.ISO3 = m
	}
	if !coalition.ValidISO3(c.ISO3) {
		return c, &RowError{Field: "iso", Err: fmt.Errorf("%s is not an ISO 3166-1 alpha-3 code", quote(c.ISO3))}
	}
	m, rerr := kielMonth(rec, col)
	if rerr != nil {
		return c, rerr
	}
	c.Month = m
	for _, f := range []struct {
		column string
		dst    *int64
	}{{"commitments", &c.CommittedEUR}, {"to_be_allocated", &c.ToBeAllocatedEUR}} {
		cents, err := signedBn(rec[col[f.column]])
		if err != nil {
			return c, &RowError{Field: f.column, Err: err}
		}
		*f.dst = cents
	}
	return c, nil
}

// kielMonth reads a row's year and month columns.
func kielMonth(rec []string, col map[string]int) (coalition.Month, *RowError) {
	y, err1 := strconv.Atoi(strings.TrimSpace(rec[col["year"]]))
	mo, err2 := strconv.Atoi(strings.TrimSpace(rec[col["month"]]))
	if err1 != nil || err2 != nil || y < 2000 || y > 2100 || mo < 1 || mo > 12 {
		return 0, &RowError{Field: "month", Err: fmt.Errorf("%s-%s is not a month", quote(rec[col["year"]]), quote(rec[col["month"]]))}
	}
	return coalition.MonthOf(y, timeMonth(mo)), nil
}

// signedBn reads an amount in EUR billions that may be negative (Kiel's
// to_be_allocated) as euro cents; empty, "." and "NA" are 0.
func signedBn(raw string) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "." || raw == "NA" {
		return 0, nil
	}
	neg := strings.HasPrefix(raw, "-")
	cents, err := parseDecimal(strings.TrimPrefix(raw, "-"), 1_000_000_000, "EUR")
	if neg {
		cents = -cents
	}
	return cents, err
}
