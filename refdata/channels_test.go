package refdata

import (
	"math"
	"testing"
)

func TestChannels(t *testing.T) {
	cs, err := Channels()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]int{}
	for i, c := range cs {
		byCode[c.Code] = i
	}
	for _, code := range []string{"EUI", "PURL", "CZ-AMMO"} {
		if _, ok := byCode[code]; !ok {
			t.Fatalf("channel %s missing", code)
		}
	}
	t.Run("EU shares are Kiel's attribution", func(t *testing.T) {
		eu := cs[byCode["EUI"]]
		if eu.Donor != "EUI" || len(eu.Contributors) != 27 {
			t.Fatalf("EUI: donor %q, %d contributors, want EUI and the 27 members", eu.Donor, len(eu.Contributors))
		}
		var share float64
		var cents int64
		for _, k := range eu.Contributors {
			share += k.Share
			cents += k.AmountEUR
			if k.Source == "" {
				t.Errorf("%s: no source", k.ISO3)
			}
		}
		if math.Abs(share-1) > 1e-12 {
			t.Errorf("shares add up to %.15f, want 1", share)
		}
		// Σ eu_share_bn = EUR 84.425292 bn; the EU institutions'
		// allocations in data_explorer.csv add up to 84.425291 bn (Kiel
		// rounds to EUR 1,000).
		if cents != 8_442_529_200_000 {
			t.Errorf("Σ attributed = %d cents, want 8442529200000", cents)
		}
		if got := eu.ShareOf("DNK"); math.Abs(got-1.944231/84.425292) > 1e-12 {
			t.Errorf("DNK share = %g, want 1.944231 / 84.425292", got)
		}
	})
	t.Run("declared shares", func(t *testing.T) {
		purl := cs[byCode["PURL"]]
		// NLD EUR 500 m of EUR 500 m + 3 × USD 500 m at 1.163143.
		want := 500e6 / (500e6 + 1500e6/1.163143)
		if got := purl.ShareOf("NLD"); math.Abs(got-want) > 1e-9 || purl.Donor != "" {
			t.Errorf("PURL NLD share %g, want %g; donor %q, want none", got, want, purl.Donor)
		}
		cz := cs[byCode["CZ-AMMO"]]
		if got, want := cz.ShareOf("DEU"), 576e6/(250e6+1.6e9/11.52139+576e6); math.Abs(got-want) > 1e-9 {
			t.Errorf("CZ-AMMO DEU share %g, want %g", got, want)
		}
	})
}

// TestProcurement: the bundled procurement split, summed by hand from
// procurement_trends.csv: PURL first appears in 2025-08 (EUR 1.883 bn) and
// adds up to EUR 4.122410 bn in 2025-08..2026-03.
func TestProcurement(t *testing.T) {
	ms, err := Procurement()
	if err != nil {
		t.Fatal(err)
	}
	var purl float64
	first := ""
	for _, m := range ms {
		if m.PURLEUR > 0 && first == "" {
			first = m.Month.String()
		}
		purl += m.PURLEUR
	}
	if first != "2025-08" || math.Abs(purl-4.122410e9) > 1e3 {
		t.Errorf("PURL from %s, %.6f bn in all; want 2025-08 and 4.122410 bn", first, purl/1e9)
	}
	years := ProcurementByYear(ms)
	if len(years) != 5 || years[0].Year != 2022 || years[4].Months != 4 {
		t.Fatalf("years %+v", years)
	}
	for _, y := range years {
		if got := y.StockpileEUR + y.ProcureEUR + y.UnknownEUR + y.PURLEUR; math.Abs(got-y.TotalEUR) > 1 {
			t.Errorf("%d: parts %.0f, total %.0f", y.Year, got, y.TotalEUR)
		}
	}
}
