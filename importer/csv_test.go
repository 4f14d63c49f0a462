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
	t.Run("NO-1", func(t *testing.T) {
		p := got["NO-1"]
		if p == nil {
			t.Fatal("no pledge NO-1")
		}
		eq(t, "amount_eur", p.AmountEUR, 100_000_000_00)
		eq(t, "fx_rate", p.FXRate, 11.40)
		if p.Quantity == nil {
			t.Fatal("quantity = nil, want 2")
		}
		eq(t, "quantity", *p.Quantity, 2)
		eq(t, "source", p.Source, "https://example.org/no")
	})
	// Trailing spaces, ISO2 recipient, empty source → the file's citation.
	t.Run("DE-1", func(t *testing.T) {
		p := got["DE-1"]
		if p == nil {
			t.Fatal("no pledge DE-1")
		}
		eq(t, "recipient", p.Recipient, "UKR")
		eq(t, "category", p.Category, "humanitarian")
		eq(t, "amount_eur", p.AmountEUR, 48_000_000_00)
		eq(t, "source", p.Source, "csv: pledges.csv")
	})
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
	if err == nil || !strings.Contains(err.Error(), "long.csv:2:amount: the line is longer than 1048576 bytes") {
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

// A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted by every CSV
// importer, before a quoted header too (before: Kiel CSV refused it with
// `bare " in non-quoted-field`).
func TestCSVByteOrderMark(t *testing.T) {
	const bom = "\ufeff"
	kiel := `"country","iso","year","month","total","financial","humanitarian","military"` + "\nNorway,NOR,2024,1,3,1,1,1\n"
	st, err := KielCSVTo(bg, strings.NewReader(bom+kiel), testOptions("k.csv"), &Collect{})
	if err != nil || st.Records != 3 {
		t.Errorf("kiel-csv with a BOM: %d records, %v; want 3", st.Records, err)
	}
	if ps, err := KielCSV(strings.NewReader(bom+kiel), KielOptions{File: "k.csv"}); err != nil || len(ps) != 3 {
		t.Errorf("KielCSV with a BOM: %d pledges, %v; want 3", len(ps), err)
	}
	coal := `"source_ref","donor","category","amount","currency","announced"` + "\nA,Norway,military,5,EUR,2024-01-01\n"
	if st, err := CSV(bg, strings.NewReader(bom+coal), "", testOptions("c.csv"), &Collect{}); err != nil || st.Records != 1 {
		t.Errorf("csv with a BOM: %d records, %v; want 1", st.Records, err)
	}
}

// Invalid UTF-8 (or a NUL) in any field is refused, naming the file, line
// and field (before: stored as raw bytes on SQLite).
func TestCSVInvalidUTF8(t *testing.T) {
	in := "source_ref,donor,category,amount,currency,announced,source\nA,Norway,military,5,EUR,2024-01-01,ok\nB,Norway,military,5,EUR,2024-01-01,caf\xe9\nC,Norway,military,5,EUR,2024-01-01,a\x00b\n"
	var c Collect
	st, err := CSV(bg, strings.NewReader(in), "", testOptions("u.csv"), &c)
	want := "u.csv:3:source: invalid UTF-8 at byte 4 (save the file as UTF-8)\nu.csv:4:source: a NUL character at byte 2"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if st.Records != 1 || st.Invalid != 2 || len(c.Pledges) != 1 {
		t.Errorf("stats %+v, %d pledges: want the valid row only", st, len(c.Pledges))
	}
	kiel := kielHeader + "Norw\xffy,NOR,2024,1,3,1,1,1\n"
	if _, err := KielCSVTo(bg, strings.NewReader(kiel), testOptions("k.csv"), &Collect{}); err == nil || err.Error() != "k.csv:2:column 1: invalid UTF-8 at byte 5 (save the file as UTF-8)" {
		t.Errorf("kiel-csv: %v", err)
	}
}

const kielHeader = "country,iso,year,month,total,financial,humanitarian,military\n"

// One invalid Kiel row is one error, whatever its columns (before: one per
// non-zero column when the sink refused the donor).
func TestKielCSVOneErrorPerRow(t *testing.T) {
	in := kielHeader + "Norway,NOR,2024,1,3,1,1,1\nBelgium,BEL,2024,1,3,1,1,1\nFrance,FRA,2024,1,3,x,y,z\n"
	var c Collect
	st, err := KielCSVTo(bg, strings.NewReader(in), testOptions("k.csv"), &c)
	es, _ := AsErrors(err)
	if len(es) != 2 {
		t.Fatalf("errors %v: want k.csv:3:iso and k.csv:4:military", err)
	}
	eq(t, "first error's row", es[0].Row, 3)
	eq(t, "first error's field", es[0].Field, "iso")
	eq(t, "second error's row", es[1].Row, 4)
	eq(t, "second error's field", es[1].Field, "military")
	eq(t, "invalid", st.Invalid, 2)
	if len(c.Pledges) != 3 || st.Records != 3 {
		t.Errorf("%d pledges sent, stats %+v: want the 3 of the valid row", len(c.Pledges), st)
	}
}
