package analysis

import (
	"sort"

	"coalition"
)

// UnitNeed is a requirement stated in units of a system: Quantity units
// over From..To (inclusive), each valued at UnitValueEUR.
type UnitNeed struct {
	System       string
	Unit         string
	From, To     coalition.Month
	Quantity     float64
	UnitValueEUR float64
}

// UnitSupply is a donor's units of a system, counted as pledged in
// PledgedIn and as delivered in DeliveredIn (0: not dated, not counted).
type UnitSupply struct {
	Donor       string
	System      string
	Pledged     float64
	Delivered   float64
	PledgedIn   coalition.Month
	DeliveredIn coalition.Month
}

// UnitCoverage is one system's need in units against the units pledged
// and delivered over a period, and the same in euros: the need at the
// requirements' unit values, the support at the system's unit cost where
// the catalogue gives one.
type UnitCoverage struct {
	System         string          `json:"system"`
	Unit           string          `json:"unit"`
	From           coalition.Month `json:"from"`
	To             coalition.Month `json:"to"`
	RequiredUnits  float64         `json:"required_units"`
	PledgedUnits   float64         `json:"pledged_units"`
	DeliveredUnits float64         `json:"delivered_units"`
	GapUnits       float64         `json:"gap_units"`     // max(0, required − pledged) over the period
	CoveredShare   float64         `json:"covered_share"` // (required − gap)/required; 1 when nothing is required
	RequiredEUR    float64         `json:"required_eur"`  // Σ required units × the requirement's unit value
	// UnitCostEUR is the system's unit cost (nil: no public cost); the
	// euro figures of the support are nil without it.
	UnitCostEUR     *float64 `json:"unit_cost_eur"`
	PledgedEUR      *float64 `json:"pledged_eur"`
	GapEUR          *float64 `json:"gap_eur"`
	EURCoveredShare *float64 `json:"eur_covered_share"`
}

// UnitCoverageOf compares the needs in units with the supplies of the same
// system over from..to: a need counts pro rata for its months within the
// period, a supply when its month is within it. The gap is net over the
// period (units early or late in it count against the need of any month).
// costs holds the systems' unit costs where known.
func UnitCoverageOf(needs []UnitNeed, supplies []UnitSupply, costs map[string]float64, from, to coalition.Month) []UnitCoverage {
	by := map[string]*UnitCoverage{}
	for _, n := range needs {
		if n.To < n.From || n.Quantity <= 0 {
			continue
		}
		lo, hi := max(n.From, from), min(n.To, to)
		if hi < lo {
			continue
		}
		share := float64(hi-lo+1) / float64(n.To-n.From+1)
		c := by[n.System]
		if c == nil {
			c = &UnitCoverage{System: n.System, Unit: n.Unit, From: from, To: to}
			by[n.System] = c
		}
		c.RequiredUnits += n.Quantity * share
		c.RequiredEUR += n.Quantity * share * n.UnitValueEUR
	}
	for _, s := range supplies {
		c := by[s.System]
		if c == nil {
			continue
		}
		if s.PledgedIn >= from && s.PledgedIn <= to && s.PledgedIn != 0 {
			c.PledgedUnits += s.Pledged
		}
		if s.DeliveredIn >= from && s.DeliveredIn <= to && s.DeliveredIn != 0 {
			c.DeliveredUnits += s.Delivered
		}
	}
	out := make([]UnitCoverage, 0, len(by))
	for _, c := range by {
		c.GapUnits = max(0, c.RequiredUnits-c.PledgedUnits)
		c.CoveredShare = share(c.RequiredUnits, c.GapUnits)
		if cost, ok := costs[c.System]; ok {
			pledged := c.PledgedUnits * cost
			gap := max(0, c.RequiredEUR-pledged)
			covered := share(c.RequiredEUR, gap)
			c.UnitCostEUR, c.PledgedEUR, c.GapEUR, c.EURCoveredShare = &cost, &pledged, &gap, &covered
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].System < out[j].System })
	return out
}
