package coalition

import (
	"context"
	"time"
)

// RiskEvent is a political event that may cut a country's support: with
// probability Probability, from Date on, support is multiplied by Factor.
type RiskEvent struct {
	ID          int64     `json:"id"`
	ISO3        string    `json:"iso3"`
	Date        Date      `json:"date"`
	Kind        string    `json:"kind"` // election, budget-vote, coalition-collapse, ...
	Label       string    `json:"label"`
	Probability float64   `json:"probability"` // of the adverse outcome; a user assumption
	Factor      float64   `json:"factor"`      // multiplier on support if it happens
	Source      string    `json:"source"`      // of the date
	Assumption  string    `json:"assumption"`  // who set probability and factor, and why
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
}

// RiskEventKinds lists the known kinds.
var RiskEventKinds = []string{"election", "budget-vote", "coalition-collapse", "government-change", "other"}

func (r *RiskEvent) Validate() error {
	kindOK := false
	for _, k := range RiskEventKinds {
		kindOK = kindOK || k == r.Kind
	}
	switch {
	case !ValidISO3(r.ISO3):
		return FieldError("iso3", "%q is not an ISO 3166-1 alpha-3 code", r.ISO3)
	case r.Date.IsZero():
		return FieldError("date", "is required")
	case !kindOK:
		return FieldError("kind", "%q is not one of election, budget-vote, coalition-collapse, government-change, other", r.Kind)
	case !(r.Probability >= 0 && r.Probability <= 1):
		return FieldError("probability", "must be between 0 and 1")
	case !(r.Factor >= 0):
		return FieldError("factor", "must not be negative")
	case r.Source == "":
		return FieldError("source", "every date needs a source")
	}
	return firstError(
		CheckDate("date", r.Date),
		CheckText("label", r.Label, MaxNameBytes),
		CheckText("source", r.Source, MaxSourceBytes),
		CheckText("assumption", r.Assumption, MaxTextBytes),
	)
}

// RiskEventUpdate edits a risk event's assumptions.
type RiskEventUpdate struct {
	Version     int64    `json:"version"`
	Probability *float64 `json:"probability"`
	Factor      *float64 `json:"factor"`
	Label       *string  `json:"label"`
	Assumption  *string  `json:"assumption"`
}

// RiskEventFilter selects risk events.
type RiskEventFilter struct {
	ISO3     string
	From, To Date
}

// RiskEventStore persists risk events.
type RiskEventStore interface {
	FindRiskEvents(ctx context.Context, f RiskEventFilter) ([]*RiskEvent, error)
	// FindRiskEvent returns a NotFound error if id is unknown.
	FindRiskEvent(ctx context.Context, id int64) (*RiskEvent, error)
	CreateRiskEvent(ctx context.Context, r *RiskEvent) error
	UpdateRiskEvent(ctx context.Context, id int64, upd RiskEventUpdate) (*RiskEvent, error)
	// DeleteRiskEvent deletes a risk event at the given version: Conflict (a
	// *StaleError with the event as it is) if version is not current.
	DeleteRiskEvent(ctx context.Context, id int64, version int64) error
}
