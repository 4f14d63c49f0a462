package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"coalition"
)

// reloadPledge is the pledge every case of testReloadPledge starts from:
// a US-dollar pledge with every field a load or import may set filled in.
func reloadPledge(ref string) *coalition.Pledge {
	return &coalition.Pledge{Donor: "DEU", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 1_000_000, Currency: "USD"}, AmountEUR: 900_000, FXRate: 1.1, FXMonth: coalition.MonthOf(2025, 1),
		Quantity: ptr(int64(3)), Unit: "launcher", Announced: coalition.Date{Y: 2025, M: 1, D: 10},
		DeliverFrom: coalition.MonthOf(2025, 2), DeliverTo: coalition.MonthOf(2025, 6), Status: coalition.Committed, Conditions: "none",
		Visibility: coalition.Public, Source: "reload test", SourceRef: ref, AsOf: coalition.Date{Y: 2025, M: 2, D: 1}}
}

// Loading a pledge again with any one field changed updates it and
// stores the new value, whether it comes through Load (as the seed does)
// or through an Import (as the importers do); loading it again unchanged
// changes nothing. The two paths once compared different fields: Load
// reported a quantity 3 → 5 "unchanged" and kept 3.
func testReloadPledge(t *testing.T, s coalition.Store) {
	c := base(t, s)
	type change struct {
		field  string
		set    func(p *coalition.Pledge)
		get    func(p *coalition.Pledge) any
		wanted any
	}
	changes := []change{
		{"quantity", func(p *coalition.Pledge) { p.Quantity = ptr(int64(5)) }, func(p *coalition.Pledge) any { return val(p.Quantity) }, int64(5)},
		{"quantity removed", func(p *coalition.Pledge) { p.Quantity = nil }, func(p *coalition.Pledge) any { return val(p.Quantity) }, nil},
		{"unit", func(p *coalition.Pledge) { p.Unit = "battery" }, func(p *coalition.Pledge) any { return p.Unit }, "battery"},
		{"conditions", func(p *coalition.Pledge) { p.Conditions = "only with others" }, func(p *coalition.Pledge) any { return p.Conditions }, "only with others"},
		{"coalition", func(p *coalition.Pledge) { p.CoalitionID = &c.ID }, func(p *coalition.Pledge) any { return val(p.CoalitionID) }, c.ID},
		{"fx_rate", func(p *coalition.Pledge) { p.FXRate = 1.25 }, func(p *coalition.Pledge) any { return p.FXRate }, 1.25},
		{"fx_month", func(p *coalition.Pledge) { p.FXMonth = coalition.MonthOf(2025, 3) }, func(p *coalition.Pledge) any { return p.FXMonth }, coalition.MonthOf(2025, 3)},
		{"amount", func(p *coalition.Pledge) { p.Amount.Minor = 2_000_000 }, func(p *coalition.Pledge) any { return p.Amount.Minor }, int64(2_000_000)},
		{"currency", func(p *coalition.Pledge) { p.Amount.Currency = "GBP" }, func(p *coalition.Pledge) any { return p.Amount.Currency }, "GBP"},
		{"amount_eur", func(p *coalition.Pledge) { p.AmountEUR = 800_000 }, func(p *coalition.Pledge) any { return p.AmountEUR }, int64(800_000)},
		{"donor", func(p *coalition.Pledge) { p.Donor = "FRA" }, func(p *coalition.Pledge) any { return p.Donor }, "FRA"},
		{"recipient", func(p *coalition.Pledge) { p.Recipient = "EST" }, func(p *coalition.Pledge) any { return p.Recipient }, "EST"},
		{"category", func(p *coalition.Pledge) { p.Category = "ammunition" }, func(p *coalition.Pledge) any { return p.Category }, "ammunition"},
		{"announced", func(p *coalition.Pledge) { p.Announced.D = 11 }, func(p *coalition.Pledge) any { return p.Announced.String() }, "2025-01-11"},
		{"deliver_to", func(p *coalition.Pledge) { p.DeliverTo = coalition.MonthOf(2025, 9) }, func(p *coalition.Pledge) any { return p.DeliverTo }, coalition.MonthOf(2025, 9)},
		{"status", func(p *coalition.Pledge) { p.Status = coalition.Delivered }, func(p *coalition.Pledge) any { return p.Status }, coalition.Delivered},
		{"visibility", func(p *coalition.Pledge) { p.Visibility = coalition.Confidential }, func(p *coalition.Pledge) any { return p.Visibility }, coalition.Confidential},
		{"as_of", func(p *coalition.Pledge) { p.AsOf.D = 2 }, func(p *coalition.Pledge) any { return p.AsOf.String() }, "2025-02-02"},
	}
	paths := []struct {
		name string
		load func(t *testing.T, p *coalition.Pledge) coalition.LoadReport
	}{
		{"Load", func(t *testing.T, p *coalition.Pledge) coalition.LoadReport {
			rep, err := s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{p}}, false)
			must(t, err)
			return rep
		}},
		{"Import", func(t *testing.T, p *coalition.Pledge) coalition.LoadReport {
			im, err := s.(coalition.Importer).BeginImport(sys)
			must(t, err)
			defer im.Abort()
			must(t, im.Pledge(sys, p))
			rep, err := im.Finish(sys, coalition.ImportOptions{})
			must(t, err)
			return rep.LoadReport
		}},
	}
	counts := func(rep coalition.LoadReport) string {
		return fmt.Sprintf("created %d, updated %d, unchanged %d", rep.Created["pledges"], rep.Updated["pledges"], rep.Unchanged["pledges"])
	}
	for _, path := range paths {
		for _, ch := range changes {
			t.Run(path.name+"/"+ch.field, func(t *testing.T) {
				ref := path.name + "/" + ch.field
				if got, want := counts(path.load(t, reloadPledge(ref))), "created 1, updated 0, unchanged 0"; got != want {
					t.Fatalf("first load: %s, want %s", got, want)
				}
				if got, want := counts(path.load(t, reloadPledge(ref))), "created 0, updated 0, unchanged 1"; got != want {
					t.Fatalf("same pledge again: %s, want %s", got, want)
				}
				p := reloadPledge(ref)
				ch.set(p)
				if got, want := counts(path.load(t, p)), "created 0, updated 1, unchanged 0"; got != want {
					t.Errorf("%s changed: %s, want %s", ch.field, got, want)
				}
				stored := byRef(t, s)[ref]
				if stored == nil {
					t.Fatalf("no pledge %s after the second load", ref)
				}
				if got := ch.get(stored); !reflect.DeepEqual(got, ch.wanted) {
					t.Errorf("stored %s = %v, want %v", ch.field, got, ch.wanted)
				}
				if got, want := counts(path.load(t, p)), "created 0, updated 0, unchanged 1"; got != want {
					t.Errorf("changed pledge again: %s, want %s", got, want)
				}
			})
		}
	}
}

// val is *p, or nil for a nil p.
func val[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// Deliveries, requirements and engagements imported again: unchanged
// when they are the same, updated (and stored) when one field changed.
// Their stored records are compared in Go, as pledges are (sameImported).
func testReimportRecords(t *testing.T, s coalition.Store) {
	c := base(t, s)
	p := reloadPledge("p1")
	im := func(t *testing.T, add func(im coalition.Import) error) coalition.LoadReport {
		t.Helper()
		im, err := s.(coalition.Importer).BeginImport(sys)
		must(t, err)
		defer im.Abort()
		must(t, add(im))
		rep, err := im.Finish(sys, coalition.ImportOptions{})
		must(t, err)
		return rep.LoadReport
	}
	im(t, func(im coalition.Import) error { return im.Pledge(sys, p) })
	counts := func(rep coalition.LoadReport, kind string) string {
		return fmt.Sprintf("created %d, updated %d, unchanged %d", rep.Created[kind], rep.Updated[kind], rep.Unchanged[kind])
	}
	cases := []struct {
		kind   string
		add    func(im coalition.Import, changed bool) error
		stored func(t *testing.T) any
		wanted any
	}{
		{"deliveries", func(im coalition.Import, changed bool) error {
			d := &coalition.Delivery{Date: coalition.Date{Y: 2025, M: 3, D: 1}, AmountEUR: 100_000, Quantity: ptr(int64(2)), Source: "reload test"}
			if changed {
				d.Quantity = ptr(int64(3))
			}
			return im.Delivery(sys, p.Source, p.SourceRef, "d1", "", d)
		}, func(t *testing.T) any {
			ds, _, err := s.FindDeliveries(sys, coalition.DeliveryFilter{})
			must(t, err)
			if len(ds) != 1 {
				t.Fatalf("%d deliveries, want 1", len(ds))
			}
			return val(ds[0].Quantity)
		}, int64(3)},
		{"requirements", func(im coalition.Import, changed bool) error {
			r := &coalition.Requirement{CoalitionID: &c.ID, Recipient: "UKR", Category: "air-defence", AmountEUR: 500_000,
				Quantity: ptr(int64(4)), UnitValue: 125_000, From: coalition.MonthOf(2025, 1), To: coalition.MonthOf(2025, 12), Priority: 1,
				Visibility: coalition.Public, Source: "reload test"}
			if changed {
				r.Quantity = nil
			}
			return im.Requirement(sys, "q1", "", r)
		}, func(t *testing.T) any {
			rs, _, err := s.FindRequirements(sys, coalition.RequirementFilter{})
			must(t, err)
			if len(rs) != 1 {
				t.Fatalf("%d requirements, want 1", len(rs))
			}
			return val(rs[0].Quantity)
		}, nil},
		{"engagements", func(im coalition.Import, changed bool) error {
			e := &coalition.Engagement{Date: coalition.Date{Y: 2025, M: 1, D: 1}, Kind: "meeting", Title: "m", Topics: []string{"air", "ammo"},
				Participants: []coalition.Participant{{ISO3: "DEU"}}, Visibility: coalition.Public, Source: "reload test", SourceRef: "e1"}
			if changed {
				e.Topics = []string{"air"}
			}
			return im.Engagement(sys, e)
		}, func(t *testing.T) any {
			es, _, err := s.FindEngagements(sys, coalition.EngagementFilter{})
			must(t, err)
			if len(es) != 1 {
				t.Fatalf("%d engagements, want 1", len(es))
			}
			return fmt.Sprint(es[0].Topics)
		}, "[air]"},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			for _, step := range []struct {
				name    string
				changed bool
				want    string
			}{
				{"first", false, "created 1, updated 0, unchanged 0"},
				{"same again", false, "created 0, updated 0, unchanged 1"},
				{"changed", true, "created 0, updated 1, unchanged 0"},
				{"changed again", true, "created 0, updated 0, unchanged 1"},
			} {
				rep := im(t, func(im coalition.Import) error { return tc.add(im, step.changed) })
				if got := counts(rep, tc.kind); got != step.want {
					t.Errorf("%s: %s, want %s", step.name, got, step.want)
				}
			}
			if got := tc.stored(t); !reflect.DeepEqual(got, tc.wanted) {
				t.Errorf("stored = %v, want %v", got, tc.wanted)
			}
		})
	}
}

// Reference data loaded again: a group whose members changed (same
// count) is updated and stored with its new members; an FX rate with
// all 17 significant digits loaded again is unchanged. Load once
// compared a group's member count and a rate's text form from SQL.
func testReloadReference(t *testing.T, s coalition.Store) {
	base(t, s)
	load := func(t *testing.T, ds *coalition.Dataset) coalition.LoadReport {
		t.Helper()
		rep, err := s.Load(sys, ds, false)
		must(t, err)
		return rep
	}
	counts := func(rep coalition.LoadReport, kind string) string {
		return fmt.Sprintf("created %d, updated %d, unchanged %d", rep.Created[kind], rep.Updated[kind], rep.Unchanged[kind])
	}
	t.Run("group members", func(t *testing.T) {
		group := func(members ...string) *coalition.Dataset {
			g := &coalition.Group{Code: "G7X", Name: "Test group", Source: "reload test"}
			for _, iso := range members {
				g.Members = append(g.Members, coalition.GroupMember{ISO3: iso})
			}
			return &coalition.Dataset{Groups: []*coalition.Group{g}}
		}
		for _, step := range []struct {
			name    string
			members []string
			want    string
		}{
			{"first", []string{"DEU", "FRA"}, "created 1, updated 0, unchanged 0"},
			{"same in another order", []string{"FRA", "DEU"}, "created 0, updated 0, unchanged 1"},
			{"one member replaced", []string{"DEU", "GBR"}, "created 0, updated 1, unchanged 0"},
			{"same again", []string{"DEU", "GBR"}, "created 0, updated 0, unchanged 1"},
		} {
			if got := counts(load(t, group(step.members...)), "groups"); got != step.want {
				t.Errorf("%s: %s, want %s", step.name, got, step.want)
			}
		}
		gs, err := s.FindGroups(sys)
		must(t, err)
		var got []string
		for _, g := range gs {
			if g.Code == "G7X" {
				for _, m := range g.Members {
					got = append(got, m.ISO3)
				}
			}
		}
		if fmt.Sprint(got) != "[DEU GBR]" {
			t.Errorf("stored members = %v, want [DEU GBR]", got)
		}
	})
	t.Run("fx rate", func(t *testing.T) {
		rate := func(v float64) *coalition.Dataset {
			return &coalition.Dataset{FXRates: []coalition.FXRate{{Month: coalition.MonthOf(2025, 1), Currency: "USD", UnitsPerEUR: v, Source: "ECB"}}}
		}
		for _, step := range []struct {
			name string
			rate float64
			want string
		}{
			{"first", 1.0412345678901234, "created 1, updated 0, unchanged 0"},
			{"same again", 1.0412345678901234, "created 0, updated 0, unchanged 1"},
			{"changed", 1.0413, "created 0, updated 1, unchanged 0"},
			{"changed again", 1.0413, "created 0, updated 0, unchanged 1"},
		} {
			if got := counts(load(t, rate(step.rate)), "fx_rates"); got != step.want {
				t.Errorf("%s: %s, want %s", step.name, got, step.want)
			}
		}
	})
}

// An engagement loaded again with a changed title is updated through Load
// as through an Import; Load once only created engagements it did not
// have and reported a changed one unchanged.
func testReloadEngagement(t *testing.T, s coalition.Store) {
	base(t, s)
	eng := func(ref, title string) *coalition.Engagement {
		return &coalition.Engagement{Date: coalition.Date{Y: 2025, M: 1, D: 1}, Kind: "meeting", Title: title,
			Participants: []coalition.Participant{{ISO3: "DEU"}}, Visibility: coalition.Public, Source: "reload test", SourceRef: ref}
	}
	paths := []struct {
		name string
		load func(t *testing.T, e *coalition.Engagement) coalition.LoadReport
	}{
		{"Load", func(t *testing.T, e *coalition.Engagement) coalition.LoadReport {
			rep, err := s.Load(sys, &coalition.Dataset{Engagements: []*coalition.Engagement{e}}, false)
			must(t, err)
			return rep
		}},
		{"Import", func(t *testing.T, e *coalition.Engagement) coalition.LoadReport {
			im, err := s.(coalition.Importer).BeginImport(sys)
			must(t, err)
			defer im.Abort()
			must(t, im.Engagement(sys, e))
			rep, err := im.Finish(sys, coalition.ImportOptions{})
			must(t, err)
			return rep.LoadReport
		}},
	}
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			for _, step := range []struct{ title, want string }{
				{"first", "created 1, updated 0, unchanged 0"},
				{"first", "created 0, updated 0, unchanged 1"},
				{"renamed", "created 0, updated 1, unchanged 0"},
				{"renamed", "created 0, updated 0, unchanged 1"},
			} {
				rep := path.load(t, eng(path.name, step.title))
				got := fmt.Sprintf("created %d, updated %d, unchanged %d", rep.Created["engagements"], rep.Updated["engagements"], rep.Unchanged["engagements"])
				if got != step.want {
					t.Errorf("title %q: %s, want %s", step.title, got, step.want)
				}
			}
			es, _, err := s.FindEngagements(sys, coalition.EngagementFilter{})
			must(t, err)
			var title string
			for _, e := range es {
				if e.SourceRef == path.name {
					title = e.Title
				}
			}
			if title != "renamed" {
				t.Errorf("stored title = %q, want %q", title, "renamed")
			}
		})
	}
}

// A coordinator may not take over, by its natural key, a pledge they
// could not write: loading or importing it again into their coalition is
// Forbidden and leaves it as it was (the upsert checks the stored pledge
// as updatePledge does, not only the incoming one).
func testReloadForeignPledge(t *testing.T, s coalition.Store) {
	c := base(t, s)
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 61, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{c.ID}})
	paths := []struct {
		name string
		load func(ctx context.Context, p *coalition.Pledge) error
	}{
		{"Load", func(ctx context.Context, p *coalition.Pledge) error {
			_, err := s.Load(ctx, &coalition.Dataset{Pledges: []*coalition.Pledge{p}}, false)
			return err
		}},
		{"Import", func(ctx context.Context, p *coalition.Pledge) error {
			im, err := s.(coalition.Importer).BeginImport(ctx)
			if err != nil {
				return err
			}
			defer im.Abort()
			if err := im.Pledge(ctx, p); err != nil {
				return err
			}
			_, err = im.Finish(ctx, coalition.ImportOptions{})
			return err
		}},
	}
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			ref := "foreign/" + path.name
			must(t, path.load(sys, reloadPledge(ref))) // no coalition: only admins write it
			p := reloadPledge(ref)
			p.CoalitionID, p.Quantity = &c.ID, ptr(int64(99))
			wantKind(t, path.load(coord, p), coalition.Forbidden)
			stored := byRef(t, s)[ref]
			if stored == nil {
				t.Fatalf("no pledge %s", ref)
			}
			if got := fmt.Sprint(val(stored.CoalitionID), " ", val(stored.Quantity)); got != "<nil> 3" {
				t.Errorf("stored coalition and quantity = %s, want <nil> 3", got)
			}
		})
	}
}
