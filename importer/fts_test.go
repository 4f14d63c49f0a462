package importer

import (
	"strings"
	"testing"

	"coalition"
)

func TestFTS(t *testing.T) {
	var c Collect
	st, err := FTS(bg, open(t, "testdata/fts/flows.json"), testOptions("flows.json"), &c)
	if err != nil {
		t.Fatal(err)
	}
	// 7 flows: the second 900001 (older version), 900005 (pledge under a pledge parent) and 900006 (to Syria) are skipped.
	if st.Rows != 7 || st.Records != 4 || st.Skipped != 3 {
		t.Errorf("stats = %+v, want 7 rows, 4 records, 3 skipped", st)
	}
	got := byRef(c.Pledges)
	tests := []struct {
		ref, donor string
		status     coalition.PledgeStatus
		eurCents   int64
	}{
		{"fts-flow-900001", "NOR", coalition.Delivered, 9_200_000_00}, // version 2 kept, not the 1-euro version 1
		{"fts-flow-900002", "JPN", coalition.Announced, 4_587_155_96}, // USD 5,000,000 / 1.09 = 4,587,155.963…
		{"fts-flow-900003", "DEU", coalition.Announced, 2_000_000_00},
		{"fts-flow-900004", "DEU", coalition.Delivered, 1_000_000_00}, // a paid child of a pledge: the next step of the chain
	}
	for _, tt := range tests {
		p := got[tt.ref]
		if p == nil {
			t.Errorf("%s missing", tt.ref)
			continue
		}
		eq(t, tt.ref+" donor", p.Donor, tt.donor)
		eq(t, tt.ref+" status", p.Status, tt.status)
		eq(t, tt.ref+" amount_eur", p.AmountEUR, tt.eurCents)
		eq(t, tt.ref+" category", p.Category, "humanitarian")
		eq(t, tt.ref+" recipient", p.Recipient, "UKR")
	}
	if got["fts-flow-900002"].Conditions != "in-kind" {
		t.Errorf("in-kind flow: conditions %q", got["fts-flow-900002"].Conditions)
	}
}

func TestFTSMalformed(t *testing.T) {
	flow := func(fields string) string {
		return `{"data":{"flows":[{"id":"1","status":"paid",` + fields + `,"sourceObjects":[{"type":"Organization","name":"Norway, Government of"}],"destinationObjects":[{"type":"Location","name":"Ukraine"}]}]}}`
	}
	tests := []struct{ name, json, want string }{
		{"truncated", `{"data":{"flows":[{"id":"1",`, "unexpected EOF"},
		{"garbage", "\x89PNG\x00\x00", "invalid character"},
		{"no flows", `{"status":"ok","data":{}}`, "no data.flows"},
		{"negative", flow(`"originalAmount":-5,"originalCurrency":"EUR","date":"2024-01-01"`), "negative"},
		{"bad date", flow(`"originalAmount":5,"originalCurrency":"EUR","date":"2025-13-45"`), "2025-13-45"},
		{"unknown currency", flow(`"originalAmount":5,"originalCurrency":"XYZ","date":"2024-01-01"`), "unknown currency XYZ"},
		{"no date", flow(`"originalAmount":5,"originalCurrency":"EUR"`), "no date"},
		{"bad status", strings.Replace(flow(`"originalAmount":5,"originalCurrency":"EUR","date":"2024-01-01"`), "paid", "maybe", 1), "not one of pledge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Collect
			_, err := FTS(bg, strings.NewReader(tt.json), testOptions("f.json"), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "f.json:") {
				t.Fatalf("err = %v, want f.json:… %q", err, tt.want)
			}
		})
	}
}

// A truncated FTS file is an error at the line where it ends; the flows
// before it are read (what --skip-invalid keeps). Line numbers of flows
// are those of their first line.
func TestFTSTruncated(t *testing.T) {
	flow := func(id string) string {
		return `{"id":"` + id + `","status":"paid","originalAmount":5,"originalCurrency":"EUR","date":"2024-01-01",` + "\n" +
			`"sourceObjects":[{"type":"Organization","name":"Norway, Government of"}],"destinationObjects":[{"type":"Location","name":"Ukraine"}]}`
	}
	in := "{\"data\": {\"flows\": [\n" + flow("1") + ",\n" + flow("2") + ",\n" + `{"id":"3","status":"pa`
	var c Collect
	st, err := FTS(bg, strings.NewReader(in), testOptions("t.json"), &c)
	want := "t.json:6:json: the file ends inside a value: truncated? (unexpected EOF)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if len(c.Pledges) != 2 || st.Records != 2 || st.Invalid != 1 {
		t.Fatalf("%d pledges, stats %+v: want the 2 complete flows", len(c.Pledges), st)
	}
	if !strings.Contains(c.Pledges[1].Provenance, `"row":4`) {
		t.Errorf("second flow provenance %s: want row 4", c.Pledges[1].Provenance)
	}
}
