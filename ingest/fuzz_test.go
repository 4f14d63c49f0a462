package ingest

import (
	"math"
	"os"
	"testing"
	"unicode/utf8"

	"coalition"
)

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"$1.5 billion", "€500m", "A$100 million", "£2.26bn", "NOK 85 billion", "85 billion Norwegian kroner",
		"¥471 billion", "C$2.5 billion", "between €1bn and €2bn", "$1–2 billion", "€1-1.5bn", "more than $", "1,5,5", "9e999bn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err == nil && (m.Value < 0 || m.Currency == "" || m.Max != 0 && m.Max < m.Value) {
			t.Errorf("ParseMoney(%q) = %+v", s, m)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"14 March 2025", "March 14, 2025", "on Thursday", "last month", "2025-02-30", "31st of December", "10 days ago", "Feb."} {
		f.Add(s)
	}
	ref := coalition.Date{Y: 2025, M: 3, D: 14}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, ref)
		if err == nil && (d.Date.IsZero() || d.Precision == "") {
			t.Errorf("ParseDate(%q) = %+v", s, d)
		}
	})
}

func FuzzExtract(f *testing.F) {
	b, err := os.ReadFile("testdata/corpus/albanese-trump-coalition.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b[:600]))
	f.Add("BERLIN, 12 June 2024 – Germany will provide €1.9 billion to Ukraine, Mr Pistorius said.")
	f.Add("the Prime Minister. the former president's. \"U.S.\" A$ $ € ₩ 'coalition of the willing' ex-President Biden-elect")
	kb, err := DefaultKB()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x := Extract(s, kb, Options{Date: coalition.Date{Y: 2025, M: 3, D: 1}})
		n := utf8.RuneCountInString(s)
		check := func(what string, sp Span) {
			if sp[0] < 0 || sp[1] > n || sp[0] > sp[1] {
				t.Fatalf("%s span %v outside [0, %d] of %q", what, sp, n, s)
			}
		}
		for _, p := range x.People {
			for _, sp := range p.Spans {
				check("person", sp)
			}
		}
		for _, a := range x.Amounts {
			check("amount", a.Span)
		}
		for _, p := range x.Proposals {
			for _, sp := range p.Evidence {
				check("evidence", sp)
			}
		}
		for _, fl := range x.Flags {
			if fl.Span != nil {
				check("flag", *fl.Span)
			}
		}
		// the classifier's features of the same text: one candidate per
		// amount, every feature in [0, 1]
		cands, _ := Candidates(s, kb, Options{Date: coalition.Date{Y: 2025, M: 3, D: 1}})
		if len(cands) != len(x.Amounts) {
			t.Fatalf("%d candidates for %d amounts of %q", len(cands), len(x.Amounts), s)
		}
		for _, c := range cands {
			for k, v := range c.Features {
				if v < 0 || v > 1 || math.IsNaN(v) {
					t.Fatalf("feature %q = %v in %q", FeatureNames[k], v, s)
				}
			}
		}
	})
}
