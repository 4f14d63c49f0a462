package coalition

import (
	"context"
	"strings"
	"time"
)

// RiskEvent is a political event that may cut a country's support: with
// probability Probability, from Date on, support is multiplied by Factor.
//
// An event whose day is not known has a window Earliest..Latest (both set,
// Date inside it; the risk model draws its month in the window in every
// trial). DateUnknown says that the window is no sourced legal window but
// the calendar year the source gives: the output lists it as "date unknown".
type RiskEvent struct {
	ID          int64     `json:"id"`
	ISO3        string    `json:"iso3"`
	Date        Date      `json:"date"`
	Earliest    *Date     `json:"earliest,omitempty"`
	Latest      *Date     `json:"latest,omitempty"`
	DateUnknown bool      `json:"date_unknown,omitempty"`
	Kind        string    `json:"kind"` // election, budget-vote, coalition-collapse, ...
	Label       string    `json:"label"`
	Probability float64   `json:"probability"` // of the adverse outcome; a user assumption
	Factor      float64   `json:"factor"`      // multiplier on support if it happens
	Source      string    `json:"source"`      // of the date
	Assumption  string    `json:"assumption"`  // who set probability and factor, and why
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
}

// RiskEventKinds lists the known kinds (docs/risk-model.md).
var RiskEventKinds = []string{"election", "budget-vote", "budget-deadline", "coalition-collapse", "government-change",
	"court-ruling", "aid-ceiling", "snap-election", "other"}

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
		return FieldError("kind", "%q is not one of %s", r.Kind, strings.Join(RiskEventKinds, ", "))
	case !(r.Probability >= 0 && r.Probability <= 1):
		return FieldError("probability", "must be between 0 and 1")
	case !(r.Factor >= 0):
		return FieldError("factor", "must not be negative")
	case r.Source == "":
		return FieldError("source", "every date needs a source")
	}
	if err := r.validateWindow(); err != nil {
		return err
	}
	return firstError(
		CheckDate("date", r.Date),
		CheckText("label", r.Label, MaxNameBytes),
		CheckText("source", r.Source, MaxSourceBytes),
		CheckText("assumption", r.Assumption, MaxTextBytes),
	)
}

// validateWindow checks that a window has both ends, in order, around Date.
func (r *RiskEvent) validateWindow() error {
	switch {
	case (r.Earliest == nil) != (r.Latest == nil):
		return FieldError("latest", "a window needs both earliest and latest")
	case r.Earliest == nil && r.DateUnknown:
		return FieldError("date_unknown", "an event whose date is unknown needs a window (earliest, latest)")
	case r.Earliest == nil:
		return nil
	case r.Latest.Before(*r.Earliest):
		return FieldError("latest", "%s is before earliest %s", *r.Latest, *r.Earliest)
	case r.Date.Before(*r.Earliest) || r.Date.After(*r.Latest):
		return FieldError("date", "%s is outside the window %s..%s", r.Date, *r.Earliest, *r.Latest)
	}
	return firstError(CheckDate("earliest", *r.Earliest), CheckDate("latest", *r.Latest))
}

// RiskEventUpdate edits a risk event: any field, dates and window included.
// ClearWindow removes the window (the event then has its Date alone).
type RiskEventUpdate struct {
	Version     int64    `json:"version"`
	ISO3        *string  `json:"iso3"`
	Date        *Date    `json:"date"`
	Earliest    *Date    `json:"earliest"`
	Latest      *Date    `json:"latest"`
	DateUnknown *bool    `json:"date_unknown"`
	ClearWindow bool     `json:"clear_window"`
	Kind        *string  `json:"kind"`
	Probability *float64 `json:"probability"`
	Factor      *float64 `json:"factor"`
	Label       *string  `json:"label"`
	Source      *string  `json:"source"`
	Assumption  *string  `json:"assumption"`
}

// Apply sets the fields upd gives on r (the caller validates the result).
func (upd RiskEventUpdate) Apply(r *RiskEvent) {
	set(&r.ISO3, upd.ISO3)
	set(&r.Date, upd.Date)
	set(&r.Kind, upd.Kind)
	set(&r.Probability, upd.Probability)
	set(&r.Factor, upd.Factor)
	set(&r.Label, upd.Label)
	set(&r.Source, upd.Source)
	set(&r.Assumption, upd.Assumption)
	set(&r.DateUnknown, upd.DateUnknown)
	if upd.ClearWindow {
		r.Earliest, r.Latest, r.DateUnknown = nil, nil, false
	}
	if upd.Earliest != nil {
		d := *upd.Earliest
		r.Earliest = &d
	}
	if upd.Latest != nil {
		d := *upd.Latest
		r.Latest = &d
	}
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
