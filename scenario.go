package coalition

import (
	"context"
	"encoding/json"
	"time"
)

// Scenario is a named, saved set of assumptions (withdrawals, burden key,
// caps, horizon) with the result they gave when it was saved. Spec and
// Result are JSON documents (see report.ScenarioSpec and report.ScenarioReport).
type Scenario struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Spec        json.RawMessage `json:"spec"`
	Result      json.RawMessage `json:"result"`
	CoalitionID *int64          `json:"coalition_id"`
	// Owner is the country whose delegates may read a confidential scenario
	// (set from the creating delegate's country when empty).
	Owner      string     `json:"owner,omitempty"`
	Visibility Visibility `json:"visibility"`
	CreatedBy  *int64     `json:"created_by"` // user id; null for an anonymous or system author
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
}

// MaxScenarioBytes caps the size of a scenario's spec and of its result.
const MaxScenarioBytes = 4 << 20

// Validate reports the first invalid field.
func (s *Scenario) Validate() error {
	switch {
	case s.Name == "":
		return FieldError("name", "is required")
	case len(s.Name) > 200:
		return FieldError("name", "is longer than 200 bytes")
	case CheckText("name", s.Name, 200) != nil:
		return CheckText("name", s.Name, 200)
	case len(s.Spec) == 0:
		return FieldError("spec", "is required")
	case !json.Valid(s.Spec):
		return FieldError("spec", "is not valid JSON")
	case len(s.Spec) > MaxScenarioBytes:
		return FieldError("spec", "is larger than %d bytes", MaxScenarioBytes)
	case len(s.Result) > 0 && !json.Valid(s.Result):
		return FieldError("result", "is not valid JSON")
	case len(s.Result) > MaxScenarioBytes:
		return FieldError("result", "is larger than %d bytes", MaxScenarioBytes)
	case s.Owner != "" && !ValidISO3(s.Owner):
		return FieldError("owner", "%q is not an ISO 3166-1 alpha-3 code", s.Owner)
	case !s.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", s.Visibility)
	case s.Visibility == CoalitionVis && s.CoalitionID == nil:
		return FieldError("coalition_id", "a coalition-visible scenario needs its coalition")
	}
	return nil
}

// ScenarioFilter selects saved scenarios. Zero fields match everything.
type ScenarioFilter struct {
	CoalitionID *int64
	After       int64 // keyset pagination: ids greater than this
	Limit       int   // at most this many; the store caps it at MaxPageSize
}

// ScenarioStore persists saved scenarios. Every method sees only what the
// user in ctx may see (CanSee with the scenario's owner and coalition).
type ScenarioStore interface {
	// CreateScenario sets ID, Version, CreatedAt and CreatedBy (the user in
	// ctx), and Owner from a delegate's country when empty; Invalid if
	// !Validate; Invalid if the coalition does not exist.
	CreateScenario(ctx context.Context, s *Scenario) error
	// FindScenario returns NotFound if id is unknown or hidden from the user.
	FindScenario(ctx context.Context, id int64) (*Scenario, error)
	// FindScenarios returns one page, ordered by id, and whether more follow.
	FindScenarios(ctx context.Context, f ScenarioFilter) (page []*Scenario, more bool, err error)
	// DeleteScenario returns NotFound if hidden, Conflict on a stale version.
	DeleteScenario(ctx context.Context, id int64, version int64) error
}
