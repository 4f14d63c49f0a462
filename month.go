package coalition

import (
	"cmp"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Month is a calendar month, counted from January of year 0, so that
// arithmetic is plain integer arithmetic. Its text form is "YYYY-MM".
type Month int32

// MonthOf returns the month of year y and month m (1–12).
func MonthOf(y int, m time.Month) Month { return Month(y*12 + int(m) - 1) }

// ParseMonth parses "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 1900 || y > 2200 {
		return 0, fmt.Errorf("month %q: want YYYY-MM with a month 01–12", s)
	}
	return MonthOf(y, time.Month(m)), nil
}

func (m Month) Year() int               { return int(m) / 12 }
func (m Month) MonthOfYear() time.Month { return time.Month(int(m)%12 + 1) }
func (m Month) Add(n int) Month         { return m + Month(n) }

// FirstDay is the first day of the month.
func (m Month) FirstDay() Date { return Date{Y: m.Year(), M: m.MonthOfYear(), D: 1} }

func (m Month) String() string { return string(m.appendText(make([]byte, 0, 7))) }

// appendText appends "YYYY-MM". It is written out by hand because months
// are formatted once per row of large answers (DonorMonth), where
// fmt.Sprintf took an eighth of the time to encode them.
func (m Month) appendText(b []byte) []byte {
	b = appendDigits(b, m.Year(), 4)
	b = append(b, '-')
	return appendDigits(b, int(m.MonthOfYear()), 2)
}

// appendDigits appends n zero-padded to at least width digits, as %0*d does.
func appendDigits(b []byte, n, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var d [20]byte
	i := len(d)
	for n >= 10 || len(d)-i < width-1 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	d[i] = byte('0' + n)
	return append(b, d[i:]...)
}

// MarshalText writes "YYYY-MM", or "" for the zero Month (unknown).
func (m Month) MarshalText() ([]byte, error) {
	if m == 0 {
		return []byte{}, nil
	}
	return m.appendText(make([]byte, 0, 7)), nil
}

// MarshalJSON writes the zero Month as null.
func (m Month) MarshalJSON() ([]byte, error) {
	if m == 0 {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 9), '"')
	return append(m.appendText(b), '"'), nil
}

// UnmarshalText reads "YYYY-MM"; "" is the zero Month.
func (m *Month) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = 0
		return nil
	}
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Date is a civil date without a time zone. The zero Date means "unknown".
// Its text form is "YYYY-MM-DD"; it is stored as that text in both engines.
type Date struct {
	Y int
	M time.Month
	D int
}

// ParseDate parses "YYYY-MM-DD" and rejects impossible dates such as 2025-13-45.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want a real date as YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

func (d Date) IsZero() bool       { return d == Date{} }
func (d Date) Month() Month       { return MonthOf(d.Y, d.M) }
func (d Date) Time() time.Time    { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.compare(o) > 0 }

// compare is -1, 0 or 1 as d is before, on or after o: by their fields
// when both are real calendar dates (every pledge is checked against
// MinDate and MaxDate twice, and time.Date is the cost of it), as times
// otherwise (2025-02-30 is 2025-03-02).
func (d Date) compare(o Date) int {
	if !d.real() || !o.real() {
		return d.Time().Compare(o.Time())
	}
	if c := cmp.Compare(d.Y, o.Y); c != 0 {
		return c
	}
	if c := cmp.Compare(d.M, o.M); c != 0 {
		return c
	}
	return cmp.Compare(d.D, o.D)
}

// real reports whether d is a date of the calendar, of a year time.Time
// holds without doubt.
func (d Date) real() bool {
	if d.Y < -1_000_000 || d.Y > 1_000_000 || d.M < time.January || d.M > time.December || d.D < 1 {
		return false
	}
	if d.M == time.February && d.Y%4 == 0 && (d.Y%100 != 0 || d.Y%400 == 0) {
		return d.D <= 29
	}
	return d.D <= [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[d.M-1]
}

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendText(make([]byte, 0, 10)))
}

func (d Date) appendText(b []byte) []byte {
	b = appendDigits(b, d.Y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.M), 2)
	b = append(b, '-')
	return appendDigits(b, d.D, 2)
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 12), '"')
	return append(d.appendText(b), '"'), nil
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" || string(b) == `""` {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a string YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores a Date as text, or NULL when zero.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a Date from text, a time or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		if v == "" {
			*d = Date{}
			return nil
		}
		p, err := ParseDate(v)
		*d = p
		return err
	case []byte:
		return d.Scan(string(v))
	case time.Time:
		*d = DateOf(v.UTC())
		return nil
	}
	return fmt.Errorf("date: cannot scan %T", src)
}
