package coalition

import (
	"context"
	"time"
)

// Requirement is what the recipient needs in a category over a period.
type Requirement struct {
	ID          int64      `json:"id"`
	CoalitionID *int64     `json:"coalition_id"`
	Recipient   string     `json:"recipient"`
	Category    string     `json:"category"`
	AmountEUR   int64      `json:"amount_eur_minor"` // per month, euro cents
	Quantity    *int64     `json:"quantity,omitempty"`
	UnitValue   int64      `json:"unit_value_eur_minor,omitempty"`
	From        Month      `json:"from"`
	To          Month      `json:"to"`       // inclusive
	Priority    int        `json:"priority"` // 1 highest
	Visibility  Visibility `json:"visibility"`
	Source      string     `json:"source"`
	// Capability is what is needed (e.g. "155 mm artillery shells",
	// "external budget financing"; see KnownCapabilityTerm), Unit its unit where the need is
	// physical, AsOf the date of the figure (YYYY-MM-DD) and Note what it
	// covers. All optional.
	Capability string    `json:"capability,omitempty"`
	Unit       string    `json:"unit,omitempty"`
	AsOf       string    `json:"as_of,omitempty"`
	Note       string    `json:"note,omitempty"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
}

func (r *Requirement) Validate() error {
	if !ValidISO3(r.Recipient) {
		return FieldError("recipient", "%q is not an ISO 3166-1 alpha-3 code", r.Recipient)
	}
	if _, ok := CategoryByCode(r.Category); !ok {
		return FieldError("category", "%q is not a category", r.Category)
	}
	switch {
	case r.AmountEUR < 0:
		return FieldError("amount_eur_minor", "must not be negative")
	case r.Quantity != nil && *r.Quantity < 0:
		return FieldError("quantity", "must not be negative (%d)", *r.Quantity)
	case r.Quantity != nil && r.UnitValue <= 0:
		return FieldError("quantity", "a quantity needs a positive unit value (unit_value_eur_minor)")
	case r.From == 0:
		return FieldError("from", "is required")
	case r.To < r.From:
		return FieldError("to", "is before from")
	case r.Priority < 0:
		return FieldError("priority", "must not be negative")
	case !r.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", r.Visibility)
	case r.Visibility == CoalitionVis && r.CoalitionID == nil:
		return FieldError("coalition_id", "a coalition-visible requirement needs its coalition")
	case r.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	if r.AsOf != "" {
		if _, err := ParseDate(r.AsOf); err != nil {
			return FieldError("as_of", "%q is not a date (YYYY-MM-DD)", r.AsOf)
		}
	}
	var qty error
	if r.Quantity != nil {
		qty = CheckAmount("quantity", *r.Quantity)
	}
	return firstError(
		CheckAmount("amount_eur_minor", r.AmountEUR),
		qty,
		CheckAmount("unit_value_eur_minor", r.UnitValue),
		CheckMonth("from", r.From),
		CheckMonth("to", r.To),
		CheckText("source", r.Source, MaxSourceBytes),
		CheckText("capability", r.Capability, MaxNameBytes),
		CheckText("unit", r.Unit, MaxNameBytes),
		CheckText("note", r.Note, MaxTextBytes),
	)
}

// MonthlyEUR returns the requirement per month in euros (amount, or quantity × unit value spread over the period).
func (r *Requirement) MonthlyEUR() float64 {
	if r.Quantity != nil {
		n := float64(r.To-r.From) + 1
		return float64(*r.Quantity) * float64(r.UnitValue) / 100 / n
	}
	return float64(r.AmountEUR) / 100
}

// RequirementFilter selects requirements.
type RequirementFilter struct {
	CoalitionID *int64
	Category    string
	After       int64
	Limit       int
}

// RequirementUpdate edits a requirement: the set fields replace the
// requirement's, Version is the version the caller read.
type RequirementUpdate struct {
	Version    int64       `json:"version"`
	Category   *string     `json:"category"`
	AmountEUR  *int64      `json:"amount_eur_minor"`
	Quantity   *int64      `json:"quantity"`
	UnitValue  *int64      `json:"unit_value_eur_minor"`
	From       *Month      `json:"from"`
	To         *Month      `json:"to"`
	Priority   *int        `json:"priority"`
	Visibility *Visibility `json:"visibility"`
	Source     *string     `json:"source"`
	Capability *string     `json:"capability"`
	Unit       *string     `json:"unit"`
	AsOf       *string     `json:"as_of"`
	Note       *string     `json:"note"`
}

// Apply copies the set fields of u onto r; the caller validates r after.
func (u RequirementUpdate) Apply(r *Requirement) {
	set(&r.Category, u.Category)
	set(&r.AmountEUR, u.AmountEUR)
	if u.Quantity != nil {
		r.Quantity = u.Quantity
	}
	set(&r.UnitValue, u.UnitValue)
	set(&r.From, u.From)
	set(&r.To, u.To)
	set(&r.Priority, u.Priority)
	set(&r.Visibility, u.Visibility)
	set(&r.Source, u.Source)
	set(&r.Capability, u.Capability)
	set(&r.Unit, u.Unit)
	set(&r.AsOf, u.AsOf)
	set(&r.Note, u.Note)
}

// set copies *v to *dst when v is set (an update's optional field).
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// RequirementStore persists requirements.
type RequirementStore interface {
	FindRequirement(ctx context.Context, id int64) (*Requirement, error)
	FindRequirements(ctx context.Context, f RequirementFilter) ([]*Requirement, bool, error)
	CreateRequirement(ctx context.Context, r *Requirement) error
	// UpdateRequirement applies upd: Conflict (a *StaleError with the
	// requirement as it is) if upd.Version is not current, Invalid if the
	// result does not validate.
	UpdateRequirement(ctx context.Context, id int64, upd RequirementUpdate) (*Requirement, error)
	DeleteRequirement(ctx context.Context, id int64, version int64) error
}
