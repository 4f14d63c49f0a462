package coalition

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Force generation for a reassurance force (issue 18 §3): the coalition's
// statement of need, line by line, and the offers members make against the
// lines, many of them conditional and confidential.

// Force capabilities: the lines of a force requirement.
const (
	ForceLand       = "land"
	ForceAir        = "air"
	ForceMaritime   = "maritime"
	ForceTraining   = "training"
	ForceISR        = "isr"            // intelligence, surveillance, reconnaissance
	ForceAirlift    = "airlift"        // strategic and tactical airlift
	ForceAAR        = "air-refuelling" // air-to-air refuelling
	ForceCommand    = "command"        // headquarters, command and control
	ForceLogistics  = "logistics"
	ForceMonitoring = "monitoring" // ceasefire monitoring and verification
)

// ForceCapabilities lists every force capability, in the order pages show
// them.
var ForceCapabilities = []string{ForceLand, ForceAir, ForceMaritime, ForceTraining, ForceISR, ForceAirlift, ForceAAR,
	ForceCommand, ForceLogistics, ForceMonitoring}

// ValidForceCapability reports whether c is a force capability.
func ValidForceCapability(c string) bool { return slices.Contains(ForceCapabilities, c) }

// OfferConditions are the conditions an offer may carry, by code, with
// what each means. A condition that falls away (the scenario of
// FindForce's callers) makes every offer carrying it lapse.
var OfferConditions = map[string]string{
	"us-backstop":       "only with a US backstop",
	"ceasefire":         "only after a ceasefire",
	"parliament":        "subject to a parliamentary vote",
	"outside-ukraine":   "only from outside Ukraine (e.g. neighbouring NATO territory)",
	"national-decision": "subject to a national decision not yet taken",
}

// ConditionCodes lists the condition codes, sorted.
func ConditionCodes() []string {
	out := make([]string, 0, len(OfferConditions))
	for c := range OfferConditions {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// ValidCondition reports whether c is a condition code.
func ValidCondition(c string) bool { _, ok := OfferConditions[c]; return ok }

// ForceLine is one line of a coalition's force requirement: 4 mechanised
// battalions for land reassurance, 1 multinational headquarters. Quantity
// and Personnel are nil where the requirement does not state them (the
// public record gives no numbers); Unit is what one unit of Quantity is.
type ForceLine struct {
	ID          int64      `json:"id"`
	CoalitionID int64      `json:"coalition_id"`
	Capability  string     `json:"capability"` // a force capability
	UnitType    string     `json:"unit_type"`  // battalion, squadron, frigate, HQ
	Quantity    *int64     `json:"quantity"`   // units of UnitType needed; null: not stated
	Personnel   *int64     `json:"personnel"`  // people needed; null: not stated
	From        Month      `json:"from"`       // the period; zero: not stated
	To          Month      `json:"to"`
	Priority    int        `json:"priority"` // 1 highest; 0: not stated
	Visibility  Visibility `json:"visibility"`
	Source      string     `json:"source"`
	AsOf        string     `json:"as_of,omitempty"` // YYYY-MM-DD of the source
	Note        string     `json:"note,omitempty"`
	SourceRef   string     `json:"source_ref,omitempty"` // natural key of bundled lines
	Version     int64      `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// MaxForceUnits bounds a quantity of units or people on a line or offer:
// above any force ever generated, small enough that no sum overflows.
const MaxForceUnits int64 = 100_000_000

func checkUnits(field string, v *int64) error {
	if v != nil && (*v < 0 || *v > MaxForceUnits) {
		return FieldError(field, "must be between 0 and %d", MaxForceUnits)
	}
	return nil
}

func checkAsOf(s string) error {
	if s == "" {
		return nil
	}
	if _, err := ParseDate(s); err != nil {
		return FieldError("as_of", "%q is not a date (YYYY-MM-DD)", s)
	}
	return nil
}

// Validate reports the first invalid field.
func (l *ForceLine) Validate() error {
	switch {
	case l.CoalitionID <= 0:
		return FieldError("coalition_id", "is required")
	case !ValidForceCapability(l.Capability):
		return FieldError("capability", "%q is not a force capability (%s)", l.Capability, strings.Join(ForceCapabilities, ", "))
	case strings.TrimSpace(l.UnitType) == "":
		return FieldError("unit_type", "is required (e.g. battalion, squadron, frigate, headquarters)")
	case (l.From == 0) != (l.To == 0):
		return FieldError("to", "a period needs both from and to")
	case l.To < l.From:
		return FieldError("to", "is before from")
	case l.Priority < 0:
		return FieldError("priority", "must not be negative")
	case !l.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", l.Visibility)
	case strings.TrimSpace(l.Source) == "":
		return FieldError("source", "every line needs a source")
	}
	var from, to error
	if l.From != 0 {
		from, to = CheckMonth("from", l.From), CheckMonth("to", l.To)
	}
	return firstError(checkUnits("quantity", l.Quantity), checkUnits("personnel", l.Personnel), from, to, checkAsOf(l.AsOf),
		CheckText("unit_type", l.UnitType, MaxNameBytes),
		CheckText("source", l.Source, MaxSourceBytes),
		CheckText("source_ref", l.SourceRef, MaxSourceBytes),
		CheckText("note", l.Note, MaxTextBytes),
	)
}

// ForceLineUpdate edits a line: the set fields replace the line's, Version
// is the version the caller read. A quantity or personnel of -1 clears it
// (back to "not stated").
type ForceLineUpdate struct {
	Version    int64       `json:"version"`
	Capability *string     `json:"capability"`
	UnitType   *string     `json:"unit_type"`
	Quantity   *int64      `json:"quantity"`
	Personnel  *int64      `json:"personnel"`
	From       *Month      `json:"from"`
	To         *Month      `json:"to"`
	Priority   *int        `json:"priority"`
	Visibility *Visibility `json:"visibility"`
	Source     *string     `json:"source"`
	AsOf       *string     `json:"as_of"`
	Note       *string     `json:"note"`
}

// setUnits sets *dst from an update's v: nil leaves it, -1 clears it.
func setUnits(dst **int64, v *int64) {
	switch {
	case v == nil:
	case *v == -1:
		*dst = nil
	default:
		n := *v
		*dst = &n
	}
}

// Apply copies the set fields of u onto l; the caller validates l after.
func (u ForceLineUpdate) Apply(l *ForceLine) {
	set(&l.Capability, u.Capability)
	set(&l.UnitType, u.UnitType)
	setUnits(&l.Quantity, u.Quantity)
	setUnits(&l.Personnel, u.Personnel)
	set(&l.From, u.From)
	set(&l.To, u.To)
	set(&l.Priority, u.Priority)
	set(&l.Visibility, u.Visibility)
	set(&l.Source, u.Source)
	set(&l.AsOf, u.AsOf)
	set(&l.Note, u.Note)
}

// ForceOffer is a member's offer against a line: a unit, its quantity in
// the line's unit type and its personnel (nil where not stated),
// equipment, readiness and duration, and the conditions it is subject to.
// It is visible as pledges are (CanSee with Country as owner, in the
// line's coalition) and written as pledges are (CanWrite).
type ForceOffer struct {
	ID          int64      `json:"id"`
	LineID      int64      `json:"line_id"`
	CoalitionID int64      `json:"coalition_id"` // the line's; set by the store
	Country     string     `json:"country"`      // ISO3 of the offering member
	Unit        string     `json:"unit"`         // what is offered: "Mechanised infantry battlegroup"
	Quantity    *int64     `json:"quantity"`     // in the line's unit type; null: not stated
	Personnel   *int64     `json:"personnel"`
	Equipment   string     `json:"equipment,omitempty"`
	Readiness   string     `json:"readiness,omitempty"` // notice to move: "30 days"
	Duration    string     `json:"duration,omitempty"`  // "12 months, renewable"
	Conditions  []string   `json:"conditions"`          // codes of OfferConditions
	Lead        bool       `json:"lead"`                // the member leads the line (framework nation)
	Visibility  Visibility `json:"visibility"`
	Source      string     `json:"source"`
	AsOf        string     `json:"as_of,omitempty"`
	Note        string     `json:"note,omitempty"`
	SourceRef   string     `json:"source_ref,omitempty"`
	Version     int64      `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Validate reports the first invalid field.
func (o *ForceOffer) Validate() error {
	switch {
	case o.LineID <= 0:
		return FieldError("line_id", "is required")
	case !ValidISO3(o.Country):
		return FieldError("country", "%q is not an ISO 3166-1 alpha-3 code", o.Country)
	case strings.TrimSpace(o.Unit) == "":
		return FieldError("unit", "is required")
	case !o.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", o.Visibility)
	case strings.TrimSpace(o.Source) == "":
		return FieldError("source", "every offer needs a source")
	}
	for i, c := range o.Conditions {
		if !ValidCondition(c) {
			return FieldError(indexed("conditions", i, ""), "%q is not a condition (%s)", c, strings.Join(ConditionCodes(), ", "))
		}
		if slices.Index(o.Conditions, c) != i {
			return FieldError(indexed("conditions", i, ""), "%q is given twice", c)
		}
	}
	return firstError(checkUnits("quantity", o.Quantity), checkUnits("personnel", o.Personnel), checkAsOf(o.AsOf),
		CheckText("unit", o.Unit, MaxNameBytes),
		CheckText("equipment", o.Equipment, MaxTextBytes),
		CheckText("readiness", o.Readiness, MaxNameBytes),
		CheckText("duration", o.Duration, MaxNameBytes),
		CheckText("source", o.Source, MaxSourceBytes),
		CheckText("source_ref", o.SourceRef, MaxSourceBytes),
		CheckText("note", o.Note, MaxTextBytes),
	)
}

// Conditional reports whether the offer carries any condition.
func (o *ForceOffer) Conditional() bool { return len(o.Conditions) > 0 }

// ForceOfferUpdate edits an offer (its line and country stay: delete and
// create instead). A quantity or personnel of -1 clears it.
type ForceOfferUpdate struct {
	Version    int64       `json:"version"`
	Unit       *string     `json:"unit"`
	Quantity   *int64      `json:"quantity"`
	Personnel  *int64      `json:"personnel"`
	Equipment  *string     `json:"equipment"`
	Readiness  *string     `json:"readiness"`
	Duration   *string     `json:"duration"`
	Conditions *[]string   `json:"conditions"`
	Lead       *bool       `json:"lead"`
	Visibility *Visibility `json:"visibility"`
	Source     *string     `json:"source"`
	AsOf       *string     `json:"as_of"`
	Note       *string     `json:"note"`
}

// Apply copies the set fields of u onto o; the caller validates o after.
func (u ForceOfferUpdate) Apply(o *ForceOffer) {
	set(&o.Unit, u.Unit)
	setUnits(&o.Quantity, u.Quantity)
	setUnits(&o.Personnel, u.Personnel)
	set(&o.Equipment, u.Equipment)
	set(&o.Readiness, u.Readiness)
	set(&o.Duration, u.Duration)
	if u.Conditions != nil {
		o.Conditions = slices.Clone(*u.Conditions)
	}
	set(&o.Lead, u.Lead)
	set(&o.Visibility, u.Visibility)
	set(&o.Source, u.Source)
	set(&o.AsOf, u.AsOf)
	set(&o.Note, u.Note)
}

// ForceStore persists force requirements and offers. Every method sees
// only what the user in ctx may see.
type ForceStore interface {
	// FindForce returns the coalition's lines and the offers against them
	// that the user may see (an offer hidden from the user is absent, so
	// it is in no total computed from the answer).
	FindForce(ctx context.Context, coalitionID int64) ([]*ForceLine, []*ForceOffer, error)
	FindForceLine(ctx context.Context, id int64) (*ForceLine, error)
	// CreateForceLine: the coalition's coordinators and admins.
	CreateForceLine(ctx context.Context, l *ForceLine) error
	UpdateForceLine(ctx context.Context, id int64, upd ForceLineUpdate) (*ForceLine, error)
	// DeleteForceLine: Conflict while offers stand against the line.
	DeleteForceLine(ctx context.Context, id, version int64) error
	FindForceOffer(ctx context.Context, id int64) (*ForceOffer, error)
	// CreateForceOffer: whoever may write the country's pledges in the
	// line's coalition; NotFound if the line is unknown or hidden.
	CreateForceOffer(ctx context.Context, o *ForceOffer) error
	UpdateForceOffer(ctx context.Context, id int64, upd ForceOfferUpdate) (*ForceOffer, error)
	DeleteForceOffer(ctx context.Context, id, version int64) error
}
