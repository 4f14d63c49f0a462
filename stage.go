package coalition

import (
	"context"
	"math"
	"sort"
	"time"
)

// A pledge's stage history (issue 16 §1): the dated steps by which it
// moved from announced to committed, allocated and delivered (or was
// cancelled), each with its own amount and source. Partial steps are
// normal (€1 bn committed, €600 m allocated, €250 m delivered); the figure
// of a stage is the sum of its entries (DeriveStages). The history is
// append-only: a figure goes down, or the pledge moves back to an earlier
// stage, only by a correction entry that says why.
//
// The delivered figure is the pledge's deliveries: every Delivery is a
// delivered entry of the history (PledgeHistory merges them), and the
// stage endpoint records no delivered amount of its own. The one
// exception keeps the house's older rule ("a pledge whose status is
// delivered and has no deliveries was delivered in full", report's flows):
// a pledge set to delivered by an edit, or recorded so before histories
// existed, has one unitemised delivered entry of its whole amount.

// StageEntry is one step of a pledge's history.
type StageEntry struct {
	ID        int64        `json:"id,omitempty"` // 0 for an implied entry and a delivery's
	PledgeID  int64        `json:"pledge_id"`
	Stage     PledgeStatus `json:"stage"`
	Date      Date         `json:"date"`
	Amount    Money        `json:"amount"`           // negative only in a correction
	AmountEUR int64        `json:"amount_eur_minor"` // derived (ConvertStage), never sent
	FXRate    float64      `json:"fx_rate"`
	FXMonth   Month        `json:"fx_month"`
	Source    string       `json:"source"`
	// RecordedBy is the account that recorded the entry ("system" for the
	// command line); empty for an implied entry.
	RecordedBy string `json:"recorded_by,omitempty"`
	// Correction says why a figure goes down or the pledge goes back to an
	// earlier stage; empty for an ordinary step. A delivery's entry carries
	// its over_delivery reason here.
	Correction string `json:"correction,omitempty"`
	// DeliveryID names the delivery a delivered entry is (0 otherwise).
	DeliveryID int64 `json:"delivery_id,omitempty"`
	// Implied marks an entry derived from the pledge's status, amount and
	// dates because the pledge has no stored history (pledges loaded or
	// imported in bulk, and those recorded before histories existed):
	// ImpliedHistory. It is stored, still marked implied, when a person
	// records the next step.
	Implied   bool      `json:"implied,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// stageOrder is the lifecycle order; cancelled ends it.
var stageOrder = map[PledgeStatus]int{Announced: 0, Committed: 1, Allocated: 2, Delivered: 3, Cancelled: 4}

// StageBefore reports whether a comes before b in the lifecycle.
func StageBefore(a, b PledgeStatus) bool { return stageOrder[a] < stageOrder[b] }

// Validate checks an entry as a person records it (RecordStage).
func (e *StageEntry) Validate() error {
	abs := e.Amount.Minor
	if abs < 0 {
		abs = -abs
	}
	switch {
	case e.PledgeID <= 0:
		return FieldError("pledge_id", "is required")
	case !e.Stage.Valid():
		return FieldError("stage", "%q is not one of announced, committed, allocated, delivered, cancelled", e.Stage)
	case e.Date.IsZero():
		return FieldError("date", "is required")
	case !ValidCurrency(e.Amount.Currency):
		return FieldError("amount.currency", "%q is not an ISO 4217 code", e.Amount.Currency)
	case e.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	return firstError(
		CheckAmount("amount.minor", abs),
		CheckDate("date", e.Date),
		CheckText("source", e.Source, MaxSourceBytes),
		CheckText("correction", e.Correction, MaxTextBytes),
	)
}

// ConvertStage sets e's euro amount by the one conversion rule
// (ConvertPledge) at the rate of the pledge's announcement month, so that
// the figures of all stages of a pledge are in the same euros and compare:
// €1 bn committed in dollars is not "more" when allocated because the
// dollar rose. A negative amount converts as its absolute value.
func ConvertStage(e *StageEntry, p *Pledge, find RateFinder) error {
	sign := int64(1)
	amt := e.Amount
	if amt.Minor < 0 {
		sign, amt.Minor = -1, -amt.Minor
	}
	tmp := Pledge{Amount: amt}
	if err := ConvertPledge(&tmp, p.Announced, find); err != nil {
		return err
	}
	e.Amount.Currency = tmp.Amount.Currency
	e.AmountEUR, e.FXRate, e.FXMonth = sign*tmp.AmountEUR, tmp.FXRate, tmp.FXMonth
	return nil
}

// StageFigures are a pledge's current figures, derived from its history.
type StageFigures struct {
	Stage PledgeStatus `json:"stage"` // the current stage (DeriveStages)
	// The euro cents of each stage: the sum of its entries.
	AnnouncedEUR int64 `json:"announced_eur_minor"`
	CommittedEUR int64 `json:"committed_eur_minor"`
	AllocatedEUR int64 `json:"allocated_eur_minor"`
	DeliveredEUR int64 `json:"delivered_eur_minor"`
	CancelledEUR int64 `json:"cancelled_eur_minor"`
	// AnnouncedSource is the source of the first announcement: no later
	// stage replaces it.
	AnnouncedSource string `json:"announced_source"`
	AnnouncedOn     Date   `json:"announced_on"`
}

// Figure returns the euro cents of stage s.
func (f *StageFigures) Figure(s PledgeStatus) int64 {
	switch s {
	case Announced:
		return f.AnnouncedEUR
	case Committed:
		return f.CommittedEUR
	case Allocated:
		return f.AllocatedEUR
	case Delivered:
		return f.DeliveredEUR
	case Cancelled:
		return f.CancelledEUR
	}
	return 0
}

func (f *StageFigures) add(s PledgeStatus, v int64) {
	switch s {
	case Announced:
		f.AnnouncedEUR = AddMinor(f.AnnouncedEUR, v)
	case Committed:
		f.CommittedEUR = AddMinor(f.CommittedEUR, v)
	case Allocated:
		f.AllocatedEUR = AddMinor(f.AllocatedEUR, v)
	case Delivered:
		f.DeliveredEUR = AddMinor(f.DeliveredEUR, v)
	case Cancelled:
		f.CancelledEUR = AddMinor(f.CancelledEUR, v)
	}
}

// DeriveStages is the one rule that turns a history (in the order of
// PledgeHistory) into figures. Each stage's figure is the sum of its
// entries, deliveries included. The current stage is what people recorded:
// a stage is reached when its recorded steps (entries that are not
// deliveries) add up to more than zero, or end with a step that is not a
// correction (a step without an amount: an in-kind pledge, or "delivery
// complete"). Deliveries alone do not make a pledge delivered: €250 m
// delivered of €600 m allocated is an allocated pledge, part delivered.
// The current stage is cancelled when that is reached, else the furthest
// stage reached, else announced.
func DeriveStages(h []StageEntry) StageFigures {
	var f StageFigures
	steps := map[PledgeStatus]int64{}
	last := map[PledgeStatus]StageEntry{}
	for _, e := range h {
		f.add(e.Stage, e.AmountEUR)
		if e.DeliveryID == 0 {
			steps[e.Stage] = AddMinor(steps[e.Stage], e.AmountEUR)
			// The last step is the last recorded, whatever its date (a
			// correction dated back still ends what it corrects): the
			// highest ID, where ID 0 (not stored yet: the step being
			// checked, or an implied history) is newest, in slice order.
			if l, ok := last[e.Stage]; !ok || recordOrder(e) >= recordOrder(l) {
				last[e.Stage] = e
			}
		}
		if e.Stage == Announced && f.AnnouncedSource == "" && e.Correction == "" {
			f.AnnouncedSource, f.AnnouncedOn = e.Source, e.Date
		}
	}
	reached := func(s PledgeStatus) bool {
		e, ok := last[s]
		return ok && (steps[s] > 0 || e.Correction == "")
	}
	f.Stage = Announced
	if reached(Cancelled) {
		f.Stage = Cancelled
		return f
	}
	for _, s := range []PledgeStatus{Committed, Allocated, Delivered} {
		if reached(s) {
			f.Stage = s
		}
	}
	return f
}

// recordOrder ranks entries by when they were recorded (DeriveStages).
func recordOrder(e StageEntry) int64 {
	if e.ID == 0 {
		return math.MaxInt64
	}
	return e.ID
}

// DeliveryEntry is the delivered entry a delivery is in its pledge's
// history.
func DeliveryEntry(d *Delivery) StageEntry {
	return StageEntry{PledgeID: d.PledgeID, Stage: Delivered, Date: d.Date, Amount: Money{Minor: d.AmountEUR, Currency: "EUR"},
		AmountEUR: d.AmountEUR, FXRate: 1, FXMonth: d.Date.Month(), Source: d.Source, Correction: d.OverDelivery,
		DeliveryID: d.ID, CreatedAt: d.CreatedAt}
}

// PledgeHistory is a pledge's whole history: its stored entries (or,
// without any, ImpliedHistory) and its deliveries, in date order (stored
// entries in the order recorded, before deliveries of the same day).
func PledgeHistory(p *Pledge, stored []StageEntry, deliveries []*Delivery) []StageEntry {
	h := append([]StageEntry(nil), stored...)
	if len(h) == 0 {
		h = ImpliedHistory(p, len(deliveries) > 0)
	}
	for _, d := range deliveries {
		h = append(h, DeliveryEntry(d))
	}
	sort.SliceStable(h, func(i, j int) bool {
		if h[i].Date != h[j].Date {
			return h[i].Date.Before(h[j].Date)
		}
		return h[i].DeliveryID == 0 && h[j].DeliveryID != 0
	})
	return h
}

// ImpliedHistory is the history of a pledge that has none stored, derived
// from what the pledge record says: an announcement of its amount, on its
// announcement date, from its source; then one entry of the whole amount
// for every stage up to its status, dated the announcement date too (the
// record knows no other date). A delivered pledge without deliveries gets
// an unitemised delivered entry of its whole amount; one with deliveries
// (hasDeliveries) a delivered entry without amount, since the deliveries
// are the figure. A cancelled pledge: announced, then cancelled in full.
func ImpliedHistory(p *Pledge, hasDeliveries bool) []StageEntry {
	entry := func(s PledgeStatus) StageEntry {
		return StageEntry{PledgeID: p.ID, Stage: s, Date: p.Announced, Amount: p.Amount, AmountEUR: p.AmountEUR,
			FXRate: p.FXRate, FXMonth: p.FXMonth, Source: p.Source, Implied: true, CreatedAt: p.CreatedAt}
	}
	h := []StageEntry{entry(Announced)}
	if p.Status == Cancelled {
		return append(h, entry(Cancelled))
	}
	for _, s := range []PledgeStatus{Committed, Allocated, Delivered} {
		if StageBefore(p.Status, s) {
			break
		}
		e := entry(s)
		if s == Delivered && hasDeliveries {
			e.Amount.Minor, e.AmountEUR = 0, 0
		}
		h = append(h, e)
	}
	return h
}

// CheckStage is the rule a new entry e obeys against the pledge's history
// h (PledgeHistory) as a person records it. The announced figure is the
// pledge's amount, changed only by editing it (EditEntries). A delivered entry carries no
// amount and needs deliveries: the deliveries are the delivered figure
// (record them with POST /api/v1/deliveries), the entry only says the
// delivery is complete. An entry that moves the pledge back to an earlier
// stage (un-cancelling included), or lowers a figure, needs a correction
// saying why; no figure goes below zero.
func CheckStage(h []StageEntry, e *StageEntry) error {
	before := DeriveStages(h)
	if e.Amount.Minor < 0 && e.Correction == "" {
		return FieldError("correction", "a negative amount lowers the %s figure: say why (correction)", e.Stage)
	}
	if e.Stage == Announced {
		return FieldError("stage", "the announced figure is the pledge's amount: change it with PATCH /api/v1/pledges/%d, which records the change in this history", e.PledgeID)
	}
	if e.Stage == Delivered && e.Amount.Minor != 0 {
		return FieldError("stage", "the delivered figure is the pledge's deliveries: record them with POST /api/v1/deliveries (a delivered entry without an amount marks the delivery complete)")
	}
	if e.Stage == Delivered && before.DeliveredEUR <= 0 && e.Correction == "" {
		return FieldError("stage", "pledge %d has no deliveries: record them with POST /api/v1/deliveries before marking it delivered", e.PledgeID)
	}
	after := DeriveStages(append(append([]StageEntry(nil), h...), *e))
	if e.Correction == "" && StageBefore(after.Stage, before.Stage) {
		return FieldError("correction", "this entry moves pledge %d back from %s to %s: say why (correction)", e.PledgeID, before.Stage, after.Stage)
	}
	if v := after.Figure(e.Stage); v < 0 {
		return FieldError("amount.minor", "the %s figure would be %s: a figure is never below zero", e.Stage, FormatEUR(float64(v)/100, 2))
	}
	return nil
}

// DeliveryBound is what a pledge's deliveries may add up to without an
// over-delivery reason: its allocated figure once anything is allocated,
// else its committed figure once anything is committed, else its euro
// amount. Deliveries run against allocations: what was not yet allocated
// cannot have been delivered, unless the record says why.
func DeliveryBound(p *Pledge, f StageFigures) int64 {
	switch {
	case f.AllocatedEUR > 0:
		return f.AllocatedEUR
	case f.CommittedEUR > 0:
		return f.CommittedEUR
	}
	return p.AmountEUR
}

// CheckPledgeAmount refuses to lower a pledge's euro amount below what its
// history has delivered: the deliveries would exceed the pledge silently.
// Correct the deliveries first, or give them an over-delivery reason.
func CheckPledgeAmount(p *Pledge, f StageFigures) error {
	if p.AmountEUR > 0 && f.DeliveredEUR > p.AmountEUR {
		return FieldError("amount", "%s is less than the %s already delivered against pledge %d: correct the deliveries first",
			FormatEUR(float64(p.AmountEUR)/100, 2), FormatEUR(float64(f.DeliveredEUR)/100, 2), p.ID)
	}
	return nil
}

// StageStore persists the stage history of pledges. A history is visible
// to whoever may see its pledge.
type StageStore interface {
	// PledgeHistory returns pledge id's history (PledgeHistory) and its
	// figures; NotFound if the pledge is unknown or hidden.
	PledgeHistory(ctx context.Context, id int64) ([]StageEntry, StageFigures, error)
	// RecordStage appends e (its PledgeID names the pledge) under
	// CheckStage, sets its euro amount (ConvertStage), RecordedBy and ID,
	// and moves the pledge's status to the derived stage; who may change
	// the pledge may record its stages. It returns the pledge as it now is.
	RecordStage(ctx context.Context, e *StageEntry) (*Pledge, error)
}
