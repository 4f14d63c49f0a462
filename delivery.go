package coalition

import (
	"context"
	"time"
)

// Delivery records support actually delivered against a pledge.
type Delivery struct {
	ID        int64  `json:"id"`
	PledgeID  int64  `json:"pledge_id"`
	Date      Date   `json:"date"`
	AmountEUR int64  `json:"amount_eur_minor"` // euro cents
	Quantity  *int64 `json:"quantity,omitempty"`
	Source    string `json:"source"`
	// OverDelivery says why this delivery may take the pledge's deliveries
	// above what was allocated (CheckDelivery); empty for most.
	OverDelivery string    `json:"over_delivery,omitempty"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
}

func (d *Delivery) Validate() error {
	switch {
	case d.PledgeID <= 0:
		return FieldError("pledge_id", "is required")
	case d.Date.IsZero():
		return FieldError("date", "is required")
	case d.AmountEUR < 0:
		return FieldError("amount_eur_minor", "must not be negative")
	case d.Quantity != nil && *d.Quantity < 0:
		return FieldError("quantity", "must not be negative")
	case d.AmountEUR == 0 && d.Quantity == nil:
		return FieldError("amount_eur_minor", "a delivery needs an amount or a quantity")
	case d.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	var qty error
	if d.Quantity != nil {
		qty = CheckAmount("quantity", *d.Quantity)
	}
	return firstError(
		CheckDate("date", d.Date),
		CheckAmount("amount_eur_minor", d.AmountEUR),
		qty,
		CheckText("source", d.Source, MaxSourceBytes),
		CheckText("over_delivery", d.OverDelivery, MaxTextBytes),
	)
}

// CheckDelivery is the rule every delivery write applies (the API, the CLI
// and the imports): d may not be dated after today, and the pledge's
// delivered figure without d (others: DeriveStages of its history less d)
// plus d may not exceed DeliveryBound (what was allocated, else committed,
// else the pledge's euro amount) unless d.OverDelivery says why. A pledge
// without a euro bound (a quantity only) bounds no euro sum.
func CheckDelivery(p *Pledge, others StageFigures, d *Delivery, today Date) error {
	if d.Date.After(today) {
		return FieldError("date", "%s is in the future (today is %s): record a delivery once it happened", d.Date, today)
	}
	bound := DeliveryBound(p, others)
	if sum := AddMinor(others.DeliveredEUR, d.AmountEUR); bound > 0 && d.OverDelivery == "" && sum > bound {
		return FieldError("amount_eur_minor",
			"deliveries would total %s against %s %s of pledge %d: give over_delivery (why more was delivered than %s) to record it",
			FormatEUR(float64(sum)/100, 2), FormatEUR(float64(bound)/100, 2), boundName(others), p.ID, boundName(others))
	}
	return nil
}

// boundName names what DeliveryBound returned, for CheckDelivery's message.
func boundName(f StageFigures) string {
	switch {
	case f.AllocatedEUR > 0:
		return "allocated"
	case f.CommittedEUR > 0:
		return "committed"
	}
	return "pledged"
}

// DeliveryFilter selects deliveries. A delivery is visible when its pledge is.
type DeliveryFilter struct {
	PledgeID int64
	Donor    string
	After    int64
	Limit    int
}

// DeliveryStore persists deliveries.
type DeliveryStore interface {
	FindDelivery(ctx context.Context, id int64) (*Delivery, error)
	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, bool, error)
	// CreateDelivery returns NotFound if the pledge is unknown or hidden.
	CreateDelivery(ctx context.Context, d *Delivery) error
	// UpdateDelivery applies u at u.Version (Conflict if stale), under
	// CheckDelivery.
	UpdateDelivery(ctx context.Context, id int64, u DeliveryUpdate) (*Delivery, error)
	DeleteDelivery(ctx context.Context, id int64, version int64) error
}

// DeliveryUpdate is a partial edit of a delivery; nil fields stay. The
// pledge a delivery belongs to does not change: delete and record anew.
type DeliveryUpdate struct {
	Version      int64   `json:"-"`
	Date         *Date   `json:"date"`
	AmountEUR    *int64  `json:"amount_eur_minor"`
	Quantity     *int64  `json:"quantity"`
	Source       *string `json:"source"`
	OverDelivery *string `json:"over_delivery"`
}

// Apply sets d's fields from u.
func (u DeliveryUpdate) Apply(d *Delivery) {
	if u.Date != nil {
		d.Date = *u.Date
	}
	if u.AmountEUR != nil {
		d.AmountEUR = *u.AmountEUR
	}
	if u.Quantity != nil {
		d.Quantity = u.Quantity
	}
	if u.Source != nil {
		d.Source = *u.Source
	}
	if u.OverDelivery != nil {
		d.OverDelivery = *u.OverDelivery
	}
}
