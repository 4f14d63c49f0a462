package storetest

import (
	"context"
	"testing"

	"coalition"
)

// testForce: lines and offers round-trip (nullable quantities, conditions,
// lead); offers follow the pledges' visibility, so a confidential offer is
// seen by its member's delegates and the coordinators, not by another
// member's delegate nor an anonymous reader; writes follow CanManageCoalition
// (lines) and CanWrite (offers); a line with offers is not deleted; stale
// versions are refused.
func testForce(t *testing.T, s coalition.Store) {
	c := base(t, s)
	gbr := coalition.WithUser(context.Background(), &coalition.User{ID: 4, Email: "gb@x", Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{c.ID}})
	fra := coalition.WithUser(context.Background(), &coalition.User{ID: 5, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}})
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 6, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{c.ID}})
	four := int64(4)
	line := &coalition.ForceLine{CoalitionID: c.ID, Capability: coalition.ForceLand, UnitType: "battalion", Quantity: &four,
		Visibility: coalition.Public, Source: "test"}
	wantKind(t, s.CreateForceLine(gbr, line), coalition.Forbidden)
	must(t, s.CreateForceLine(coord, line))
	two := int64(2)
	pub := &coalition.ForceOffer{LineID: line.ID, Country: "GBR", Unit: "battlegroup", Quantity: &two, Conditions: []string{"ceasefire", "parliament"},
		Lead: true, Visibility: coalition.Public, Source: "test"}
	must(t, s.CreateForceOffer(gbr, pub))
	conf := &coalition.ForceOffer{LineID: line.ID, Country: "FRA", Unit: "groupement", Visibility: coalition.Confidential, Source: "test"}
	wantKind(t, s.CreateForceOffer(gbr, &coalition.ForceOffer{LineID: line.ID, Country: "FRA", Unit: "x", Visibility: coalition.Public, Source: "t"}), coalition.Forbidden)
	must(t, s.CreateForceOffer(fra, conf))
	if conf.CoalitionID != c.ID {
		t.Errorf("offer coalition %d, want the line's %d", conf.CoalitionID, c.ID)
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want int
	}{{"anonymous", context.Background(), 1}, {"other delegate", gbr, 1}, {"owner delegate", fra, 2}, {"coordinator", coord, 2}, {"admin", sys, 2}} {
		lines, offers, err := s.FindForce(tc.ctx, c.ID)
		must(t, err)
		if len(lines) != 1 || len(offers) != tc.want {
			t.Errorf("%s: %d lines, %d offers; want 1 and %d", tc.name, len(lines), len(offers), tc.want)
		}
	}
	got, err := s.FindForceOffer(sys, pub.ID)
	must(t, err)
	if got.Quantity == nil || *got.Quantity != 2 || len(got.Conditions) != 2 || got.Conditions[1] != "parliament" || !got.Lead {
		t.Errorf("round trip: %+v", got)
	}
	got, err = s.FindForceOffer(sys, conf.ID)
	must(t, err)
	if got.Quantity != nil || len(got.Conditions) != 0 || got.Lead {
		t.Errorf("round trip of an offer without quantity or conditions: %+v", got)
	}
	_, err = s.FindForceOffer(gbr, conf.ID)
	wantKind(t, err, coalition.NotFound)
	t.Run("update and stale version", func(t *testing.T) {
		clear := int64(-1)
		l, err := s.UpdateForceLine(coord, line.ID, coalition.ForceLineUpdate{Version: 1, Quantity: &clear})
		must(t, err)
		if l.Quantity != nil || l.Version != 2 {
			t.Errorf("cleared quantity: %+v", l)
		}
		_, err = s.UpdateForceLine(coord, line.ID, coalition.ForceLineUpdate{Version: 1})
		wantKind(t, err, coalition.Conflict)
		bad := []string{"whenever"}
		_, err = s.UpdateForceOffer(fra, conf.ID, coalition.ForceOfferUpdate{Version: 1, Conditions: &bad})
		wantField(t, err, "conditions[0]")
	})
	t.Run("delete", func(t *testing.T) {
		wantKind(t, s.DeleteForceLine(coord, line.ID, 2), coalition.Conflict)
		wantKind(t, s.DeleteForceOffer(gbr, conf.ID, 1), coalition.NotFound)
		must(t, s.DeleteForceOffer(fra, conf.ID, 1))
		must(t, s.DeleteForceOffer(coord, pub.ID, 1))
		must(t, s.DeleteForceLine(coord, line.ID, 2))
		lines, offers, err := s.FindForce(sys, c.ID)
		must(t, err)
		if len(lines)+len(offers) != 0 {
			t.Errorf("after deleting: %d lines, %d offers", len(lines), len(offers))
		}
	})
}
