package report

import (
	"context"
	"slices"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// unitCoverage is coverage in units (issue 18 §1): every visible
// requirement of the coalition with a quantity whose capability names a
// system of the catalogue (by name or by one of the names Kiel lists it
// under), and whose unit, when given, is the system's; against the units
// of that system pledged and delivered in the period by those counts
// names (every donor, or the joined members). It returns the coverage and
// the requirements with a quantity that name no system, or a different
// unit ("capability (unit)"), which only count in euros.
func unitCoverage(ctx context.Context, s coalition.Store, coal *coalition.Coalition, from, to coalition.Month, counts string) ([]analysis.UnitCoverage, []string, error) {
	reqs, err := coalitionRequirements(ctx, s, coal.ID)
	if err != nil {
		return nil, nil, err
	}
	systems, err := s.Systems(ctx)
	if err != nil {
		return nil, nil, err
	}
	cat, err := refdata.Systems()
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]coalition.WeaponSystem{}
	costs := map[string]float64{}
	for _, sy := range systems {
		byName[strings.ToLower(sy.Name)] = sy
		if sy.UnitCostEUR != nil {
			costs[sy.Name] = *sy.UnitCostEUR
		}
	}
	needs, unmatched := unitNeeds(reqs, byName, cat)
	supplies, err := unitSupplies(ctx, s, coal, needs, counts)
	if err != nil {
		return nil, nil, err
	}
	return analysis.UnitCoverageOf(needs, supplies, costs, from, to), unmatched, nil
}

// coalitionRequirements reads all of coalition id's requirements the user
// may see.
func coalitionRequirements(ctx context.Context, s coalition.RequirementStore, id int64) ([]*coalition.Requirement, error) {
	return readAll(func(after int64) ([]*coalition.Requirement, bool, error) {
		return s.FindRequirements(ctx, coalition.RequirementFilter{CoalitionID: &id, After: after, Limit: coalition.MaxPageSize})
	}, requirementID)
}

// unitNeeds matches requirements with a quantity to systems.
func unitNeeds(reqs []*coalition.Requirement, byName map[string]coalition.WeaponSystem, cat *refdata.Catalogue) ([]analysis.UnitNeed, []string) {
	var needs []analysis.UnitNeed
	unmatched := []string{}
	for _, r := range reqs {
		if r.Quantity == nil || r.Capability == "" {
			continue
		}
		sy, ok := byName[strings.ToLower(strings.TrimSpace(r.Capability))]
		if !ok {
			if c, found := cat.Lookup(r.Capability); found {
				sy, ok = byName[strings.ToLower(c.Name)]
			}
		}
		if !ok || (r.Unit != "" && sy.Unit != "" && !strings.EqualFold(r.Unit, sy.Unit)) {
			if s := r.Capability + " (" + r.Unit + ")"; !slices.Contains(unmatched, s) {
				unmatched = append(unmatched, s)
			}
			continue
		}
		unit := sy.Unit
		if unit == "" {
			unit = r.Unit
		}
		needs = append(needs, analysis.UnitNeed{System: sy.Name, Unit: unit, From: r.From, To: r.To,
			Quantity: float64(*r.Quantity), UnitValueEUR: float64(r.UnitValue) / 100})
	}
	return needs, unmatched
}

// unitSupplies reads the equipment records of the needed systems: a
// record counts as pledged in the month of PledgedOn (of DeliveredBy when
// it has no pledge date) and as delivered in the month of DeliveredBy.
func unitSupplies(ctx context.Context, s coalition.EquipmentStore, coal *coalition.Coalition, needs []analysis.UnitNeed, counts string) ([]analysis.UnitSupply, error) {
	members := coal.JoinedMembers()
	var out []analysis.UnitSupply
	var done []string
	for _, n := range needs {
		if slices.Contains(done, n.System) {
			continue
		}
		done = append(done, n.System)
		recs, err := s.FindEquipment(ctx, coalition.EquipmentFilter{System: n.System})
		if err != nil {
			return nil, err
		}
		for _, e := range recs {
			if counts != CountsAll && !slices.Contains(members, e.Donor) {
				continue
			}
			sup := analysis.UnitSupply{Donor: e.Donor, System: e.System, Pledged: float64(e.Pledged), Delivered: float64(e.Delivered)}
			if !e.DeliveredBy.IsZero() {
				sup.DeliveredIn = coalition.MonthOf(e.DeliveredBy.Y, e.DeliveredBy.M)
				sup.PledgedIn = sup.DeliveredIn
			}
			if !e.PledgedOn.IsZero() {
				sup.PledgedIn = coalition.MonthOf(e.PledgedOn.Y, e.PledgedOn.M)
			}
			out = append(out, sup)
		}
	}
	return out, nil
}
