package coalition

import (
	"context"
	"slices"
	"time"
)

// Capability categories of equipment (issue 18 §1): the capability
// coalitions of the Ukraine Defense Contact Group, where experts plan
// equipment, rather than the euro categories of pledges.
const (
	CapAirDefence = "air-defence"
	CapArtillery  = "artillery"
	CapArmour     = "armour"
	CapDrones     = "drones"
	CapAirForce   = "air-force"
	CapMaritime   = "maritime"
	CapDemining   = "demining"
	CapIT         = "it"
)

// CapabilityCategories lists every capability category, in the order pages
// show them.
var CapabilityCategories = []string{CapAirDefence, CapArtillery, CapArmour, CapDrones, CapAirForce, CapMaritime, CapDemining, CapIT}

// ValidCapability reports whether c is a capability category.
func ValidCapability(c string) bool { return slices.Contains(CapabilityCategories, c) }

// MaxUnits bounds a quantity of one equipment record: a billion units is
// above any real delivery (Europe's 155 mm shell output is a few million a
// year), and small enough that no sum of records overflows.
const MaxUnits int64 = 1_000_000_000

// WeaponSystem is a weapon system or munition of the catalogue: Leopard 2A6,
// Patriot, 155 mm shell.
type WeaponSystem struct {
	Name     string `json:"name"`
	Category string `json:"category"` // a capability category
	// Kind is the class of system; for the systems of Kiel's heavy-weapons
	// table it is Kiel's category (Tanks, IFV, Howitzers, MLRS, Air
	// Defense), so that Kiel's counts per category can be rebuilt.
	Kind      string   `json:"kind"`
	Unit      string   `json:"unit,omitempty"` // what one unit is: a tank, a battery, a round
	Producers []string `json:"producers"`      // ISO3 codes of the producing countries
	// UnitCostEUR is a unit cost in euros from a public source
	// (UnitCostSource); nil where no public source gives one.
	UnitCostEUR    *float64 `json:"unit_cost_eur,omitempty"`
	UnitCostSource string   `json:"unit_cost_source,omitempty"`
	// Catalogued is false for a system known only by the name a dataset
	// gave it (a name of Kiel's list that no catalogue entry matches):
	// shown, flagged, never merged by guess.
	Catalogued bool   `json:"catalogued"`
	Source     string `json:"source"`
}

// Validate reports the first invalid field.
func (s *WeaponSystem) Validate() error {
	switch {
	case s.Name == "":
		return FieldError("name", "is required")
	case !ValidCapability(s.Category):
		return FieldError("category", "%q is not a capability category (%v)", s.Category, CapabilityCategories)
	case s.UnitCostEUR != nil && (*s.UnitCostEUR < 0 || *s.UnitCostEUR > float64(MaxAmountMinor)/100):
		return FieldError("unit_cost_eur", "must be between 0 and %d", MaxAmountMinor/100)
	case s.UnitCostEUR != nil && s.UnitCostSource == "":
		return FieldError("unit_cost_source", "a unit cost needs its source")
	case s.Source == "":
		return FieldError("source", "every system needs a source")
	}
	for i, p := range s.Producers {
		if !ValidISO3(p) {
			return FieldError(indexed("producers", i, ""), "%q is not an ISO 3166-1 alpha-3 code", p)
		}
	}
	return firstError(
		CheckText("name", s.Name, MaxNameBytes),
		CheckText("kind", s.Kind, MaxNameBytes),
		CheckText("unit", s.Unit, MaxNameBytes),
		CheckText("unit_cost_source", s.UnitCostSource, MaxSourceBytes),
		CheckText("source", s.Source, MaxSourceBytes),
	)
}

// Equipment is a donor's systems of one kind pledged and delivered to
// Ukraine: 49 M1A1 Abrams from Australia. It is visible as pledges are
// (CanSee with the donor as owner) and written as pledges are (CanWrite).
type Equipment struct {
	ID        int64  `json:"id"`
	Donor     string `json:"donor"`    // ISO3
	System    string `json:"system"`   // a WeaponSystem's name
	Category  string `json:"category"` // the system's capability category
	Pledged   int64  `json:"pledged"`  // units pledged
	Delivered int64  `json:"delivered"`
	// PledgedOn and DeliveredBy date the quantities: when they were
	// pledged, and the day by which Delivered had arrived (a dataset's
	// cut-off). Either may be zero when the source gives none.
	PledgedOn   Date `json:"pledged_on,omitzero"`
	DeliveredBy Date `json:"delivered_by,omitzero"`
	// ValueEUR is the value in euro cents the source gives, if any.
	ValueEUR    *int64     `json:"value_eur_minor,omitempty"`
	PledgeID    *int64     `json:"pledge_id,omitempty"` // the pledge it was part of, where one exists
	CoalitionID *int64     `json:"coalition_id"`
	Visibility  Visibility `json:"visibility"`
	Source      string     `json:"source"`
	SourceRef   string     `json:"source_ref,omitempty"` // natural key within a dataset
	Note        string     `json:"note,omitempty"`       // how a figure was derived, when it was
	Dataset     string     `json:"dataset,omitempty"`    // the published dataset it was loaded from
	Release     string     `json:"release,omitempty"`
	Version     int64      `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Validate reports the first invalid field.
func (e *Equipment) Validate() error {
	switch {
	case !ValidISO3(e.Donor):
		return FieldError("donor", "%q is not an ISO 3166-1 alpha-3 code", e.Donor)
	case e.System == "":
		return FieldError("system", "is required")
	case !ValidCapability(e.Category):
		return FieldError("category", "%q is not a capability category (%v)", e.Category, CapabilityCategories)
	case e.Pledged < 0 || e.Pledged > MaxUnits:
		return FieldError("pledged", "must be between 0 and %d", MaxUnits)
	case e.Delivered < 0 || e.Delivered > MaxUnits:
		return FieldError("delivered", "must be between 0 and %d", MaxUnits)
	case e.Pledged == 0 && e.Delivered == 0:
		return FieldError("pledged", "a record needs units pledged or delivered")
	case e.ValueEUR != nil && *e.ValueEUR < 0:
		return FieldError("value_eur_minor", "must not be negative")
	case !e.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", e.Visibility)
	case e.Visibility == CoalitionVis && e.CoalitionID == nil:
		return FieldError("coalition_id", "a coalition-visible record needs its coalition")
	case e.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	var value error
	if e.ValueEUR != nil {
		value = CheckAmount("value_eur_minor", *e.ValueEUR)
	}
	var pledged, delivered error
	if !e.PledgedOn.IsZero() {
		pledged = CheckDate("pledged_on", e.PledgedOn)
	}
	if !e.DeliveredBy.IsZero() {
		delivered = CheckDate("delivered_by", e.DeliveredBy)
	}
	return firstError(value, pledged, delivered,
		CheckText("system", e.System, MaxNameBytes),
		CheckText("source", e.Source, MaxSourceBytes),
		CheckText("source_ref", e.SourceRef, MaxSourceBytes),
		CheckText("note", e.Note, MaxTextBytes),
	)
}

// EquipmentFilter selects equipment records; empty fields select all.
type EquipmentFilter struct {
	Donor    string // ISO3
	Category string // a capability category
	System   string // a system's name, exactly
}

// EquipmentRelease is a release of a published dataset of equipment
// (Kiel's heavy-weapons table): the systems its records name and the
// records. Loading it replaces the dataset's records, so loading the same
// release twice changes nothing.
type EquipmentRelease struct {
	Release Release
	Systems []WeaponSystem
	Records []*Equipment // matched on (Release.Dataset, SourceRef)
}

// EquipmentStore persists the catalogue of systems and equipment records.
type EquipmentStore interface {
	// Systems returns the catalogue, by name.
	Systems(ctx context.Context) ([]WeaponSystem, error)
	// FindEquipment returns the records the user in ctx may see, by donor,
	// category and system.
	FindEquipment(ctx context.Context, f EquipmentFilter) ([]*Equipment, error)
	// CreateEquipment records e: Invalid if its system is not in the
	// catalogue, NotFound if its pledge is unknown or hidden; written by
	// whoever may write the donor's pledges.
	CreateEquipment(ctx context.Context, e *Equipment) error
	// LoadEquipment loads a release (administrators only), adding its
	// systems to the catalogue and replacing the dataset's records.
	LoadEquipment(ctx context.Context, r EquipmentRelease) (ReleaseReport, error)
}
