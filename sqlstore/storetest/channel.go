package storetest

import (
	"errors"
	"testing"

	"coalition"
)

// testChannels: a channel and its contributors round-trip in order; a
// share sum over 100% is refused naming the field, and nothing is written;
// codes are unique; only admins and coordinators write; deletes check the
// version.
func testChannels(t *testing.T, s coalition.Store) {
	eu := func() *coalition.Channel {
		return &coalition.Channel{Code: "EUI", Name: "EU institutions", Donor: "EUI", Key: "test key", Source: "test", AsOf: "2026-04-30",
			Contributors: []coalition.ChannelContributor{
				{ISO3: "FRA", Share: 0.6, AmountEUR: 600, Source: "test FRA", AsOf: "2026-04-30"},
				{ISO3: "DEU", Share: 0.4, AmountEUR: 400, Source: "test DEU"},
			}}
	}
	t.Run("create and find", func(t *testing.T) {
		c := eu()
		must(t, s.CreateChannel(sys, c))
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("created id %d version %d, want an id and version 1", c.ID, c.Version)
		}
		got, err := s.FindChannelByCode(sys, "EUI")
		must(t, err)
		if got.Name != "EU institutions" || got.Donor != "EUI" || got.Key != "test key" || got.AsOf != "2026-04-30" {
			t.Errorf("found %+v", got)
		}
		if len(got.Contributors) != 2 || got.Contributors[0] != c.Contributors[0] || got.Contributors[1] != c.Contributors[1] {
			t.Errorf("contributors = %+v, want %+v (in the order written)", got.Contributors, c.Contributors)
		}
		must(t, s.CreateChannel(sys, &coalition.Channel{Code: "CZ-AMMO", Name: "Czech initiative", Key: "declared", Source: "test"}))
		all, err := s.FindChannels(coalition.WithUser(sys, nil))
		must(t, err)
		if len(all) != 2 || all[0].Code != "CZ-AMMO" || all[1].Code != "EUI" || len(all[1].Contributors) != 2 || len(all[0].Contributors) != 0 {
			t.Fatalf("FindChannels (anonymous) = %d channels %v, want CZ-AMMO (no contributors) then EUI (2)", len(all), all)
		}
	})
	t.Run("share sum over 100% writes nothing", func(t *testing.T) {
		c := eu()
		c.Code = "OVER"
		c.Contributors[1].Share = 0.45
		err := s.CreateChannel(sys, c)
		wantKind(t, err, coalition.Invalid)
		var e *coalition.Error
		if !errors.As(err, &e) || e.Field != "contributors" {
			t.Fatalf("error %v, want one naming the field contributors", err)
		}
		if _, err := s.FindChannelByCode(sys, "OVER"); coalition.ErrorKind(err) != coalition.NotFound {
			t.Fatalf("after a refused create: %v, want NotFound", err)
		}
	})
	t.Run("code unique", func(t *testing.T) {
		wantKind(t, s.CreateChannel(sys, eu()), coalition.Conflict)
	})
	t.Run("who writes", func(t *testing.T) {
		c := eu()
		c.Code = "ANON"
		wantKind(t, s.CreateChannel(coalition.WithUser(sys, nil), c), coalition.Unauthorized)
		obs := coalition.WithUser(sys, &coalition.User{ID: 99, Email: "o@example.org", Role: coalition.Observer})
		wantKind(t, s.CreateChannel(obs, c), coalition.Forbidden)
		if _, err := s.FindChannelByCode(sys, "ANON"); coalition.ErrorKind(err) != coalition.NotFound {
			t.Fatalf("after refused creates: %v, want NotFound", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		c, err := s.FindChannelByCode(sys, "EUI")
		must(t, err)
		wantKind(t, s.DeleteChannel(sys, c.ID, c.Version+1), coalition.Conflict)
		must(t, s.DeleteChannel(sys, c.ID, c.Version))
		if _, err := s.FindChannelByCode(sys, "EUI"); coalition.ErrorKind(err) != coalition.NotFound {
			t.Fatalf("after delete: %v, want NotFound", err)
		}
		// The contributors went with it: the code can be used again.
		must(t, s.CreateChannel(sys, eu()))
	})
}
