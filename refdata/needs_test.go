package refdata_test

import (
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"coalition/refdata"
)

// The bundled needs load as valid requirements and reconcile to the
// figures of ukraine_needs_sources.md: each row's EUR a month is its
// original figure (converted at the ECB rate it names) / 12, and the sources
// file states that figure, the per-month result and the rate.
func TestNeedsReconcile(t *testing.T) {
	needs, err := refdata.Needs()
	if err != nil {
		t.Fatal(err)
	}
	f, err := refdata.Open("ukraine_needs_sources.md")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	types := map[string]bool{}
	for _, n := range needs {
		r := n.Requirement
		types[r.Category] = true
		what := r.Category + " " + r.From.String()
		for _, f := range []struct{ name, v string }{{"source", r.Source}, {"as_of", r.AsOf}, {"note", r.Note}} {
			if f.v == "" {
				t.Errorf("%s: %s is empty", what, f.name)
			}
		}
		eq(t, what+" recipient", r.Recipient, "UKR")
		eq(t, what+" visibility", r.Visibility, "public")
		eur := n.OriginalAmount
		if n.OriginalCurrency == "USD" {
			eur /= n.USDPerEUR
			if !strings.Contains(md, fmt.Sprintf("%g", n.USDPerEUR)) {
				t.Errorf("%s: the rate %g is not in the sources file", r.Category, n.USDPerEUR)
			}
		} else if n.OriginalCurrency != "EUR" {
			t.Errorf("%s: currency %q", r.Category, n.OriginalCurrency)
		}
		months := float64(r.To-r.From) + 1
		if want := math.Round(eur/months*100) / 100; math.Abs(r.MonthlyEUR()-want) > 0.005 {
			t.Errorf("%s: %.2f a month, want %.2f (%.0f %s / %g months)", r.Category, r.MonthlyEUR(), want, n.OriginalAmount, n.OriginalCurrency, months)
		}
		if perMonth := groupThousands(r.AmountEUR); !strings.Contains(md, perMonth) {
			t.Errorf("%s: the sources file does not state %s a month", r.Category, perMonth)
		}
	}
	for _, c := range []string{"military", "financial", "humanitarian"} {
		if !types[c] {
			t.Errorf("no %s need in the bundled baseline", c)
		}
	}

	// By hand. NATO: EUR 40,000,000,000 a year / 12 = 3,333,333,333.33 a
	// month. UN OCHA: USD 2,600,000,000 / 1.035373 USD per EUR (ECB,
	// January 2025 average) = EUR 2,511,172,302.16; / 12 =
	// 209,264,358.51 a month. Ukraine's MoD, 2026: USD 60,000,000,000 /
	// 1.163043 (October 2025) = EUR 51,588,806,260.82; / 12 =
	// 4,299,067,188.40. Commission, 2027 military: EUR 83.4 bn - 52 bn =
	// 31.4 bn; / 12 = 2,616,666,666.67.
	want := map[string]int64{
		"military 2025-01":     3_333_333_333_33,
		"humanitarian 2025-01": 209_264_358_51,
		"military 2026-01":     4_299_067_188_40,
		"military 2027-01":     2_616_666_666_67,
	}
	seen := map[string]bool{}
	for _, n := range needs {
		key := n.Requirement.Category + " " + n.Requirement.From.String()
		if seen[key] {
			t.Errorf("%s: two rows for the same type and first month", key)
		}
		seen[key] = true
		if w, ok := want[key]; ok && n.Requirement.AmountEUR != w {
			t.Errorf("%s: %d cents a month, want %d", key, n.Requirement.AmountEUR, w)
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("no bundled need %s", key)
		}
	}
}

// groupThousands writes cents as "3,333,333,333.33".
func groupThousands(cents int64) string {
	s := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s.%02d", b.String(), cents%100)
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
