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
	"allocated total in eur (redistributed)": "tot_sub_activity_value_eur_redistr", "type of donation": "measure",
	"earmarked year": "earmarked_year", "earmarked years": "earmarked_year", "no. of units delivered": "item_numb_deliv",
	"no. of units delivered (in-kind military aid)": "item_numb_deliv",
	// Release 7 (2022; testdata/real/SOURCES.md): the tracker month
	// (1 = January 2022) and whether the row has one, and the package flag.
	"month3": "month", "monthcoding2": "month_exists_dummy",
	"total_value_dummy (1 is first row in the package)": "total_value_dummy",
}

// KielXLSX reads the Kiel Ukraine Support Tracker workbook, streaming the
// MAIN DATA sheet: one pledge per row, allocated (measure Allocation, value
// tot_sub_activity_value_EUR_redistr) or committed (measure Commitment,
// value tot_activity_value_EUR), as Kiel aggregates them; a delivery for
// tot_value_deliv_EUR. If the workbook has the Country Summary sheet, the
// per-donor sums are checked against it and mismatches become warnings.
func KielXLSX(ctx context.Context, r io.Reader, opt Options, sink Sink) (Stats, error) {
	opt.defaults("kiel-xlsx")
	f, sheet, closeFile, err := kielOpen(r, &opt)
	if err != nil {
		return Stats{}, err
	}
	defer closeFile()
	rows, err := f.Rows(sheet)
	if err != nil {
		return Stats{}, Errors{{File: opt.File, Sheet: sheet, Field: "sheet", Err: err}}
	}
	defer rows.Close()
	k := &kielSheet{opt: &opt, sheet: sheet, sink: sink, recipient: opt.Recipient, e: &errs{max: opt.MaxErrors},
		col: map[string]int{}, seen: map[string]int{}, alloc: map[string]int64{}, commit: map[string]int64{}}
	if k.recipient == "" {
		k.recipient = "UKR"
	}
	if err := k.readRows(ctx, rows); err != nil {
		return k.st, err
	}
	if len(k.e.list) == 0 {
		k.st.Warnings = kielCheckSummary(f, &opt, k.alloc, k.commit)
	}
	return k.st, k.e.err()
}

// kielSheet is the state of one pass over MAIN DATA: the header, the
// references seen (Kiel repeats activity ids), and the per-donor sums that
// are checked against the Country Summary at the end.
type kielSheet struct {
	opt           *Options
	sheet         string
	sink          Sink
	recipient     string
	st            Stats
	e             *errs
	rowNum        int
	col           map[string]int
	seen          map[string]int
	alloc, commit map[string]int64 // per donor, euro cents
}

// readRows streams the sheet until its end or the error limit; it returns
// only errors that end the import (a cancelled context, no header).
func (k *kielSheet) readRows(ctx context.Context, rows *excelize.Rows) error {
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		k.rowNum++
		// Values, not the text Excel displays: a date is its serial
		// number, an amount formatted #,##0 keeps its cents.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			k.e.add(k.opt.File, k.sheet, k.rowNum, "row", err)
			break
		}
		if len(k.col) == 0 {
			if err := k.header(cells); err != nil {
				return err
			}
			continue
		}
		k.row(ctx, cells)
	}
	if err := rows.Error(); err != nil {
		k.e.add(k.opt.File, k.sheet, k.rowNum, "sheet", err)
	}
	return nil
}

// header takes cells as the header row if they have a donor column; Kiel
// puts notes above the header, so up to 20 rows are tried.
func (k *kielSheet) header(cells []string) error {
	kielHeaderColumns(cells, k.col)
	if _, ok := k.col["donor"]; ok {
		return nil
	}
	k.col = map[string]int{}
	if k.rowNum >= 20 {
		return Errors{{File: k.opt.File, Sheet: k.sheet, Row: 1, Field: "donor", Err: errors.New("no header row with a donor (or Countries) column in the first 20 rows")}}
	}
	return nil
}

// row records one data row: its pledge, then its delivery, counting what
// was read, sent, skipped and refused.
func (k *kielSheet) row(ctx context.Context, cells []string) {
	get := func(name string) string { return kielCell(cells, k.col, name) }
	if get("donor") == "" {
		return // blank rows between blocks
	}
	k.st.Rows++
	res, err := kielRow(get, k.col, k.recipient, k.opt)
	if err != nil {
		k.refuse(rowErrorOf(err, "row"))
		return
	}
	p, del := res.p, res.del
	if p == nil {
		k.st.skip(res.skip)
		return
	}
	k.uniqueRef(p)
	extra := map[string]string{"original": get("tot_activity_value") + " " + get("reporting_currency"),
		"aid_type_specific": get("aid_type_specific"), "earmarked_year": get("earmarked_year")}
	res.note(extra, get("announcement_date"))
	p.Provenance = k.opt.provenance(k.sheet, k.rowNum, extra)
	if err := k.sink.Pledge(ctx, p); err != nil {
		k.refuse(fieldOf(err, "record"), err)
		return
	}
	k.sum(p)
	k.st.Records++
	res.count(&k.st)
	if del == nil {
		return
	}
	if err := k.sink.Delivery(ctx, p.Source, p.SourceRef, p.SourceRef+"/delivered", p.Provenance, del); err != nil {
		k.refuse(fieldOf(err, "tot_value_deliv_EUR"), err)
		return
	}
	k.st.Records++
}

// refuse records the current row as invalid.
func (k *kielSheet) refuse(field string, err error) {
	k.e.add(k.opt.File, k.sheet, k.rowNum, field, err)
	k.st.Invalid++
}

// rowErrorOf splits a parser's error into the field it names and the
// cause to show: a *RowError's own, else a domain error's field, else def.
func rowErrorOf(err error, def string) (string, error) {
	var re *RowError
	if errors.As(err, &re) {
		return re.Field, re.Err
	}
	return fieldOf(err, def), err
}

// uniqueRef numbers the second and later rows with one reference (#2, #3,
// …) in the order of the sheet, so that re-importing keys them the same.
func (k *kielSheet) uniqueRef(p *coalition.Pledge) {
	n := k.seen[p.SourceRef]
	k.seen[p.SourceRef] = n + 1
	if n > 0 {
		p.SourceRef += "#" + strconv.Itoa(n+1)
	}
}

// sum adds a recorded pledge to its donor's total for the summary check.
func (k *kielSheet) sum(p *coalition.Pledge) {
	if p.Status == coalition.Allocated {
		k.alloc[p.Donor] += p.AmountEUR
	} else {
		k.commit[p.Donor] += p.AmountEUR
	}
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
// NA (or Excel's #N/A, the value of a lookup that found nothing).
func kielCell(cells []string, col map[string]int, name string) string {
	i, ok := col[name]
	if !ok || i >= len(cells) {
		return ""
	}
	v := strings.TrimSpace(cells[i])
	if v == "." || strings.EqualFold(v, "NA") || strings.EqualFold(v, "#N/A") {
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

// kielResult is what one MAIN DATA row gives: a pledge (nil: nothing to
// record, and why) and, for delivered value, a delivery, with the caveats
// the record carries.
type kielResult struct {
	p      *coalition.Pledge
	del    *coalition.Delivery
	skip   string // why the row records nothing
	approx string // how an approximate announcement date was read; "" when exact
	units  string // the units cell when it says the quantity is not known
}

// note writes the row's caveats into its provenance.
func (r *kielResult) note(extra map[string]string, dateText string) {
	if r.approx != "" {
		extra["announcement_date_text"] = dateText
		extra["announcement_date_approximate"] = r.approx
	}
	if r.units != "" {
		extra["item_numb"] = r.units
	}
}

// count adds the row's caveats to the import's summary.
func (r *kielResult) count(st *Stats) {
	if r.approx != "" {
		st.flag("approximate announcement date")
	}
	if r.units != "" {
		st.flag("undisclosed quantity")
	}
}

// kielRow turns one MAIN DATA row into a pledge (nil: nothing to record)
// and, for delivered value, a delivery.
func kielRow(get func(string) string, col map[string]int, recipient string, opt *Options) (kielResult, error) {
	var res kielResult
	donor, err := opt.Names.Resolve(get("donor"))
	if err != nil {
		return res, fieldErr("donor", "%v", err)
	}
	measure, status, valueCol, err := kielMeasure(get, col)
	if err != nil {
		return res, err
	}
	raw := get(valueCol)
	if (raw == "" || raw == ".") && get("total_value_dummy") == "0" {
		// Early releases list a package's items on rows of their own
		// under its first row, which carries the package's value.
		res.skip = "item row of a package (its value is on the package's first row)"
		return res, nil
	}
	if raw == "" || kielUnknown(raw) {
		res.skip = "no " + measure + " value"
		return res, nil
	}
	cents, err := kielEUR(raw)
	if err != nil {
		return res, fieldErr(valueCol, "%v", err)
	}
	if cents == 0 {
		res.skip = "zero " + measure + " value"
		return res, nil
	}
	category, err := kielCategory(get)
	if err != nil {
		return res, err
	}
	announced, from, to, err := kielDates(get, &res)
	if errors.Is(err, errKielUndated) {
		res.skip = "no date stated (Kiel: " + strings.ToLower(strings.TrimSpace(get("announcement_date"))) + ") and no tracker month"
		return res, nil
	}
	if err != nil {
		return res, err
	}
	qty, err := kielUnits(get, "item_numb", &res.units)
	if err != nil {
		return res, err
	}
	p := &coalition.Pledge{Donor: donor, Recipient: recipient, Category: category,
		Amount: coalition.Money{Minor: cents, Currency: "EUR"}, AmountEUR: cents, FXRate: 1, FXMonth: announced.Month(),
		Quantity: qty, Announced: announced, DeliverFrom: from, DeliverTo: to, Status: status,
		Visibility: coalition.Public, Source: opt.Source, SourceRef: kielRef(get, donor, measure, raw) + "/" + measure, AsOf: opt.AsOf}
	if qty != nil {
		p.Unit = get("item")
	}
	if err := p.Validate(); err != nil {
		return res, err
	}
	res.p = p
	if status != coalition.Allocated {
		return res, nil
	}
	if res.del, err = kielDelivery(get, opt); err != nil {
		return kielResult{}, err
	}
	return res, nil
}

// kielMeasure says which of Kiel's two aggregates a row carries and so
// which column holds its value: the old releases have no measure column
// and give allocated totals where they have the redistributed column.
func kielMeasure(get func(string) string, col map[string]int) (measure string, status coalition.PledgeStatus, valueCol string, err error) {
	measure = strings.ToLower(get("measure"))
	if _, ok := col["measure"]; !ok {
		measure = "commitment"
		if _, ok := col["tot_sub_activity_value_eur_redistr"]; ok {
			measure = "allocation"
		}
	}
	switch measure {
	case "allocation":
		// Releases without the redistributed column give the
		// allocation's value as the activity's.
		for _, c := range []string{"tot_sub_activity_value_eur_redistr", "tot_sub_activity_value_eur"} {
			if _, ok := col[c]; ok {
				return measure, coalition.Allocated, c, nil
			}
		}
		return measure, coalition.Allocated, "tot_activity_value_eur", nil
	case "commitment":
		return measure, coalition.Committed, "tot_activity_value_eur", nil
	}
	return "", "", "", fieldErr("measure", "%s is not Allocation or Commitment", quote(get("measure")))
}

// kielMilitaryItems are the item types that narrow a military row to a
// finer category; any other item stays "military".
var kielMilitaryItems = map[string]string{"aviation and drones": "drones", "funding, training, services": "training"}

// kielCategory maps Kiel's general and specific aid types to Coalition's
// categories: the general type decides, the item or the specific type
// narrows it where Coalition keeps a finer category.
func kielCategory(get func(string) string) (string, error) {
	switch strings.ToLower(get("aid_type_general")) {
	case "military":
		return kielMilitaryCategory(strings.ToLower(get("item_type"))), nil
	case "financial":
		return kielFinancialCategory(strings.ToLower(get("aid_type_specific"))), nil
	case "humanitarian":
		return "humanitarian", nil
	}
	return "", fieldErr("aid_type_general", "%s is not Financial, Humanitarian or Military", quote(get("aid_type_general")))
}

// kielMilitaryCategory narrows a military row by its item type, because
// ammunition, drones and training are needs of their own.
func kielMilitaryCategory(itemType string) string {
	if strings.HasPrefix(itemType, "ammunition") {
		return "ammunition"
	}
	if c, ok := kielMilitaryItems[itemType]; ok {
		return c
	}
	return "military"
}

// kielFinancialCategory narrows a financial row by its specific type,
// because loans and guarantees are not grants and are counted apart.
func kielFinancialCategory(specific string) string {
	switch {
	case strings.Contains(specific, "loan"):
		return "loans"
	case strings.Contains(specific, "guarantee"):
		return "guarantees"
	}
	return "financial"
}

// kielDates dates a row: the announcement; else the tracker month; else
// the first earmarked year. The delivery window is the earmarked years,
// else the tracker month.
func kielDates(get func(string) string, res *kielResult) (announced coalition.Date, from, to coalition.Month, err error) {
	from, to, err = kielEarmarked(get("earmarked_year"))
	if err != nil {
		return announced, 0, 0, err
	}
	tracker, err := kielTrackerMonth(get("month"))
	if err != nil {
		return announced, 0, 0, err
	}
	if get("month_exists_dummy") == "0" {
		tracker = 0 // the row says its month is a placeholder
	}
	announced, res.approx, err = kielAnnounced(get("announcement_date"), tracker, from)
	if err != nil {
		return announced, 0, 0, err
	}
	if tracker != 0 && (from == 0 || to == 0) {
		from, to = tracker, tracker
	}
	return announced, from, to, nil
}

// kielEarmarked reads the earmarked years as a delivery window (0, 0 when
// the cell is empty), so that a typo is an error rather than an undated row.
func kielEarmarked(s string) (from, to coalition.Month, err error) {
	if y1, y2, ok := earmarked(s); ok {
		return coalition.MonthOf(y1, time.January), coalition.MonthOf(y2, time.December), nil
	}
	if s != "" && !kielUnknown(s) {
		return 0, 0, fieldErr("earmarked_year", "%s is not a year or a range like 2023-2027", quote(s))
	}
	return 0, 0, nil
}

// kielTrackerMonth converts Kiel's month counter (1 = January 2022) into a
// month, 0 when the cell is empty or 0; the workbook writes it as a float.
func kielTrackerMonth(s string) (coalition.Month, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v != math.Trunc(v) {
		return 0, fieldErr("month", "%s is not a tracker month (1 = January 2022)", quote(s))
	}
	if v == 0 {
		return 0, nil
	}
	return coalition.MonthOf(2022, time.January).Add(int(v) - 1), nil
}

// errKielUndated: the row says its date is unknown ("unspecified") and
// has no tracker month or earmarked year to date it by; it is skipped and
// counted, not refused (Kiel's own convention, not a typo).
var errKielUndated = errors.New("no date stated and no tracker month")

// kielAnnounced picks the announcement date from the best evidence the row
// has, in the order Kiel itself trusts them. A text date that states only
// a month or a year ("until 12/20/2022", "not specified, 03/22") is read
// as the first day of that month; approx then says how it was read.
func kielAnnounced(s string, tracker, earmarkedFrom coalition.Month) (d coalition.Date, approx string, err error) {
	switch {
	case s != "":
		d, err := kielDate(s)
		if err == nil {
			return d, "", nil
		}
		if m, how, ok := kielApproxMonth(s, tracker); ok {
			return m.FirstDay(), how, nil
		}
		if kielUnknown(s) && earmarkedFrom != 0 {
			return earmarkedFrom.FirstDay(), "no date stated; first earmarked year", nil
		}
		if kielUnknown(s) {
			return coalition.Date{}, "", errKielUndated
		}
		return coalition.Date{}, "", fieldErr("announcement_date", "%v", err)
	case tracker != 0:
		return tracker.FirstDay(), "", nil
	case earmarkedFrom != 0:
		return earmarkedFrom.FirstDay(), "", nil
	}
	return coalition.Date{}, "", fieldErr("announcement_date", "an undated row needs an announcement date or an earmarked year")
}

// kielUnits reads a number of units (nil when empty); past int64 it
// saturates so that Validate refuses it by field. Kiel's words for an
// unknown quantity ("undisclosed", see kielUnknownWords) give no quantity,
// and the word is kept in *unknown.
func kielUnits(get func(string) string, column string, unknown *string) (*int64, error) {
	s := get(column)
	if s == "" {
		return nil, nil
	}
	if kielUnknown(s) {
		*unknown = s
		return nil, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || v < 0 {
		return nil, fieldErr(column, "%s is not a number of units", quote(s))
	}
	n := coalition.SaturateInt64(v)
	return &n, nil
}

// kielRef is the row's natural key: Kiel's activity id, or, in releases
// without one, a hash of the cells that tell two rows apart.
func kielRef(get func(string) string, donor, measure, raw string) string {
	if ref := get("activity_id"); ref != "" {
		return ref
	}
	h := sha256.Sum256([]byte(strings.Join([]string{donor, get("announcement_date"), measure, strings.ToLower(get("aid_type_general")),
		strings.ToLower(get("aid_type_specific")), get("item"), get("explanation"), get("earmarked_year"), get("month"), raw}, "\x00")))
	return "sha256:" + hex.EncodeToString(h[:])[:16]
}

// kielDelivery is the delivered part of an allocated row (nil when none):
// Kiel gives delivered value only against allocations. A bad delivered
// quantity is dropped rather than refused, as the value is what counts.
func kielDelivery(get func(string) string, opt *Options) (*coalition.Delivery, error) {
	s := get("tot_value_deliv_eur")
	if s == "" || kielUnknown(s) {
		return nil, nil
	}
	dc, err := kielEUR(s)
	if err != nil {
		return nil, fieldErr("tot_value_deliv_EUR", "%v", err)
	}
	var unknown string
	dq, _ := kielUnits(get, "item_numb_deliv", &unknown)
	if dc == 0 && dq == nil {
		return nil, nil
	}
	return &coalition.Delivery{Date: opt.AsOf, AmountEUR: dc, Quantity: dq, Source: opt.Source}, nil
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
	// M/D/Y as Kiel writes text dates; ISO date-times are the raw value
	// of a cell of type d (an ISO 8601 date cell).
	for _, layout := range []string{"1/2/2006", "01/02/2006", "1/2/06", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return coalition.DateOf(t), nil
		}
	}
	// The raw value of a date-formatted cell (built-in formats 14–22 or
	// any custom date format) is its serial day number.
	if v, err := strconv.ParseFloat(s, 64); err == nil && v > 36000 && v < 60000 {
		t, err := excelize.ExcelDateToTime(v, false)
		if err == nil {
			return coalition.DateOf(t), nil
		}
	} else if err == nil && v >= 1 && v < 2958466 {
		// A serial day number far from the tracker's years: a typo in the
		// workbook (Release of 2023: 373319), named with the date it is.
		if t, err := excelize.ExcelDateToTime(v, false); err == nil {
			return coalition.Date{}, fmt.Errorf("%s is not a plausible date: as an Excel date it is %s (dates from 1998-07-25 to 2064-04-07 are read)",
				quote(s), t.Format("2006-01-02"))
		}
	}
	return coalition.Date{}, fmt.Errorf("%s is not a date (YYYY-MM-DD, M/D/YYYY or an Excel date)", quote(s))
}

// earmarked reads "2024", "2023-2027" or a list of years as Kiel's
// releases write them ("2023, 2024", "2023/2024", "2023 and 2024",
// "2023–2025"): the first and the last year.
func earmarked(s string) (int, int, bool) {
	if s == "" || !kielYearsOnly().MatchString(s) {
		return 0, 0, false
	}
	y1, y2 := 0, 0
	for _, m := range kielYearList().FindAllString(s, -1) {
		y, err := strconv.Atoi(m)
		if err != nil {
			return 0, 0, false
		}
		if y1 == 0 || y < y1 {
			y1 = y
		}
		if y > y2 {
			y2 = y
		}
	}
	if y1 < 2000 || y2 > 2100 {
		return 0, 0, false
	}
	return y1, y2, true
}

var (
	kielYearsOnly = lazyRegexp(`^\s*\d{4}(?:\s*(?:-|–|/|,|&|and|to)\s*\d{4})*\s*$`)
	kielYearList  = lazyRegexp(`\d{4}`)
)

// kielCheckSummary compares per-donor sums with the Country Summary sheet
// (€ bn, header row found by its "Country" cell).
func kielCheckSummary(f *excelize.File, opt *Options, alloc, commit map[string]int64) []string {
	sheet := kielSummarySheet(f)
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
		cells, _ := rows.Columns(excelize.Options{RawCellValue: true})
		if len(col) == 0 {
			col = kielSummaryHeader(cells)
			continue
		}
		get := func(name string) string { return kielSummaryCell(cells, col, name) }
		name := get("Country")
		if strings.EqualFold(name, "Total") {
			break
		}
		if name != "" {
			warn = append(warn, kielSummaryRow(get, sheet, n, opt, alloc, commit)...)
		}
	}
	sort.Strings(warn)
	return warn
}

// kielSummarySheet is the name of the Country Summary sheet as the workbook
// spells it (Kiel pads names with spaces), "" when it has none.
func kielSummarySheet(f *excelize.File) string {
	sheet := ""
	for _, s := range f.GetSheetList() {
		if strings.TrimSpace(s) == KielSummarySheet {
			sheet = s
		}
	}
	return sheet
}

// kielSummaryHeader maps the columns of cells if they are the header row
// (they have a Country cell); else it returns an empty map, so that the
// notes above the header are skipped.
func kielSummaryHeader(cells []string) map[string]int {
	col := map[string]int{}
	for i, c := range cells {
		col[strings.TrimSpace(c)] = i
	}
	if _, ok := col["Country"]; !ok {
		return map[string]int{}
	}
	return col
}

// kielSummaryCell is the trimmed cell of column name, "" when missing.
func kielSummaryCell(cells []string, col map[string]int, name string) string {
	i, ok := col[name]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// kielSummaryRow compares one donor's allocations and commitments with
// MAIN DATA; a total it cannot read is not checked, since the summary
// sheet is only a cross-check.
func kielSummaryRow(get func(string) string, sheet string, n int, opt *Options, alloc, commit map[string]int64) []string {
	iso, err := opt.Names.Resolve(get("Country"))
	if err != nil {
		return []string{fmt.Sprintf("%s!%d: Country: %v", sheet, n, err)}
	}
	var warn []string
	for _, c := range []struct {
		column string
		got    int64
	}{{"Total bilateral allocations", alloc[iso]}, {"Total bilateral commitments", commit[iso]}} {
		want, err := strconv.ParseFloat(get(c.column), 64)
		if err != nil {
			continue // empty, "." or text
		}
		// € bn to 3 decimals: within half a million euros.
		if math.Abs(float64(c.got)/1e11-want) > 0.0005 {
			warn = append(warn, fmt.Sprintf("%s!%d: %s: %s sums to %.3f bn in MAIN DATA, the summary says %.3f bn", sheet, n, c.column, iso, float64(c.got)/1e11, want))
		}
	}
	return warn
}
