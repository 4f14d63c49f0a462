package report

import (
	"context"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// CapabilityGapReport is the capability gap if members withdraw: per
// capability category, what they supplied, what the others supplied and
// at what pace, what the others' industry makes in a year, and the gap
// that money alone cannot close within a year.
type CapabilityGapReport struct {
	Withdraw   []string                         `json:"withdraw"`
	Since      coalition.Date                   `json:"pace_since"`
	AsOf       coalition.Date                   `json:"as_of"` // the latest delivery date of the records
	Method     string                           `json:"method"`
	Categories []analysis.CapabilityCategoryGap `json:"categories"`
	Sources    []Source                         `json:"sources"`
}

// CapabilitySince is the day the remaining donors' pace is measured from:
// Russia's full-scale invasion of Ukraine.
var CapabilitySince = coalition.Date{Y: 2022, M: 2, D: 24}

// asapCountries are the countries the EU-wide ammunition figure counts:
// the EU member states and Norway (the participants of the Act in Support
// of Ammunition Production).
var asapCountries = []string{"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
	"ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE", "NOR"}

// CapabilityMethod says how the figures are worked out (docs/analysis.md).
const CapabilityMethod = "Lost: units pledged (and their value where the source gives one) by the withdrawing members, per capability category and role (a class of systems that can stand in for each other). " +
	"Remaining pace: the other donors' units delivered per year since 24 Feb 2022. " +
	"Annual capacity: the latest stated yearly output of each producer outside the withdrawing members of a system of the same role (production_capacity.csv); all of it counted as available to Ukraine, an upper bound. " +
	"Gap after one year: units lost minus one year of that output, per role, where the output is known; roles whose producers publish no figure are counted as unassessed, not as zero."

// CapabilityGap is the one use case behind coalition capability-gap, GET
// /api/v1/capability-gap and the /scenarios page's capability section:
// the equipment the user in ctx may see, the catalogue's roles and the
// bundled production capacity, with withdraw (ISO3 codes) withdrawing.
func CapabilityGap(ctx context.Context, s EquipmentReader, withdraw []string) (*CapabilityGapReport, error) {
	ws, err := withdrawList(withdraw)
	if err != nil {
		return nil, err
	}
	systems, err := s.Systems(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := s.FindEquipment(ctx, coalition.EquipmentFilter{})
	if err != nil {
		return nil, err
	}
	roles, err := refdata.SystemRoles()
	if err != nil {
		return nil, err
	}
	caps, err := refdata.ProductionCapacity()
	if err != nil {
		return nil, err
	}
	in := analysis.CapabilityGapInput{Withdraw: ws, Since: CapabilitySince}
	for _, sy := range systems {
		in.Systems = append(in.Systems, analysis.CapabilitySystem{Name: sy.Name, Role: roles[sy.Name], Producers: sy.Producers})
	}
	rep := &CapabilityGapReport{Withdraw: ws, Since: CapabilitySince, Method: CapabilityMethod, Sources: []Source{}}
	seen := map[string]bool{}
	for _, e := range recs {
		h := analysis.CapabilityHolding{Donor: e.Donor, System: e.System, Category: e.Category, Pledged: e.Pledged, Delivered: e.Delivered, DeliveredBy: e.DeliveredBy}
		if e.ValueEUR != nil {
			v := float64(*e.ValueEUR) / 100
			h.ValueEUR = &v
		}
		in.Holdings = append(in.Holdings, h)
		if e.DeliveredBy.After(rep.AsOf) {
			rep.AsOf = e.DeliveredBy
		}
		if !seen[e.Source] {
			seen[e.Source] = true
			rep.Sources = append(rep.Sources, Source{Figure: "equipment pledged and delivered", Source: e.Source, AsOf: e.DeliveredBy.String()})
		}
	}
	in.AsOf = rep.AsOf
	for _, c := range caps {
		ac := analysis.CapabilityCapacity{Role: c.Role, System: c.System, Producer: c.Producer, Countries: c.Countries,
			UnitsPerYear: c.UnitsPerYear, Target: c.Basis == refdata.CapacityTarget, AsOf: c.AsOf, Source: c.Source}
		if slices.Contains(c.Countries, "EU") {
			ac.Covers = asapCountries
		}
		in.Capacity = append(in.Capacity, ac)
		rep.Sources = append(rep.Sources, Source{Figure: "annual capacity: " + c.System + ", " + c.Producer + " (" + c.Basis + ")", Source: c.Source, AsOf: c.AsOf.String()})
	}
	rep.Categories = analysis.CapabilityGap(in)
	return rep, nil
}

// withdrawList checks and normalises the withdrawing members: at least
// one, each an ISO3 code, without repeats.
func withdrawList(withdraw []string) ([]string, error) {
	var out []string
	for _, w := range withdraw {
		for _, iso := range strings.Split(w, ",") {
			iso = strings.ToUpper(strings.TrimSpace(iso))
			if iso == "" {
				continue
			}
			if !coalition.ValidISO3(iso) {
				return nil, coalition.FieldError("withdraw", "%q is not an ISO 3166-1 alpha-3 code", iso)
			}
			if !slices.Contains(out, iso) {
				out = append(out, iso)
			}
		}
	}
	if len(out) == 0 {
		return nil, coalition.FieldError("withdraw", "name at least one withdrawing member (ISO3, e.g. USA)")
	}
	return out, nil
}
