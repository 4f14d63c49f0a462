package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"coalition"
)

// ECBRates reads the euro reference rates as the ECB data portal's SDMX
// API returns them with format=csvdata (KEY, FREQ, CURRENCY,
// CURRENCY_DENOM, EXR_TYPE, EXR_SUFFIX, TIME_PERIOD, OBS_VALUE, then
// attributes): one row per currency and month of the monthly averages
// (series EXR.M.<currency>.EUR.SP00.A), in units of the currency per euro.
// A row of another series (daily rates, another denominator) is an error,
// not skipped: it means the request or the format changed. An empty
// OBS_VALUE (a month without a rate) is left out. Every invalid row is
// reported; nothing is returned if any is invalid.
func ECBRates(r io.Reader, file string) ([]coalition.FXRate, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, Errors{{File: file, Row: 1, Field: "header", Err: fmt.Errorf("cannot read the header: %w", err)}}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var errs Errors
	for _, need := range []string{"FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD", "OBS_VALUE"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, &RowError{File: file, Row: 1, Field: need, Err: errors.New("missing column (is this the ECB data portal's format=csvdata?)")})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	type key struct {
		cur string
		m   coalition.Month
	}
	seen := map[key]int{}
	var out []coalition.FXRate
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line, err = pe.Line, pe.Err
			}
			errs = append(errs, &RowError{File: file, Row: line, Field: "row", Err: err})
			break // a quote error: the rest cannot be trusted
		}
		line, _ := cr.FieldPos(0)
		rate, skip, rerr := ecbRow(rec, col)
		if rerr != nil {
			rerr.File, rerr.Row = file, line
			errs = append(errs, rerr)
			continue
		}
		if skip {
			continue
		}
		k := key{rate.Currency, rate.Month}
		if first, dup := seen[k]; dup {
			errs = append(errs, &RowError{File: file, Row: line, Field: "TIME_PERIOD", Err: fmt.Errorf("%s %s again (first on line %d)", k.cur, k.m, first)})
			continue
		}
		seen[k] = line
		out = append(out, rate)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, Errors{{File: file, Row: 2, Field: "OBS_VALUE", Err: errors.New("no rate in the file")}}
	}
	return out, nil
}

// ecbRow reads one row: a rate, or skip for a month without a value.
func ecbRow(rec []string, col map[string]int) (coalition.FXRate, bool, *RowError) {
	get := func(name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	bad := func(field, format string, args ...any) (coalition.FXRate, bool, *RowError) {
		return coalition.FXRate{}, false, &RowError{Field: field, Err: fmt.Errorf(format, args...)}
	}
	for _, want := range [][2]string{{"FREQ", "M"}, {"CURRENCY_DENOM", "EUR"}, {"EXR_TYPE", "SP00"}, {"EXR_SUFFIX", "A"}} {
		if got := get(want[0]); got != want[1] {
			return bad(want[0], "%s, want %s (monthly averages of the euro reference rates: EXR.M.<currency>.EUR.SP00.A)", quote(got), want[1])
		}
	}
	cur := get("CURRENCY")
	if !coalition.ValidCurrency(cur) {
		return bad("CURRENCY", "%s is not an ISO 4217 currency code", quote(cur))
	}
	m, err := coalition.ParseMonth(get("TIME_PERIOD"))
	if err != nil {
		return bad("TIME_PERIOD", "%s is not a month (YYYY-MM)", quote(get("TIME_PERIOD")))
	}
	raw := get("OBS_VALUE")
	if raw == "" || raw == "NaN" {
		return coalition.FXRate{}, true, nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) || len(raw) > maxScalar {
		return bad("OBS_VALUE", "%s is not a positive rate", quote(raw))
	}
	return coalition.FXRate{Month: m, Currency: cur, UnitsPerEUR: v,
		Source: fmt.Sprintf("ECB euro reference rate, monthly average (ECB data portal, series EXR.M.%s.EUR.SP00.A)", cur)}, false, nil
}
