package ingest

import "testing"

// A range given high end first is the same range (found by FuzzParseMoney).
func TestParseMoneyReversedRange(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Money
	}{
		{"high end first", "between €2bn and €1bn", Money{Value: 1e9, Max: 2e9, Currency: "EUR"}},
		{"equal ends", "between €1bn and €1bn", Money{Value: 1e9, Max: 0, Currency: "EUR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMoney(tc.in)
			if err != nil {
				t.Fatalf("ParseMoney(%q): %v", tc.in, err)
			}
			if m.Value != tc.want.Value {
				t.Errorf("value = %v, want %v", m.Value, tc.want.Value)
			}
			if m.Max != tc.want.Max {
				t.Errorf("max = %v, want %v (0: no range)", m.Max, tc.want.Max)
			}
			if m.Currency != tc.want.Currency {
				t.Errorf("currency = %q, want %q", m.Currency, tc.want.Currency)
			}
		})
	}
}
