package report

import (
	"context"
	"testing"

	"coalition"
)

type fakeEquipment struct {
	systems []coalition.WeaponSystem
	recs    []*coalition.Equipment
	got     coalition.EquipmentFilter
}

func (f *fakeEquipment) Systems(context.Context) ([]coalition.WeaponSystem, error) {
	return f.systems, nil
}
func (f *fakeEquipment) FindEquipment(_ context.Context, flt coalition.EquipmentFilter) ([]*coalition.Equipment, error) {
	f.got = flt
	return f.recs, nil
}

// TestEquipment: rows carry their system's kind and flag, totals are per
// category in the catalogue's order, a record without a value adds no
// euros, and a filter is normalised or refused before the store is asked.
func TestEquipment(t *testing.T) {
	v := int64(250_000_00)
	f := &fakeEquipment{
		systems: []coalition.WeaponSystem{{Name: "Patriot", Category: "air-defence", Kind: "Air Defense", Catalogued: true}, {Name: "D-30", Category: "artillery", Kind: "Howitzers"}},
		recs: []*coalition.Equipment{
			{Donor: "DEU", System: "D-30", Category: "artillery", Pledged: 4, Delivered: 2, ValueEUR: &v, Source: "b"},
			{Donor: "DEU", System: "Patriot", Category: "air-defence", Pledged: 1, Delivered: 1, Source: "a"},
			{Donor: "DEU", System: "D-30", Category: "artillery", Pledged: 6, Delivered: 0, Source: "a"},
		},
	}
	rep, err := Equipment(context.Background(), f, coalition.EquipmentFilter{Donor: " deu "})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("filter normalised", func(t *testing.T) {
		if f.got.Donor != "DEU" {
			t.Errorf("store asked for donor %q, want DEU", f.got.Donor)
		}
	})
	t.Run("totals", func(t *testing.T) {
		want := []EquipmentTotal{{Category: "air-defence", Pledged: 1, Delivered: 1}, {Category: "artillery", Pledged: 10, Delivered: 2, ValueEUR: 250_000}}
		if len(rep.Totals) != 2 || rep.Totals[0] != want[0] || rep.Totals[1] != want[1] {
			t.Errorf("totals %+v, want %+v", rep.Totals, want)
		}
	})
	t.Run("rows", func(t *testing.T) {
		if r := rep.Equipment[0]; r.System != "Patriot" || r.Kind != "Air Defense" || !r.Catalogued || r.ValueEUR != nil {
			t.Errorf("first row %+v, want Patriot (air-defence sorts first), catalogued, no value", r)
		}
		if r := rep.Equipment[1]; r.Catalogued || r.ValueEUR == nil || *r.ValueEUR != 250_000 {
			t.Errorf("second row %+v, want the flagged D-30 with €250,000", r)
		}
		if len(rep.Sources) != 2 || rep.Sources[0] != "a" {
			t.Errorf("sources %v", rep.Sources)
		}
	})
	t.Run("refused filters", func(t *testing.T) {
		for field, flt := range map[string]coalition.EquipmentFilter{"category": {Category: "tanks"}, "donor": {Donor: "Germany"}} {
			_, err := Equipment(context.Background(), f, flt)
			if coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("%s: error %v, want Invalid", field, err)
			}
		}
	})
}
