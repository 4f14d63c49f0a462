package refdata

import (
	"math"
	"testing"

	"coalition"
)

// TestWeaponsReleaseReproducesKiel is the proof of issue 18 §1: Kiel's
// whole heavy-weapons table, parsed into systems, gives back its units and
// values per donor and category exactly (the category taken from each
// record's system, not from the row it came from).
func TestWeaponsReleaseReproducesKiel(t *testing.T) {
	rel, err := WeaponsRelease()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Weapons()
	if err != nil {
		t.Fatal(err)
	}
	kind := map[string]string{}
	for _, s := range rel.Systems {
		if err := s.Validate(); err != nil {
			t.Errorf("system %q: %v", s.Name, err)
		}
		kind[s.Name] = s.Kind
	}
	type key struct{ donor, kind string }
	units, cents := map[key]int64{}, map[key]int64{}
	for _, e := range rel.Records {
		if err := e.Validate(); err != nil {
			t.Errorf("record %s: %v", e.SourceRef, err)
		}
		k := key{e.Donor, kind[e.System]}
		units[k] += e.Delivered
		cents[k] += *e.ValueEUR
	}
	for _, w := range rows {
		k := key{w.ISO3, w.Category}
		if units[k] != int64(w.Number) {
			t.Errorf("%s %s: %d units, Kiel has %d", w.Donor, w.Category, units[k], w.Number)
		}
		if want := int64(math.Round(w.EUR * 100)); cents[k] != want {
			t.Errorf("%s %s: %d cents, Kiel has %d", w.Donor, w.Category, cents[k], want)
		}
		delete(units, k)
	}
	for k, n := range units {
		t.Errorf("%v: %d units in no row of Kiel's table", k, n)
	}
	if got, want := len(rows), 61; got != want {
		t.Errorf("%d rows, want the file's %d", got, want)
	}
}

// TestWeaponsReleaseSystems: Kiel's names are matched to the catalogue
// (spellings and variants), the rest kept as their own flagged systems,
// two spellings differing only in case as one.
func TestWeaponsReleaseSystems(t *testing.T) {
	rel, err := WeaponsRelease()
	if err != nil {
		t.Fatal(err)
	}
	sys := map[string]coalition.WeaponSystem{}
	for _, s := range rel.Systems {
		sys[s.Name] = s
	}
	bySource := map[string]*coalition.Equipment{}
	for _, e := range rel.Records {
		bySource[e.SourceRef] = e
	}
	for _, tc := range []struct{ ref, system, category string }{
		{"DEU|Air Defense|Iris-T SLM air defence system", "IRIS-T SLM", "air-defence"},
		{"CAN|Air Defense|National Advanced Surface-to-Air Missile System (NASAMS)", "NASAMS", "air-defence"},
		{"NOR|MLRS|M270 weapon system (Norway)", "M270", "artillery"},
		{"ITA|Howitzers|M109 A3GM 155mm howitzer", "M109", "artillery"},
		{"CZE|Tanks|Modified T-72 tank (T-72A/T-72M1/M1R)", "Modified T-72 tank (T-72A/T-72M1/M1R)", "armour"},
		{"EST|Howitzers|D-30 Howitzer", "D-30 howitzer", "artillery"},
	} {
		e := bySource[tc.ref]
		if e == nil {
			t.Errorf("%s: no record", tc.ref)
			continue
		}
		if e.System != tc.system || e.Category != tc.category {
			t.Errorf("%s: system %q (%s), want %q (%s)", tc.ref, e.System, e.Category, tc.system, tc.category)
		}
	}
	if s := sys["Modified T-72 tank (T-72A/T-72M1/M1R)"]; s.Catalogued {
		t.Error("T-72 variant: catalogued, want flagged as Kiel's own name")
	}
	if s := sys["Patriot"]; !s.Catalogued || s.Unit != "battery" || len(s.Producers) != 1 || s.Producers[0] != "USA" {
		t.Errorf("Patriot: %+v", s)
	}
	if e := bySource["DEU|Tanks|Leopard-2A6"]; e == nil || e.Note == "" || e.Delivered != 18 {
		t.Errorf("DEU Leopard 2A6: %+v, want 18 with the note on the split value", e)
	}
	if e := bySource["AUS|Tanks|M1A1 Abrams"]; e == nil || e.Note != "" || *e.ValueEUR != 46304792700 {
		t.Errorf("AUS Abrams: %+v, want Kiel's whole value and no note", e)
	}
}

// TestCatalogueNamesIssueSystems: the systems issue 18 names are in the
// catalogue, and no unit cost is without its source.
func TestCatalogueNamesIssueSystems(t *testing.T) {
	c, err := Systems()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Leopard 2A6", "M1A1 Abrams", "IRIS-T SLM", "Patriot", "NASAMS", "M777", "HIMARS",
		"Caesar", "F-16", "Bayraktar TB2", "155 mm shell", "PAC-3 MSE interceptor"} {
		s, ok := c.Lookup(n)
		if !ok {
			t.Errorf("%s: not in the catalogue", n)
			continue
		}
		if len(s.Producers) == 0 {
			t.Errorf("%s: no producer", n)
		}
	}
}

func TestParseWeaponsList(t *testing.T) {
	got, err := ParseWeaponsList("Modified T-72 tank (T-72A/T-72M1/M1R) (25); Leopard-2A4 (7)")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (WeaponItem{"Modified T-72 tank (T-72A/T-72M1/M1R)", 25}) || got[1] != (WeaponItem{"Leopard-2A4", 7}) {
		t.Errorf("got %+v", got)
	}
	if _, err := ParseWeaponsList("Leopard-2A4"); err == nil {
		t.Error("an entry without a count: no error")
	}
}

func TestSplitValue(t *testing.T) {
	got := splitValue(100, []WeaponItem{{"a", 1}, {"b", 1}, {"c", 1}})
	if got[0]+got[1]+got[2] != 100 || got[0] != 34 || got[1] != 33 {
		t.Errorf("split %v, want [34 33 33]", got)
	}
}
