package importer

import (
	"context"
	"encoding/xml"
	"io"
	"os"
	"testing"
	"time"

	"coalition"
)

type discard struct{ n int }

func (d *discard) Pledge(context.Context, *coalition.Pledge) error { d.n++; return nil }
func (d *discard) Delivery(context.Context, string, string, string, string, *coalition.Delivery) error {
	return nil
}
func (d *discard) Requirement(context.Context, string, string, *coalition.Requirement) error {
	return nil
}
func (d *discard) Engagement(context.Context, *coalition.Engagement) error { return nil }
func (d *discard) RiskEvent(context.Context, *coalition.RiskEvent) error   { return nil }

// TestIATIParseRatio compares the IATI importer (parsing only, records
// discarded) with a bare xml.Decoder pass over the same file, when
// IATI_SCALE_FILE names one (scripts/iati-scale/run.sh generates it).
func TestIATIParseRatio(t *testing.T) {
	path := os.Getenv("IATI_SCALE_FILE")
	if path == "" {
		t.Skip("set IATI_SCALE_FILE to a synthetic IATI file (cmd/gen-iati)")
	}
	f := open(t, path)
	start := time.Now()
	d := xml.NewDecoder(f)
	for {
		if _, err := d.RawToken(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	bare := time.Since(start)
	f.Seek(0, io.SeekStart)
	opt := testOptions(path)
	opt.Names = NewNames(nil)
	opt.FX = NewFXTable([]coalition.FXRate{{Month: coalition.MonthOf(2020, 1), Currency: "USD", UnitsPerEUR: 1.1}, {Month: coalition.MonthOf(2020, 1), Currency: "GBP", UnitsPerEUR: 0.85}})
	var sink discard
	start = time.Now()
	st, err := IATI(bg, f, opt, &sink)
	if err != nil {
		t.Fatal(err)
	}
	imp := time.Since(start)
	t.Logf("transactions %d, records %d; bare xml %.2fs, importer parse %.2fs, ratio %.2f", st.Rows, sink.n, bare.Seconds(), imp.Seconds(), imp.Seconds()/bare.Seconds())
}
