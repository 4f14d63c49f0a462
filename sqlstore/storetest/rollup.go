package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"coalition"
)

// rollupStore is what an engine with a maintained rollup offers for checks:
// the rollup compared group by group with the pledges, and the aggregates
// computed from the pledges without it.
type rollupStore interface {
	RollupDiff(ctx context.Context, max int) ([]string, error)
	RawDonorTotals(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorTotal, error)
	RawMonthlySupport(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorMonth, error)
}

// testRollupProperty: random mixes of creates, updates (amount, status,
// visibility, month, source), deletes and Loads (which also move pledges to
// another donor) keep the donor aggregates exactly equal to the raw sums,
// for random users (visibility) and filters. After every round the rollup
// must equal the pledges group by group, and the administrator's totals
// must equal sums computed here from the listed pledges.
func testRollupProperty(t *testing.T, s coalition.Store) {
	rs, ok := s.(rollupStore)
	if !ok {
		t.Skip("this engine keeps no rollup")
	}
	c1 := base(t, s)
	c2 := &coalition.Coalition{Code: "T2", Name: "Other", Recipient: "UKR", Members: []coalition.Membership{{ISO3: "DEU", Status: coalition.Joined}}}
	must(t, s.CreateCoalition(sys, c2))
	w := &rollupWorld{s: s, rs: rs, c1: c1.ID, c2: c2.ID, rng: rand.New(rand.NewPCG(10, 6))}
	for round := 0; round < 8; round++ {
		for op := 0; op < 30; op++ {
			w.op(t)
		}
		w.live = reloadLive(t, s)
		diff, err := rs.RollupDiff(sys, 5)
		must(t, err)
		need(t, fmt.Sprintf("round %d: groups where the rollup differs from the pledges", round), fmt.Sprint(diff), "[]")
		checkAdminTotals(t, s, w.live, round)
		for i := 0; i < 6; i++ {
			w.checkAggregates(t, round)
		}
	}
}

// rollupWorld is the store and the pledges the rollup property test keeps.
type rollupWorld struct {
	s      coalition.Store
	rs     rollupStore
	c1, c2 int64
	rng    *rand.Rand
	live   []*coalition.Pledge
}

var rollupDonors = []string{"DEU", "FRA", "GBR", "EST"}

// loadRefs is how many source_refs Loads draw from, so that later Loads change earlier ones' pledges.
const loadRefs = 12

// randomise gives p random figures. Few months, mostly public: groups hold
// several pledges, so deletes and updates must recompute max(as_of) and
// the sources of what is left.
func (w *rollupWorld) randomise(p *coalition.Pledge) {
	rng := w.rng
	coals := []*int64{nil, &w.c1, &w.c2}
	vis := []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}
	cats := []string{"air-defence", "humanitarian", "budget-support", "reconstruction", "ammunition"}
	p.Amount.Minor = int64(rng.IntN(1_000_000)) * 100
	p.Announced = coalition.Date{Y: 2024, M: time.Month(1 + rng.IntN(3)), D: 1 + rng.IntN(28)}
	p.Status = []coalition.PledgeStatus{coalition.Allocated, coalition.Allocated, coalition.Delivered, coalition.Committed,
		coalition.PledgeStatuses[rng.IntN(len(coalition.PledgeStatuses))]}[rng.IntN(5)]
	p.Visibility, p.CoalitionID = coalition.Public, nil
	if rng.IntN(3) == 0 {
		p.Visibility = vis[rng.IntN(3)]
		p.CoalitionID = coals[rng.IntN(3)]
	}
	if p.Visibility == coalition.CoalitionVis && p.CoalitionID == nil {
		p.CoalitionID = &w.c1
	}
	p.Category = cats[rng.IntN(len(cats))]
	p.AsOf = coalition.Date{}
	if rng.IntN(3) > 0 {
		p.AsOf = coalition.Date{Y: 2025, M: time.Month(1 + rng.IntN(12)), D: 1 + rng.IntN(28)}
	}
}

var rollupSources = []string{"src-a", "src-b", "src-c"}

// op is one random write: a create, an update, a delete or a Load.
func (w *rollupWorld) op(t *testing.T) {
	switch k := w.rng.IntN(10); {
	case k < 4 || len(w.live) == 0:
		w.create(t)
	case k < 7:
		w.update(t)
	case k < 9:
		i := w.rng.IntN(len(w.live))
		must(t, w.s.DeletePledge(sys, w.live[i].ID, w.live[i].Version))
		w.live = append(w.live[:i], w.live[i+1:]...)
	default:
		w.load(t)
	}
}

func (w *rollupWorld) create(t *testing.T) {
	p := pledge(rollupDonors[w.rng.IntN(len(rollupDonors))], 1, "2024-01")
	w.randomise(p)
	p.Source = rollupSources[w.rng.IntN(len(rollupSources))]
	must(t, w.s.CreatePledge(sys, p))
	w.live = append(w.live, p)
}

// update changes one field of a random pledge, or several.
func (w *rollupWorld) update(t *testing.T) {
	rng := w.rng
	i := rng.IntN(len(w.live))
	p := w.live[i]
	q := *p
	w.randomise(&q)
	upd := coalition.PledgeUpdate{Version: p.Version}
	if rng.IntN(2) == 0 {
		upd.Amount, upd.AmountEUR = &q.Amount, &q.Amount.Minor
	}
	if rng.IntN(2) == 0 {
		upd.Status = &q.Status
	}
	if rng.IntN(2) == 0 {
		upd.Visibility = &q.Visibility
	}
	if rng.IntN(3) == 0 {
		upd.Announced = &q.Announced
	}
	if p.SourceRef == "" && rng.IntN(3) == 0 { // (source, source_ref) is unique
		src := rollupSources[rng.IntN(len(rollupSources))]
		upd.Source = &src
	}
	got, err := w.s.UpdatePledge(sys, p.ID, upd)
	if coalition.ErrorKind(err) == coalition.Invalid { // e.g. coalition visibility without a coalition
		return
	}
	must(t, err)
	w.live[i] = got
}

// load creates or changes pledges by source_ref, donors included.
func (w *rollupWorld) load(t *testing.T) {
	ds := &coalition.Dataset{}
	for _, r := range w.rng.Perm(loadRefs)[:4] {
		p := pledge(rollupDonors[w.rng.IntN(len(rollupDonors))], 1, "2024-01")
		w.randomise(p)
		p.CoalitionID = &w.c1 // a Load keeps a pledge's coalition: one for all
		p.Source, p.SourceRef = "load", fmt.Sprintf("ref-%d", r)
		ds.Pledges = append(ds.Pledges, p)
	}
	_, err := w.s.Load(sys, ds, false)
	must(t, err)
	w.live = reloadLive(t, w.s)
}

// checkAggregates compares a random user's DonorTotals and MonthlySupport
// under a random filter with the same computed from the pledges.
func (w *rollupWorld) checkAggregates(t *testing.T, round int) {
	t.Helper()
	u := randomUser(w.rng, rollupDonors, w.c1, w.c2)
	ctx := coalition.WithUser(context.Background(), u)
	f := randomDonorFilter(w.rng)
	what := fmt.Sprintf("round %d, user %+v, filter %+v", round, u, f)
	got, err := w.s.DonorTotals(ctx, f)
	must(t, err)
	want, err := w.rs.RawDonorTotals(ctx, f)
	must(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nDonorTotals    %+v\nfrom pledges   %+v", what, got, want)
	}
	gotM, err := w.s.MonthlySupport(ctx, f)
	must(t, err)
	wantM, err := w.rs.RawMonthlySupport(ctx, f)
	must(t, err)
	if !reflect.DeepEqual(gotM, wantM) {
		t.Fatalf("%s:\nMonthlySupport %+v\nfrom pledges   %+v", what, gotM, wantM)
	}
}

// randomDonorFilter sets each of a filter's fields one time in two to four.
func randomDonorFilter(rng *rand.Rand) coalition.DonorFilter {
	f := coalition.DonorFilter{}
	if rng.IntN(2) == 0 {
		f.Since = coalition.MonthOf(2024, time.Month(1+rng.IntN(3)))
		f.Until = f.Since.Add(rng.IntN(2))
	}
	if rng.IntN(3) == 0 {
		f.Type = []coalition.SupportType{coalition.Military, coalition.Humanitarian, coalition.Financial}[rng.IntN(3)]
	}
	if rng.IntN(3) == 0 {
		f.Statuses = []coalition.PledgeStatus{coalition.PledgeStatuses[rng.IntN(5)], coalition.PledgeStatuses[rng.IntN(5)]}
	}
	if rng.IntN(4) == 0 {
		f.Group = []string{"NATO", "T1", "T2"}[rng.IntN(3)]
	}
	return f
}

// reloadLive lists every pledge (keyset pages of 50).
func reloadLive(t *testing.T, s coalition.Store) []*coalition.Pledge {
	t.Helper()
	var out []*coalition.Pledge
	f := coalition.PledgeFilter{Limit: 50}
	for {
		page, more, err := s.FindPledges(sys, f)
		must(t, err)
		out = append(out, page...)
		if !more {
			return out
		}
		f.After = page[len(page)-1].ID
	}
}

// checkAdminTotals compares the administrator's default DonorTotals with
// sums of allocated and delivered pledges computed here.
func checkAdminTotals(t *testing.T, s coalition.Store, live []*coalition.Pledge, round int) {
	t.Helper()
	want := map[string]int64{}
	for _, p := range live {
		if p.Status == coalition.Allocated || p.Status == coalition.Delivered {
			cat, _ := coalition.CategoryByCode(p.Category)
			want[p.Donor+"/"+string(cat.Type)] += p.AmountEUR
			want[p.Donor] += p.AmountEUR
		}
	}
	rows, err := s.DonorTotals(sys, coalition.DonorFilter{})
	must(t, err)
	got := map[string]int64{}
	for _, r := range rows {
		if r.TotalEUR == 0 && want[r.ISO3] == 0 {
			continue
		}
		got[r.ISO3] = int64(r.TotalEUR*100 + 0.5)
		for typ, eur := range map[coalition.SupportType]float64{coalition.Military: r.MilitaryEUR, coalition.Financial: r.FinancialEUR,
			coalition.Humanitarian: r.HumanitarianEUR, coalition.Reconstruction: r.ReconstructionEUR} {
			if eur != 0 {
				got[r.ISO3+"/"+string(typ)] = int64(eur*100 + 0.5)
			}
		}
	}
	for k, v := range want {
		if v == 0 {
			delete(want, k)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round %d: administrator's totals (cents) %v, sums of the listed pledges %v", round, got, want)
	}
}

func randomUser(rng *rand.Rand, donors []string, coalitions ...int64) *coalition.User {
	roles := []coalition.Role{coalition.Admin, coalition.Coordinator, coalition.Delegate, coalition.Analyst, coalition.Observer}
	if rng.IntN(8) == 0 {
		return nil // anonymous
	}
	u := &coalition.User{ID: int64(100 + rng.IntN(100)), Role: roles[rng.IntN(len(roles))]}
	if u.Role == coalition.Delegate {
		u.Country = donors[rng.IntN(len(donors))]
	}
	for _, c := range coalitions {
		if u.Role != coalition.Admin && u.Role != coalition.Observer && rng.IntN(2) == 0 {
			u.Coalitions = append(u.Coalitions, c)
		}
	}
	return u
}
