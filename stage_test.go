package coalition

import (
	"fmt"
	"testing"
)

func eurEntry(s PledgeStatus, m int64, correction string) StageEntry {
	return StageEntry{PledgeID: 1, Stage: s, Date: Date{Y: 2025, M: 3, D: 1}, Amount: Money{Minor: m, Currency: "EUR"}, AmountEUR: m,
		Source: string(s), Correction: correction}
}

func TestDeriveStages(t *testing.T) {
	ann := eurEntry(Announced, 1000, "")
	for _, c := range []struct {
		name       string
		h          []StageEntry
		stage      PledgeStatus
		alloc, del int64
	}{
		{"announced only", []StageEntry{ann}, Announced, 0, 0},
		{"allocated in two parts", []StageEntry{ann, eurEntry(Committed, 1000, ""), eurEntry(Allocated, 400, ""), eurEntry(Allocated, 200, "")}, Allocated, 600, 0},
		{"deliveries do not make it delivered", []StageEntry{ann, eurEntry(Allocated, 600, ""), {Stage: Delivered, AmountEUR: 250, DeliveryID: 7}}, Allocated, 600, 250},
		{"a delivered step without amount does", []StageEntry{ann, eurEntry(Allocated, 600, ""), {Stage: Delivered, AmountEUR: 250, DeliveryID: 7}, eurEntry(Delivered, 0, "")}, Delivered, 600, 250},
		{"an allocation taken back", []StageEntry{ann, eurEntry(Committed, 1000, ""), eurEntry(Allocated, 600, ""), eurEntry(Allocated, -600, "void")}, Committed, 0, 0},
		{"an allocation lowered", []StageEntry{ann, eurEntry(Allocated, 600, ""), eurEntry(Allocated, -100, "amended")}, Allocated, 500, 0},
		{"an in-kind step", []StageEntry{ann, eurEntry(Committed, 0, "")}, Committed, 0, 0},
		{"cancelled", []StageEntry{ann, eurEntry(Allocated, 600, ""), eurEntry(Cancelled, 1000, "")}, Cancelled, 600, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := DeriveStages(c.h)
			eq(t, "stage", f.Stage, c.stage)
			eq(t, "allocated EUR", f.AllocatedEUR, c.alloc)
			eq(t, "delivered EUR", f.DeliveredEUR, c.del)
			eq(t, "announced source", f.AnnouncedSource, "announced")
		})
	}
}

// A correction dated before the step it corrects still ends it: the last
// step is the last recorded, not the latest dated.
func TestDeriveStagesRecordOrder(t *testing.T) {
	step := eurEntry(Allocated, 600, "")
	step.ID, step.Date = 5, Date{Y: 2025, M: 5, D: 1}
	back := eurEntry(Allocated, -600, "void")
	back.Date = Date{Y: 2025, M: 4, D: 1} // dated back, not stored yet
	h := []StageEntry{eurEntry(Announced, 1000, ""), eurEntry(Committed, 1000, ""), back, step}
	if f := DeriveStages(h); f.Stage != Committed {
		t.Errorf("unstored correction: stage %s, want committed", f.Stage)
	}
	back.ID = 6
	h[2] = back
	if f := DeriveStages(h); f.Stage != Committed {
		t.Errorf("stored correction: stage %s, want committed", f.Stage)
	}
	before := []StageEntry{h[0], h[1], step}
	back.ID = 0
	if err := CheckStage(before, &back); err != nil {
		t.Errorf("CheckStage of the correction: %v", err)
	}
	zero := eurEntry(Allocated, 0, "")
	zero.Date = Date{Y: 2025, M: 4, D: 2} // a step without amount after the correction: allocated again
	if f := DeriveStages(append(h, zero)); f.Stage != Allocated {
		t.Errorf("a step after the correction: stage %s, want allocated", f.Stage)
	}
}

func TestCheckStage(t *testing.T) {
	h := []StageEntry{eurEntry(Announced, 1000, ""), eurEntry(Allocated, 600, "")}
	for _, c := range []struct {
		name  string
		e     StageEntry
		field string // "" = accepted
	}{
		{"more committed is not a move back", eurEntry(Committed, 200, ""), ""},
		{"a lowering without a reason", eurEntry(Allocated, -100, ""), "correction"},
		{"below zero", eurEntry(Allocated, -700, "why"), "amount.minor"},
		{"all taken back: a move back, said why", eurEntry(Allocated, -600, "why"), ""},
		{"all taken back without a reason", eurEntry(Allocated, -600, ""), "correction"},
		{"a delivered amount", eurEntry(Delivered, 250, ""), "stage"},
		{"announced: the pledge's amount", eurEntry(Announced, 250, ""), "stage"},
		{"delivered without deliveries", eurEntry(Delivered, 0, ""), "stage"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			err := CheckStage(h, &e)
			switch {
			case c.field == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.field != "" && (err == nil || err.(*Error).Field != c.field):
				t.Errorf("err = %v, want one naming %s", err, c.field)
			}
		})
	}
}

func TestImpliedHistory(t *testing.T) {
	p := &Pledge{ID: 3, Amount: Money{Minor: 500, Currency: "USD"}, AmountEUR: 460, FXRate: 1.087, Announced: Date{Y: 2024, M: 5, D: 2},
		Status: Delivered, Source: "Kiel"}
	for _, c := range []struct {
		deliveries bool
		delivered  int64
	}{{false, 460}, {true, 0}} {
		h := ImpliedHistory(p, c.deliveries)
		f := DeriveStages(h)
		t.Run(fmt.Sprintf("deliveries %v", c.deliveries), func(t *testing.T) {
			eq(t, "entries", len(h), 4)
			eq(t, "stage", f.Stage, Delivered)
			eq(t, "committed EUR", f.CommittedEUR, 460)
			eq(t, "allocated EUR", f.AllocatedEUR, 460)
			eq(t, "delivered EUR", f.DeliveredEUR, c.delivered)
			eq(t, "announced source", f.AnnouncedSource, "Kiel")
		})
	}
	p.Status = Cancelled
	if f := DeriveStages(ImpliedHistory(p, false)); f.Stage != Cancelled || f.CancelledEUR != 460 {
		t.Errorf("cancelled: %+v", f)
	}
}

func TestConvertStage(t *testing.T) {
	p := &Pledge{Announced: Date{Y: 2025, M: 3, D: 1}}
	find := func(cur string, m Month) (*FXRate, error) {
		return &FXRate{Currency: cur, Month: m, UnitsPerEUR: 2}, nil
	}
	e := StageEntry{Amount: Money{Minor: -1000, Currency: "usd"}}
	if err := ConvertStage(&e, p, find); err != nil {
		t.Fatal(err)
	}
	eq(t, "amount EUR", e.AmountEUR, -500)
	eq(t, "FX rate", e.FXRate, 2)
	eq(t, "FX month", e.FXMonth, p.Announced.Month())
	eq(t, "currency", e.Amount.Currency, "USD")
}
