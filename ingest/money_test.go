package ingest

import "testing"

// A range given high end first is the same range (found by FuzzParseMoney).
func TestParseMoneyReversedRange(t *testing.T) {
	m, err := ParseMoney("between €2bn and €1bn")
	if err != nil || m.Value != 1e9 || m.Max != 2e9 || m.Currency != "EUR" {
		t.Fatalf("got %+v %v, want €1–2bn", m, err)
	}
	m, err = ParseMoney("between €1bn and €1bn")
	if err != nil || m.Value != 1e9 || m.Max != 0 {
		t.Fatalf("got %+v %v, want €1bn and no range", m, err)
	}
}
