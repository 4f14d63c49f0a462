package importer

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"coalition"
)

func TestCSVPledges(t *testing.T) {
	var c Collect
	st, err := CSV(bg, open(t, "testdata/csv/pledges.csv"), "", testOptions("pledges.csv"), &c)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 3 {
		t.Fatalf("records = %d, want 3", st.Records)
	}
	got := byRef(c.Pledges)
	// NOK 1,140,000,000 / 11.40 = EUR 100,000,000.
	if p := got["NO-1"]; p == nil || p.AmountEUR != 100_000_000_00 || p.FXRate != 11.40 || *p.Quantity != 2 || p.Source != "https://example.org/no" {
		t.Errorf("NO-1 = %+v", p)
	}
	// Trailing spaces, ISO2 recipient, empty source → the file's citation.
	if p := got["DE-1"]; p == nil || p.Recipient != "UKR" || p.Category != "humanitarian" || p.AmountEUR != 48_000_000_00 || p.Source != "csv: pledges.csv" {
		t.Errorf("DE-1 = %+v", p)
	}
	// "Turkiye" → TUR; USD 300,000 / 1.08 = 277,777.78.
	if p := got["TR-1"]; p == nil || p.Donor != "TUR" || p.AmountEUR != 277_777_78 {
		t.Errorf("TR-1 = %+v", p)
	}
}

func TestCSVErrors(t *testing.T) {
	var c Collect
	_, err := CSV(bg, open(t, "testdata/csv/bad_pledges.csv"), "pledges", testOptions("bad.csv"), &c)
	es, ok := AsErrors(err)
	if !ok {
		t.Fatalf("err = %v, want row errors", err)
	}
	want := []string{
		"bad.csv:2:amount: negative amount -5",
		"bad.csv:3:donor: unknown country or donor \"Norwya\" (closest: Norway (NOR)",
		"bad.csv:4:announced: date \"2025-13-45\"",
		"bad.csv:5:currency: unknown currency XYZ",
		"bad.csv:6:row: wrong number of fields",
		"bad.csv:7:category: category: \"tanks\" is not a category",
	}
	if len(es) != len(want) {
		t.Fatalf("got %d errors:\n%v\nwant %d", len(es), err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(es[i].Error(), w) {
			t.Errorf("error %d = %q, want prefix %q", i, es[i], w)
		}
	}
}

func TestCSVTemplateReadsBack(t *testing.T) {
	for _, kind := range CSVKinds {
		t.Run(kind, func(t *testing.T) {
			var b bytes.Buffer
			if err := CSVTemplate(&b, kind); err != nil {
				t.Fatal(err)
			}
			header, _, _ := strings.Cut(b.String(), "\n")
			if got, _ := DetectCSVKind(strings.Split(header, ",")); got != kind {
				t.Errorf("detected %q, want %q", got, kind)
			}
			var c Collect
			opt := testOptions("template.csv")
			if _, err := CSV(bg, &b, kind, opt, &c); err != nil {
				t.Fatalf("the template's example row does not import: %v", err)
			}
			n := len(c.Pledges) + len(c.Deliveries) + len(c.Requirements) + len(c.Engagements) + len(c.RiskEvents)
			if n != 1 {
				t.Errorf("records = %d, want 1", n)
			}
		})
	}
}

// A 20 MB line is refused after MaxLine bytes, without reading it whole.
func TestCSVLongLine(t *testing.T) {
	r := io.MultiReader(strings.NewReader("donor,category,amount,currency,announced\nNorway,military,"), &repeat{b: '9', n: 20 << 20})
	var c Collect
	_, err := CSV(bg, r, "pledges", testOptions("long.csv"), &c)
	if err == nil || !strings.Contains(err.Error(), "long.csv:2:amount: longer than 1048576 bytes") {
		t.Fatalf("err = %v", err)
	}
	if coalition.ErrorKind(err) != coalition.Invalid {
		t.Errorf("kind %s", coalition.ErrorKind(err))
	}
}

// repeat yields n copies of b without allocating them.
type repeat struct {
	b byte
	n int
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}
