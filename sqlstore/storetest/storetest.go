// Package storetest is the conformance suite every coalition.Store engine
// must pass. sqlstore runs it against SQLite always and PostgreSQL when
// COALITION_TEST_POSTGRES holds a URL.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"coalition"
)

// Opener returns a new, empty, migrated store for one test.
type Opener func(t *testing.T) coalition.Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s coalition.Store)
	}{
		{"Countries", testCountries},
		{"Groups", testGroups},
		{"Coalitions", testCoalitions},
		{"Pledges", testPledges},
		{"PledgeFilters", testPledgeFilters},
		{"PledgePagination", testPledgePagination},
		{"PledgeVersions", testPledgeVersions},
		{"PledgeUniqueness", testPledgeUniqueness},
		{"PledgeVisibility", testPledgeVisibility},
		{"Stages", testStages}, {"StageProperty", testStageProperty},
		{"Deliveries", testDeliveries}, {"DeliveriesChecked", testDeliveriesChecked}, {"DeliveryEdits", testDeliveryEdits},
		{"Requirements", testRequirements},
		{"Channels", testChannels}, {"Commitments", testCommitments},
		{"Engagements", testEngagements},
		{"People", testPeople},
		{"RiskEvents", testRiskEvents},
		{"FX", testFX},
		{"DonorTotals", testDonorTotals},
		{"Scenarios", testScenarios}, {"ScenarioVisibility", testScenarioVisibility},
		{"LoadIdempotent", testLoadIdempotent},
		{"LoadAllOrNothing", testLoadAllOrNothing},
		{"Releases", testReleases},
		{"ReloadPledge", testReloadPledge}, {"ReimportRecords", testReimportRecords},
		{"ReloadReference", testReloadReference}, {"ReloadEngagement", testReloadEngagement},
		{"ReloadForeignPledge", testReloadForeignPledge},
		{"Users", testUsers},
		{"Sessions", testSessions}, {"PasswordEndsSessions", testPasswordEndsSessions},
		{"Tokens", testTokens},
		{"WriteRules", testWriteRules},
		{"RefusedRiskUpdateAudited", testRefusedRiskUpdateAudited},
		{"ScenarioSaveRule", testScenarioSaveRule},
		{"AuditChain", testAuditChain},
		{"Proposals", testProposals},
		{"EquipmentLoad", testEquipmentLoad}, {"EquipmentProposal", testEquipmentProposal}, {"EquipmentVisibility", testEquipmentVisibility},
		{"Force", testForce},
		{"VisibilityProperty", testVisibilityProperty},
		{"ProposalVisibilityProperty", testProposalVisibilityProperty},
		{"RollupProperty", testRollupProperty},
		{"Ready", func(t *testing.T, s coalition.Store) {
			if err := s.Ready(context.Background()); err != nil {
				t.Fatalf("Ready: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var sys = coalition.WithUser(context.Background(), coalition.System)

func f64(v float64) *float64 { return &v }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err error, want coalition.Kind) {
	t.Helper()
	if got := coalition.ErrorKind(err); err == nil || got != want {
		t.Fatalf("error = %v (kind %q), want kind %q", err, got, want)
	}
}

// base loads a few countries, one group and one coalition.
func base(t *testing.T, s coalition.Store) *coalition.Coalition {
	t.Helper()
	for _, c := range []*coalition.Country{
		{ISO3: "UKR", Name: "Ukraine", State: true, GDPUSDBn: f64(178.8), GDPYear: 2023, Source: "test"},
		{ISO3: "DEU", Name: "Germany", State: true, GDPUSDBn: f64(4525.7), GDPYear: 2023, PopulationM: f64(83.3), Source: "test"},
		{ISO3: "FRA", Name: "France", State: true, GDPUSDBn: f64(3051.8), GDPYear: 2023, Source: "test"},
		{ISO3: "GBR", Name: "United Kingdom", State: true, GDPUSDBn: f64(3340.0), GDPYear: 2023, Source: "test"},
		{ISO3: "EST", Name: "Estonia", State: true, GDPUSDBn: f64(41.8), GDPYear: 2023, Source: "test"},
	} {
		must(t, s.UpsertCountry(sys, c))
	}
	must(t, s.UpsertGroup(sys, &coalition.Group{Code: "NATO", Name: "NATO", Source: "test",
		Members: []coalition.GroupMember{{ISO3: "DEU"}, {ISO3: "FRA"}, {ISO3: "GBR"}, {ISO3: "EST"}}}))
	c := &coalition.Coalition{Code: "T1", Name: "Test coalition", Recipient: "UKR", Leads: []string{"GBR", "FRA"},
		Members: []coalition.Membership{{ISO3: "GBR", Status: coalition.Joined}, {ISO3: "FRA", Status: coalition.Joined}, {ISO3: "EST", Status: coalition.Invited}}}
	must(t, s.CreateCoalition(sys, c))
	return c
}

func pledge(donor string, eurMillions int64, month string) *coalition.Pledge {
	m, err := coalition.ParseMonth(month)
	if err != nil {
		panic(err)
	}
	return &coalition.Pledge{Donor: donor, Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: eurMillions * 100_000_000, Currency: "EUR"}, Announced: m.FirstDay(),
		Status: coalition.Allocated, Visibility: coalition.Public, Source: "test"}
}

func testCountries(t *testing.T, s coalition.Store) {
	base(t, s)
	c, err := s.FindCountry(sys, "deu")
	must(t, err)
	eq(t, "name", c.Name, "Germany")
	eq(t, "GDP", *c.GDPUSDBn, 4525.7)
	eq(t, "population", *c.PopulationM, 83.3)
	eq(t, "defence spending", c.DefencePctGDP, (*float64)(nil))
	same(t, "groups", c.Groups, []string{"NATO"})
	_, err = s.FindCountry(sys, "XXX")
	wantKind(t, err, coalition.NotFound)
	// Update through upsert.
	c.Name = "Federal Republic of Germany"
	must(t, s.UpsertCountry(sys, c))
	c2, _ := s.FindCountry(sys, "DEU")
	if c2.Name != "Federal Republic of Germany" {
		t.Fatalf("upsert did not update: %q", c2.Name)
	}
	all, err := s.FindCountries(sys, coalition.CountryFilter{})
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("%d countries, want 5", len(all))
	}
	t1, err := s.FindCountries(sys, coalition.CountryFilter{Group: "t1"})
	must(t, err)
	if len(t1) != 2 { // joined only: GBR, FRA (EST is invited)
		t.Fatalf("coalition T1 filter: %d countries, want 2", len(t1))
	}
	_, err = s.FindCountries(sys, coalition.CountryFilter{Group: "NOPE"})
	wantKind(t, err, coalition.Invalid)
	wantKind(t, s.UpsertCountry(sys, &coalition.Country{ISO3: "de", Name: "x", Source: "t"}), coalition.Invalid)
}

func testGroups(t *testing.T, s coalition.Store) {
	base(t, s)
	gs, err := s.FindGroups(sys)
	must(t, err)
	need(t, "groups", len(gs), 1)
	eq(t, "group", gs[0].Code, "NATO")
	eq(t, "members", len(gs[0].Members), 4)
	since := coalition.Date{Y: 1955, M: 5, D: 6}
	must(t, s.UpsertGroup(sys, &coalition.Group{Code: "NATO", Name: "NATO", Source: "test", Members: []coalition.GroupMember{{ISO3: "DEU", Since: since}}}))
	gs, _ = s.FindGroups(sys)
	need(t, "members after upsert", len(gs[0].Members), 1)
	eq(t, "member since", gs[0].Members[0].Since, since)
	// A member that is not a country is refused, and nothing changes.
	err = s.UpsertGroup(sys, &coalition.Group{Code: "NATO", Name: "NATO", Members: []coalition.GroupMember{{ISO3: "ZZZ"}}})
	wantKind(t, err, coalition.Invalid)
	gs, _ = s.FindGroups(sys)
	if len(gs[0].Members) != 1 {
		t.Fatalf("failed upsert changed the members: %+v", gs[0].Members)
	}
}

func testCoalitions(t *testing.T, s coalition.Store) {
	c := base(t, s)
	holds(t, "an id", c.ID != 0)
	eq(t, "version", c.Version, 1)
	got, err := s.FindCoalitionByCode(sys, "t1")
	must(t, err)
	eq(t, "found by code", got.ID, c.ID)
	eq(t, "members", len(got.Members), 3)
	eq(t, "leads", len(got.Leads), 2)
	err = s.CreateCoalition(sys, &coalition.Coalition{Code: "T1", Name: "dup", Recipient: "UKR"})
	wantKind(t, err, coalition.Conflict)
	name := "Renamed"
	members := []coalition.Membership{{ISO3: "GBR", Status: coalition.Joined}, {ISO3: "EST", Status: coalition.Joined}}
	upd, err := s.UpdateCoalition(sys, c.ID, coalition.CoalitionUpdate{Version: 1, Name: &name, Members: &members})
	must(t, err)
	eq(t, "updated version", upd.Version, 2)
	eq(t, "updated name", upd.Name, "Renamed")
	eq(t, "updated members", len(upd.Members), 2)
	_, err = s.UpdateCoalition(sys, c.ID, coalition.CoalitionUpdate{Version: 1, Name: &name})
	wantKind(t, err, coalition.Conflict)
	_, err = s.FindCoalition(sys, 999999)
	wantKind(t, err, coalition.NotFound)
	list, err := s.FindCoalitions(sys)
	must(t, err)
	need(t, "coalitions", len(list), 1)
	eq(t, "listed version", list[0].Version, 2)
	eq(t, "listed members", len(list[0].Members), 2)
}

func testPledges(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 1900, "2025-03")
	feb, _ := coalition.ParseMonth("2025-02")
	_, err := s.Load(sys, &coalition.Dataset{FXRates: []coalition.FXRate{{Month: feb, Currency: "USD", UnitsPerEUR: 1.0799, Source: "ECB"}}}, false)
	must(t, err)
	p.Amount = coalition.Money{Minor: 2_000_000_000_00, Currency: "USD"}
	// What a client sends as the euro amount is ignored: the store converts
	// at the ECB rate of the announcement month, or the nearest earlier
	// month's (February here): $2,000,000,000 / 1.0799 = €1,852,023,335.49.
	p.AmountEUR, p.FXRate = 1, 99
	p.Quantity, p.Unit = ptr(int64(4)), "IRIS-T SLM"
	p.Conditions = "only if the US takes part"
	must(t, s.CreatePledge(sys, p))
	holds(t, "an id", p.ID != 0)
	eq(t, "version", p.Version, 1)
	holds(t, "a creation time", !p.CreatedAt.IsZero())
	eq(t, "euro cents", p.AmountEUR, 1_852_023_335_49)
	eq(t, "rate", p.FXRate, 1.0799)
	eq(t, "rate's month", p.FXMonth, feb)
	eq(t, "rate is stale", p.FXStale(), true)
	got, err := s.FindPledge(sys, p.ID)
	must(t, err)
	eq(t, "amount read", got.Amount, p.Amount)
	eq(t, "euro cents read", got.AmountEUR, p.AmountEUR)
	eq(t, "rate read", got.FXRate, 1.0799)
	eq(t, "quantity read", *got.Quantity, 4)
	eq(t, "announced read", got.Announced, p.Announced)
	eq(t, "conditions read", got.Conditions, p.Conditions)
	eq(t, "unit read", got.Unit, "IRIS-T SLM")
	// A pledge dated before the stored rates (here from 2025-02) converts at
	// the ECB history's rate of its month (issue 24): $1,000,000 announced
	// 2020-01-15 / 1.110036 (January 2020) = €900,871.68.
	old := pledge("DEU", 1, "2020-01")
	old.Amount = coalition.Money{Minor: 1_000_000_00, Currency: "USD"}
	must(t, s.CreatePledge(sys, old))
	eq(t, "2020 euro cents", old.AmountEUR, 900_871_68)
	eq(t, "2020 rate", old.FXRate, 1.110036)
	eq(t, "2020 rate's month", old.FXMonth.String(), "2020-01")
	eq(t, "2020 rate is stale", old.FXStale(), false)
	must(t, s.DeletePledge(sys, old.ID, old.Version))
	_, err = s.FindPledge(sys, p.ID+1000)
	wantKind(t, err, coalition.NotFound)
	bad := pledge("DEU", 1, "2025-01")
	bad.Category = "spaceships"
	wantKind(t, s.CreatePledge(sys, bad), coalition.Invalid)
	bad = pledge("ZZZ", 1, "2025-01") // valid shape, unknown country
	wantKind(t, s.CreatePledge(sys, bad), coalition.Invalid)
	must(t, s.DeletePledge(sys, p.ID, 1))
	_, err = s.FindPledge(sys, p.ID)
	wantKind(t, err, coalition.NotFound)
}

func ptr[T any](v T) *T { return &v }

func testPledgeFilters(t *testing.T, s coalition.Store) {
	base(t, s)
	for _, p := range []*coalition.Pledge{
		pledge("DEU", 100, "2024-05"), pledge("DEU", 200, "2025-01"), pledge("FRA", 300, "2025-02"), pledge("GBR", 400, "2025-03"),
	} {
		must(t, s.CreatePledge(sys, p))
	}
	cancelled := pledge("GBR", 50, "2025-03")
	cancelled.Status, cancelled.Category = coalition.Cancelled, "humanitarian"
	must(t, s.CreatePledge(sys, cancelled))
	cases := []struct {
		name string
		f    coalition.PledgeFilter
		want int
	}{
		{"all", coalition.PledgeFilter{}, 5},
		{"donor", coalition.PledgeFilter{Donor: "deu"}, 2},
		{"category", coalition.PledgeFilter{Category: "humanitarian"}, 1},
		{"type", coalition.PledgeFilter{Type: coalition.Military}, 4},
		{"status", coalition.PledgeFilter{Status: coalition.Cancelled}, 1},
		{"from", coalition.PledgeFilter{From: coalition.Date{Y: 2025, M: 1, D: 1}}, 4},
		{"to", coalition.PledgeFilter{To: coalition.Date{Y: 2025, M: 1, D: 31}}, 2},
		{"from-to", coalition.PledgeFilter{From: coalition.Date{Y: 2025, M: 2, D: 1}, To: coalition.Date{Y: 2025, M: 2, D: 28}}, 1},
	}
	for _, c := range cases {
		got, _, err := s.FindPledges(sys, c.f)
		must(t, err)
		if len(got) != c.want {
			t.Errorf("%s: %d pledges, want %d", c.name, len(got), c.want)
		}
	}
}

func testPledgePagination(t *testing.T, s coalition.Store) {
	base(t, s)
	for i := 0; i < 25; i++ {
		must(t, s.CreatePledge(sys, pledge("DEU", int64(i+1), "2025-01")))
	}
	var all []*coalition.Pledge
	f := coalition.PledgeFilter{Limit: 10}
	pages := 0
	for {
		page, more, err := s.FindPledges(sys, f)
		must(t, err)
		pages++
		all = append(all, page...)
		if !more {
			break
		}
		f.After = page[len(page)-1].ID
	}
	if pages != 3 || len(all) != 25 {
		t.Fatalf("%d pages, %d pledges; want 3 pages, 25 pledges", pages, len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Fatalf("pages not in id order at %d", i)
		}
	}
	// The hard cap.
	for i := 0; i < coalition.MaxPageSize; i++ {
		must(t, s.CreatePledge(sys, pledge("FRA", 1, "2025-02")))
	}
	page, more, err := s.FindPledges(sys, coalition.PledgeFilter{Limit: 5000})
	must(t, err)
	if len(page) != coalition.MaxPageSize || !more {
		t.Fatalf("limit 5000 gave %d (more=%v), want the cap %d", len(page), more, coalition.MaxPageSize)
	}
}

func testPledgeVersions(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 100, "2025-01")
	must(t, s.CreatePledge(sys, p))
	st := coalition.Delivered
	upd, err := s.UpdatePledge(sys, p.ID, coalition.PledgeUpdate{Version: 1, Status: &st})
	must(t, err)
	if upd.Version != 2 || upd.Status != coalition.Delivered {
		t.Fatalf("update: version %d status %s", upd.Version, upd.Status)
	}
	// A stale write gets Conflict and the current record.
	amt := coalition.Money{Minor: 1, Currency: "EUR"}
	_, err = s.UpdatePledge(sys, p.ID, coalition.PledgeUpdate{Version: 1, Amount: &amt})
	wantKind(t, err, coalition.Conflict)
	var se *coalition.StaleError
	if !errors.As(err, &se) || se.Current.(*coalition.Pledge).Version != 2 {
		t.Fatalf("stale error does not carry the current pledge: %v", err)
	}
	got, _ := s.FindPledge(sys, p.ID)
	if got.Amount.Minor != 100*100_000_000 {
		t.Fatalf("stale write changed the amount to %d", got.Amount.Minor)
	}
	// An invalid update changes nothing.
	bad := "nope"
	_, err = s.UpdatePledge(sys, p.ID, coalition.PledgeUpdate{Version: 2, Category: &bad})
	wantKind(t, err, coalition.Invalid)
	wantKind(t, s.DeletePledge(sys, p.ID, 1), coalition.Conflict)
}

func testPledgeUniqueness(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 100, "2025-01")
	p.SourceRef = "DEU/2025-01/military"
	must(t, s.CreatePledge(sys, p))
	q := pledge("DEU", 200, "2025-01")
	q.SourceRef = "DEU/2025-01/military"
	wantKind(t, s.CreatePledge(sys, q), coalition.Conflict)
	q.Source = "another source"
	must(t, s.CreatePledge(sys, q)) // same ref, other source: fine
	// Records without a source ref never collide.
	must(t, s.CreatePledge(sys, pledge("DEU", 1, "2025-01")))
	must(t, s.CreatePledge(sys, pledge("DEU", 1, "2025-01")))
}

func testPledgeVisibility(t *testing.T, s coalition.Store) {
	c := base(t, s)
	pub := pledge("GBR", 10, "2025-01")
	coal := pledge("GBR", 20, "2025-01")
	coal.Visibility, coal.CoalitionID = coalition.CoalitionVis, &c.ID
	conf := pledge("GBR", 40, "2025-01")
	conf.Visibility, conf.CoalitionID = coalition.Confidential, &c.ID
	for _, p := range []*coalition.Pledge{pub, coal, conf} {
		must(t, s.CreatePledge(sys, p))
	}
	users := []struct {
		name string
		u    *coalition.User
	}{
		{"anonymous", nil},
		{"observer", &coalition.User{ID: 1, Role: coalition.Observer}},
		{"analyst", &coalition.User{ID: 2, Role: coalition.Analyst, Coalitions: []int64{c.ID}}},
		{"analyst-other", &coalition.User{ID: 3, Role: coalition.Analyst, Coalitions: []int64{c.ID + 100}}},
		{"delegate-gbr", &coalition.User{ID: 4, Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{c.ID}}},
		{"delegate-fra", &coalition.User{ID: 5, Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}}},
		{"coordinator", &coalition.User{ID: 6, Role: coalition.Coordinator, Coalitions: []int64{c.ID}}},
		{"admin", &coalition.User{ID: 7, Role: coalition.Admin}},
		{"disabled-admin", &coalition.User{ID: 8, Role: coalition.Admin, Disabled: true}},
	}
	for _, u := range users {
		ctx := coalition.WithUser(context.Background(), u.u)
		// What the Go rule says each user may see.
		var want int64
		for _, p := range []*coalition.Pledge{pub, coal, conf} {
			if coalition.CanSee(u.u, p.Visibility, p.Donor, p.CoalitionID) {
				want += p.AmountEUR
			}
		}
		// The list, the detail and the aggregate must all agree with it.
		list, _, err := s.FindPledges(ctx, coalition.PledgeFilter{})
		must(t, err)
		var got int64
		for _, p := range list {
			got += p.AmountEUR
		}
		if got != want {
			t.Errorf("%s: list sums %d, the rule allows %d", u.name, got, want)
		}
		for _, p := range []*coalition.Pledge{pub, coal, conf} {
			_, err := s.FindPledge(ctx, p.ID)
			if see := coalition.CanSee(u.u, p.Visibility, p.Donor, p.CoalitionID); see != (err == nil) {
				t.Errorf("%s: FindPledge(%s) err=%v, rule says visible=%v", u.name, p.Visibility, err, see)
			}
		}
		totals, err := s.DonorTotals(ctx, coalition.DonorFilter{})
		must(t, err)
		var agg float64
		for _, r := range totals {
			agg += r.TotalEUR
		}
		if agg != float64(want)/100 {
			t.Errorf("%s: donor totals %.2f, the rule allows %.2f", u.name, agg, float64(want)/100)
		}
	}
	// Spot checks of the rule itself (written out, not derived).
	expect := map[string]int64{"anonymous": 10, "analyst": 30, "delegate-gbr": 70, "delegate-fra": 30, "coordinator": 70, "admin": 70, "disabled-admin": 10}
	for _, u := range users {
		w, ok := expect[u.name]
		if !ok {
			continue
		}
		ctx := coalition.WithUser(context.Background(), u.u)
		totals, _ := s.DonorTotals(ctx, coalition.DonorFilter{})
		var agg float64
		for _, r := range totals {
			agg += r.TotalEUR
		}
		if agg != float64(w)*1e6 {
			t.Errorf("%s sees €%.0f m, want €%d m", u.name, agg/1e6, w)
		}
	}
}

func testDeliveries(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 100, "2025-01")
	must(t, s.CreatePledge(sys, p))
	d := &coalition.Delivery{PledgeID: p.ID, Date: coalition.Date{Y: 2025, M: 3, D: 1}, AmountEUR: 50_000_000_00, Source: "test"}
	must(t, s.CreateDelivery(sys, d))
	got, err := s.FindDelivery(sys, d.ID)
	must(t, err)
	if got.AmountEUR != d.AmountEUR || got.Date != d.Date || got.PledgeID != p.ID {
		t.Fatalf("delivery round trip: %+v", got)
	}
	list, _, err := s.FindDeliveries(sys, coalition.DeliveryFilter{Donor: "DEU"})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("%d deliveries, want 1", len(list))
	}
	wantKind(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID + 99, Date: d.Date, AmountEUR: 1, Source: "t"}), coalition.NotFound)
	wantKind(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID, Date: d.Date, Source: "t"}), coalition.Invalid)
	// Deleting the pledge removes its deliveries.
	must(t, s.DeletePledge(sys, p.ID, 1))
	_, err = s.FindDelivery(sys, d.ID)
	wantKind(t, err, coalition.NotFound)
}

// wantField asserts err is Invalid and names field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantKind(t, err, coalition.Invalid)
	if err != nil && !strings.Contains(coalition.ErrorMessage(err), field) {
		t.Errorf("error %q does not name %s", coalition.ErrorMessage(err), field)
	}
}

// testDeliveriesChecked: issue 16 §1 found €10 bn of deliveries accepted on
// a €91.5 m pledge and one dated a year ahead.
func testDeliveriesChecked(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 0, "2025-01")
	p.Amount.Minor = 91_500_000_00 // €91.5 m
	must(t, s.CreatePledge(sys, p))
	day := coalition.Date{Y: 2025, M: 3, D: 1}
	// Up to the pledge is fine, in parts.
	must(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID, Date: day, AmountEUR: 60_000_000_00, Source: "t"}))
	must(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID, Date: day, AmountEUR: 31_500_000_00, Source: "t"}))
	// One cent more is not, nor €10 bn.
	wantField(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p.ID, Date: day, AmountEUR: 1, Source: "t"}), "amount_eur_minor")
	big := &coalition.Delivery{PledgeID: p.ID, Date: day, AmountEUR: 10_000_000_000_00, Source: "t"}
	wantField(t, s.CreateDelivery(sys, big), "amount_eur_minor")
	// Said why, it is recorded, reason and all.
	big.OverDelivery = "replacement of destroyed systems, agreed 2025-02"
	must(t, s.CreateDelivery(sys, big))
	got, err := s.FindDelivery(sys, big.ID)
	must(t, err)
	if got.OverDelivery != big.OverDelivery || got.AmountEUR != 10_000_000_000_00 {
		t.Errorf("over-delivery round trip: %+v", got)
	}
	// A delivery dated a year ahead is refused; today is fine.
	today := coalition.DateOf(time.Now().UTC())
	ahead := coalition.DateOf(time.Now().UTC().AddDate(1, 0, 0))
	p2 := pledge("DEU", 100, "2025-02")
	must(t, s.CreatePledge(sys, p2))
	wantField(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p2.ID, Date: ahead, AmountEUR: 1, Source: "t"}), "date")
	if today.After(coalition.DateOf(time.Now().UTC().Add(-time.Hour))) { // not just past midnight: the store's clock may lag
		must(t, s.CreateDelivery(sys, &coalition.Delivery{PledgeID: p2.ID, Date: today, AmountEUR: 1, Source: "t"}))
	}
	// The imports go through the same rule.
	for _, d := range []*coalition.Delivery{
		{PledgeID: p2.ID, Date: day, AmountEUR: 10_000_000_000_00, Source: "import"},
		{PledgeID: p2.ID, Date: ahead, AmountEUR: 1, Source: "import"},
	} {
		im, err := s.(coalition.Importer).BeginImport(sys)
		must(t, err)
		err = im.Delivery(sys, "", "", "d1", "", d)
		im.Abort()
		if d.Date == ahead {
			wantField(t, err, "date")
		} else {
			wantField(t, err, "amount_eur_minor")
		}
	}
}

// testDeliveryEdits: a delivery can be corrected and deleted at its version,
// under the same rule, and each change is audited.
func testDeliveryEdits(t *testing.T, s coalition.Store) {
	base(t, s)
	p := pledge("DEU", 100, "2025-01")
	must(t, s.CreatePledge(sys, p))
	d := &coalition.Delivery{PledgeID: p.ID, Date: coalition.Date{Y: 2025, M: 3, D: 1}, AmountEUR: 50_000_000_00, Source: "t"}
	must(t, s.CreateDelivery(sys, d))
	amt := int64(40_000_000_00)
	_, err := s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 2, AmountEUR: &amt})
	wantKind(t, err, coalition.Conflict)
	got, err := s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 1, AmountEUR: &amt})
	must(t, err)
	if got.AmountEUR != amt || got.Version != 2 {
		t.Errorf("after update: amount %d version %d, want %d and 2", got.AmountEUR, got.Version, amt)
	}
	// The edit is checked: €200 m on a €100 m pledge is refused, and the
	// delivery's own old amount does not count against it.
	over := int64(200_000_000_00)
	_, err = s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 2, AmountEUR: &over})
	wantField(t, err, "amount_eur_minor")
	full := int64(100_000_000_00)
	_, err = s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 2, AmountEUR: &full})
	must(t, err)
	future := coalition.DateOf(time.Now().UTC().AddDate(1, 0, 0))
	_, err = s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 3, Date: &future})
	wantField(t, err, "date")
	wantKind(t, s.DeleteDelivery(sys, d.ID, 1), coalition.Conflict)
	must(t, s.DeleteDelivery(sys, d.ID, 3))
	_, err = s.FindDelivery(sys, d.ID)
	wantKind(t, err, coalition.NotFound)
	_, err = s.UpdateDelivery(sys, d.ID, coalition.DeliveryUpdate{Version: 3, AmountEUR: &amt})
	wantKind(t, err, coalition.NotFound)
}

// testRequirements: a requirement's round trip, its visibility, its
// validation, updates with audit and versions, and who may change it.
func testRequirements(t *testing.T, s coalition.Store) {
	c := base(t, s)
	from, _ := coalition.ParseMonth("2026-01")
	r := &coalition.Requirement{CoalitionID: &c.ID, Recipient: "UKR", Category: "air-defence", AmountEUR: 2_000_000_000_00,
		From: from, To: from.Add(11), Priority: 1, Visibility: coalition.CoalitionVis, Source: "test",
		Capability: "Patriot interceptors", Unit: "missile", AsOf: "2025-12-01", Note: "what it covers"}
	amount, note := int64(3_000_000_000_00), "revised after the Ramstein meeting"
	steps(t,
		step{"round trip", func(t *testing.T) {
			must(t, s.CreateRequirement(sys, r))
			got, err := s.FindRequirement(sys, r.ID)
			must(t, err)
			eq(t, "amount", got.AmountEUR, r.AmountEUR)
			eq(t, "from", got.From, from)
			eq(t, "to", got.To, from.Add(11))
			eq(t, "coalition", *got.CoalitionID, c.ID)
			eq(t, "capability", got.Capability, r.Capability)
			eq(t, "unit", got.Unit, r.Unit)
			eq(t, "as_of", got.AsOf, r.AsOf)
			eq(t, "note", got.Note, r.Note)
		}},
		step{"visibility", func(t *testing.T) {
			// Coalition-visible: an anonymous reader does not see it.
			_, err := s.FindRequirement(context.Background(), r.ID)
			wantKind(t, err, coalition.NotFound)
			list, _, err := s.FindRequirements(sys, coalition.RequirementFilter{CoalitionID: &c.ID})
			must(t, err)
			eq(t, "requirements of the coalition", len(list), 1)
		}},
		step{"a bad as_of", func(t *testing.T) {
			bad := *r
			bad.ID, bad.AsOf = 0, "2025-13-01"
			wantInvalidField(t, s.CreateRequirement(sys, &bad), "as_of")
		}},
		step{"update", func(t *testing.T) {
			// The set fields change (also the fields of migration 0009), the others stay.
			upd, err := s.UpdateRequirement(sys, r.ID, coalition.RequirementUpdate{Version: 1, AmountEUR: &amount, Note: &note})
			must(t, err)
			checkUpdatedRequirement(t, "returned", upd, r, amount, note)
			got, err := s.FindRequirement(sys, r.ID)
			must(t, err)
			checkUpdatedRequirement(t, "read", got, r, amount, note)
		}},
		step{"audited", func(t *testing.T) {
			entries, _, err := s.FindAudit(sys, coalition.AuditFilter{Entity: "requirement", Action: "update"})
			must(t, err)
			need(t, "audit entries of the update", len(entries), 1)
			eq(t, "entity id", entries[0].EntityID, fmt.Sprint(r.ID))
			contains(t, "before", entries[0].Before, `"note":"what it covers"`)
			contains(t, "after", entries[0].After, `"version":2`)
		}},
		step{"refused updates", func(t *testing.T) {
			// A stale version is a conflict that carries the requirement as it is.
			_, err := s.UpdateRequirement(sys, r.ID, coalition.RequirementUpdate{Version: 1, AmountEUR: &amount})
			eq(t, "version a stale update carries", staleVersion(t, err), 2)
			// Validate runs on the result: an end before the start names "to".
			early := from.Add(-1)
			_, err = s.UpdateRequirement(sys, r.ID, coalition.RequirementUpdate{Version: 2, To: &early})
			wantInvalidField(t, err, "to")
			// An observer may neither edit nor delete it.
			observer := coalition.WithUser(context.Background(), &coalition.User{ID: 77, Email: "observer@x", Role: coalition.Observer})
			_, err = s.UpdateRequirement(observer, r.ID, coalition.RequirementUpdate{Version: 2, AmountEUR: &amount})
			k := coalition.ErrorKind(err)
			holds(t, fmt.Sprintf("an observer's update Forbidden or NotFound, got %v", err), k == coalition.Forbidden || k == coalition.NotFound)
		}},
		step{"delete", func(t *testing.T) {
			wantKind(t, s.DeleteRequirement(sys, r.ID, 1), coalition.Conflict)
			must(t, s.DeleteRequirement(sys, r.ID, 2))
			_, err := s.FindRequirement(sys, r.ID)
			wantKind(t, err, coalition.NotFound)
		}},
	)
}

// checkUpdatedRequirement: after the update of amount and note to version 2, the other fields are r's.
func checkUpdatedRequirement(t *testing.T, what string, got, r *coalition.Requirement, amount int64, note string) {
	t.Helper()
	eq(t, what+" version", got.Version, 2)
	eq(t, what+" amount", got.AmountEUR, amount)
	eq(t, what+" note", got.Note, note)
	eq(t, what+" capability", got.Capability, r.Capability)
	eq(t, what+" unit", got.Unit, r.Unit)
	eq(t, what+" as_of", got.AsOf, r.AsOf)
	eq(t, what+" from", got.From, r.From)
}

// testEngagements: an engagement's round trip, uniqueness, filters, updates
// with audit and versions, and who may change it.
func testEngagements(t *testing.T, s coalition.Store) {
	base(t, s)
	e := &coalition.Engagement{Date: coalition.Date{Y: 2025, M: 3, D: 2}, Kind: "summit", Title: "London summit",
		Participants: []coalition.Participant{{Name: "Keir Starmer", Role: "Prime Minister", ISO3: "GBR"}, {ISO3: "FRA"}, {ISO3: "UKR"}},
		Topics:       []string{"coalition", "ukraine-support"}, Visibility: coalition.Public, Source: "https://example.org/a", SourceRef: "a"}
	outcomes := "air defence package agreed"
	steps(t,
		step{"round trip", func(t *testing.T) {
			must(t, s.CreateEngagement(sys, e))
			got, err := s.FindEngagement(sys, e.ID)
			must(t, err)
			need(t, "participants", len(got.Participants), 3)
			eq(t, "first participant", got.Participants[0].Name, "Keir Starmer")
			eq(t, "topics", len(got.Topics), 2)
		}},
		step{"unique and filtered", func(t *testing.T) {
			e2 := *e
			e2.ID, e2.Kind, e2.Topics, e2.SourceRef = 0, "call", []string{"nato"}, "b"
			e2.Participants = []coalition.Participant{{ISO3: "DEU"}}
			must(t, s.CreateEngagement(sys, &e2))
			dup := *e
			wantKind(t, s.CreateEngagement(sys, &dup), coalition.Conflict)
			checkEngagementFilters(t, s)
		}},
		step{"update", func(t *testing.T) {
			// The set fields change, new participants replace the old ones,
			// the rest stays; the filters follow.
			parts := []coalition.Participant{{ISO3: "GBR", Name: "Keir Starmer"}, {ISO3: "DEU"}}
			upd, err := s.UpdateEngagement(sys, e.ID, coalition.EngagementUpdate{Version: 1, Outcomes: &outcomes, Participants: &parts})
			must(t, err)
			checkUpdatedEngagement(t, "returned", upd, e, outcomes)
			got, err := s.FindEngagement(sys, e.ID)
			must(t, err)
			checkUpdatedEngagement(t, "read", got, e, outcomes)
			fra, _, err := s.FindEngagements(sys, coalition.EngagementFilter{Country: "FRA"})
			must(t, err)
			eq(t, "engagements of FRA, which no longer takes part", len(fra), 0)
		}},
		step{"audited", func(t *testing.T) {
			entries, _, err := s.FindAudit(sys, coalition.AuditFilter{Entity: "engagement", Action: "update"})
			must(t, err)
			need(t, "audit entries of the update", len(entries), 1)
			eq(t, "entity id", entries[0].EntityID, fmt.Sprint(e.ID))
			contains(t, "before", entries[0].Before, `"iso3":"FRA"`)
			contains(t, "after", entries[0].After, outcomes)
		}},
		step{"refused updates", func(t *testing.T) {
			// A stale version is a conflict with the engagement as it is.
			_, err := s.UpdateEngagement(sys, e.ID, coalition.EngagementUpdate{Version: 1, Outcomes: &outcomes})
			eq(t, "version a stale update carries", staleVersion(t, err), 2)
			// Validate runs on the result: no participants names the field.
			none := []coalition.Participant{}
			_, err = s.UpdateEngagement(sys, e.ID, coalition.EngagementUpdate{Version: 2, Participants: &none})
			wantInvalidField(t, err, "participants")
			// An observer may not change it; GBR's delegate may not give it to FRA.
			observer := coalition.WithUser(context.Background(), &coalition.User{ID: 77, Email: "observer@x", Role: coalition.Observer})
			_, err = s.UpdateEngagement(observer, e.ID, coalition.EngagementUpdate{Version: 2, Outcomes: &outcomes})
			wantKind(t, err, coalition.Forbidden)
			gbr := coalition.WithUser(context.Background(), &coalition.User{ID: 78, Email: "gb@x", Role: coalition.Delegate, Country: "GBR"})
			toFRA := []coalition.Participant{{ISO3: "FRA"}}
			_, err = s.UpdateEngagement(gbr, e.ID, coalition.EngagementUpdate{Version: 2, Participants: &toFRA})
			wantKind(t, err, coalition.Forbidden)
		}},
		step{"delete", func(t *testing.T) {
			wantKind(t, s.DeleteEngagement(sys, e.ID, 1), coalition.Conflict)
			must(t, s.DeleteEngagement(sys, e.ID, 2))
			_, err := s.FindEngagement(sys, e.ID)
			wantKind(t, err, coalition.NotFound)
		}},
	)
}

// checkEngagementFilters: the London summit and a call with Germany, filtered.
func checkEngagementFilters(t *testing.T, s coalition.Store) {
	t.Helper()
	for _, c := range []struct {
		f    coalition.EngagementFilter
		want int
	}{
		{coalition.EngagementFilter{}, 2},
		{coalition.EngagementFilter{Country: "FRA"}, 1},
		{coalition.EngagementFilter{Kind: "call"}, 1},
		{coalition.EngagementFilter{Topic: "coalition"}, 1},
		{coalition.EngagementFilter{Topic: "coal"}, 0}, // topics match whole
	} {
		got, _, err := s.FindEngagements(sys, c.f)
		must(t, err)
		eq(t, fmt.Sprintf("engagements of filter %+v", c.f), len(got), c.want)
	}
}

// checkUpdatedEngagement: after the update of outcomes and participants to
// version 2, the other fields are e's.
func checkUpdatedEngagement(t *testing.T, what string, got, e *coalition.Engagement, outcomes string) {
	t.Helper()
	eq(t, what+" version", got.Version, 2)
	eq(t, what+" outcomes", got.Outcomes, outcomes)
	need(t, what+" participants", len(got.Participants), 2)
	eq(t, what+" first participant", got.Participants[0].Name, "Keir Starmer")
	eq(t, what+" second participant", got.Participants[1].ISO3, "DEU")
	eq(t, what+" title", got.Title, e.Title)
	eq(t, what+" summary", got.Summary, e.Summary)
	eq(t, what+" topics", len(got.Topics), 2)
}

func testPeople(t *testing.T, s coalition.Store) {
	p := &coalition.Person{Name: "Donald Trump", Aliases: []string{"Trump"}, Offices: []coalition.Office{
		{ISO3: "USA", Title: "President", Start: coalition.Date{Y: 2017, M: 1, D: 20}, End: coalition.Date{Y: 2021, M: 1, D: 20}, Source: "t"},
		{ISO3: "USA", Title: "President", Start: coalition.Date{Y: 2025, M: 1, D: 20}, Source: "t"},
	}}
	must(t, s.UpsertPerson(sys, p))
	must(t, s.UpsertPerson(sys, p)) // idempotent
	got, err := s.FindPeople(sys, "trump")
	must(t, err)
	need(t, "people found", len(got), 1)
	eq(t, "offices", len(got[0].Offices), 2)
	same(t, "aliases", got[0].Aliases, []string{"Trump"})
	if _, ok := got[0].OfficeOn(coalition.Date{Y: 2024, M: 2, D: 1}); ok {
		t.Error("Trump held no office in February 2024")
	}
	if o, ok := got[0].OfficeOn(coalition.Date{Y: 2025, M: 3, D: 1}); !ok || o.Title != "President" {
		t.Error("Trump is President in March 2025")
	}
}

func testRiskEvents(t *testing.T, s coalition.Store) {
	base(t, s)
	r := &coalition.RiskEvent{ISO3: "FRA", Date: coalition.Date{Y: 2027, M: 4, D: 10}, Kind: "election", Label: "presidential",
		Probability: 0.3, Factor: 0.5, Source: "test", Assumption: "default"}
	must(t, s.CreateRiskEvent(sys, r))
	dup := *r
	wantKind(t, s.CreateRiskEvent(sys, &dup), coalition.Conflict)
	p := 0.45
	upd, err := s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 1, Probability: &p})
	must(t, err)
	if upd.Probability != 0.45 || upd.Version != 2 {
		t.Fatalf("update: %+v", upd)
	}
	_, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 1, Probability: &p})
	wantKind(t, err, coalition.Conflict)
	bad := 1.5
	_, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 2, Probability: &bad})
	wantKind(t, err, coalition.Invalid)
	list, err := s.FindRiskEvents(sys, coalition.RiskEventFilter{ISO3: "FRA"})
	must(t, err)
	if len(list) != 1 || list[0].Probability != 0.45 {
		t.Fatalf("FindRiskEvents = %+v", list)
	}
	// Every field can be edited, the date and window included; a window
	// that does not hold its date is refused; the window is stored and read.
	lo, hi, day, kind := coalition.Date{Y: 2029, M: 1, D: 28}, coalition.Date{Y: 2029, M: 3, D: 25}, coalition.Date{Y: 2029, M: 3, D: 25}, "snap-election"
	outside := coalition.Date{Y: 2029, M: 6, D: 1}
	_, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 2, Earliest: &lo, Latest: &hi, Date: &outside})
	wantKind(t, err, coalition.Invalid)
	src := "Basic Law Art. 39"
	upd, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 2, Earliest: &lo, Latest: &hi, Date: &day, Kind: &kind, Source: &src})
	must(t, err)
	got, err := s.FindRiskEvent(sys, r.ID)
	must(t, err)
	if got.Earliest == nil || got.Latest == nil {
		t.Fatalf("after editing the window: no window in %+v (update returned %+v)", got, upd)
	}
	eq(t, "earliest", *got.Earliest, lo)
	eq(t, "latest", *got.Latest, hi)
	eq(t, "date", got.Date, day)
	eq(t, "kind", got.Kind, kind)
	eq(t, "source", got.Source, src)
	eq(t, "date unknown", got.DateUnknown, false)
	eq(t, "version", got.Version, int64(3))
	yes := true
	upd, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 3, DateUnknown: &yes})
	must(t, err)
	eq(t, "date unknown", upd.DateUnknown, true)
	_, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 4, ClearWindow: true})
	must(t, err)
	got, err = s.FindRiskEvent(sys, r.ID)
	must(t, err)
	if got.Earliest != nil || got.Latest != nil || got.DateUnknown {
		t.Fatalf("after clearing the window: %+v", got)
	}
	back := coalition.Date{Y: 2027, M: 4, D: 10}
	_, err = s.UpdateRiskEvent(sys, r.ID, coalition.RiskEventUpdate{Version: 5, Date: &back})
	must(t, err)
	// Delete: admins and coordinators, at the current version, audited.
	observer := coalition.WithUser(context.Background(), &coalition.User{ID: 77, Email: "observer@x", Role: coalition.Observer})
	wantKind(t, s.DeleteRiskEvent(observer, r.ID, 6), coalition.Forbidden)
	eq(t, "version a stale delete carries", staleVersion(t, s.DeleteRiskEvent(sys, r.ID, 1)), 6)
	must(t, s.DeleteRiskEvent(sys, r.ID, 6))
	_, err = s.FindRiskEvent(sys, r.ID)
	wantKind(t, err, coalition.NotFound)
	wantKind(t, s.DeleteRiskEvent(sys, r.ID, 6), coalition.NotFound)
	entries, _, err := s.FindAudit(sys, coalition.AuditFilter{Entity: "risk_event", Action: "delete"})
	must(t, err)
	need(t, "audit entries of the delete", len(entries), 1)
	eq(t, "entity id", entries[0].EntityID, fmt.Sprint(r.ID))
	contains(t, "before", entries[0].Before, `"probability":0.45`)
}

func testFX(t *testing.T, s coalition.Store) {
	jan, _ := coalition.ParseMonth("2025-01")
	ds := &coalition.Dataset{FXRates: []coalition.FXRate{
		{Month: jan, Currency: "USD", UnitsPerEUR: 1.035, Source: "ECB"},
		{Month: jan.Add(1), Currency: "USD", UnitsPerEUR: 1.041, Source: "ECB"},
	}}
	_, err := s.Load(sys, ds, false)
	must(t, err)
	r, err := s.FindRate(sys, "usd", jan.Add(5)) // nearest earlier month
	must(t, err)
	if r.UnitsPerEUR != 1.041 || r.Month != jan.Add(1) {
		t.Fatalf("FindRate = %+v", r)
	}
	_, err = s.FindRate(sys, "USD", jan.Add(-1))
	wantKind(t, err, coalition.NotFound)
	e, err := s.FindRate(sys, "EUR", jan)
	must(t, err)
	if e.UnitsPerEUR != 1 {
		t.Fatalf("EUR rate %v", e.UnitsPerEUR)
	}
}

func testDonorTotals(t *testing.T, s coalition.Store) {
	base(t, s)
	var rates []coalition.FXRate
	for m := 1; m <= 12; m++ {
		rates = append(rates, coalition.FXRate{Month: coalition.MonthOf(2023, 1).Add(m - 1), Currency: "USD", UnitsPerEUR: 1.1, Source: "t"})
	}
	_, err := s.Load(sys, &coalition.Dataset{FXRates: rates}, false)
	must(t, err)
	hum := pledge("DEU", 50, "2025-02")
	hum.Category = "humanitarian"
	committed := pledge("DEU", 999, "2025-02")
	committed.Status = coalition.Committed // not an allocation: not counted by default
	for _, p := range []*coalition.Pledge{pledge("DEU", 100, "2024-12"), pledge("DEU", 200, "2025-01"), hum, committed, pledge("FRA", 30, "2025-01")} {
		must(t, s.CreatePledge(sys, p))
	}
	steps(t,
		step{"default", func(t *testing.T) {
			rows, err := s.DonorTotals(sys, coalition.DonorFilter{})
			must(t, err)
			need(t, "donors", len(rows), 2)
			eq(t, "first donor", rows[0].ISO3, "DEU")
			deu := rows[0]
			// 100 + 200 military, 50 humanitarian; the committed 999 is left out.
			eq(t, "DEU military", deu.MilitaryEUR, 300e6)
			eq(t, "DEU humanitarian", deu.HumanitarianEUR, 50e6)
			eq(t, "DEU total", deu.TotalEUR, 350e6)
			// GDP 4525.7bn USD at 1.1 USD/EUR = 4114.27bn EUR; 350m / 4114.27bn = 0.008507%.
			need(t, "DEU has a share of GDP", deu.PctGDP != nil, true)
			eq(t, "DEU share of GDP", fmt.Sprintf("%.6f", *deu.PctGDP), fmt.Sprintf("%.6f", 350e6/(4525.7e9/1.1)*100))
			// 350m / 83.3m people = 4.2017 EUR per head.
			need(t, "DEU has a per capita figure", deu.PerCapitaEUR != nil, true)
			eq(t, "DEU per capita", fmt.Sprintf("%.4f", *deu.PerCapitaEUR), "4.2017")
		}},
		step{"filtered", func(t *testing.T) {
			jan, _ := coalition.ParseMonth("2025-01")
			same(t, "January military", donorTotals(t, s, coalition.DonorFilter{Since: jan, Until: jan, Type: coalition.Military}), "[DEU 2e+08 FRA 3e+07]")
			same(t, "donors of coalition T1", donorTotals(t, s, coalition.DonorFilter{Group: "T1"}), "[FRA 3e+07]")
			same(t, "committed", donorTotals(t, s, coalition.DonorFilter{Statuses: []coalition.PledgeStatus{coalition.Committed}}), "[DEU 9.99e+08]")
			months, err := s.MonthlySupport(sys, coalition.DonorFilter{Group: "NATO"})
			must(t, err)
			eq(t, "NATO's monthly cells", len(months), 4) // DEU 2024-12 mil, DEU 2025-01 mil, FRA 2025-01 mil, DEU 2025-02 hum
		}},
	)
}

// donorTotals is each donor's code and total under f, in the order listed.
func donorTotals(t *testing.T, s coalition.Store, f coalition.DonorFilter) []any {
	t.Helper()
	rows, err := s.DonorTotals(sys, f)
	must(t, err)
	var out []any
	for _, r := range rows {
		out = append(out, r.ISO3, r.TotalEUR)
	}
	return out
}

func dataset() *coalition.Dataset {
	p1, p2 := pledge("DEU", 100, "2025-01"), pledge("FRA", 200, "2025-02")
	p1.SourceRef, p2.SourceRef = "r1", "r2"
	return &coalition.Dataset{
		Countries:   []*coalition.Country{{ISO3: "UKR", Name: "Ukraine", State: true, Source: "t"}, {ISO3: "DEU", Name: "Germany", State: true, Source: "t"}, {ISO3: "FRA", Name: "France", State: true, Source: "t"}},
		Groups:      []*coalition.Group{{Code: "EU", Name: "EU", Source: "t", Members: []coalition.GroupMember{{ISO3: "DEU"}, {ISO3: "FRA"}}}},
		Coalitions:  []*coalition.Coalition{{Code: "C", Name: "C", Recipient: "UKR", Members: []coalition.Membership{{ISO3: "DEU", Status: coalition.Joined}}}},
		Pledges:     []*coalition.Pledge{p1, p2},
		Engagements: []*coalition.Engagement{{Date: coalition.Date{Y: 2025, M: 1, D: 1}, Kind: "meeting", Title: "m", Participants: []coalition.Participant{{ISO3: "DEU"}}, Visibility: coalition.Public, Source: "t", SourceRef: "e1"}},
		People:      []*coalition.Person{{Name: "A B", Offices: []coalition.Office{{ISO3: "DEU", Title: "Chancellor", Start: coalition.Date{Y: 2025, M: 5, D: 6}, Source: "t"}}}},
	}
}

func testLoadIdempotent(t *testing.T, s coalition.Store) {
	rep, err := s.Load(sys, dataset(), false)
	must(t, err)
	eq(t, "pledges created", rep.Created["pledges"], 2)
	eq(t, "countries created", rep.Created["countries"], 3)
	eq(t, "engagements created", rep.Created["engagements"], 1)
	rep, err = s.Load(sys, dataset(), false)
	must(t, err)
	eq(t, "second load changed something", rep.Changed(), false)
	eq(t, "pledges unchanged", rep.Unchanged["pledges"], 2)
	eq(t, "people unchanged", rep.Unchanged["people"], 1)
	// A newer release with one changed amount updates exactly that.
	ds := dataset()
	ds.Pledges[1].Amount.Minor += 100
	rep, err = s.Load(sys, ds, false)
	must(t, err)
	if rep.Updated["pledges"] != 1 || rep.Unchanged["pledges"] != 1 {
		t.Fatalf("release update: %+v", rep)
	}
	// A dry run reports but writes nothing.
	ds = dataset()
	p3 := pledge("DEU", 5, "2025-03")
	p3.SourceRef = "r3"
	ds.Pledges = append(ds.Pledges, p3)
	rep, err = s.Load(sys, ds, true)
	must(t, err)
	if rep.Created["pledges"] != 1 {
		t.Fatalf("dry run: %+v", rep)
	}
	list, _, _ := s.FindPledges(sys, coalition.PledgeFilter{})
	if len(list) != 2 {
		t.Fatalf("dry run wrote: %d pledges", len(list))
	}
}

func testLoadAllOrNothing(t *testing.T, s coalition.Store) {
	_, err := s.Load(sys, dataset(), false)
	must(t, err)
	ds := dataset()
	good := pledge("DEU", 7, "2025-04")
	good.SourceRef = "new-good"
	bad := pledge("DEU", 8, "2025-04")
	bad.SourceRef, bad.Category = "new-bad", "nope"
	ds.Pledges = append(ds.Pledges, good, bad)
	_, err = s.Load(sys, ds, false)
	wantKind(t, err, coalition.Invalid)
	list, _, _ := s.FindPledges(sys, coalition.PledgeFilter{})
	if len(list) != 2 {
		t.Fatalf("a failed load left %d pledges, want the 2 from before", len(list))
	}
}
