package ingest

import (
	"strconv"
	"strings"
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

// dateStart holds the words a date expression can begin with (besides numbers).
var dateStart = func() map[string]bool {
	m := map[string]bool{"today": true, "yesterday": true, "tomorrow": true, "last": true, "next": true, "this": true, "a": true, "one": true}
	for w := range monthNames {
		m[w] = true
	}
	for w := range weekdays {
		m[w] = true
	}
	return m
}()

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
		return DateExpr{}, i, false
	}
	t := toks[i]
	// ISO 2025-03-14
	if t.kind == tNumber && len(t.text) == 10 && t.text[4] == '-' && t.text[7] == '-' {
		if d, err := coalition.ParseDate(t.text); err == nil {
			return DateExpr{Date: d, Precision: PrecDay}, i + 1, true
		}
		return DateExpr{}, i, false
	}
	j := i
	// an optional weekday before an absolute date: "Thursday, 14 March 2025"
	wd, isWD := weekdays[t.norm]
	if isWD && t.upper {
		k := i + 1
		if k < limit && toks[k].text == "," {
			k++
		}
		if d, n, ok := absoluteAt(toks, k, limit, ref); ok {
			return d, n, true
		}
		if ref.IsZero() {
			return DateExpr{}, i, false
		}
		// a weekday alone, relative to ref
		diff := (int(ref.Time().Weekday()) - int(wd) + 7) % 7
		if future {
			diff = -((int(wd) - int(ref.Time().Weekday()) + 7) % 7)
			if diff == 0 {
				diff = -7
			}
		}
		return DateExpr{Date: addDays(ref, -diff), Precision: PrecDay, Relative: true}, i + 1, true
	}
	if d, n, ok := absoluteAt(toks, j, limit, ref); ok {
		return d, n, true
	}
	if ref.IsZero() {
		return DateExpr{}, i, false
	}
	switch t.norm {
	case "today":
		return DateExpr{Date: ref, Precision: PrecDay, Relative: true}, i + 1, true
	case "yesterday":
		return DateExpr{Date: addDays(ref, -1), Precision: PrecDay, Relative: true}, i + 1, true
	case "tomorrow":
		return DateExpr{Date: addDays(ref, 1), Precision: PrecDay, Relative: true}, i + 1, true
	case "last", "next", "this":
		if i+1 >= limit {
			return DateExpr{}, i, false
		}
		step := map[string]int{"last": -1, "next": 1, "this": 0}[t.norm]
		switch toks[i+1].norm {
		case "week":
			return DateExpr{Date: addDays(ref, 7*step), Precision: PrecDay, Relative: true}, i + 2, true
		case "month":
			m := ref.Month().Add(step)
			return DateExpr{Date: m.FirstDay(), Precision: PrecMonth, Relative: true}, i + 2, true
		case "year":
			return DateExpr{Date: coalition.Date{Y: ref.Y + step, M: 1, D: 1}, Precision: PrecYear, Relative: true}, i + 2, true
		}
		if w, ok := weekdays[toks[i+1].norm]; ok {
			diff := (int(ref.Time().Weekday()) - int(w) + 7) % 7
			switch step {
			case -1:
				if diff == 0 {
					diff = 7
				}
				return DateExpr{Date: addDays(ref, -diff), Precision: PrecDay, Relative: true}, i + 2, true
			case 1:
				ahead := (int(w) - int(ref.Time().Weekday()) + 7) % 7
				if ahead == 0 {
					ahead = 7
				}
				return DateExpr{Date: addDays(ref, ahead), Precision: PrecDay, Relative: true}, i + 2, true
			}
		}
	}
	// "N days ago", "a week ago"
	if i+2 < limit && toks[i+2].norm == "ago" {
		n := 0
		if t.norm == "a" || t.norm == "one" {
			n = 1
		} else if v, err := strconv.Atoi(t.text); err == nil && v < 400 {
			n = v
		}
		if n > 0 {
			switch strings.TrimSuffix(toks[i+1].norm, "s") {
			case "day":
				return DateExpr{Date: addDays(ref, -n), Precision: PrecDay, Relative: true}, i + 3, true
			case "week":
				return DateExpr{Date: addDays(ref, -7*n), Precision: PrecDay, Relative: true}, i + 3, true
			case "month":
				return DateExpr{Date: ref.Month().Add(-n).FirstDay(), Precision: PrecMonth, Relative: true}, i + 3, true
			}
		}
	}
	return DateExpr{}, i, false
}

// absoluteAt reads "14 March 2025", "14th of March", "March 14, 2025",
// "March 2025" and, after "in"/"since"/"by" and the like, "March" or "2023".
func absoluteAt(toks []token, i, limit int, ref coalition.Date) (DateExpr, int, bool) {
	// day month [year]
	if d, j, ok := dayAt(toks, i, limit); ok {
		if wordIs(toks, j, limit, "of") {
			j++
		}
		if m, k, ok := monthAt(toks, j, limit); ok {
			if y, n, ok := yearAt(toks, k, limit); ok {
				if dt, ok := mkDate(y, m, d); ok {
					return DateExpr{Date: dt, Precision: PrecDay}, n, true
				}
				return DateExpr{}, i, false
			}
			if dt, ok := nearestYear(m, d, ref); ok {
				return DateExpr{Date: dt, Precision: PrecDay, Relative: true}, k, true
			}
		}
		return DateExpr{}, i, false
	}
	// month day[,] [year] | month year
	if m, j, ok := monthAt(toks, i, limit); ok {
		if d, k, ok := dayAt(toks, j, limit); ok {
			n := k
			if n < limit && toks[n].text == "," {
				n++
			}
			if y, e, ok := yearAt(toks, n, limit); ok {
				if dt, ok := mkDate(y, m, d); ok {
					return DateExpr{Date: dt, Precision: PrecDay}, e, true
				}
				return DateExpr{}, i, false
			}
			if dt, ok := nearestYear(m, d, ref); ok {
				return DateExpr{Date: dt, Precision: PrecDay, Relative: true}, k, true
			}
			return DateExpr{}, i, false
		}
		if y, k, ok := yearAt(toks, j, limit); ok {
			return DateExpr{Date: coalition.Date{Y: y, M: m, D: 1}, Precision: PrecMonth}, k, true
		}
		// a month alone, only after a preposition ("in March"), never "May"
		if m != time.May && i > 0 && isDatePreposition(toks[i-1].norm) {
			if dt, ok := nearestYear(m, 1, ref); ok {
				return DateExpr{Date: dt, Precision: PrecMonth, Relative: true}, j, true
			}
		}
		return DateExpr{}, i, false
	}
	// a year after a preposition: "in 2023", "since 2022"
	if i > 0 && isDatePreposition(toks[i-1].norm) {
		if y, k, ok := yearAt(toks, i, limit); ok {
			return DateExpr{Date: coalition.Date{Y: y, M: 1, D: 1}, Precision: PrecYear}, k, true
		}
	}
	return DateExpr{}, i, false
}

func isDatePreposition(w string) bool {
	switch w {
	case "in", "since", "by", "until", "till", "from", "early", "late", "mid", "of", "before", "after", "during", "throughout":
		return true
	}
	return false
}
