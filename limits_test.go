package coalition

import (
	"math"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string // "" for valid, else a part of the message
	}{
		{"", 10, ""},
		{"Ærø 🇺🇦", 20, ""},
		{strings.Repeat("x", 10), 10, ""},
		{strings.Repeat("x", 11), 10, "11 bytes long, more than the 10 allowed"},
		{"a\x00b", 10, "NUL"},
		{"a\xffb", 10, "not valid UTF-8"},
	} {
		err := CheckText("f", c.s, c.max)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CheckText(%q, %d) = %v, want nil", c.s, c.max, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CheckText(%q, %d) = %v, want an error with %q", c.s, c.max, err, c.want)
		case err != nil && (ErrorKind(err) != Invalid || err.(*Error).Field != "f"):
			t.Errorf("CheckText(%q): %#v, want Invalid naming f", c.s, err)
		}
	}
}

func TestCheckDateAndMonth(t *testing.T) {
	for _, c := range []struct {
		d  Date
		ok bool
	}{
		{Date{}, true}, {MinDate, true}, {MaxDate, true}, {Date{2026, 1, 15}, true},
		{Date{1989, 12, 31}, false}, {Date{2101, 1, 1}, false}, {Date{1, 1, 1}, false}, {Date{9999, 12, 31}, false},
	} {
		if err := CheckDate("d", c.d); (err == nil) != c.ok {
			t.Errorf("CheckDate(%s) = %v, want ok=%v", c.d, err, c.ok)
		}
		if err := CheckMonth("m", c.d.Month()); c.d != (Date{}) && (err == nil) != c.ok {
			t.Errorf("CheckMonth(%s) = %v, want ok=%v", c.d.Month(), err, c.ok)
		}
	}
	if err := CheckMonth("m", 0); err != nil {
		t.Errorf("CheckMonth(unknown) = %v, want nil", err)
	}
}

func TestCheckAmount(t *testing.T) {
	for v, ok := range map[int64]bool{0: true, MaxAmountMinor: true, MaxAmountMinor + 1: false, -1: false, math.MaxInt64: false} {
		if err := CheckAmount("a", v); (err == nil) != ok {
			t.Errorf("CheckAmount(%d) = %v, want ok=%v", v, err, ok)
		}
	}
	// The arithmetic of the comment: 9,223 maxima fit an int64, 9,224 do not.
	if MaxAmountMinor*9223 < 0 || math.MaxInt64/MaxAmountMinor != 9223 {
		t.Errorf("MaxInt64 / MaxAmountMinor = %d, want 9223", math.MaxInt64/MaxAmountMinor)
	}
}

func TestValidateRefusesOutOfRange(t *testing.T) {
	ok := func() *Pledge {
		return &Pledge{Donor: "GBR", Recipient: "UKR", Category: "military", Amount: Money{Minor: 100, Currency: "EUR"},
			AmountEUR: 100, Announced: Date{2026, 1, 1}, Status: Announced, Visibility: Public, Source: "s"}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	q := int64(math.MaxInt64)
	for field, set := range map[string]func(*Pledge){
		"announced":        func(p *Pledge) { p.Announced = Date{9999, 12, 31} },
		"amount.minor":     func(p *Pledge) { p.Amount.Minor = math.MaxInt64 },
		"amount_eur_minor": func(p *Pledge) { p.AmountEUR = MaxAmountMinor + 1 },
		"quantity":         func(p *Pledge) { p.Quantity = &q },
		"deliver_from":     func(p *Pledge) { p.DeliverFrom = MonthOf(1, 1) },
		"conditions":       func(p *Pledge) { p.Conditions = "\x00" },
		"source":           func(p *Pledge) { p.Source = strings.Repeat("s", MaxSourceBytes+1) },
		"provenance":       func(p *Pledge) { p.Provenance = "\xff" },
	} {
		p := ok()
		set(p)
		err := p.Validate()
		if e, isE := err.(*Error); !isE || e.Kind != Invalid || e.Field != field {
			t.Errorf("%s: Validate() = %v, want Invalid naming %s", field, err, field)
		}
	}
	// Terms of office reach back further than records: monarchs since the 1950s.
	pe := &Person{Name: "Elizabeth II", Offices: []Office{{ISO3: "GBR", Title: "Monarch", Start: Date{1952, 2, 6}, End: Date{2022, 9, 8}, Source: "s"}}}
	if err := pe.Validate(); err != nil {
		t.Errorf("a term from 1952: %v", err)
	}
	pe.Offices[0].Start = Date{1, 1, 1}
	if err := pe.Validate(); err == nil || err.(*Error).Field != "offices[0].start" {
		t.Errorf("a term from year 1: %v, want Invalid naming offices[0].start", err)
	}
}

func TestReadPathsSaturate(t *testing.T) {
	for s, want := range map[string]Month{
		"2025-06": MonthOf(2025, 6), "0001-01": MinMonth, "9999-12": MaxMonth, "1990-01": MinMonth, "2100-12": MaxMonth,
	} {
		if got, err := StoredMonth(s); err != nil || got != want {
			t.Errorf("StoredMonth(%q) = %s, %v, want %s", s, got, err, want)
		}
	}
	for _, s := range []string{"", "2025-13", "2025/01", "abcd-01"} {
		if _, err := StoredMonth(s); err == nil {
			t.Errorf("StoredMonth(%q): no error", s)
		}
	}
	p := &Pledge{Announced: Date{9999, 12, 31}}
	if from, to := p.Window(); from != MaxMonth || to != MaxMonth {
		t.Errorf("Window of a pledge of 9999-12-31 = %s..%s, want %s", from, to, MaxMonth)
	}
	if got := AddMinor(math.MaxInt64, 1); got != math.MaxInt64 {
		t.Errorf("AddMinor(MaxInt64, 1) = %d", got)
	}
	if got := AddMinor(math.MinInt64, -1); got != math.MinInt64 {
		t.Errorf("AddMinor(MinInt64, -1) = %d", got)
	}
	if got := AddMinor(5, -3); got != 2 {
		t.Errorf("AddMinor(5, -3) = %d", got)
	}
	for f, want := range map[float64]int64{9.3e18: math.MaxInt64, -1e300: math.MinInt64, math.Inf(1): math.MaxInt64, math.NaN(): 0, 12.9: 12} {
		if got := SaturateInt64(f); got != want {
			t.Errorf("SaturateInt64(%g) = %d, want %d", f, got, want)
		}
	}
	if got := ToEUR(Money{Minor: MaxAmountMinor, Currency: "USD"}, 1e-300); got != math.MaxInt64 {
		t.Errorf("ToEUR at a tiny rate = %d, want MaxInt64 (then refused by Validate)", got)
	}
	for _, c := range []struct {
		src  any
		want Minor
	}{
		{int64(7), 7}, {9.223372036854775807e18, math.MaxInt64}, {"18446744073709551614", math.MaxInt64},
		{"-18446744073709551614", math.MinInt64}, {"1234.0", 1234}, {[]byte("42"), 42}, {nil, 0},
	} {
		var m Minor
		if err := m.Scan(c.src); err != nil || m != c.want {
			t.Errorf("Minor.Scan(%v) = %d, %v, want %d", c.src, m, err, c.want)
		}
	}
}
