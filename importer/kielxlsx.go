package importer

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"coalition"

	"github.com/xuri/excelize/v2"
)

// Kiel workbook sheet names.
const (
	KielMainSheet    = "Bilateral Assistance, MAIN DATA"
	KielSummarySheet = "Country Summary (€)"
)

// kielOldHeaders maps the human-readable headers of Releases 1–15 to the
// snake_case names of Releases 21–28.
var kielOldHeaders = map[string]string{
	"id": "activity_id", "aid_id": "activity_id", "countries": "donor", "country": "donor", "announcement date": "announcement_date",
	"type of aid general": "aid_type_general", "type of aid specific": "aid_type_specific", "sub-type of item": "item_type",
	"no. of units": "item_numb", "original currency": "reporting_currency", "monetary value as given by source": "tot_activity_value",
	"converted value in eur": "tot_activity_value_eur", "total monetary value delivered in eur": "tot_value_deliv_eur",
	"allocated total in eur (redistributed)": "tot_sub_activity_value_eur_redistr",
}

// KielXLSX reads the Kiel Ukraine Support Tracker workbook, streaming the
// MAIN DATA sheet: one pledge per row, allocated (measure Allocation, value
// tot_sub_activity_value_EUR_redistr) or committed (measure Commitment,
// value tot_activity_value_EUR), as Kiel aggregates them; a delivery for
// tot_value_deliv_EUR. If the workbook has the Country Summary sheet, the
// per-donor sums are checked against it and mismatches become warnings.
func KielXLSX(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("kiel-xlsx")
	var st Stats
	e := &errs{max: opt.MaxErrors}
	f, sheet, closeFile, err := kielOpen(r, &opt)
	if err != nil {
		return st, err
	}
	defer closeFile()
	recipient := opt.Recipient
	if recipient == "" {
		recipient = "UKR"
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return st, Errors{{File: opt.File, Sheet: sheet, Field: "sheet", Err: err}}
	}
	defer rows.Close()
	col := map[string]int{}
	rowNum := 0
	seen := map[string]int{}
	alloc, commit := map[string]int64{}, map[string]int64{} // per donor, euro cents
	for rows.Next() && !e.full() {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rowNum++
		cells, err := rows.Columns()
		if err != nil {
			e.add(opt.File, sheet, rowNum, "row", err)
			break
		}
		if len(col) == 0 {
			// The header row: the first with a donor column.
			kielHeaderColumns(cells, col)
			if _, ok := col["donor"]; !ok {
				col = map[string]int{}
				if rowNum >= 20 {
					return st, Errors{{File: opt.File, Sheet: sheet, Row: 1, Field: "donor", Err: errors.New("no header row with a donor (or Countries) column in the first 20 rows")}}
				}
			}
			continue
		}
		get := func(name string) string { return kielCell(cells, col, name) }
		if get("donor") == "" {
			continue // blank rows between blocks
		}
		st.Rows++
		p, del, err := kielRow(get, col, recipient, &opt)
		if err != nil {
			var re *RowError
			if errors.As(err, &re) {
				e.add(opt.File, sheet, rowNum, re.Field, re.Err)
			} else {
				e.add(opt.File, sheet, rowNum, fieldOf(err, "row"), err)
			}
			st.Invalid++
			continue
		}
		if p == nil {
			st.Skipped++
			continue
		}
		if n := seen[p.SourceRef]; n > 0 {
			seen[p.SourceRef] = n + 1
			p.SourceRef += "#" + strconv.Itoa(n+1)
		} else {
			seen[p.SourceRef] = 1
		}
		p.Provenance = opt.provenance(sheet, rowNum, map[string]string{"original": get("tot_activity_value") + " " + get("reporting_currency"),
			"aid_type_specific": get("aid_type_specific"), "earmarked_year": get("earmarked_year")})
		if err := sink.Pledge(ctx, p); err != nil {
			e.add(opt.File, sheet, rowNum, fieldOf(err, "record"), err)
			st.Invalid++
			continue
		}
		if p.Status == coalition.Allocated {
			alloc[p.Donor] += p.AmountEUR
		} else {
			commit[p.Donor] += p.AmountEUR
		}
		st.Records++
		if del != nil {
			if err := sink.Delivery(ctx, p.Source, p.SourceRef, p.SourceRef+"/delivered", p.Provenance, del); err != nil {
				e.add(opt.File, sheet, rowNum, fieldOf(err, "tot_value_deliv_EUR"), err)
				st.Invalid++
				continue
			}
			st.Records++
		}
	}
	if err := rows.Error(); err != nil {
		e.add(opt.File, sheet, rowNum, "sheet", err)
	}
	if len(e.list) == 0 {
		st.Warnings = kielCheckSummary(f, &opt, alloc, commit)
	}
	return st, e.err()
}

// kielOpen spools the workbook to disk (a zip is read from its end),
// checks every part against the limits (checkXLSX) before excelize reads
// it, and finds the main sheet; closeFile closes and removes the spool.
func kielOpen(r io.Reader, opt *Options) (f *excelize.File, sheet string, closeFile func(), err error) {
	tmp, size, err := spool(r, MaxXLSXFile, nil)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, "", nil, Errors{{File: opt.File, Field: "file", Err: err}}
		}
		return nil, "", nil, err
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		removeSpool(tmp)
		return nil, "", nil, Errors{{File: opt.File, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}}
	}
	if err := checkXLSX(zr, opt.File); err != nil {
		removeSpool(tmp)
		return nil, "", nil, Errors{err.(*RowError)}
	}
	f, err = excelize.OpenReader(tmp, excelize.Options{UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		removeSpool(tmp)
		return nil, "", nil, Errors{{File: opt.File, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}}
	}
	closeFile = func() {
		f.Close()
		removeSpool(tmp)
	}
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(strings.TrimSpace(s), KielMainSheet) || strings.EqualFold(strings.TrimSpace(s), "Clean Data") {
			return f, s, closeFile, nil
		}
	}
	err = Errors{{File: opt.File, Field: "sheet", Err: fmt.Errorf("no sheet %q (the workbook has %s)", KielMainSheet, strings.Join(f.GetSheetList(), ", "))}}
	closeFile()
	return nil, "", nil, err
}

// kielCell is the trimmed cell of column name, "" when missing or "." or
// NA.
func kielCell(cells []string, col map[string]int, name string) string {
	i, ok := col[name]
	if !ok || i >= len(cells) {
		return ""
	}
	v := strings.TrimSpace(cells[i])
	if v == "." || strings.EqualFold(v, "NA") {
		return ""
	}
	return v
}

// kielHeaderColumns maps the header names in cells (lower case, old names
// renamed) to their first column.
func kielHeaderColumns(cells []string, col map[string]int) {
	for i, c := range cells {
		h := strings.ToLower(strings.TrimSpace(c))
		if m, ok := kielOldHeaders[h]; ok {
			h = m
		}
		if _, dup := col[h]; !dup && h != "" {
			col[h] = i
		}
	}
}

// kielRow turns one MAIN DATA row into a pledge (nil: nothing to record)
// and, for delivered value, a delivery.
func kielRow(get func(string) string, col map[string]int, recipient string, opt *Options) (*coalition.Pledge, *coalition.Delivery, error) {
	donor, err := opt.Names.Resolve(get("donor"))
	if err != nil {
		return nil, nil, fieldErr("donor", "%v", err)
	}
	measure := strings.ToLower(get("measure"))
	if _, ok := col["measure"]; !ok { // old releases: allocated totals where given
		measure = "commitment"
		if _, ok := col["tot_sub_activity_value_eur_redistr"]; ok {
			measure = "allocation"
		}
	}
	var status coalition.PledgeStatus
	var valueCol string
	switch measure {
	case "allocation":
		status, valueCol = coalition.Allocated, "tot_sub_activity_value_eur_redistr"
	case "commitment":
		status, valueCol = coalition.Committed, "tot_activity_value_eur"
	default:
		return nil, nil, fieldErr("measure", "%s is not Allocation or Commitment", quote(get("measure")))
	}
	raw := get(valueCol)
	if raw == "" {
		return nil, nil, nil
	}
	cents, err := kielEUR(raw)
	if err != nil {
		return nil, nil, fieldErr(valueCol, "%v", err)
	}
	if cents == 0 {
		return nil, nil, nil
	}
	general := strings.ToLower(get("aid_type_general"))
	specific := strings.ToLower(get("aid_type_specific"))
	category := ""
	switch general {
	case "military":
		category = "military"
		switch it := strings.ToLower(get("item_type")); {
		case strings.HasPrefix(it, "ammunition"):
			category = "ammunition"
		case it == "aviation and drones":
			category = "drones"
		case it == "funding, training, services":
			category = "training"
		}
	case "financial":
		category = "financial"
		if strings.Contains(specific, "loan") {
			category = "loans"
		} else if strings.Contains(specific, "guarantee") {
			category = "guarantees"
		}
	case "humanitarian":
		category = "humanitarian"
	default:
		return nil, nil, fieldErr("aid_type_general", "%s is not Financial, Humanitarian or Military", quote(get("aid_type_general")))
	}
	// Dates: the announcement; else the tracker month; else the first earmarked year.
	var announced coalition.Date
	from, to := coalition.Month(0), coalition.Month(0)
	if y1, y2, ok := earmarked(get("earmarked_year")); ok {
		from, to = coalition.MonthOf(y1, time.January), coalition.MonthOf(y2, time.December)
	} else if s := get("earmarked_year"); s != "" {
		return nil, nil, fieldErr("earmarked_year", "%s is not a year or a range like 2023-2027", quote(s))
	}
	month := 0
	if s := get("month"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v != math.Trunc(v) {
			return nil, nil, fieldErr("month", "%s is not a tracker month (1 = January 2022)", quote(s))
		}
		month = int(v)
	}
	dated := get("month_exists_dummy") != "0" && month > 0
	if s := get("announcement_date"); s != "" {
		d, err := kielDate(s)
		if err != nil {
			return nil, nil, fieldErr("announcement_date", "%v", err)
		}
		announced = d
	} else if dated {
		announced = coalition.MonthOf(2022, time.January).Add(month - 1).FirstDay()
	} else if from != 0 {
		announced = from.FirstDay()
	} else {
		return nil, nil, fieldErr("announcement_date", "an undated row needs an announcement date or an earmarked year")
	}
	if dated {
		m := coalition.MonthOf(2022, time.January).Add(month - 1)
		if from == 0 || to == 0 {
			from, to = m, m
		}
	}
	var qty *int64
	if s := get("item_numb"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 {
			return nil, nil, fieldErr("item_numb", "%s is not a number of units", quote(s))
		}
		n := coalition.SaturateInt64(v) // past int64: Validate refuses it by field
		qty = &n
	}
	ref := get("activity_id")
	if ref == "" {
		h := sha256.Sum256([]byte(strings.Join([]string{donor, get("announcement_date"), measure, general, specific, get("item"),
			get("explanation"), get("earmarked_year"), get("month"), raw}, "\x00")))
		ref = "sha256:" + hex.EncodeToString(h[:])[:16]
	}
	p := &coalition.Pledge{Donor: donor, Recipient: recipient, Category: category,
		Amount: coalition.Money{Minor: cents, Currency: "EUR"}, AmountEUR: cents, FXRate: 1, FXMonth: announced.Month(),
		Quantity: qty, Unit: get("item"), Announced: announced, DeliverFrom: from, DeliverTo: to, Status: status,
		Visibility: coalition.Public, Source: opt.Source, SourceRef: ref + "/" + measure, AsOf: opt.AsOf}
	if qty == nil {
		p.Unit = ""
	}
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	var del *coalition.Delivery
	if s := get("tot_value_deliv_eur"); s != "" && status == coalition.Allocated {
		dc, err := kielEUR(s)
		if err != nil {
			return nil, nil, fieldErr("tot_value_deliv_EUR", "%v", err)
		}
		var dq *int64
		if s := get("item_numb_deliv"); s != "" {
			if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 {
				n := coalition.SaturateInt64(v)
				dq = &n
			}
		}
		if dc > 0 || dq != nil {
			del = &coalition.Delivery{Date: opt.AsOf, AmountEUR: dc, Quantity: dq, Source: opt.Source}
		}
	}
	return p, del, nil
}

// kielEUR parses a euro amount (Kiel writes plain euros) into cents.
func kielEUR(s string) (int64, error) {
	c, err := parseDecimal(strings.ReplaceAll(s, ",", ""), 1, "EUR")
	if err != nil {
		// Cells formatted as scientific numbers: 1.2E+9.
		v, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 9e15 {
			return 0, err
		}
		c = int64(math.Round(v * 100))
	}
	if c < 0 {
		return 0, fmt.Errorf("negative amount %s", s)
	}
	return c, nil
}

// kielDate reads ISO dates, US m/d/y dates and Excel serial days.
func kielDate(s string) (coalition.Date, error) {
	if d, err := parseDate(s); err == nil {
		return d, nil
	}
	for _, layout := range []string{"1/2/2006", "01/02/2006", "1/2/06", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return coalition.DateOf(t), nil
		}
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && v > 40000 && v < 60000 {
		t, err := excelize.ExcelDateToTime(v, false)
		if err == nil {
			return coalition.DateOf(t), nil
		}
	}
	return coalition.Date{}, fmt.Errorf("%s is not a date (YYYY-MM-DD, M/D/YYYY or an Excel date)", quote(s))
}

// earmarked reads "2024" or "2023-2027".
func earmarked(s string) (int, int, bool) {
	if s == "" {
		return 0, 0, false
	}
	a, b, found := strings.Cut(s, "-")
	y1, err1 := strconv.Atoi(strings.TrimSpace(a))
	y2 := y1
	var err2 error
	if found {
		y2, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	if err1 != nil || err2 != nil || y1 < 2000 || y2 < y1 || y2 > 2100 {
		return 0, 0, false
	}
	return y1, y2, true
}

// kielCheckSummary compares per-donor sums with the Country Summary sheet
// (€ bn, header row found by its "Country" cell).
func kielCheckSummary(f *excelize.File, opt *Options, alloc, commit map[string]int64) []string {
	sheet := ""
	for _, s := range f.GetSheetList() {
		if strings.TrimSpace(s) == KielSummarySheet {
			sheet = s
		}
	}
	if sheet == "" {
		return nil
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", sheet, err)}
	}
	defer rows.Close()
	var warn []string
	col := map[string]int{}
	n := 0
	for rows.Next() {
		n++
		cells, _ := rows.Columns()
		if len(col) == 0 {
			for i, c := range cells {
				col[strings.TrimSpace(c)] = i
			}
			if _, ok := col["Country"]; !ok {
				col = map[string]int{}
			}
			continue
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[i])
		}
		name := get("Country")
		if name == "" {
			continue
		}
		if strings.EqualFold(name, "Total") {
			break
		}
		iso, err := opt.Names.Resolve(name)
		if err != nil {
			warn = append(warn, fmt.Sprintf("%s!%d: Country: %v", sheet, n, err))
			continue
		}
		for _, c := range []struct {
			column string
			got    int64
		}{{"Total bilateral allocations", alloc[iso]}, {"Total bilateral commitments", commit[iso]}} {
			s := get(c.column)
			if s == "" || s == "." {
				continue
			}
			want, err := strconv.ParseFloat(s, 64)
			if err != nil {
				continue
			}
			// € bn to 3 decimals: within half a million euros.
			if math.Abs(float64(c.got)/1e11-want) > 0.0005 {
				warn = append(warn, fmt.Sprintf("%s!%d: %s: %s sums to %.3f bn in MAIN DATA, the summary says %.3f bn", sheet, n, c.column, iso, float64(c.got)/1e11, want))
			}
		}
	}
	sort.Strings(warn)
	return warn
}
