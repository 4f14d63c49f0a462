package coalition

import (
	"context"
	"time"
)

// Delivery records support actually delivered against a pledge.
type Delivery struct {
	ID        int64     `json:"id"`
	PledgeID  int64     `json:"pledge_id"`
	Date      Date      `json:"date"`
	AmountEUR int64     `json:"amount_eur_minor"` // euro cents
	Quantity  *int64    `json:"quantity,omitempty"`
	Source    string    `json:"source"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
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
	)
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
	DeleteDelivery(ctx context.Context, id int64, version int64) error
}
