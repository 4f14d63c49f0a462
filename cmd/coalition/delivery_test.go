package main

import (
	"strings"
	"testing"
)

// Issue 16 §1: €10 bn of deliveries were accepted on a €91.5 m pledge, and
// one dated a year ahead. A CSV import goes through the store's rule: exit 2
// naming the field; with over_delivery the same row is recorded.
func TestImportDeliveriesChecked(t *testing.T) {
	db := tempDB(t)
	pledges := writeFile(t, "pledges.csv", `source_ref,donor,recipient,category,status,amount,currency,announced,source
P-1,DEU,UKR,air-defence,allocated,91500000,EUR,2025-01-10,https://example.org/p
`)
	importJSON(t, "csv", pledges, "--db", db)
	for name, c := range map[string]struct{ csv, field string }{
		"over the pledge": {`source_ref,pledge_source,pledge_ref,date,amount_eur,source
d1,https://example.org/p,P-1,2025-03-01,10000000000,https://example.org/d
`, "amount_eur_minor"},
		"a year ahead": {`source_ref,pledge_source,pledge_ref,date,amount_eur,source
d2,https://example.org/p,P-1,2099-03-01,1000,https://example.org/d
`, "date"},
	} {
		t.Run(name, func(t *testing.T) {
			_, errOut, err := cli(t, nil, "import", "csv", writeFile(t, "deliveries.csv", c.csv), "--db", db)
			if exitCode(err) != 2 || !strings.Contains(err.Error()+errOut, c.field) {
				t.Fatalf("exit %d, err %v\n%s\nwant exit 2 naming %s", exitCode(err), err, errOut, c.field)
			}
		})
	}
	importJSON(t, "csv", writeFile(t, "deliveries.csv", `source_ref,pledge_source,pledge_ref,date,amount_eur,source,over_delivery
d1,https://example.org/p,P-1,2025-03-01,10000000000,https://example.org/d,replacement of lost systems
`), "--db", db)
}
