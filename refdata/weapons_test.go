package refdata

import (
	"strings"
	"testing"
)

// TestWeapons: every row of the bundled weapons.csv names a country of
// countries.csv, and Germany's rows are found by DEU.
func TestWeapons(t *testing.T) {
	all, err := Weapons()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no rows")
	}
	deu, err := WeaponsOf("DEU")
	if err != nil {
		t.Fatal(err)
	}
	var cats []string
	for _, w := range deu {
		if w.Donor != "Germany" {
			t.Errorf("DEU row of donor %q", w.Donor)
		}
		cats = append(cats, w.Category)
	}
	if got, want := strings.Join(cats, ","), "Air Defense,Howitzers,IFV,MLRS,Tanks"; got != want {
		t.Errorf("DEU categories %q, want %q", got, want)
	}
	if got := deu[4]; got.Number != 90 || got.EUR != 206006134 {
		t.Errorf("DEU tanks: %d units, €%v; want 90, €206006134", got.Number, got.EUR)
	}
	usa, _ := WeaponsOf("USA")
	if len(usa) == 0 || usa[0].Donor != "United States" {
		t.Errorf("USA: %d rows, want Kiel's \"United States\"", len(usa))
	}
}

// TestWeaponsUnknownDonor: a donor name that is no country is an error
// naming the line, not rows nobody finds.
func TestWeaponsUnknownDonor(t *testing.T) {
	in := "donor,category,number_of_weapons,monetary_value_eur,weapons_list\n" +
		"Germany,Tanks,1,2,Leopard\n" +
		"Atlantis,Tanks,1,2,Leopard\n"
	_, err := parseWeapons(map[string]string{"germany": "DEU"}, strings.NewReader(in))
	if got, want := errString(err), `kiel/weapons.csv:3: donor: "Atlantis" is not the name of a country in countries.csv`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
