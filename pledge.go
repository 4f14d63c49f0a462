package coalition

import (
	"context"
	"strings"
	"time"
)

// PledgeStatus is a step of the pledge lifecycle.
type PledgeStatus string

const (
	Announced PledgeStatus = "announced"
	Committed PledgeStatus = "committed"
	Allocated PledgeStatus = "allocated"
	Delivered PledgeStatus = "delivered"
	Cancelled PledgeStatus = "cancelled"
)

// PledgeStatuses lists the lifecycle in order.
var PledgeStatuses = []PledgeStatus{Announced, Committed, Allocated, Delivered, Cancelled}

func (s PledgeStatus) Valid() bool {
	for _, v := range PledgeStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Pledge is a donor's promise or allocation of support.
type Pledge struct {
	ID          int64        `json:"id"`
	Donor       string       `json:"donor"`              // ISO3 (EUI for the EU institutions)
	Recipient   string       `json:"recipient"`          // ISO3
	CoalitionID *int64       `json:"coalition_id"`       // optional
	Category    string       `json:"category"`           // a code of Categories
	Amount      Money        `json:"amount"`             // as announced, in its own currency
	AmountEUR   int64        `json:"amount_eur_minor"`   // euro cents at FXRate
	FXRate      float64      `json:"fx_rate"`            // units of Amount.Currency per EUR; 1 for EUR
	FXMonth     Month        `json:"fx_month"`           // month of the rate used
	Quantity    *int64       `json:"quantity,omitempty"` // units, for in-kind items
	Unit        string       `json:"unit,omitempty"`     // e.g. "howitzer"
	Announced   Date         `json:"announced"`          // when it was announced
	DeliverFrom Month        `json:"deliver_from"`       // delivery window start
	DeliverTo   Month        `json:"deliver_to"`         // delivery window end (inclusive)
	Status      PledgeStatus `json:"status"`
	Conditions  string       `json:"conditions,omitempty"` // e.g. "only if the US takes part"
	Visibility  Visibility   `json:"visibility"`
	Source      string       `json:"source"`               // URL or document
	SourceRef   string       `json:"source_ref,omitempty"` // natural key within the source, for idempotent imports
	AsOf        Date         `json:"as_of"`                // the date the source's data is current to
	Provenance  string       `json:"provenance,omitempty"` // JSON: file, sha256, row, imported_at, user (set by importers)
	Version     int64        `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`

	// Dataset and Release name the published dataset release the pledge
	// was loaded from (see Release); empty for pledges entered by people,
	// which no release touches. Set only by loads and imports.
	Dataset string `json:"dataset,omitempty"`
	Release string `json:"release,omitempty"`
}

// EUR returns the euro amount as a float, for analysis.
func (p *Pledge) EUR() float64 { return float64(p.AmountEUR) / 100 }

// Validate reports the first invalid field.
func (p *Pledge) Validate() error {
	switch {
	case !ValidISO3(p.Donor):
		return FieldError("donor", "%q is not an ISO 3166-1 alpha-3 code", p.Donor)
	case !ValidISO3(p.Recipient):
		return FieldError("recipient", "%q is not an ISO 3166-1 alpha-3 code", p.Recipient)
	case p.Donor == p.Recipient:
		return FieldError("recipient", "a donor cannot pledge to itself")
	}
	if _, ok := CategoryByCode(p.Category); !ok {
		return FieldError("category", "%q is not a category (see /api/v1/categories)", p.Category)
	}
	switch {
	case !ValidCurrency(p.Amount.Currency):
		return FieldError("amount.currency", "%q is not an ISO 4217 code", p.Amount.Currency)
	case p.Amount.Minor < 0:
		return FieldError("amount.minor", "must not be negative")
	case p.AmountEUR < 0:
		return FieldError("amount_eur_minor", "must not be negative")
	case p.Amount.Currency != "EUR" && p.AmountEUR > 0 && p.FXRate <= 0:
		return FieldError("fx_rate", "a non-euro amount needs the rate it was converted at")
	case p.Quantity != nil && *p.Quantity < 0:
		return FieldError("quantity", "must not be negative")
	case p.Announced.IsZero():
		return FieldError("announced", "is required")
	case p.DeliverFrom != 0 && p.DeliverTo != 0 && p.DeliverTo < p.DeliverFrom:
		return FieldError("deliver_to", "is before deliver_from")
	case !p.Status.Valid():
		return FieldError("status", "%q is not one of announced, committed, allocated, delivered, cancelled", p.Status)
	case !p.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", p.Visibility)
	case p.Visibility == CoalitionVis && p.CoalitionID == nil:
		return FieldError("coalition_id", "a coalition-visible pledge needs its coalition")
	case p.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	return p.checkLimits()
}

// checkLimits checks the fields against the domain of valid values (limits.go).
func (p *Pledge) checkLimits() error {
	var qty error
	if p.Quantity != nil {
		qty = CheckAmount("quantity", *p.Quantity)
	}
	return firstError(
		CheckAmount("amount.minor", p.Amount.Minor),
		CheckAmount("amount_eur_minor", p.AmountEUR),
		qty,
		CheckDate("announced", p.Announced),
		CheckMonth("deliver_from", p.DeliverFrom),
		CheckMonth("deliver_to", p.DeliverTo),
		CheckMonth("fx_month", p.FXMonth),
		CheckDate("as_of", p.AsOf),
		CheckText("unit", p.Unit, MaxNameBytes),
		CheckText("conditions", p.Conditions, MaxTextBytes),
		CheckText("source", p.Source, MaxSourceBytes),
		CheckText("source_ref", p.SourceRef, MaxSourceBytes),
		CheckText("provenance", p.Provenance, MaxTextBytes),
	)
}

// Window returns the delivery window, defaulting to the announcement month,
// within [MinMonth, MaxMonth] (ClampMonth: a pledge stored before the
// limits never stretches an analysis over thousands of years).
func (p *Pledge) Window() (from, to Month) {
	from, to = p.DeliverFrom, p.DeliverTo
	if from == 0 {
		from = p.Announced.Month()
	}
	if to == 0 || to < from {
		to = from
	}
	return ClampMonth(from), ClampMonth(to)
}

// PledgeFilter selects pledges. Zero fields match everything.
type PledgeFilter struct {
	Donor       string
	Recipient   string
	Category    string
	Type        SupportType
	Status      PledgeStatus
	CoalitionID *int64
	From, To    Date   // announced within [From, To]
	SourceRef   string // exact natural key
	People      bool   // only pledges entered by people (of no published dataset)
	After       int64  // keyset pagination: ids greater than this
	Limit       int    // at most this many; the store caps it at MaxPageSize
}

// MaxPageSize is the hard cap on any page of a list.
const MaxPageSize = 1000

// PledgeUpdate changes a pledge; nil fields stay as they are.
type PledgeUpdate struct {
	Version     int64         `json:"version"` // the version the caller read
	Category    *string       `json:"category"`
	Amount      *Money        `json:"amount"`
	AmountEUR   *int64        `json:"amount_eur_minor"`
	FXRate      *float64      `json:"fx_rate"`
	Quantity    *int64        `json:"quantity"`
	Announced   *Date         `json:"announced"`
	DeliverFrom *Month        `json:"deliver_from"`
	DeliverTo   *Month        `json:"deliver_to"`
	Status      *PledgeStatus `json:"status"`
	Conditions  *string       `json:"conditions"`
	Visibility  *Visibility   `json:"visibility"`
	Source      *string       `json:"source"`
	// Correction says why a status moves back to an earlier stage (the
	// store records the move in the stage history with it); required then.
	Correction *string `json:"correction"`
}

// Apply copies the set fields of u onto p.
func (u PledgeUpdate) Apply(p *Pledge) {
	if u.Category != nil {
		p.Category = *u.Category
	}
	if u.Amount != nil {
		p.Amount = *u.Amount
	}
	if u.AmountEUR != nil {
		p.AmountEUR = *u.AmountEUR
	}
	if u.FXRate != nil {
		p.FXRate = *u.FXRate
	}
	if u.Quantity != nil {
		p.Quantity = u.Quantity
	}
	if u.Announced != nil {
		p.Announced = *u.Announced
	}
	if u.DeliverFrom != nil {
		p.DeliverFrom = *u.DeliverFrom
	}
	if u.DeliverTo != nil {
		p.DeliverTo = *u.DeliverTo
	}
	if u.Status != nil {
		p.Status = *u.Status
	}
	if u.Conditions != nil {
		p.Conditions = *u.Conditions
	}
	if u.Visibility != nil {
		p.Visibility = *u.Visibility
	}
	if u.Source != nil {
		p.Source = *u.Source
	}
}

// PledgeStore persists pledges. Every method sees only what the user in ctx may see.
type PledgeStore interface {
	// FindPledge returns NotFound if id is unknown or hidden from the user.
	FindPledge(ctx context.Context, id int64) (*Pledge, error)
	// FindPledges returns one page, ordered by id, and whether more follow.
	FindPledges(ctx context.Context, f PledgeFilter) (page []*Pledge, more bool, err error)
	// CreatePledge sets ID, Version, CreatedAt; Invalid if !Validate;
	// Conflict if (Source, SourceRef) is taken.
	CreatePledge(ctx context.Context, p *Pledge) error
	// UpdatePledge returns Conflict (with the current pledge) on a stale version.
	UpdatePledge(ctx context.Context, id int64, upd PledgeUpdate) (*Pledge, error)
	// DeletePledge returns Conflict on a stale version.
	DeletePledge(ctx context.Context, id int64, version int64) error
}

// StaleError is a Conflict that carries the current record.
type StaleError struct {
	Err     *Error
	Current any
}

func (e *StaleError) Error() string { return e.Err.Error() }
func (e *StaleError) Unwrap() error { return e.Err }

// DefaultRecipient is the recipient of a pledge that names none.
const DefaultRecipient = "UKR"

// SetDefaults fills what a person entering a pledge may leave out, the same
// way on every path (the API, accepted proposals): codes in upper case, the
// recipient DefaultRecipient, the status announced, the visibility public,
// and the as-of date the announcement's (the date its source is current
// to), unless given.
func (p *Pledge) SetDefaults() {
	p.Donor, p.Recipient = strings.ToUpper(p.Donor), strings.ToUpper(p.Recipient)
	p.Amount.Currency = strings.ToUpper(p.Amount.Currency)
	if p.Recipient == "" {
		p.Recipient = DefaultRecipient
	}
	if p.Status == "" {
		p.Status = Announced
	}
	if p.Visibility == "" {
		p.Visibility = Public
	}
	if p.AsOf.IsZero() {
		p.AsOf = p.Announced
	}
}
