package importer

import (
	"bytes"
	"strings"
	"testing"
)

// TestSkipInvalidReadsEveryRow: past the 1,000 errors listed, every row is
// still read (the valid ones after them are recorded), the count is the
// true one, and the last error says how many more there were (issue 24:
// reading stopped silently at the 1,000th error).
func TestSkipInvalidReadsEveryRow(t *testing.T) {
	var b strings.Builder
	b.WriteString("source_ref,donor,category,amount,currency,announced\n")
	for i := 0; i < 1020; i++ {
		b.WriteString("X,Norwya,humanitarian,1,EUR,2024-01-15\n")
	}
	b.WriteString("LAST,Norway,humanitarian,12.34,EUR,2024-01-15\n")
	var c Collect
	st, err := CSV(bg, strings.NewReader(b.String()), "pledges", testOptions("many.csv"), &c)
	es, ok := AsErrors(err)
	if !ok {
		t.Fatalf("err = %v, want row errors", err)
	}
	eq(t, "rows", st.Rows, 1021)
	eq(t, "invalid", st.Invalid, 1020)
	eq(t, "records (the row after the errors)", st.Records, 1)
	eq(t, "errors listed (1,000 and the note)", len(es), 1001)
	eq(t, "the note", es[1000].Error(), "many.csv:0:errors: 20 more invalid rows, not listed (the first 1000 are; every row was read)")
	if len(c.Pledges) != 1 || c.Pledges[0].AmountEUR != 12_34 {
		t.Errorf("pledges = %v, want the last row's", c.Pledges)
	}

	// A Kiel workbook with 1,005 bad rows before a good one.
	rows := [][]any{kielMain[0]}
	for i := 0; i < 1005; i++ {
		rows = append(rows, []any{"Norwya", "2024-01-15", "Military", "x", "Allocation", "EUR", 1, 1, 1, 1})
	}
	rows = append(rows, kielMain[1])
	st, err = KielXLSX(bg, bytes.NewReader(kielWorkbook(t, rows, nil)), testOptions("k.xlsx"), &c)
	if _, ok := AsErrors(err); !ok {
		t.Fatalf("err = %v", err)
	}
	eq(t, "kiel rows", st.Rows, 1006)
	eq(t, "kiel invalid", st.Invalid, 1005)
	eq(t, "kiel records (pledge and delivery of the last row)", st.Records, 2)
}
