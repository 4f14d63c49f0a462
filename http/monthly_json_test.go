package http

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"coalition"
)

// TestDonorMonthsJSON: the answer of /api/v1/donors/monthly written by
// hand is byte for byte what encoding/json writes, for the reference data
// and for values at the edges of its number and string formats.
func TestDonorMonthsJSON(t *testing.T) {
	st := uiStore(t)
	rows, err := st.MonthlySupport(coalition.WithUser(t.Context(), coalition.System), coalition.DonorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 100 {
		t.Fatalf("%d rows from the reference data, want at least 100", len(rows))
	}
	m := coalition.MonthOf(2024, 3)
	edges := []coalition.DonorMonth{{}, {ISO3: "DEU", Month: coalition.MinMonth, Type: coalition.Military, EUR: 0.01}}
	for _, f := range []float64{0, math.Copysign(0, -1), 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.2345e21, 1e300, -1e-7, -1e21,
		0.1 + 0.2, 123456789.01, -42.5, math.MaxFloat64, math.SmallestNonzeroFloat64, float64(coalition.MaxAmountMinor) / 100} {
		edges = append(edges, coalition.DonorMonth{ISO3: "FRA", Month: m, Type: coalition.Financial, EUR: f})
	}
	for _, s := range []string{`a"b`, `a\b`, "<", ">", "&", "é", "\u2028", "tab\there", "\x7f", string([]byte{0xff, 'x'})} {
		edges = append(edges, coalition.DonorMonth{ISO3: s, Month: m, Type: coalition.SupportType(s), EUR: 1})
	}
	for name, v := range map[string]donorMonths{"reference data": rows, "edges": edges, "empty": {}, "nil": nil} {
		got, err := v.appendJSON(nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := json.Marshal([]coalition.DonorMonth(v))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: differs from encoding/json at byte %d:\n got …%s\nwant …%s", name, i, got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)])
		}
	}
	if _, err := (donorMonths{{EUR: math.Inf(1)}}).appendJSON(nil); err == nil {
		t.Error("+Inf: no error (encoding/json refuses it)")
	}
}
