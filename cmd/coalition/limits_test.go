package main

import (
	"strings"
	"testing"
)

// Issue 17: the CLI refuses values outside the domain (limits.go) with
// exit code 2 and a message naming the line and field, and stores nothing.
func TestImportOutOfRangeValuesExit2(t *testing.T) {
	db := tempDB(t)
	if _, _, err := cli(t, nil, "seed", "--db", db); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, db)
	const head = "donor,category,amount,currency,announced,conditions\n"
	for _, c := range []struct{ name, row, where, want string }{
		{"year 9999", "Norway,military,5,EUR,9999-12-31,", "x.csv:2:announced:", "9999-12-31 is outside the supported range 1990-01-01 to 2100-12-31"},
		{"year 1", "Norway,military,5,EUR,0001-01-01,", "x.csv:2:announced:", "0001-01-01 is outside"},
		{"amount past the maximum", "Norway,military,10000000000000.01,EUR,2024-01-01,", "x.csv:2:amount.minor:", "1000000000000001 is more than the largest amount allowed"},
		{"MaxInt64 cents", "Norway,military,92233720368547758.07,EUR,2024-01-01,", "x.csv:2:amount", ""},
		{"invalid UTF-8", "Norway,military,5,EUR,2024-01-01,caf\xe9", "x.csv:2:conditions:", "invalid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, err := cli(t, nil, "import", "csv", writeFile(t, "x.csv", head+c.row+"\n"), "--db", db)
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
			}
			if !strings.Contains(errOut, c.where) || !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q: want %q and %q", errOut, c.where, c.want)
			}
			if after := takeSnapshot(t, db); after != before {
				t.Errorf("database changed: %+v, want %+v", after, before)
			}
		})
	}
}
