package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"coalition"
)

func equipmentRelease(name string, month time.Month, recs ...*coalition.Equipment) coalition.EquipmentRelease {
	return coalition.EquipmentRelease{
		Release: coalition.Release{Dataset: "test-weapons", Name: name, AsOf: coalition.Date{Y: 2026, M: month, D: 1}, Source: "test weapons table"},
		Systems: []coalition.WeaponSystem{
			{Name: "Leopard 2A6", Category: coalition.CapArmour, Kind: "Tanks", Producers: []string{"DEU"}, Catalogued: true, Source: "test"},
			{Name: "T-72 variant", Category: coalition.CapArmour, Kind: "Tanks", Producers: []string{}, Source: "test"},
		},
		Records: recs,
	}
}

func kielRecord(donor, system string, units int64, ref string) *coalition.Equipment {
	v := units * 100_000_000
	return &coalition.Equipment{Donor: donor, System: system, Category: coalition.CapArmour, Pledged: units, Delivered: units,
		ValueEUR: &v, Visibility: coalition.Public, Source: "test weapons table", SourceRef: ref}
}

// testEquipmentLoad: a release of equipment loads its systems and records;
// the same release again changes nothing; a newer one updates and removes.
func testEquipmentLoad(t *testing.T, s coalition.Store) {
	base(t, s)
	first := func() coalition.EquipmentRelease {
		return equipmentRelease("1", 1, kielRecord("DEU", "Leopard 2A6", 18, "DEU|Tanks|Leopard-2A6"), kielRecord("GBR", "T-72 variant", 5, "GBR|Tanks|T-72"))
	}
	rep, err := s.LoadEquipment(sys, first())
	must(t, err)
	if rep.Action != "new" || rep.Created != 2 {
		t.Errorf("first load: %+v, want new with 2 created", rep)
	}
	t.Run("same release again changes nothing", func(t *testing.T) {
		rep, err := s.LoadEquipment(sys, first())
		must(t, err)
		if rep.Action != "same" || rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 2 {
			t.Errorf("reload: %+v, want same with 2 unchanged", rep)
		}
		all, err := s.FindEquipment(sys, coalition.EquipmentFilter{})
		must(t, err)
		if len(all) != 2 {
			t.Errorf("%d records after reload, want 2", len(all))
		}
	})
	t.Run("systems", func(t *testing.T) {
		sy, err := s.Systems(sys)
		must(t, err)
		if len(sy) != 2 || sy[0].Name != "Leopard 2A6" || !sy[0].Catalogued || strings.Join(sy[0].Producers, ",") != "DEU" || sy[1].Catalogued {
			t.Errorf("systems %+v", sy)
		}
	})
	t.Run("newer release updates and removes", func(t *testing.T) {
		rep, err := s.LoadEquipment(sys, equipmentRelease("2", 2, kielRecord("DEU", "Leopard 2A6", 20, "DEU|Tanks|Leopard-2A6")))
		must(t, err)
		if rep.Action != "newer" || rep.Updated != 1 || rep.Removed != 1 {
			t.Errorf("newer: %+v, want 1 updated, 1 removed", rep)
		}
		all, err := s.FindEquipment(sys, coalition.EquipmentFilter{Donor: "deu"})
		must(t, err)
		if len(all) != 1 || all[0].Delivered != 20 || all[0].Release != "2" || all[0].Dataset != "test-weapons" {
			t.Errorf("DEU after release 2: %+v", all)
		}
	})
	t.Run("dataset listed", func(t *testing.T) {
		ds, err := s.Datasets(sys)
		must(t, err)
		if len(ds) != 1 || ds[0].Name != "test-weapons" || ds[0].Kind != coalition.ReleaseEquipment || ds[0].Records != 1 {
			t.Errorf("datasets %+v", ds)
		}
	})
	t.Run("only administrators load", func(t *testing.T) {
		coord := coalition.WithUser(context.Background(), &coalition.User{ID: 9, Role: coalition.Coordinator})
		_, err := s.LoadEquipment(coord, first())
		wantKind(t, err, coalition.Forbidden)
	})
}

// testEquipmentVisibility: equipment records follow the pledges' rules: a
// confidential record is seen by its donor's delegates, not by another
// member's, in the list and in any total taken over it; writes follow
// CanWrite and a refusal is audited.
func testEquipmentVisibility(t *testing.T, s coalition.Store) {
	c := base(t, s)
	_, err := s.LoadEquipment(sys, equipmentRelease("1", 1, kielRecord("DEU", "Leopard 2A6", 18, "DEU|Tanks|Leopard-2A6")))
	must(t, err)
	gbr := coalition.WithUser(context.Background(), &coalition.User{ID: 4, Email: "gb@x", Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{c.ID}})
	fra := coalition.WithUser(context.Background(), &coalition.User{ID: 5, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}})
	conf := &coalition.Equipment{Donor: "GBR", System: "Leopard 2A6", Category: coalition.CapArmour, Pledged: 7, Delivered: 3,
		CoalitionID: &c.ID, Visibility: coalition.Confidential, Source: "test"}
	must(t, s.CreateEquipment(gbr, conf))
	delivered := func(ctx context.Context) (n int64, systems int) {
		all, err := s.FindEquipment(ctx, coalition.EquipmentFilter{System: "Leopard 2A6"})
		must(t, err)
		for _, e := range all {
			n += e.Delivered
		}
		return n, len(all)
	}
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		delivered int64
	}{
		{"anonymous", context.Background(), 18},
		{"delegate of the donor", gbr, 21},
		{"delegate of another member", fra, 18},
		{"admin", sys, 21},
	} {
		if got, _ := delivered(tc.ctx); got != tc.delivered {
			t.Errorf("%s: %d delivered, want %d", tc.name, got, tc.delivered)
		}
	}
	t.Run("another member's delegate may not write", func(t *testing.T) {
		e := *conf
		e.ID = 0
		wantKind(t, s.CreateEquipment(fra, &e), coalition.Forbidden)
		ds := Denials(t, s)
		if len(ds) != 1 || !strings.Contains(ds[0].What, "create equipment") {
			t.Errorf("denials %+v, want the refused create", ds)
		}
	})
	t.Run("unknown system", func(t *testing.T) {
		e := *conf
		e.ID, e.System = 0, "Leopard 3"
		err := s.CreateEquipment(gbr, &e)
		wantField(t, err, "system")
	})
	t.Run("pledge of another donor", func(t *testing.T) {
		p := pledge("FRA", 10, "2025-01")
		must(t, s.CreatePledge(sys, p))
		e := *conf
		e.ID, e.PledgeID = 0, &p.ID
		wantField(t, s.CreateEquipment(sys, &e), "pledge_id")
	})
}
