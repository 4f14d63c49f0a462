package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"coalition"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Money // Max and Qualifier as stated
		bad  bool
	}{
		{in: "$1.5 billion", want: Money{Value: 1.5e9, Currency: "USD"}},
		{in: "€500m", want: Money{Value: 500e6, Currency: "EUR"}},
		{in: "A$100 million", want: Money{Value: 100e6, Currency: "AUD"}},
		{in: "£2.26bn", want: Money{Value: 2.26e9, Currency: "GBP"}},
		{in: "NOK 85 billion", want: Money{Value: 85e9, Currency: "NOK"}},
		{in: "85 billion Norwegian kroner", want: Money{Value: 85e9, Currency: "NOK"}},
		{in: "¥471 billion", want: Money{Value: 471e9, Currency: "JPY"}},
		{in: "C$2.5 billion", want: Money{Value: 2.5e9, Currency: "CAD"}},
		{in: "NZ$16 million", want: Money{Value: 16e6, Currency: "NZD"}},
		{in: "US$3bn", want: Money{Value: 3e9, Currency: "USD"}},
		{in: "1.5bn euros", want: Money{Value: 1.5e9, Currency: "EUR"}},
		{in: "SEK 13.5 billion", want: Money{Value: 13.5e9, Currency: "SEK"}},
		{in: "₩300 billion", want: Money{Value: 300e9, Currency: "KRW"}},
		{in: "$50,000", want: Money{Value: 50000, Currency: "USD"}},
		{in: "€1,5 billion", want: Money{Value: 1.5e9, Currency: "EUR"}},   // decimal comma
		{in: "$1,500 million", want: Money{Value: 1.5e9, Currency: "USD"}}, // 1500 × 10^6
		{in: "more than A$1.5 billion", want: Money{Value: 1.5e9, Currency: "AUD", Qualifier: "more than"}},
		{in: "up to €2bn", want: Money{Value: 2e9, Currency: "EUR", Qualifier: "up to"}},
		{in: "$1–2 billion", want: Money{Value: 1e9, Max: 2e9, Currency: "USD"}},
		{in: "€1-1.5bn", want: Money{Value: 1e9, Max: 1.5e9, Currency: "EUR"}},
		{in: "$1 billion to $2 billion", want: Money{Value: 1e9, Max: 2e9, Currency: "USD"}},
		{in: "between €20 billion and €40 billion", want: Money{Value: 20e9, Max: 40e9, Currency: "EUR", Qualifier: "between"}},
		{in: "2 trillion yen", want: Money{Value: 2e12, Currency: "JPY"}},
		{in: "85 billion", bad: true},       // no currency
		{in: "5% of GDP", bad: true},        // not money
		{in: "$", bad: true},                // no number
		{in: "€1.2.3bn", bad: true},         // two dots
		{in: "$1.5 billion now", bad: true}, // trailing words
	} {
		got, err := ParseMoney(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseMoney(%q) = %+v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMoney(%q): %v", tc.in, err)
			continue
		}
		got.bareDollar = false
		if !close(got.Value, tc.want.Value) {
			t.Errorf("ParseMoney(%q) value = %v, want %v", tc.in, got.Value, tc.want.Value)
		}
		if !close(got.Max, tc.want.Max) {
			t.Errorf("ParseMoney(%q) max = %v, want %v", tc.in, got.Max, tc.want.Max)
		}
		if got.Currency != tc.want.Currency {
			t.Errorf("ParseMoney(%q) currency = %q, want %q", tc.in, got.Currency, tc.want.Currency)
		}
		if got.Qualifier != tc.want.Qualifier {
			t.Errorf("ParseMoney(%q) qualifier = %q, want %q", tc.in, got.Qualifier, tc.want.Qualifier)
		}
	}
}

func close(a, b float64) bool {
	if a == b {
		return true
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= 1e-9*max(a, b)
}

func TestParseDate(t *testing.T) {
	// 2025-03-14 is a Friday.
	ref := coalition.Date{Y: 2025, M: time.March, D: 14}
	for _, tc := range []struct {
		in   string
		want string
		prec string
		bad  bool
	}{
		{in: "2025-03-01", want: "2025-03-01", prec: PrecDay},
		{in: "14 March 2025", want: "2025-03-14", prec: PrecDay},
		{in: "14th of March 2025", want: "2025-03-14", prec: PrecDay},
		{in: "March 14, 2025", want: "2025-03-14", prec: PrecDay},
		{in: "Feb. 28, 2025", want: "2025-02-28", prec: PrecDay},
		{in: "Thursday, 13 March 2025", want: "2025-03-13", prec: PrecDay},
		{in: "March 2025", want: "2025-03-01", prec: PrecMonth},
		{in: "2 March", want: "2025-03-02", prec: PrecDay},     // year taken nearest to ref
		{in: "28 December", want: "2024-12-28", prec: PrecDay}, // 76 days back beats 289 ahead
		{in: "Thursday", want: "2025-03-13", prec: PrecDay},    // Friday 14 − 1 day
		{in: "Friday", want: "2025-03-14", prec: PrecDay},      // the day itself
		{in: "Saturday", want: "2025-03-08", prec: PrecDay},    // Friday 14 − 6 days
		{in: "yesterday", want: "2025-03-13", prec: PrecDay},
		{in: "last week", want: "2025-03-07", prec: PrecDay},    // 14 − 7
		{in: "next Tuesday", want: "2025-03-18", prec: PrecDay}, // 14 + 4
		{in: "last month", want: "2025-02-01", prec: PrecMonth},
		{in: "next month", want: "2025-04-01", prec: PrecMonth},
		{in: "last year", want: "2024-01-01", prec: PrecYear},
		{in: "three days ago", bad: true},                      // number words are not read
		{in: "10 days ago", want: "2025-03-04", prec: PrecDay}, // 14 − 10
		{in: "31 February 2025", bad: true},
		{in: "2025-13-45", bad: true},
		{in: "May", bad: true}, // a month alone needs a preposition
		{in: "tomorrow night", bad: true},
	} {
		got, err := ParseDate(tc.in, ref)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseDate(%q) = %+v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
			continue
		}
		if got.Date.String() != tc.want || got.Precision != tc.prec {
			t.Errorf("ParseDate(%q) = %s (%s), want %s (%s)", tc.in, got.Date, got.Precision, tc.want, tc.prec)
		}
	}
	if _, err := ParseDate("on Thursday", coalition.Date{}); err == nil {
		t.Error("a relative date without a reference parsed")
	}
}

// TestSpansAreRunes: a text with accents before the amount; the span counts
// runes. "Élysée: " is 8 runes (É, l, y, s, é, e, :, space) but 10 bytes.
func TestSpansAreRunes(t *testing.T) {
	kb := mustKB(t)
	text := "Élysée: France will provide €500m to Ukraine."
	x := Extract(text, kb, Options{})
	if len(x.Amounts) != 1 {
		t.Fatalf("amounts: %+v", x.Amounts)
	}
	sp := x.Amounts[0].Span
	if got := string([]rune(text)[sp[0]:sp[1]]); got != "€500m" {
		t.Errorf("span %v is %q, want €500m", sp, got)
	}
	if sp[0] != strings.Index(text, "€")-2 { // two 2-byte runes (É, é) before it
		t.Errorf("span start %d, want %d", sp[0], strings.Index(text, "€")-2)
	}
	if utf8.RuneCountInString(text[:strings.Index(text, "€")]) != sp[0] {
		t.Errorf("span start %d is not a rune offset", sp[0])
	}
}

func TestFlagsFutureAndMinister(t *testing.T) {
	kb := mustKB(t)
	// Shapps left the Defence Secretary's office on 2024-07-05; the text is dated 2025-01-20.
	x := Extract("LONDON, 20 January 2025 – Defence Secretary Grant Shapps said Britain would send drones. He met Zelenskyy on 3 February 2025.", kb, Options{})
	kinds := map[string]int{}
	for _, f := range x.Flags {
		kinds[f.Kind]++
	}
	if kinds[FlagRole] != 1 {
		t.Errorf("role flags: got %d, want 1 (%+v)", kinds[FlagRole], x.Flags)
	}
	if kinds[FlagFutureDate] != 1 {
		t.Errorf("future-date flags: got %d, want 1 (%+v)", kinds[FlagFutureDate], x.Flags)
	}
}
