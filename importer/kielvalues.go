package importer

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"coalition"
)

// Kiel's own conventions for values it does not know, met in real
// workbooks and documented in docs/importers.md.

// kielUnknownWords are the texts Kiel writes in a number or date cell when
// the figure is not known: the quantity is then unknown (no quantity), not
// an error. Compared in lower case, trimmed.
var kielUnknownWords = map[string]bool{
	"undisclosed": true, "unknown": true, "not specified": true, "unspecified": true,
	"unclear": true, "classified": true, "not disclosed": true, "n/a": true, "various": true,
	"several": true, "multiple": true, "tbd": true, "?": true,
}

// kielUnknown reports whether s says a figure is not known.
func kielUnknown(s string) bool {
	return kielUnknownWords[strings.ToLower(strings.TrimSpace(s))]
}

// lazyRegexp compiles pattern on its first use: most commands never read a
// Kiel workbook, and compiling at package init cost every command's
// start-up (issue 22).
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// Patterns of the text dates Kiel writes when it knows only the month or
// the year: "until 12/20/2022", "not specified, 03/22", "unclear,
// 10/2022", "March 2022", "2022".
var (
	kielMDY       = lazyRegexp(`(?:^|[^\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:$|[^\d/])`)
	kielISODay    = lazyRegexp(`(?:^|\D)(\d{4})-(\d{1,2})-(\d{1,2})(?:$|\D)`)
	kielMY        = lazyRegexp(`(?:^|[^\d/])(\d{1,2})/(\d{4}|\d{2})(?:$|[^\d/])`)
	kielMonthName = lazyRegexp(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b`)
	kielYear      = lazyRegexp(`(?:^|\D)((?:19|20)\d{2})(?:$|\D)`)
	kielLetters   = lazyRegexp(`[A-Za-z]`)
	kielDigits    = lazyRegexp(`\d`)
)

// kielApproxMonth reads the month an approximate text date states (see the
// patterns above); how says what was read, for the record's provenance.
// A text without any figure ("not specified") falls back to the tracker
// month. Digits in a form that is none of these (a mistyped date such as
// 2024-13-45) are not approximated: ok is false and the date is an error.
func kielApproxMonth(s string, tracker coalition.Month) (m coalition.Month, how string, ok bool) {
	words := kielLetters().MatchString(s)
	if words {
		if m, ok := kielDayMonth(s); ok {
			return m, "month of the date stated", true
		}
	}
	if g := kielMY().FindStringSubmatch(s); g != nil && (words || kielMY().FindString(s) == s) {
		if m, ok := monthYear(g[1], g[2]); ok {
			return m, "month stated", true
		}
	}
	if g := kielMonthName().FindStringSubmatch(s); g != nil {
		t, err := time.Parse("Jan", strings.ToUpper(g[1][:1])+strings.ToLower(g[1][1:3]))
		y, _ := strconv.Atoi(g[2])
		if err == nil && y >= 1999 && y <= 2100 {
			return coalition.MonthOf(y, t.Month()), "month stated", true
		}
	}
	if g := kielYear().FindStringSubmatch(s); g != nil && (words || strings.TrimSpace(s) == g[1]) {
		y, _ := strconv.Atoi(g[1])
		if tracker != 0 && tracker.Year() == y {
			return tracker, "year stated; tracker month", true
		}
		return coalition.MonthOf(y, time.January), "year stated; January", true
	}
	if words && !kielDigits().MatchString(s) && tracker != 0 {
		return tracker, "no date stated; tracker month", true
	}
	return 0, "", false
}

// kielDayMonth finds a whole date (M/D/Y as Kiel writes them, or ISO) in
// a text and returns its month.
func kielDayMonth(s string) (coalition.Month, bool) {
	if g := kielMDY().FindStringSubmatch(s); g != nil {
		if d, _ := strconv.Atoi(g[2]); d >= 1 && d <= 31 {
			return monthYear(g[1], g[3])
		}
	}
	if g := kielISODay().FindStringSubmatch(s); g != nil {
		if d, _ := strconv.Atoi(g[3]); d >= 1 && d <= 31 {
			return monthYear(g[2], g[1])
		}
	}
	return 0, false
}

// monthYear reads a month number and a year of two or four digits (two
// digits are 20YY).
func monthYear(month, year string) (coalition.Month, bool) {
	mo, err1 := strconv.Atoi(month)
	y, err2 := strconv.Atoi(year)
	if len(year) == 2 {
		y += 2000
	}
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 || y < 1999 || y > 2100 {
		return 0, false
	}
	return coalition.MonthOf(y, time.Month(mo)), true
}
