package coalition

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// Money is an exact amount: integer minor units of an ISO 4217 currency.
// Analysis converts to float64 EUR; storage never does.
type Money struct {
	Minor    int64  `json:"minor"`    // e.g. cents
	Currency string `json:"currency"` // ISO 4217, upper case
}

// minorDigits lists currencies whose minor unit is not 2 digits.
var minorDigits = map[string]int{"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "HUF": 2, "KWD": 3, "BHD": 3}

// MinorDigits returns the number of decimal digits of cur's minor unit.
func MinorDigits(cur string) int {
	if d, ok := minorDigits[cur]; ok {
		return d
	}
	return 2
}

// ValidCurrency reports whether s looks like an ISO 4217 code.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Float returns the amount in major units (for analysis only).
func (m Money) Float() float64 {
	return float64(m.Minor) / math.Pow10(MinorDigits(m.Currency))
}

func (m Money) String() string {
	d := MinorDigits(m.Currency)
	if d == 0 {
		return fmt.Sprintf("%d %s", m.Minor, m.Currency)
	}
	p := int64(math.Pow10(d))
	sign := ""
	v := m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, v/p, d, v%p, m.Currency)
}

// ParseDecimal converts a decimal string such as "0.002645" multiplied by
// scale (a power of ten, e.g. 1e9 for "billions") into minor units of cur,
// exactly, rounding half away from zero at the minor unit.
func ParseDecimal(s string, scale int64, cur string) (int64, error) {
	s = strings.TrimSpace(s)
	if v, ok := parseDecimalFast(s, scale, MinorDigits(cur)); ok {
		return v, nil
	}
	return parseDecimalRat(s, scale, cur)
}

// parseDecimalFast handles the common case without allocating: digits, an
// optional point and more digits, at most 18 of them, and scale a power of
// ten. ok is false for anything else (parseDecimalRat decides).
func parseDecimalFast(s string, scale int64, minorDigits int) (v int64, ok bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	// The scan stays here, not in a function of its own: called, it made
	// the whole parse about a quarter slower (BenchmarkParseDecimalFast).
	var mant int64
	digits, frac, seenPoint := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 18 {
				return 0, false
			}
			mant = mant*10 + int64(c-'0')
			if mant > 0 {
				digits++
			}
			if seenPoint {
				frac++
			}
		case c == '.' && !seenPoint:
			seenPoint = true
		default:
			return 0, false
		}
	}
	// "1." and ".5" are left to big.Rat, which decides what they mean.
	if len(s) == 0 || s == "." || (seenPoint && (s[0] == '.' || s[len(s)-1] == '.')) {
		return 0, false
	}
	exp, ok := decimalExp(scale, minorDigits)
	if !ok {
		return 0, false
	}
	if neg {
		mant = -mant
	}
	if exp >= frac {
		return shiftDecimal(mant, exp-frac)
	}
	return roundDecimal(mant, frac-exp)
}

// decimalExp is scale × 10^minorDigits as a power of ten; ok is false when
// scale is not a power of ten.
func decimalExp(scale int64, minorDigits int) (int, bool) {
	exp := minorDigits
	for sc := scale; sc != 1; sc /= 10 {
		if sc <= 0 || sc%10 != 0 {
			return 0, false
		}
		exp++
	}
	return exp, true
}

// shiftDecimal multiplies mant by 10^n, declining an overflow.
func shiftDecimal(mant int64, n int) (int64, bool) {
	for range n {
		if mant > math.MaxInt64/10 || mant < math.MinInt64/10 {
			return 0, false
		}
		mant *= 10
	}
	return mant, true
}

// roundDecimal divides mant by 10^n, rounding half away from zero at the
// minor unit as ParseDecimal promises.
func roundDecimal(mant int64, n int) (int64, bool) {
	if n > 18 {
		return 0, false
	}
	d := int64(1)
	for range n {
		d *= 10
	}
	q, r := mant/d, mant%d
	if r < 0 {
		r = -r
	}
	if 2*r >= d {
		if mant < 0 {
			q--
		} else {
			q++
		}
	}
	return q, true
}

// parseDecimalRat is ParseDecimal for every form big.Rat reads.
func parseDecimalRat(s string, scale int64, cur string) (int64, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/") {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	r.Mul(r, new(big.Rat).SetInt64(scale))
	r.Mul(r, new(big.Rat).SetInt64(int64(math.Pow10(MinorDigits(cur)))))
	// Round half away from zero.
	num, den := r.Num(), r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	rem2 := new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2))
	if rem2.Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if !q.IsInt64() {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return q.Int64(), nil
}

// FXRate is a dated reference rate: units of Currency per one euro
// (the ECB's quotation), a monthly average.
type FXRate struct {
	Month       Month   `json:"month"`
	Currency    string  `json:"currency"`
	UnitsPerEUR float64 `json:"units_per_eur"`
	Source      string  `json:"source"`
}

// ToEUR converts m into euro minor units at rate (units of m.Currency per
// EUR), rounding to the nearest cent.
func ToEUR(m Money, rate float64) int64 {
	if m.Currency == "EUR" {
		return m.Minor
	}
	eur := m.Float() / rate
	return SaturateInt64(math.Round(eur * 100)) // past int64: Validate refuses it by field
}

// FXStore reads the dated conversion table.
type FXStore interface {
	// FindRate returns the rate for cur in month, or the nearest earlier
	// month's; NotFound if there is none.
	FindRate(ctx context.Context, cur string, month Month) (*FXRate, error)
}
