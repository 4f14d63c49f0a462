package report

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"coalition"
)

// EquipmentRow is one equipment record as the CLI, the API and the page
// show it: units of a system pledged and delivered by a donor, with the
// system's capability category and the value the source gives.
type EquipmentRow struct {
	Donor       string         `json:"donor"`
	System      string         `json:"system"`
	Category    string         `json:"category"`
	Kind        string         `json:"kind"`       // the class of system (Kiel's category for its systems)
	Catalogued  bool           `json:"catalogued"` // false: a name of the source's own, not in the catalogue
	Pledged     int64          `json:"pledged"`
	Delivered   int64          `json:"delivered"`
	ValueEUR    *float64       `json:"value_eur"` // null: the source gives no value
	PledgedOn   coalition.Date `json:"pledged_on,omitzero"`
	DeliveredBy coalition.Date `json:"delivered_by,omitzero"`
	Source      string         `json:"source"`
	Dataset     string         `json:"dataset,omitempty"`
	Release     string         `json:"release,omitempty"`
	Note        string         `json:"note,omitempty"`
	Visibility  string         `json:"visibility"`
	PledgeID    *int64         `json:"pledge_id,omitempty"`
}

// EquipmentTotal is one capability category's units and value over the
// rows shown.
type EquipmentTotal struct {
	Category  string  `json:"category"`
	Pledged   int64   `json:"pledged"`
	Delivered int64   `json:"delivered"`
	ValueEUR  float64 `json:"value_eur"` // of the rows with a value
}

// EquipmentReport answers "which systems did whom pledge and deliver".
type EquipmentReport struct {
	Filter    coalition.EquipmentFilter `json:"filter"`
	Equipment []EquipmentRow            `json:"equipment"`
	Totals    []EquipmentTotal          `json:"totals"` // per category, in the order of CapabilityCategories
	Sources   []string                  `json:"sources"`
}

// EquipmentReader is what Equipment reads.
type EquipmentReader interface {
	Systems(ctx context.Context) ([]coalition.WeaponSystem, error)
	FindEquipment(ctx context.Context, f coalition.EquipmentFilter) ([]*coalition.Equipment, error)
}

// Equipment is the one use case behind coalition equipment, GET
// /api/v1/equipment and the /equipment page: the records the user in ctx
// may see that match f, with their systems, and totals per capability
// category over exactly those records (a hidden record is in no total).
func Equipment(ctx context.Context, s EquipmentReader, f coalition.EquipmentFilter) (*EquipmentReport, error) {
	f.Donor = strings.ToUpper(strings.TrimSpace(f.Donor))
	f.Category, f.System = strings.TrimSpace(f.Category), strings.TrimSpace(f.System)
	switch {
	case f.Donor != "" && !coalition.ValidISO3(f.Donor):
		return nil, coalition.FieldError("donor", "%q is not an ISO 3166-1 alpha-3 code", f.Donor)
	case f.Category != "" && !coalition.ValidCapability(f.Category):
		return nil, coalition.FieldError("category", "%q is not a capability category (%s)", f.Category, strings.Join(coalition.CapabilityCategories, ", "))
	}
	systems, err := s.Systems(ctx)
	if err != nil {
		return nil, err
	}
	bySystem := map[string]coalition.WeaponSystem{}
	for _, sy := range systems {
		bySystem[sy.Name] = sy
	}
	recs, err := s.FindEquipment(ctx, f)
	if err != nil {
		return nil, err
	}
	rep := &EquipmentReport{Filter: f, Equipment: []EquipmentRow{}, Totals: []EquipmentTotal{}, Sources: []string{}}
	totals := map[string]*EquipmentTotal{}
	for _, e := range recs {
		row := equipmentRow(e, bySystem[e.System])
		rep.Equipment = append(rep.Equipment, row)
		t := totals[e.Category]
		if t == nil {
			t = &EquipmentTotal{Category: e.Category}
			totals[e.Category] = t
		}
		t.Pledged += e.Pledged
		t.Delivered += e.Delivered
		if row.ValueEUR != nil {
			t.ValueEUR += *row.ValueEUR
		}
		if !slices.Contains(rep.Sources, e.Source) {
			rep.Sources = append(rep.Sources, e.Source)
		}
	}
	for _, c := range coalition.CapabilityCategories {
		if t := totals[c]; t != nil {
			rep.Totals = append(rep.Totals, *t)
		}
	}
	slices.Sort(rep.Sources)
	slices.SortStableFunc(rep.Equipment, func(a, b EquipmentRow) int {
		return cmp.Or(cmp.Compare(a.Donor, b.Donor), cmp.Compare(a.Category, b.Category), cmp.Compare(a.System, b.System))
	})
	return rep, nil
}

func equipmentRow(e *coalition.Equipment, sy coalition.WeaponSystem) EquipmentRow {
	row := EquipmentRow{Donor: e.Donor, System: e.System, Category: e.Category, Kind: sy.Kind, Catalogued: sy.Catalogued,
		Pledged: e.Pledged, Delivered: e.Delivered, PledgedOn: e.PledgedOn, DeliveredBy: e.DeliveredBy, Source: e.Source,
		Dataset: e.Dataset, Release: e.Release, Note: e.Note, Visibility: string(e.Visibility), PledgeID: e.PledgeID}
	if e.ValueEUR != nil {
		v := float64(*e.ValueEUR) / 100
		row.ValueEUR = &v
	}
	return row
}
