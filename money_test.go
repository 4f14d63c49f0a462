package coalition

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The allocation-free path of ParseDecimal agrees with the exact big.Rat
// path on every input it accepts, and declines the rest.
func TestParseDecimalFastAgreesWithRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	parts := []string{"0", "1", "5", "9", "00", "12345", "999999999", "4999", "5000", ".", "-", "+", "e3", " ", "_", "/"}
	accepted := 0
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := rng.IntN(6); n >= 0; n-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		scale := []int64{1, 10, 1000, 1_000_000, 1_000_000_000, 3}[rng.IntN(6)]
		cur := []string{"EUR", "JPY", "KWD"}[rng.IntN(3)]
		fast, ok := parseDecimalFast(s, scale, MinorDigits(cur))
		slow, err := parseDecimalRat(s, scale, cur)
		if !ok {
			continue
		}
		accepted++
		if err != nil || fast != slow {
			t.Fatalf("%q × %d in %s: fast %d, big.Rat %d (%v)", s, scale, cur, fast, slow, err)
		}
	}
	if accepted < 10000 {
		t.Fatalf("the fast path accepted only %d of 100,000 inputs", accepted)
	}
	for _, c := range []struct {
		s       string
		want    int64
		decline bool
	}{{"0.005", 1, false}, {"-0.005", -1, false}, {"0.0049", 0, false}, {"123456789012.34", 12345678901234, false}, {"1.", 0, true}, {".5", 0, true}} {
		got, ok := parseDecimalFast(c.s, 1, 2)
		if c.decline {
			if ok {
				t.Errorf("%q: the fast path should decline it", c.s)
			}
			continue
		}
		if !ok || got != c.want {
			t.Errorf("%q: got %d %v, want %d", c.s, got, ok, c.want)
		}
	}
}

// BenchmarkParseDecimalFast measures the allocation-free path on the
// amounts imports carry (Kiel billions, cents, whole units); it is on the
// path of every record of a large import.
func BenchmarkParseDecimalFast(b *testing.B) {
	inputs := []struct {
		s     string
		scale int64
	}{{"0.002645", 1_000_000_000}, {"1200000000", 1}, {"50000000.00", 1}, {"-12.345", 1}, {"48.5", 1_000_000}, {"7", 1}}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			if _, ok := parseDecimalFast(in.s, in.scale, 2); !ok {
				b.Fatalf("%q declined", in.s)
			}
		}
	}
}
