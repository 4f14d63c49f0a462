package importer

import (
	"bytes"
	"strings"
	"testing"
)

// Issue 17: a Kiel unit count past int64 saturates and is refused by the
// domain's limit on quantities, naming the field; it used to wrap around to
// a negative number ("must not be negative").
func TestKielXLSXHugeQuantity(t *testing.T) {
	row := append([]any(nil), kielMain[1]...)
	row[13] = "1e300" // item_numb
	var c Collect
	_, err := KielXLSX(bg, bytes.NewReader(kielWorkbook(t, [][]any{kielMain[0], row}, nil)), testOptions("k.xlsx"), &c)
	if err == nil || !strings.Contains(err.Error(), "quantity") || !strings.Contains(err.Error(), "more than the largest amount allowed") {
		t.Fatalf("err = %v, want quantity refused as more than the largest amount allowed", err)
	}
}
