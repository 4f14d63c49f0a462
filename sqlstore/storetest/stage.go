package storetest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"coalition"
)

// The stage history of pledges (issue 16 §1): coalition.StageEntry,
// Store.PledgeHistory and Store.RecordStage.

func eurM(m int64) coalition.Money { return coalition.Money{Minor: m * 100_000_000, Currency: "EUR"} }

func history(t *testing.T, s coalition.Store, id int64) ([]coalition.StageEntry, coalition.StageFigures) {
	t.Helper()
	h, f, err := s.PledgeHistory(sys, id)
	must(t, err)
	return h, f
}

func wantFigures(t *testing.T, s coalition.Store, id int64, stage coalition.PledgeStatus, announced, committed, allocated, delivered int64) {
	t.Helper()
	_, f := history(t, s, id)
	got := []int64{f.AnnouncedEUR, f.CommittedEUR, f.AllocatedEUR, f.DeliveredEUR}
	want := []int64{announced * 100_000_000, committed * 100_000_000, allocated * 100_000_000, delivered * 100_000_000}
	for i, name := range []string{"announced", "committed", "allocated", "delivered"} {
		if got[i] != want[i] {
			t.Errorf("%s = %d cents, want %d", name, got[i], want[i])
		}
	}
	if f.Stage != stage {
		t.Errorf("stage = %s, want %s", f.Stage, stage)
	}
	p, err := s.FindPledge(sys, id)
	must(t, err)
	if p.Status != f.Stage {
		t.Errorf("pledge status = %s, history's stage = %s", p.Status, f.Stage)
	}
}

// stageWeek is one pledge taken through its stages by testStages' steps,
// each a method, in order: every step builds on the ones before.
type stageWeek struct {
	s coalition.Store
	c *coalition.Coalition
	p *coalition.Pledge
}

// on is a day of 2025.
func on(m, d int) coalition.Date { return coalition.Date{Y: 2025, M: time.Month(m), D: d} }

// rec records a step of m million euros (in the pledge's currency).
func (w *stageWeek) rec(stage coalition.PledgeStatus, m int64, date coalition.Date, source, correction string) (*coalition.Pledge, error) {
	e := &coalition.StageEntry{PledgeID: w.p.ID, Stage: stage, Date: date, Amount: coalition.Money{Minor: m * 100_000_000}, Source: source, Correction: correction}
	return w.s.RecordStage(sys, e)
}

func testStages(t *testing.T, s coalition.Store) {
	w := &stageWeek{s: s, c: base(t, s)}
	w.p = pledge("GBR", 1000, "2025-02")
	w.p.Status, w.p.Source = coalition.Announced, "London summit communiqué"
	must(t, s.CreatePledge(sys, w.p))
	steps(t,
		step{"created: the announcement", w.created},
		step{"committed, then allocated in two parts", w.committedAllocated},
		step{"deliveries count against the allocations", w.deliveriesAgainstAllocations},
		step{"a delivered stage has no amount of its own", w.deliveredHasNoAmount},
		step{"lowering a figure is a correction", w.loweringIsCorrection},
		step{"lowering the pledge below its deliveries is refused", w.pledgeBelowDeliveries},
		step{"a status moved back needs a correction", w.statusBackNeedsCorrection},
		step{"a status moved forward with a source keeps the announcement's", w.forwardKeepsAnnouncement},
		step{"history follows the pledge's visibility", w.historyFollowsVisibility},
		step{"an imported pledge has the history its record implies", w.importedImpliedHistory},
		step{"a pledge rewritten by a load keeps its history", w.loadRewriteKeepsHistory},
	)
}

// created: created: the announcement.
func (w *stageWeek) created(t *testing.T) {
	h, f := history(t, w.s, w.p.ID)
	if len(h) != 1 || h[0].Stage != coalition.Announced || h[0].Source != w.p.Source || h[0].RecordedBy != "system" || h[0].Implied {
		t.Fatalf("history = %+v, want one announced entry from %q recorded by system", h, w.p.Source)
	}
	if f.AnnouncedSource != w.p.Source || f.AnnouncedOn != w.p.Announced {
		t.Errorf("announced = %q on %s, want %q on %s", f.AnnouncedSource, f.AnnouncedOn, w.p.Source, w.p.Announced)
	}
	wantFigures(t, w.s, w.p.ID, coalition.Announced, 1000, 0, 0, 0)
}

// committedAllocated: committed, then allocated in two parts.
func (w *stageWeek) committedAllocated(t *testing.T) {
	got, err := w.rec(coalition.Committed, 1000, on(3, 1), "MoD press release", "")
	must(t, err)
	if got.Version != 2 || got.Source != w.p.Source {
		t.Errorf("pledge after commit: version %d source %q, want 2 and the announcement's %q", got.Version, got.Source, w.p.Source)
	}
	_, err = w.rec(coalition.Allocated, 400, on(4, 1), "contract 1", "")
	must(t, err)
	_, err = w.rec(coalition.Allocated, 200, on(5, 1), "contract 2", "")
	must(t, err)
	wantFigures(t, w.s, w.p.ID, coalition.Allocated, 1000, 1000, 600, 0)
}

// deliveriesAgainstAllocations: deliveries count against the allocations.
func (w *stageWeek) deliveriesAgainstAllocations(t *testing.T) {
	for _, m := range []int64{100, 100, 50} {
		must(t, w.s.CreateDelivery(sys, &coalition.Delivery{PledgeID: w.p.ID, Date: on(6, 1), AmountEUR: m * 100_000_000, Source: "MoD"}))
	}
	wantFigures(t, w.s, w.p.ID, coalition.Allocated, 1000, 1000, 600, 250)
	// €400 m more would be €650 m delivered of €600 m allocated.
	wantField(t, w.s.CreateDelivery(sys, &coalition.Delivery{PledgeID: w.p.ID, Date: on(6, 2), AmountEUR: 400 * 100_000_000, Source: "MoD"}), "amount_eur_minor")
}

// deliveredHasNoAmount: a delivered stage has no amount of its own.
func (w *stageWeek) deliveredHasNoAmount(t *testing.T) {
	_, err := w.rec(coalition.Delivered, 250, on(6, 3), "MoD", "")
	wantField(t, err, "stage")
}

// loweringIsCorrection: lowering a figure is a correction.
func (w *stageWeek) loweringIsCorrection(t *testing.T) {
	_, err := w.rec(coalition.Allocated, -100, on(6, 4), "contract 2 amended", "")
	wantField(t, err, "correction")
	_, err = w.rec(coalition.Allocated, -600, on(6, 4), "contract 2 amended", "both contracts void") // below the deliveries is fine for the figure, not below zero
	must(t, err)
	wantFigures(t, w.s, w.p.ID, coalition.Committed, 1000, 1000, 0, 250)
	_, err = w.rec(coalition.Allocated, -1, on(6, 4), "x", "below zero")
	wantField(t, err, "amount.minor")
	_, err = w.rec(coalition.Allocated, 600, on(6, 5), "contracts restored", "")
	must(t, err)
	wantFigures(t, w.s, w.p.ID, coalition.Allocated, 1000, 1000, 600, 250)
}

// pledgeBelowDeliveries: lowering the pledge below its deliveries is refused.
func (w *stageWeek) pledgeBelowDeliveries(t *testing.T) {
	cur, err := w.s.FindPledge(sys, w.p.ID)
	must(t, err)
	low := eurM(200)
	_, err = w.s.UpdatePledge(sys, w.p.ID, coalition.PledgeUpdate{Version: cur.Version, Amount: &low})
	wantField(t, err, "amount")
	ok := eurM(900)
	cur, err = w.s.UpdatePledge(sys, w.p.ID, coalition.PledgeUpdate{Version: cur.Version, Amount: &ok})
	must(t, err)
	wantFigures(t, w.s, w.p.ID, coalition.Allocated, 900, 1000, 600, 250)
	if cur.AmountEUR != 900*100_000_000 {
		t.Errorf("amount_eur = %d", cur.AmountEUR)
	}
}

// statusBackNeedsCorrection: a status moved back needs a correction.
func (w *stageWeek) statusBackNeedsCorrection(t *testing.T) {
	cur, err := w.s.FindPledge(sys, w.p.ID)
	must(t, err)
	back := coalition.Committed
	_, err = w.s.UpdatePledge(sys, w.p.ID, coalition.PledgeUpdate{Version: cur.Version, Status: &back})
	wantField(t, err, "correction")
	why := "allocation withdrawn by parliament"
	_, err = w.s.UpdatePledge(sys, w.p.ID, coalition.PledgeUpdate{Version: cur.Version, Status: &back, Correction: &why})
	must(t, err)
	wantFigures(t, w.s, w.p.ID, coalition.Committed, 900, 1000, 0, 250)
	audited, _, err := w.s.FindAudit(sys, coalition.AuditFilter{Entity: "pledge_stage", Limit: coalition.MaxPageSize})
	must(t, err)
	found := false
	for _, a := range audited {
		found = found || strings.Contains(a.After, why)
	}
	if !found {
		t.Errorf("the move back's reason is in no audited stage entry (%d entries)", len(audited))
	}
}

// forwardKeepsAnnouncement: a status moved forward with a source keeps the announcement's.
func (w *stageWeek) forwardKeepsAnnouncement(t *testing.T) {
	cur, err := w.s.FindPledge(sys, w.p.ID)
	must(t, err)
	fwd, src := coalition.Allocated, "budget law 2025"
	cur, err = w.s.UpdatePledge(sys, w.p.ID, coalition.PledgeUpdate{Version: cur.Version, Status: &fwd, Source: &src})
	must(t, err)
	if cur.Source != w.p.Source || cur.Status != coalition.Allocated {
		t.Errorf("pledge = %s from %q, want allocated from %q", cur.Status, cur.Source, w.p.Source)
	}
	h, f := history(t, w.s, w.p.ID)
	if f.AnnouncedSource != w.p.Source {
		t.Errorf("announced source = %q", f.AnnouncedSource)
	}
	found := false
	for _, e := range h {
		found = found || e.Stage == coalition.Allocated && e.Source == src && e.AmountEUR == 900*100_000_000
	}
	if !found {
		t.Errorf("no allocated entry of the whole amount from %q in %+v", src, h)
	}
	wantFigures(t, w.s, w.p.ID, coalition.Allocated, 900, 1000, 900, 250)
}

// historyFollowsVisibility: history follows the pledge's visibility.
func (w *stageWeek) historyFollowsVisibility(t *testing.T) {
	conf := pledge("GBR", 40, "2025-01")
	conf.Visibility, conf.CoalitionID = coalition.Confidential, &w.c.ID
	must(t, w.s.CreatePledge(sys, conf))
	obs := coalition.WithUser(sys, &coalition.User{ID: 1, Role: coalition.Observer})
	_, _, err := w.s.PledgeHistory(obs, conf.ID)
	wantKind(t, err, coalition.NotFound)
	gbr := coalition.WithUser(sys, &coalition.User{ID: 4, Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{w.c.ID}})
	h, _, err := w.s.PledgeHistory(gbr, conf.ID)
	must(t, err)
	if len(h) != 3 { // announced, committed, allocated: what its status implies
		t.Errorf("history = %d entries, want 3", len(h))
	}
	_, err = w.s.RecordStage(obs, &coalition.StageEntry{PledgeID: w.p.ID, Stage: coalition.Cancelled, Date: on(7, 1), Source: "x"})
	wantKind(t, err, coalition.Forbidden)
	denied := false
	for _, d := range Denials(t, w.s) {
		denied = denied || d.What != "" && len(d.What) > 12 && d.What[:12] == "record stage"
	}
	if !denied {
		t.Errorf("the refused RecordStage is not in the audit log")
	}
}

// importedImpliedHistory: an imported pledge has the history its record implies.
func (w *stageWeek) importedImpliedHistory(t *testing.T) {
	q := pledge("FRA", 30, "2025-01")
	q.Status, q.SourceRef = coalition.Delivered, "fra-1"
	_, err := w.s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{q}}, false)
	must(t, err)
	page, _, err := w.s.FindPledges(sys, coalition.PledgeFilter{SourceRef: "fra-1"})
	must(t, err)
	h, f := history(t, w.s, page[0].ID)
	if len(h) != 4 || !h[0].Implied || f.DeliveredEUR != 30*100_000_000 || f.Stage != coalition.Delivered {
		t.Errorf("implied history = %+v, figures %+v", h, f)
	}
}

// loadRewriteKeepsHistory: a pledge rewritten by a load keeps its history.
func (w *stageWeek) loadRewriteKeepsHistory(t *testing.T) {
	q := pledge("FRA", 30, "2025-01")
	q.Status, q.SourceRef, q.Source = coalition.Committed, "fra-2", "loaded"
	_, err := w.s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{q}}, false)
	must(t, err)
	page, _, err := w.s.FindPledges(sys, coalition.PledgeFilter{SourceRef: "fra-2"})
	must(t, err)
	id := page[0].ID
	_, err = w.s.RecordStage(sys, &coalition.StageEntry{PledgeID: id, Stage: coalition.Allocated, Date: on(3, 1), Amount: coalition.Money{Minor: 10 * 100_000_000, Currency: "eur"}, Source: "contract"})
	must(t, err)
	wantFigures(t, w.s, id, coalition.Allocated, 30, 30, 10, 0)
	q2 := pledge("FRA", 40, "2025-01")
	q2.Status, q2.SourceRef, q2.Source = coalition.Announced, "fra-2", "loaded"
	_, err = w.s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{q2}}, false)
	must(t, err)
	wantFigures(t, w.s, id, coalition.Announced, 40, 0, 0, 0)
	if _, f := history(t, w.s, id); f.AnnouncedSource != "loaded" {
		t.Errorf("announced source = %q", f.AnnouncedSource)
	}
}

// testStageProperty: whatever people record, in whatever order, the derived
// figures are the sums of the history, the pledge's status is the derived
// stage, the announcement's source survives, and deliveries never exceed
// what they run against without a reason.
func testStageProperty(t *testing.T, s coalition.Store) {
	base(t, s)
	rng := rand.New(rand.NewPCG(16, 1))
	stages := []coalition.PledgeStatus{coalition.Announced, coalition.Committed, coalition.Allocated, coalition.Delivered, coalition.Cancelled}
	jan, _ := coalition.ParseMonth("2025-01")
	_, err := s.Load(sys, &coalition.Dataset{FXRates: []coalition.FXRate{{Month: jan, Currency: "USD", UnitsPerEUR: 1.035, Source: "ECB"}}}, false)
	must(t, err)
	kinds := map[int]int{} // successful writes per kind: the property is not about refusals only
	for round := range 6 {
		p := pledge("DEU", int64(100+rng.IntN(900)), "2025-01")
		if round%2 == 1 { // in dollars: the euro amounts are converted, steps in either currency
			p.Amount.Currency = "USD"
		}
		p.Status = stages[rng.IntN(3)]
		p.Source = "announcement " + string(rune('A'+round))
		must(t, s.CreatePledge(sys, p))
		for step := range 25 {
			cur, err := s.FindPledge(sys, p.ID)
			must(t, err)
			date := coalition.Date{Y: 2025, M: 2, D: 1 + rng.IntN(28)} // corrections dated before what they correct, too
			kind := rng.IntN(4)
			switch kind {
			case 0: // a stage, sometimes a lowering, sometimes with a reason
				e := &coalition.StageEntry{PledgeID: p.ID, Stage: stages[rng.IntN(len(stages))], Date: date,
					Amount: eurM(int64(rng.IntN(400) - 100)), Source: "step"}
				if rng.IntN(2) == 0 {
					e.Amount.Currency = "" // the pledge's
				}
				if e.Stage == coalition.Delivered && rng.IntN(2) == 0 {
					e.Amount.Minor = 0
				}
				if rng.IntN(2) == 0 {
					e.Correction = "corrected"
				}
				_, err = s.RecordStage(sys, e)
			case 1: // a delivery, sometimes with a reason to exceed
				d := &coalition.Delivery{PledgeID: p.ID, Date: date, AmountEUR: int64(rng.IntN(300)+1) * 100_000_000, Source: "d"}
				if rng.IntN(4) == 0 {
					d.OverDelivery = "agreed"
				}
				if err = s.CreateDelivery(sys, d); err == nil && d.OverDelivery == "" {
					after, err := s.FindPledge(sys, p.ID)
					must(t, err)
					_, f := history(t, s, p.ID)
					if bound := coalition.DeliveryBound(after, f); bound > 0 && f.DeliveredEUR > bound {
						t.Fatalf("round %d step %d: a delivery without a reason took deliveries to %d, above %d", round, step, f.DeliveredEUR, bound)
					}
				}
			case 2: // a status edit
				st := stages[rng.IntN(len(stages))]
				upd := coalition.PledgeUpdate{Version: cur.Version, Status: &st, Source: ptr("edit source")}
				if rng.IntN(2) == 0 {
					upd.Correction = ptr("corrected")
				}
				_, err = s.UpdatePledge(sys, p.ID, upd)
			case 3: // an amount edit
				amt := coalition.Money{Minor: int64(rng.IntN(1000)) * 100_000_000, Currency: cur.Amount.Currency}
				_, err = s.UpdatePledge(sys, p.ID, coalition.PledgeUpdate{Version: cur.Version, Amount: &amt})
			}
			if err != nil && coalition.ErrorKind(err) != coalition.Invalid {
				t.Fatalf("round %d step %d: %v", round, step, err)
			}
			if err == nil {
				kinds[kind]++
			}
			checkStageInvariants(t, s, p.ID, p.Source)
		}
	}
	for kind := range 4 {
		if kinds[kind] < 5 {
			t.Errorf("only %d writes of kind %d succeeded (%v): the property tested little", kinds[kind], kind, kinds)
		}
	}
	t.Logf("successful writes per kind: %v", kinds)
}

func checkStageInvariants(t *testing.T, s coalition.Store, id int64, source string) {
	t.Helper()
	h, f := history(t, s, id)
	sums := map[coalition.PledgeStatus]int64{}
	p, err := s.FindPledge(sys, id)
	must(t, err)
	for _, e := range h {
		sums[e.Stage] += e.AmountEUR
		if e.Correction != "" || e.DeliveryID != 0 {
			continue // a correction takes back euros already converted; a delivery is in euros
		}
		// Every step is converted at the pledge's announcement rate.
		if want := coalition.ToEUR(e.Amount, e.FXRate); e.AmountEUR != want || e.Amount.Currency == p.Amount.Currency && e.FXRate != p.FXRate {
			t.Fatalf("entry %+v: euro amount %d at %v, want %d at the pledge's %v", e, e.AmountEUR, e.FXRate, want, p.FXRate)
		}
	}
	if want := coalition.ToEUR(p.Amount, p.FXRate); p.AmountEUR != want {
		t.Fatalf("pledge: %s at %v is %d cents, stored %d", p.Amount, p.FXRate, want, p.AmountEUR)
	}
	for _, st := range coalition.PledgeStatuses {
		if got := f.Figure(st); got != sums[st] {
			t.Fatalf("%s figure = %d, sum of its entries = %d", st, got, sums[st])
		}
		if st != coalition.Announced && f.Figure(st) < 0 {
			t.Fatalf("%s figure = %d < 0", st, f.Figure(st))
		}
	}
	if f.AnnouncedSource != source {
		t.Fatalf("announced source = %q, want %q", f.AnnouncedSource, source)
	}
	if p.Status != f.Stage {
		t.Fatalf("pledge status %s, derived stage %s", p.Status, f.Stage)
	}
	if p.AmountEUR != f.AnnouncedEUR {
		t.Fatalf("pledge amount %d, announced figure %d", p.AmountEUR, f.AnnouncedEUR)
	}
}
