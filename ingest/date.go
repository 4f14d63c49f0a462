package ingest

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"coalition"
)

// Precision of a date found in text.
const (
	PrecDay   = "day"
	PrecMonth = "month" // Date is the first of the month
	PrecYear  = "year"  // Date is 1 January
)

// DateExpr is a date stated in text, resolved against the text's date when
// it is relative ("on Thursday", "last month").
type DateExpr struct {
	Date      coalition.Date `json:"date"`
	Precision string         `json:"precision"`
	Relative  bool           `json:"relative,omitempty"`
}

// ParseDate parses s as one date expression: "2025-03-14", "14 March 2025",
// "March 14, 2025", "March 2025", "in 2023", "on Thursday", "yesterday",
// "last month", "next week". Relative expressions need ref; a weekday is
// taken as the latest such day on or before ref.
func ParseDate(s string, ref coalition.Date) (DateExpr, error) {
	toks := tokenize(s)
	if len(toks) == 0 {
		return DateExpr{}, coalition.FieldError("date", "is empty")
	}
	d, j, ok := dateAt(toks, 0, len(toks), ref, false)
	if !ok {
		return DateExpr{}, coalition.FieldError("date", "%q is not a date this parser knows (or it is relative and no reference date was given)", s)
	}
	if j != len(toks) {
		return DateExpr{}, coalition.FieldError("date", "%q: unexpected %q after the date", s, toks[j].text)
	}
	return d, nil
}

var monthNames = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// dateStart holds the words a date expression can begin with (besides
// numbers), built on first use.
var dateStart = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"today": true, "yesterday": true, "tomorrow": true, "last": true, "next": true, "this": true, "a": true, "one": true}
	for w := range monthNames {
		m[w] = true
	}
	for w := range weekdays {
		m[w] = true
	}
	return m
})

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func mkDate(y int, m time.Month, d int) (coalition.Date, bool) {
	if y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return coalition.Date{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return coalition.Date{}, false // 31 February
	}
	return coalition.DateOf(t), true
}

func addDays(d coalition.Date, n int) coalition.Date {
	return coalition.DateOf(d.Time().AddDate(0, 0, n))
}

// monthAt reads a month name (with an optional abbreviation dot).
func monthAt(toks []token, i, limit int) (time.Month, int, bool) {
	if i >= limit || toks[i].kind != tWord || !toks[i].upper {
		return 0, i, false
	}
	m, ok := monthNames[toks[i].norm]
	if !ok {
		return 0, i, false
	}
	j := i + 1
	if len(toks[i].norm) <= 4 && j < limit && toks[j].text == "." && toks[j].start == toks[i].end {
		j++
	}
	return m, j, true
}

// dayAt reads "14", "14th", "1st".
func dayAt(toks []token, i, limit int) (int, int, bool) {
	if i >= limit || toks[i].kind != tNumber {
		return 0, i, false
	}
	s := toks[i].norm
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suf)
	}
	if len(s) > 2 {
		return 0, i, false
	}
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 || d > 31 {
		return 0, i, false
	}
	return d, i + 1, true
}

// yearAt reads a four-digit year 1900–2199.
func yearAt(toks []token, i, limit int) (int, int, bool) {
	if i >= limit || toks[i].kind != tNumber || len(toks[i].text) != 4 {
		return 0, i, false
	}
	y, err := strconv.Atoi(toks[i].text)
	if err != nil || y < 1900 || y > 2199 {
		return 0, i, false
	}
	return y, i + 1, true
}

// nearestYear picks the year for a day and month given without one: the
// year that puts it closest to ref.
func nearestYear(m time.Month, d int, ref coalition.Date) (coalition.Date, bool) {
	if ref.IsZero() {
		return coalition.Date{}, false
	}
	best, bestGap := coalition.Date{}, 1<<30
	for y := ref.Y - 1; y <= ref.Y+1; y++ {
		c, ok := mkDate(y, m, d)
		if !ok {
			continue
		}
		gap := int(c.Time().Sub(ref.Time()).Hours() / 24)
		if gap < 0 {
			gap = -gap
		}
		if gap < bestGap {
			best, bestGap = c, gap
		}
	}
	return best, !best.IsZero()
}

// dateAt reads a date expression starting at token i. future says the
// sentence speaks of what will happen, so "on Thursday" is the next one.
func dateAt(toks []token, i, limit int, ref coalition.Date, future bool) (DateExpr, int, bool) {
	if i >= limit {
		return noDate(i)
	}
	t := toks[i]
	if looksISO(t) {
		return isoDateAt(t, i)
	}
	if wd, ok := weekdays[t.norm]; ok && t.upper {
		return weekdayAt(toks, i, limit, ref, wd, future)
	}
	if d, n, ok := absoluteAt(toks, i, limit, ref); ok {
		return d, n, true
	}
	if ref.IsZero() {
		return noDate(i)
	}
	for _, read := range relativeReaders {
		if d, n, ok := read(toks, i, limit, ref); ok {
			return d, n, true
		}
	}
	return noDate(i)
}

// relativeReaders read the dates that only ref makes exact, in the order
// they are tried.
var relativeReaders = []func(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool){deicticAt, stepAt, agoAt}

// noDate is dateAt's answer when there is no date at token i.
func noDate(i int) (DateExpr, int, bool) { return DateExpr{}, i, false }

// relative is a date that ref decided.
func relative(d coalition.Date, precision string) DateExpr {
	return DateExpr{Date: d, Precision: precision, Relative: true}
}

// looksISO: a number token shaped like 2025-03-14, which is read as an ISO
// date or as nothing.
func looksISO(t token) bool {
	return t.kind == tNumber && len(t.text) == 10 && t.text[4] == '-' && t.text[7] == '-'
}

// isoDateAt reads the ISO date t at token i; an impossible one (2025-02-30)
// is no date.
func isoDateAt(t token, i int) (DateExpr, int, bool) {
	if d, err := coalition.ParseDate(t.text); err == nil {
		return DateExpr{Date: d, Precision: PrecDay}, i + 1, true
	}
	return noDate(i)
}

// weekdayAt reads a capitalised weekday wd at token i: before an absolute
// date ("Thursday, 14 March 2025") only a prefix, alone a day relative to
// ref.
func weekdayAt(toks []token, i, limit int, ref coalition.Date, wd time.Weekday, future bool) (DateExpr, int, bool) {
	k := i + 1
	if k < limit && toks[k].text == "," {
		k++
	}
	if d, n, ok := absoluteAt(toks, k, limit, ref); ok {
		return d, n, true
	}
	if ref.IsZero() {
		return noDate(i)
	}
	return relative(addDays(ref, -weekdayBack(ref, wd, future)), PrecDay), i + 1, true
}

// weekdayBack is how many days before ref a weekday named alone falls: the
// latest such day on or before ref, or in a sentence about the future the
// next one after ref (a negative count).
func weekdayBack(ref coalition.Date, wd time.Weekday, future bool) int {
	if !future {
		return (int(ref.Time().Weekday()) - int(wd) + 7) % 7
	}
	diff := -((int(wd) - int(ref.Time().Weekday()) + 7) % 7)
	if diff == 0 {
		diff = -7
	}
	return diff
}

// dayOffsets are the days named relative to ref.
var dayOffsets = map[string]int{"today": 0, "yesterday": -1, "tomorrow": 1}

// deicticAt reads "today", "yesterday", "tomorrow".
func deicticAt(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool) {
	n, ok := dayOffsets[toks[i].norm]
	if !ok {
		return noDate(i)
	}
	return relative(addDays(ref, n), PrecDay), i + 1, true
}

// steps are the words that move a week, month, year or weekday from ref.
var steps = map[string]int{"last": -1, "next": 1, "this": 0}

// stepAt reads "last week", "next month", "this year", "last Friday",
// "next Monday".
func stepAt(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool) {
	step, ok := steps[toks[i].norm]
	if !ok || i+1 >= limit {
		return noDate(i)
	}
	unit := toks[i+1].norm
	if d, ok := stepUnit(unit, step, ref); ok {
		return d, i + 2, true
	}
	if w, ok := weekdays[unit]; ok {
		if d, ok := stepWeekday(w, step, ref); ok {
			return d, i + 2, true
		}
	}
	return noDate(i)
}

// stepUnit moves ref by step weeks, months or years.
func stepUnit(unit string, step int, ref coalition.Date) (DateExpr, bool) {
	switch unit {
	case "week":
		return relative(addDays(ref, 7*step), PrecDay), true
	case "month":
		return relative(ref.Month().Add(step).FirstDay(), PrecMonth), true
	case "year":
		return relative(coalition.Date{Y: ref.Y + step, M: 1, D: 1}, PrecYear), true
	}
	return DateExpr{}, false
}

// stepWeekday is "last Friday" (strictly before ref) or "next Friday"
// (strictly after); "this Friday" is not read.
func stepWeekday(w time.Weekday, step int, ref coalition.Date) (DateExpr, bool) {
	switch step {
	case -1:
		diff := (int(ref.Time().Weekday()) - int(w) + 7) % 7
		if diff == 0 {
			diff = 7
		}
		return relative(addDays(ref, -diff), PrecDay), true
	case 1:
		ahead := (int(w) - int(ref.Time().Weekday()) + 7) % 7
		if ahead == 0 {
			ahead = 7
		}
		return relative(addDays(ref, ahead), PrecDay), true
	}
	return DateExpr{}, false
}

// agoAt reads "N days ago", "a week ago", "3 months ago".
func agoAt(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool) {
	if i+2 >= limit || toks[i+2].norm != "ago" {
		return noDate(i)
	}
	n := agoCount(toks[i])
	if n <= 0 {
		return noDate(i)
	}
	switch strings.TrimSuffix(toks[i+1].norm, "s") {
	case "day":
		return relative(addDays(ref, -n), PrecDay), i + 3, true
	case "week":
		return relative(addDays(ref, -7*n), PrecDay), i + 3, true
	case "month":
		return relative(ref.Month().Add(-n).FirstDay(), PrecMonth), i + 3, true
	}
	return noDate(i)
}

// agoCount is the count before "... ago": "a" and "one" are 1, a number
// under 400 itself; 0 is none.
func agoCount(t token) int {
	if t.norm == "a" || t.norm == "one" {
		return 1
	}
	if v, err := strconv.Atoi(t.text); err == nil && v < 400 {
		return v
	}
	return 0
}

// absoluteAt reads "14 March 2025", "14th of March", "March 14, 2025",
// "March 2025" and, after "in"/"since"/"by" and the like, "March" or "2023".
func absoluteAt(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool) {
	if d, j, ok := dayAt(toks, i, limit); ok {
		return dayFirstAt(toks, i, j, limit, d, ref)
	}
	if m, j, ok := monthAt(toks, i, limit); ok {
		return monthFirstAt(toks, i, j, limit, m, ref)
	}
	// a year after a preposition: "in 2023", "since 2022"
	if i > 0 && isDatePreposition(toks[i-1].norm) {
		if y, k, ok := yearAt(toks, i, limit); ok {
			return DateExpr{Date: coalition.Date{Y: y, M: 1, D: 1}, Precision: PrecYear}, k, true
		}
	}
	return noDate(i)
}

// dayFirstAt reads the rest of "14 [of] March [2025]" after the day d
// (tokens i to j).
func dayFirstAt(toks []token, i, j, limit, d int, ref coalition.Date) (DateExpr, int, bool) {
	if wordIs(toks, j, limit, "of") {
		j++
	}
	m, k, ok := monthAt(toks, j, limit)
	if !ok {
		return noDate(i)
	}
	return dayInYear(toks, i, k, k, limit, m, d, ref)
}

// monthFirstAt reads the rest of "March 14[,] [2025]", "March 2025" or,
// after a preposition, "March" alone, after the month m (tokens i to j).
func monthFirstAt(toks []token, i, j, limit int, m time.Month, ref coalition.Date) (DateExpr, int, bool) {
	if d, k, ok := dayAt(toks, j, limit); ok {
		n := k
		if n < limit && toks[n].text == "," {
			n++
		}
		return dayInYear(toks, i, k, n, limit, m, d, ref)
	}
	if y, k, ok := yearAt(toks, j, limit); ok {
		return DateExpr{Date: coalition.Date{Y: y, M: m, D: 1}, Precision: PrecMonth}, k, true
	}
	// a month alone, only after a preposition ("in March"), never "May"
	if m != time.May && i > 0 && isDatePreposition(toks[i-1].norm) {
		if dt, ok := nearestYear(m, 1, ref); ok {
			return relative(dt, PrecMonth), j, true
		}
	}
	return noDate(i)
}

// dayInYear ends a day and month read from token i to k: with the year at
// token y, the exact date (none if the day does not exist: 31 February);
// without one, the nearest such day to ref.
func dayInYear(toks []token, i, k, y, limit int, m time.Month, d int, ref coalition.Date) (DateExpr, int, bool) {
	if yr, n, ok := yearAt(toks, y, limit); ok {
		if dt, ok := mkDate(yr, m, d); ok {
			return DateExpr{Date: dt, Precision: PrecDay}, n, true
		}
		return noDate(i)
	}
	if dt, ok := nearestYear(m, d, ref); ok {
		return relative(dt, PrecDay), k, true
	}
	return noDate(i)
}

func isDatePreposition(w string) bool {
	switch w {
	case "in", "since", "by", "until", "till", "from", "early", "late", "mid", "of", "before", "after", "during", "throughout":
		return true
	}
	return false
}
