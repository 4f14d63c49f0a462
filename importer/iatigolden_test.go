package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"coalition"
)

var updateIATIGolden = flag.Bool("update-iati-golden", false, "rewrite testdata/iati/golden.txt from the parser's output")

// iatiDump is everything IATI gives of a file: each pledge as JSON (with
// its provenance byte for byte), the stats, the error and each row error
// as the API shows it.
func iatiDump(t testing.TB, data []byte, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	iatiDumpTo(t, &b, data, opt)
	return b.Bytes()
}

func iatiDumpTo(t testing.TB, w io.Writer, data []byte, opt Options) {
	t.Helper()
	sink := &dumpSink{w: w}
	st, err := IATI(bg, bytes.NewReader(data), opt, sink)
	if sink.err != nil {
		t.Fatal(sink.err)
	}
	j, _ := json.Marshal(st)
	w.Write(j)
	io.WriteString(w, "\n")
	if err != nil {
		fmt.Fprintf(w, "error: %v\n", err)
		if es, ok := AsErrors(err); ok {
			for _, e := range es {
				j, jerr := jsonRowError(e)
				if jerr != nil {
					t.Fatal(jerr)
				}
				w.Write(j)
				io.WriteString(w, "\n")
			}
		}
	}
}

// dumpSink writes each pledge as a line of JSON.
type dumpSink struct {
	discard
	w   io.Writer
	err error
}

func (d *dumpSink) Pledge(_ context.Context, p *coalition.Pledge) error {
	j, err := json.Marshal(p)
	if err != nil {
		d.err = err
	}
	d.w.Write(append(j, '\n'))
	return nil
}

// synIATI is a synthetic IATI file of n transactions shaped like
// cmd/gen-iati's; odd adds what gen-iati's lacks, each on some
// transactions: no ref, reversals, shares of several recipient countries,
// providers, transaction-level countries, bad currencies and dates, a
// missing type, entities and CDATA.
func synIATI(n int, odd bool) []byte {
	var w bytes.Buffer
	donors := []string{"GB-GOV-1", "XM-DAC-5", "XM-DAC-8", "US-GOV-1", "XM-DAC-4", "XM-DAC-7", "XM-DAC-3", "XM-DAC-10"}
	types := []string{"12", "2", "3", "3", "3"}
	curs := []string{"EUR", "USD", "GBP", "EUR"}
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n")
	const per = 10
	for a := 0; a*per < n; a++ {
		donor := donors[a%len(donors)]
		fmt.Fprintf(&w, `  <iati-activity default-currency="EUR" humanitarian="%d">
    <iati-identifier>%s-SYN-%07d</iati-identifier>
    <reporting-org ref="%s" type="10"><narrative>Synthetic donor %s</narrative></reporting-org>
    <activity-date type="1" iso-date="2022-03-01"/>
    <activity-date type="3" iso-date="2026-12-31"/>
`, a%2, donor, a, donor, donor)
		if odd && a%3 == 1 {
			w.WriteString(`    <recipient-country code="UA" percentage="60"/><recipient-country code="PL" percentage="40"/>` + "\n")
			w.WriteString(`    <participating-org ref="XM-DAC-7" role="1" type="10" activity-id="NL-1-X"><narrative>NL</narrative></participating-org>` + "\n")
		} else {
			w.WriteString(`    <recipient-country code="UA" percentage="100"/>` + "\n")
		}
		fmt.Fprintf(&w, `    <sector vocabulary="1" code="%s" percentage="100"/>`+"\n", []string{"23630", "72010", "51010", "15210"}[a%4])
		for t := 0; t < per && a*per+t < n; t++ {
			i := a*per + t
			month := i % 44
			y, m, day := 2022+month/12, month%12+1, i%28+1
			ref := fmt.Sprintf(` ref="T-%d"`, t)
			typ := types[i%len(types)]
			value := fmt.Sprintf("%d.%02d", 10_000+(i*7919)%5_000_000, i%100)
			cur := curs[i%len(curs)]
			date := fmt.Sprintf("%04d-%02d-%02d", y, m, day)
			extra := ""
			if odd {
				switch i % 17 {
				case 1:
					ref = ""
				case 2:
					value = "-" + value
				case 3:
					extra = `<provider-org ref="GB-GOV-1" type="10" provider-activity-id="GB-1-P"><narrative>FCDO</narrative></provider-org>`
				case 4:
					extra = `<recipient-country code="MD"/>`
				case 5:
					cur = "XYZ"
				case 6:
					date = "2022-13-01"
				case 7:
					typ = ""
				case 8:
					value = "<![CDATA[ 12.5 ]]>"
				case 9:
					ref = ` ref="T-&amp;-1"`
				case 10:
					typ = "5"
				case 11:
					ref = ` ref="T-0"` // a repeated reference
				case 12:
					extra = `<provider-org ref="XM-DAC-41114" type="40"><narrative>UNDP</narrative></provider-org>`
				}
			}
			fmt.Fprintf(&w, `    <transaction%s>
      <transaction-type code="%s"/>
      <transaction-date iso-date="%s"/>
      <value currency="%s" value-date="%s">%s</value>
      %s<receiver-org ref="XM-DAC-41114" receiver-activity-id="XM-DAC-41114-UKR-%d" type="40"><narrative>UNDP &lt;Ukraine&gt;</narrative></receiver-org>
    </transaction>
`, ref, typ, date, cur, date, value, extra, a)
		}
		w.WriteString("  </iati-activity>\n")
	}
	w.WriteString("</iati-activities>\n")
	return w.Bytes()
}

// synRates gives opt rates of USD and GBP from 2020 on, for every
// transaction of synIATI's and cmd/gen-iati's.
func synRates(opt Options) Options {
	opt.FX = NewFXTable([]coalition.FXRate{{Month: coalition.MonthOf(2020, 1), Currency: "USD", UnitsPerEUR: 1.1}, {Month: coalition.MonthOf(2020, 1), Currency: "GBP", UnitsPerEUR: 0.85}})
	return opt
}

// iatiGoldenCases are the files and options of TestIATIGolden.
func iatiGoldenCases(t *testing.T) []struct {
	name string
	data []byte
	opt  Options
} {
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	example := read("testdata/real/iati-activity-standard-example-annotated.xml")
	activities := read("testdata/iati/activities.xml")
	opt := func(file, recipient string, all bool) Options {
		o := testOptions(file)
		if all {
			o.Names = NewNames(nil)
		}
		o.Recipient = recipient
		return o
	}
	type tc = struct {
		name string
		data []byte
		opt  Options
	}
	cases := []tc{
		{"example UA", example, opt("example.xml", "UA", false)},
		{"example TM", example, opt("example.xml", "TM", true)},
		{"example any", example, opt("example.xml", "", true)},
		{"activities UA", activities, opt("activities.xml", "UA", false)},
		{"activities any", activities, opt("activities.xml", "", false)},
		{"activities any, all names", activities, opt("activities.xml", "", true)},
		{"synthetic UA", synIATI(2000, false), synRates(opt("syn.xml", "UA", true))},
		{"synthetic odd UA", synIATI(3000, true), synRates(opt("odd.xml", "UA", true))},
		{"synthetic odd any", synIATI(3000, true), synRates(opt("odd.xml", "", true))},
		{"synthetic odd, few names", synIATI(3000, true), opt("odd.xml", "", false)},
	}
	// Every 61st prefix of the small files: truncated, broken files.
	for _, f := range []struct {
		name string
		data []byte
	}{{"example", example}, {"activities", activities}, {"odd", synIATI(20, true)}} {
		for n := 0; n < len(f.data); n += 61 {
			cases = append(cases, tc{fmt.Sprintf("%s[:%d]", f.name, n), f.data[:n], opt(f.name+".xml", "", true)})
		}
	}
	return cases
}

// TestIATIGolden pins IATI's whole output (pledges, provenance, stats,
// errors) on real and synthetic files and their truncations: a change
// made for speed must leave it byte for byte. -update-iati-golden
// rewrites it (only for a change of behaviour meant as one).
func TestIATIGolden(t *testing.T) {
	var got bytes.Buffer
	for _, c := range iatiGoldenCases(t) {
		d := iatiDump(t, c.data, c.opt)
		sum := sha256.Sum256(d)
		fmt.Fprintf(&got, "%s: %d bytes, sha256 %s\n", c.name, len(d), hex.EncodeToString(sum[:]))
		if !strings.Contains(c.name, "[:") && len(d) < 20000 {
			got.Write(d)
		}
	}
	const path = "testdata/iati/golden.txt"
	if *updateIATIGolden {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}

// TestIATIScaleDigest prints the digest of IATI's output on the file
// IATI_SCALE_FILE names (cmd/gen-iati's), to compare two versions of the
// parser on a million transactions by hand.
func TestIATIScaleDigest(t *testing.T) {
	path := os.Getenv("IATI_SCALE_FILE")
	if path == "" {
		t.Skip("set IATI_SCALE_FILE to a synthetic IATI file (cmd/gen-iati)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opt := testOptions("syn.xml")
	opt.Names, opt.Recipient = NewNames(nil), "UA"
	opt = synRates(opt)
	h := sha256.New()
	iatiDumpTo(t, h, data, opt)
	t.Logf("sha256 of the output %s", hex.EncodeToString(h.Sum(nil)))
}

// BenchmarkIATI parses a synthetic file shaped like cmd/gen-iati's, the
// records discarded.
func BenchmarkIATI(b *testing.B) {
	data := synIATI(20000, false)
	opt := testOptions("syn.xml")
	opt.Names, opt.Recipient = NewNames(nil), "UA"
	opt = synRates(opt)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var sink discard
		if _, err := IATI(bg, bytes.NewReader(data), opt, &sink); err != nil {
			b.Fatal(err)
		}
		if sink.n != 20000 {
			b.Fatalf("%d records", sink.n)
		}
	}
}

// TestPlainDateIsParseDate: plainDate reads what coalition.ParseDate reads,
// the same, on every day of 1582-2500, every month and day number 00-39 of
// a few years, and odd strings.
func TestPlainDateIsParseDate(t *testing.T) {
	var in []string
	for y := 1582; y <= 2500; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				in = append(in, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, y := range []string{"0000", "0001", "1900", "2000", "2024", "9999"} {
		for m := 0; m < 40; m++ {
			for d := 0; d < 40; d++ {
				in = append(in, fmt.Sprintf("%s-%02d-%02d", y, m, d))
			}
		}
	}
	in = append(in, "", "2024-1-01", "2024-01-1", "+024-01-01", "2024/01/01", "2024-01-01 ", " 2024-01-01", "2024-0a-01", "20240101xx",
		"2024-01-01T00:00:00Z", "２024-01-01", "-024-01-01", "2024--1-01", "2024-01--1")
	for _, s := range in {
		want, werr := coalition.ParseDate(s)
		got, ok := plainDate(s)
		if ok && (werr != nil || got != want) || !ok && werr == nil {
			t.Fatalf("%q: plainDate %v %v, ParseDate %v %v", s, got, ok, want, werr)
		}
		if ok && got.String() != s {
			t.Fatalf("%q: written back %q", s, got.String())
		}
	}
}

// BenchmarkIATIBare is BenchmarkIATI's reference: a bare RawToken pass
// over the same file, as scripts/iati-scale/bareparse makes.
func BenchmarkIATIBare(b *testing.B) {
	data := synIATI(20000, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d := xml.NewDecoder(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
		for {
			if _, err := d.RawToken(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
