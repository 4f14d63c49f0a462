package coalition

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The domain of valid values. Every record's Validate checks its fields
// against these limits, so every path that writes (API, CLI, imports,
// accepted proposals, reference data, restore through Load) refuses the
// same values with an Invalid error naming the field. Read paths never
// assume them: rows written before the limits existed are read, clamped
// where a computation needs a bounded range (ClampMonth, AddMinor,
// SaturateInt64), never refused. docs/operations.md lists them.

var (
	// MinDate and MaxDate bound every date and month of a record
	// (announcements, delivery windows, deliveries, requirements,
	// engagements, risk events, texts, memberships).
	MinDate = Date{Y: 1990, M: 1, D: 1}
	MaxDate = Date{Y: 2100, M: 12, D: 31}
	// MinOfficeDate is the earliest start of a term of office: office
	// holders in the reference data have served since the 1950s.
	MinOfficeDate = Date{Y: 1900, M: 1, D: 1}
	// MinMonth and MaxMonth are the months of MinDate and MaxDate.
	MinMonth = MonthOf(1990, 1)
	MaxMonth = MonthOf(2100, 12)
)

// MaxAmountMinor is the largest amount of one record, in minor units:
// 10^15 (€10 trillion in cents, ¥10^15 in yen), above any real pledge (the
// largest donor total in the reference data is €65 bn = 6.5×10^12 cents).
// It also bounds quantities and unit values.
//
// The arithmetic: int64 holds 9.22×10^18, so a plain int64 sum of up to
// 9,223 records of the maximum is exact, but 10 million of them make 10^22,
// which no 64-bit integer holds. Aggregates are therefore never a bare
// int64 sum: SQLite sums with total() (a float64, exact up to 2^53 ≈
// 9.0×10^15 cents = €90 trillion, and never an overflow error), PostgreSQL's
// sum over bigint is an exact numeric, Go adds with AddMinor (saturating),
// and every sum read back goes through SaturateInt64. A sum past ±MaxInt64
// cents (€92 quadrillion) is shown as ±MaxInt64, never as an error.
const MaxAmountMinor int64 = 1_000_000_000_000_000

// Text limits, in bytes of UTF-8. Every text field must be valid UTF-8
// without a NUL byte (PostgreSQL refuses NUL in text; a NUL in SQLite would
// end the string for C readers).
const (
	MaxNameBytes   = 500    // names, titles, codes, units, kinds, labels of one line
	MaxSourceBytes = 2_000  // source (a URL or a document reference) and source_ref
	MaxTextBytes   = 10_000 // free text: conditions, summaries, asks, outcomes, notes, assumptions, provenance
)

// CheckText reports an Invalid error naming field if s is not valid
// UTF-8, holds a NUL byte or is longer than max bytes.
func CheckText(field, s string, max int) error {
	switch {
	case len(s) > max:
		return FieldError(field, "is %d bytes long, more than the %d allowed", len(s), max)
	case !utf8.ValidString(s):
		return FieldError(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return FieldError(field, "contains a NUL character")
	}
	return nil
}

// CheckDate reports an Invalid error naming field if d is set and outside
// [MinDate, MaxDate]. A zero (unknown) date passes; callers that require
// the date check IsZero first.
func CheckDate(field string, d Date) error {
	return checkDateFrom(field, d, MinDate)
}

func checkDateFrom(field string, d Date, min Date) error {
	if d.IsZero() {
		return nil
	}
	if d.Before(min) || d.After(MaxDate) {
		return FieldError(field, "%s is outside the supported range %s to %s", d, min, MaxDate)
	}
	return nil
}

// CheckMonth reports an Invalid error naming field if m is set and outside
// [MinMonth, MaxMonth].
func CheckMonth(field string, m Month) error {
	if m != 0 && (m < MinMonth || m > MaxMonth) {
		return FieldError(field, "%s is outside the supported range %s to %s", m, MinMonth, MaxMonth)
	}
	return nil
}

// CheckAmount reports an Invalid error naming field unless 0 ≤ v ≤
// MaxAmountMinor.
func CheckAmount(field string, v int64) error {
	switch {
	case v < 0:
		return FieldError(field, "must not be negative")
	case v > MaxAmountMinor:
		return FieldError(field, "%d is more than the largest amount allowed, %d", v, MaxAmountMinor)
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ClampMonth returns m moved into [MinMonth, MaxMonth]; the zero Month
// (unknown) stays zero. Read paths use it so that a row stored before the
// limits (a pledge of 0001-01-01 or 9999-12-31) is counted at the edge of
// the range instead of stretching a series over thousands of years.
func ClampMonth(m Month) Month {
	switch {
	case m == 0:
		return 0
	case m < MinMonth:
		return MinMonth
	case m > MaxMonth:
		return MaxMonth
	}
	return m
}

// StoredMonth parses a stored "YYYY-MM" (any four-digit year, as a date
// column of any age holds) and clamps it with ClampMonth. Only a malformed
// text is an error.
func StoredMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, Errorf(Invalid, "month %q: want YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || y < 0 || m < 1 || m > 12 {
		return 0, Errorf(Invalid, "month %q: want YYYY-MM with a month 01–12", s)
	}
	return ClampMonth(Month(y*12 + m - 1)), nil
}

// AddMinor adds two amounts in minor units, saturating at ±MaxInt64
// instead of wrapping around.
func AddMinor(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

// SaturateInt64 converts f to the nearest int64, saturating at ±MaxInt64;
// NaN is 0. It is the only float-to-integer conversion of amounts.
func SaturateInt64(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt64: // 2^63 as a float64
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// Minor is an amount in minor units read from storage: it scans an
// integer, a float (SQLite turns an integer sum past 64 bits into a REAL)
// or a decimal text (PostgreSQL's numeric sums), saturating at ±MaxInt64
// instead of failing.
type Minor int64

// Scan implements sql.Scanner.
func (m *Minor) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m = 0
	case int64:
		*m = Minor(v)
	case float64:
		*m = Minor(SaturateInt64(v))
	case []byte:
		return m.Scan(string(v))
	case string:
		// A numeric sum: digits, perhaps a fraction of zeros ("12.0").
		whole, _, _ := strings.Cut(strings.TrimSpace(v), ".")
		n, ok := new(big.Int).SetString(whole, 10)
		switch {
		case !ok:
			return Errorf(Internal, "amount %q is not a number", v)
		case n.IsInt64():
			*m = Minor(n.Int64())
		case n.Sign() > 0:
			*m = math.MaxInt64
		default:
			*m = math.MinInt64
		}
	default:
		return Errorf(Internal, "amount: cannot scan %T", src)
	}
	return nil
}
