package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"coalition"
)

func TestIATI(t *testing.T) {
	opt := testOptions("activities.xml")
	opt.Recipient = "UA"
	var c Collect
	st, err := IATI(bg, open(t, "testdata/iati/activities.xml"), opt, &c)
	if err != nil {
		t.Fatal(err)
	}
	// 8 transactions (6 + 1 + 1): T-5 (interest, type 5), T-6 (to Poland) and the Tanzania one are skipped: 5 records.
	if st.Rows != 8 || st.Records != 5 || st.Skipped != 3 {
		t.Errorf("stats = %+v, want 8 rows, 5 records, 3 skipped", st)
	}
	got := byRef(c.Pledges)
	tests := []struct {
		ref      string
		donor    string
		status   coalition.PledgeStatus
		category string
		eurCents int64
		fxMonth  string
	}{
		{"GB-GOV-1-UKR-0001/T-1", "GBR", coalition.Announced, "reconstruction", 40_000_000_00, "2024-10"},
		{"GB-GOV-1-UKR-0001/T-2", "GBR", coalition.Committed, "reconstruction", 30_000_000_00, "2024-11"},
		{"GB-GOV-1-UKR-0001/T-3", "GBR", coalition.Delivered, "humanitarian", 12_000_000_00, "2025-02"},
		// no value-date: the transaction date 2025-03-10; no March rate, so February's 0.85: 8,500,000 / 0.85 = 10,000,000.
		{"GB-GOV-1-UKR-0001/T-4", "GBR", coalition.Delivered, "reconstruction", 10_000_000_00, "2025-02"},
	}
	for _, tt := range tests {
		p := got[tt.ref]
		if p == nil {
			t.Errorf("%s: missing", tt.ref)
			continue
		}
		eq(t, tt.ref+" donor", p.Donor, tt.donor)
		eq(t, tt.ref+" recipient", p.Recipient, "UKR")
		eq(t, tt.ref+" status", p.Status, tt.status)
		eq(t, tt.ref+" category", p.Category, tt.category)
		eq(t, tt.ref+" amount_eur", p.AmountEUR, tt.eurCents)
		eq(t, tt.ref+" fx_month", p.FXMonth.String(), tt.fxMonth)
	}
	// The Netherlands: 60% of USD 10,000,000 = 6,000,000 USD at 1.087 = 5,519,779.208… EUR.
	var nl *coalition.Pledge
	for _, p := range c.Pledges {
		if p.Donor == "NLD" {
			nl = p
		}
	}
	if nl == nil {
		t.Fatal("no NLD pledge")
	}
	eq(t, "NLD amount", nl.Amount.Minor, 6_000_000_00)
	eq(t, "NLD amount_eur", nl.AmountEUR, 5_519_779_21)
	eq(t, "NLD category", nl.Category, "humanitarian")
	if !strings.HasPrefix(nl.SourceRef, "XM-DAC-7-UKR-MD-02/sha256:") {
		t.Errorf("NLD ref %q: want a content hash under the activity id", nl.SourceRef)
	}
	// Provenance keeps the traceability ids.
	var prov Provenance
	if err := json.Unmarshal([]byte(got["GB-GOV-1-UKR-0001/T-3"].Provenance), &prov); err != nil {
		t.Fatal(err)
	}
	eq(t, "provenance provider_activity_id", prov.Extra["provider_activity_id"], "GB-GOV-1-UKR-0001")
	eq(t, "provenance receiver_activity_id", prov.Extra["receiver_activity_id"], "XM-DAC-41114-UKR-ENERGY")
	eq(t, "provenance user", prov.User, "tester@example.org")
	if prov.Row == 0 {
		t.Error("provenance row = 0, want the transaction's line")
	}
}

func TestIATIMalformed(t *testing.T) {
	head := `<iati-activities version="2.03"><iati-activity default-currency="EUR"><iati-identifier>GB-1-X</iati-identifier>
<reporting-org ref="GB-GOV-1" type="10"/><recipient-country code="UA"/>`
	tx := func(typ, date, value, cur string) string {
		return `<transaction><transaction-type code="` + typ + `"/><transaction-date iso-date="` + date + `"/><value currency="` + cur + `">` + value + `</value></transaction>`
	}
	tail := `</iati-activity></iati-activities>`
	tests := []struct {
		name, xml, want string
	}{
		{"truncated", head + tx("2", "2024-01-01", "5", "EUR"), "truncated"},
		{"garbage", "\x00\x01\x02PK\x03\x04 not xml", "xml"},
		{"wrong root", `<html><body/></html>`, "want <iati-activities>"},
		{"bad date", head + tx("2", "2025-13-45", "5", "EUR") + tail, "2025-13-45"},
		{"unknown currency", head + tx("2", "2024-01-01", "5", "XYZ") + tail, "unknown currency XYZ"},
		{"not a number", head + tx("2", "2024-01-01", "lots", "EUR") + tail, "not a decimal"},
		{"unknown donor", strings.Replace(head, "GB-GOV-1", "Norwya", 1) + tx("2", "2024-01-01", "5", "EUR") + tail, "closest: Norway (NOR)"},
		{"empty", "", "no <iati-activities>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Collect
			_, err := IATI(bg, strings.NewReader(tt.xml), testOptions("x.xml"), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "x.xml:") {
				t.Errorf("err %q does not start with FILE:LINE", err)
			}
			if coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("kind = %s, want invalid", coalition.ErrorKind(err))
			}
		})
	}
}

// A run of 2 MB of whitespace is refused with one line number: where the
// run starts (before: the decoder's line and "line 0").
func TestIATILongTextOneLine(t *testing.T) {
	r := io.MultiReader(strings.NewReader("<iati-activities>\n<iati-activity>\n<iati-identifier>"), &repeat{b: ' ', n: 2 << 20})
	var c Collect
	_, err := IATI(bg, r, testOptions("w.xml"), &c)
	want := "w.xml:3:xml: a text or tag is longer than 1048576 bytes: not a file of this format, or a broken one"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// A syntax error names its line once, as the row.
func TestIATISyntaxErrorOneLine(t *testing.T) {
	_, err := IATI(bg, strings.NewReader("<iati-activities>\n<a>\n\n</a\n\nb>"), testOptions("s.xml"), &Collect{})
	if want := "s.xml:6:xml: XML syntax error: invalid characters between </a and >"; err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// Options.resolve answers what Names.Resolve answers, the first time and
// the next, errors included, and remembers at most 4,096 names.
func TestResolveRemembers(t *testing.T) {
	opt := testOptions("r.xml")
	names := []string{"UA", "GB-GOV-1", "XM-DAC-10", "Ukraine", "Atlantis", "", "NL-KVK-123", "XI-IATI-EC_ECHO", "US-GOV-1", "FR"}
	for round := range 2 {
		for _, s := range names {
			iso, err := opt.resolve(s)
			wantISO, wantErr := opt.Names.Resolve(s)
			if iso != wantISO || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("round %d: resolve(%q) = %q, %v; Names.Resolve: %q, %v", round, s, iso, err, wantISO, wantErr)
			}
		}
	}
	for i := range 5000 {
		opt.resolve(fmt.Sprintf("name %d", i))
	}
	if len(opt.resolved) > 4096 {
		t.Errorf("%d names remembered, want at most 4096", len(opt.resolved))
	}
}
