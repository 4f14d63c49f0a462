package analysis

import (
	"cmp"
	"slices"

	"coalition"
)

// CapabilityHolding is one donor's units of one system: what it pledged
// and delivered, the value the source gives, and the day by which
// Delivered had arrived.
type CapabilityHolding struct {
	Donor       string
	System      string
	Category    string
	Pledged     int64
	Delivered   int64
	ValueEUR    *float64
	DeliveredBy coalition.Date // zero: counted to CapabilityGapInput.AsOf
}

// units is what a holding counts for: the units pledged, or delivered
// where a source records more delivered than pledged.
func (h CapabilityHolding) units() int64 { return max(h.Pledged, h.Delivered) }

// CapabilitySystem is a system of the catalogue: the role it fills (the
// class of systems that can stand in for each other) and the countries
// that make it.
type CapabilitySystem struct {
	Name      string
	Role      string
	Producers []string
}

// CapabilityCapacity is a producer's stated annual output (or target) of
// a system of a role. Countries are where it is made as the source says
// ("EU" for the EU-wide figure); Covers the ISO3 codes it counts for (the
// EU figure covers the EU member states and Norway).
type CapabilityCapacity struct {
	Role         string         `json:"role"`
	System       string         `json:"system"`
	Producer     string         `json:"producer"`
	Countries    []string       `json:"countries"`
	Covers       []string       `json:"-"`
	UnitsPerYear float64        `json:"units_per_year"`
	Target       bool           `json:"target"`
	AsOf         coalition.Date `json:"as_of"`
	Source       string         `json:"source"`
}

// CapabilityGapInput is the question: which members withdraw, what every
// donor pledged and delivered, the catalogue and the producers' capacity.
type CapabilityGapInput struct {
	Withdraw []string // ISO3 codes
	Holdings []CapabilityHolding
	Systems  []CapabilitySystem
	Capacity []CapabilityCapacity
	// Since is the day from which the remaining donors' pace is measured
	// (the full-scale invasion, 24 Feb 2022); AsOf the day a holding
	// without a delivery date is counted to.
	Since, AsOf coalition.Date
}

// AlternativeProducer is a producer of an equivalent system outside the
// withdrawing members: with its stated annual output where a public
// source gives one, or a producing country without any (UnitsPerYear nil).
type AlternativeProducer struct {
	Role         string         `json:"role"`
	Producer     string         `json:"producer"`
	System       string         `json:"system"`
	Countries    []string       `json:"countries"`
	UnitsPerYear *float64       `json:"units_per_year"` // null: no public figure
	AsOf         coalition.Date `json:"as_of,omitzero"`
	Source       string         `json:"source,omitempty"`
}

// CapabilityRole is one role of a category: the units the withdrawing
// members supplied of it, what the others supplied and at what pace, and
// what the others' industry makes of it in a year.
type CapabilityRole struct {
	Role               string   `json:"role"`
	Systems            []string `json:"systems"` // the role's systems among the holdings
	LostUnits          int64    `json:"lost_units"`
	LostDelivered      int64    `json:"lost_delivered"`
	RemainingDelivered int64    `json:"remaining_delivered"`
	// RemainingPacePerYear is the remaining donors' units delivered a
	// year since Since: each holding's units over the years from Since to
	// its delivery date, added up.
	RemainingPacePerYear float64               `json:"remaining_pace_per_year"`
	Alternatives         []AlternativeProducer `json:"alternative_producers"`
	// AnnualCapacity is the remaining producers' stated output a year,
	// the latest per producer and system; null when producers exist but
	// none has a public figure; 0 when no remaining member makes the role.
	AnnualCapacity       *float64 `json:"annual_capacity"`
	AnnualCapacityTarget *float64 `json:"annual_capacity_target"`
	// CapacityComplete is true when every remaining producing country has
	// a figure: otherwise AnnualCapacity is a lower bound.
	CapacityComplete bool `json:"capacity_complete"`
	// GapAfterOneYear is max(0, LostUnits − AnnualCapacity): units lost
	// that a year of the others' whole output could not replace, whatever
	// the money; null when the capacity is unknown.
	GapAfterOneYear *float64 `json:"gap_after_one_year"`
}

// CapabilityCategoryGap is one capability category under the withdrawal.
type CapabilityCategoryGap struct {
	Category string `json:"category"`
	// WithdrawnShare is the withdrawing members' share of the category's
	// value where the source gives values (ShareBasis "value"), else of
	// its units pledged ("units"); WithdrawnUnitShare is always by units.
	WithdrawnShare     float64 `json:"withdrawn_share"`
	ShareBasis         string  `json:"share_basis"`
	WithdrawnUnitShare float64 `json:"withdrawn_unit_share"`
	LostUnits          int64   `json:"lost_units"` // units pledged (or delivered, if more) by the withdrawing members
	LostDelivered      int64   `json:"lost_delivered"`
	LostEUR            float64 `json:"lost_eur"` // value of their records that have one
	TotalUnits         int64   `json:"total_units"`
	TotalEUR           float64 `json:"total_eur"`
	// OnlyWithdrawn lists the systems that only withdrawing members
	// supplied.
	OnlyWithdrawn        []string              `json:"only_withdrawn_systems"`
	RemainingDelivered   int64                 `json:"remaining_delivered"`
	RemainingPacePerYear float64               `json:"remaining_pace_per_year"`
	Alternatives         []AlternativeProducer `json:"alternative_producers"`
	// AnnualCapacity adds up the known capacity of the roles with units
	// lost; GapAfterOneYear the gaps of the roles whose capacity is known;
	// UnassessedUnits the units lost in roles whose capacity is not.
	AnnualCapacity       float64          `json:"annual_capacity"`
	AnnualCapacityTarget float64          `json:"annual_capacity_target"`
	GapAfterOneYear      float64          `json:"gap_after_one_year"`
	UnassessedUnits      int64            `json:"unassessed_units"`
	Roles                []CapabilityRole `json:"roles"`
}

// CapabilityGap answers "what is lost if these members withdraw, and can
// anyone else make it within a year": per capability category (in the
// order of coalition.CapabilityCategories) and per role within it.
func CapabilityGap(in CapabilityGapInput) []CapabilityCategoryGap {
	out := []CapabilityCategoryGap{}
	for _, c := range coalition.CapabilityCategories {
		var hs []CapabilityHolding
		for _, h := range in.Holdings {
			if h.Category == c {
				hs = append(hs, h)
			}
		}
		if len(hs) > 0 {
			out = append(out, categoryGap(in, c, hs))
		}
	}
	return out
}

func categoryGap(in CapabilityGapInput, category string, hs []CapabilityHolding) CapabilityCategoryGap {
	g := CapabilityCategoryGap{Category: category, OnlyWithdrawn: []string{}, Alternatives: []AlternativeProducer{}, Roles: []CapabilityRole{}}
	var lostValued bool
	lostBy, keptBy := map[string]int64{}, map[string]int64{}
	for _, h := range hs {
		g.TotalUnits += h.units()
		if h.ValueEUR != nil {
			g.TotalEUR += *h.ValueEUR
		}
		if slices.Contains(in.Withdraw, h.Donor) {
			g.LostUnits += h.units()
			g.LostDelivered += h.Delivered
			lostBy[h.System] += h.units()
			if h.ValueEUR != nil {
				g.LostEUR += *h.ValueEUR
				lostValued = true
			}
		} else {
			keptBy[h.System] += h.units()
		}
	}
	for sys, n := range lostBy {
		if n > 0 && keptBy[sys] == 0 {
			g.OnlyWithdrawn = append(g.OnlyWithdrawn, sys)
		}
	}
	slices.Sort(g.OnlyWithdrawn)
	g.WithdrawnUnitShare = ratio(float64(g.LostUnits), float64(g.TotalUnits))
	g.ShareBasis, g.WithdrawnShare = "units", g.WithdrawnUnitShare
	if g.TotalEUR > 0 && (lostValued || g.LostUnits == 0) {
		g.ShareBasis, g.WithdrawnShare = "value", ratio(g.LostEUR, g.TotalEUR)
	}
	for _, r := range roleGaps(in, hs) {
		g.Roles = append(g.Roles, r)
		g.RemainingDelivered += r.RemainingDelivered
		g.RemainingPacePerYear += r.RemainingPacePerYear
		if r.LostUnits == 0 {
			continue
		}
		g.Alternatives = append(g.Alternatives, r.Alternatives...)
		if r.GapAfterOneYear == nil {
			g.UnassessedUnits += r.LostUnits
			continue
		}
		g.AnnualCapacity += *r.AnnualCapacity
		if r.AnnualCapacityTarget != nil {
			g.AnnualCapacityTarget += *r.AnnualCapacityTarget
		}
		g.GapAfterOneYear += *r.GapAfterOneYear
	}
	return g
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// roleOf is the role of a system: its catalogue role, or the system
// itself (a class of one) when the catalogue has none.
func roleOf(systems map[string]CapabilitySystem, name string) string {
	if s, ok := systems[name]; ok && s.Role != "" {
		return s.Role
	}
	return name
}

// roleGaps groups a category's holdings by role, in order of units lost
// (most first), then by role name.
func roleGaps(in CapabilityGapInput, hs []CapabilityHolding) []CapabilityRole {
	systems := map[string]CapabilitySystem{}
	for _, s := range in.Systems {
		systems[s.Name] = s
	}
	by := map[string]*CapabilityRole{}
	for _, h := range hs {
		role := roleOf(systems, h.System)
		r := by[role]
		if r == nil {
			r = &CapabilityRole{Role: role, Systems: []string{}, Alternatives: []AlternativeProducer{}}
			by[role] = r
		}
		if !slices.Contains(r.Systems, h.System) {
			r.Systems = append(r.Systems, h.System)
		}
		if slices.Contains(in.Withdraw, h.Donor) {
			r.LostUnits += h.units()
			r.LostDelivered += h.Delivered
			continue
		}
		r.RemainingDelivered += h.Delivered
		r.RemainingPacePerYear += pace(h, in.Since, in.AsOf)
	}
	out := make([]CapabilityRole, 0, len(by))
	for _, r := range by {
		slices.Sort(r.Systems)
		roleCapacity(in, systems, r)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b CapabilityRole) int {
		return cmp.Or(cmp.Compare(b.LostUnits, a.LostUnits), cmp.Compare(a.Role, b.Role))
	})
	return out
}

// pace is a holding's units delivered a year: Delivered over the years
// from since to its delivery date (AsOf when it has none).
func pace(h CapabilityHolding, since, asOf coalition.Date) float64 {
	by := h.DeliveredBy
	if by.IsZero() {
		by = asOf
	}
	if h.Delivered == 0 || since.IsZero() || by.IsZero() {
		return 0
	}
	years := by.Time().Sub(since.Time()).Hours() / 24 / 365.25
	if years <= 0 {
		return 0
	}
	return float64(h.Delivered) / years
}

// roleCapacity fills in what producers outside the withdrawing members
// make of the role in a year, and the gap after a year.
func roleCapacity(in CapabilityGapInput, systems map[string]CapabilitySystem, r *CapabilityRole) {
	var producing []string // countries the catalogue or the capacity rows say make the role
	for _, s := range in.Systems {
		if s.Role == r.Role || (s.Role == "" && s.Name == r.Role) {
			producing = appendNew(producing, s.Producers...)
		}
	}
	latest := map[[3]string]CapabilityCapacity{} // producer, system, basis → latest statement
	for _, c := range in.Capacity {
		if c.Role != r.Role {
			continue
		}
		producing = appendNew(producing, c.Countries...)
		if withdrawn(in.Withdraw, c.Countries) {
			continue
		}
		key := [3]string{c.Producer, c.System, basisOf(c.Target)}
		if old, ok := latest[key]; !ok || c.AsOf.After(old.AsOf) {
			latest[key] = c
		}
	}
	var remaining []string
	for _, iso := range producing {
		if !slices.Contains(in.Withdraw, iso) {
			remaining = append(remaining, iso)
		}
	}
	covered := map[string]bool{}
	var output, target float64
	var outputs, targets int
	for _, k := range capacityKeys(latest) {
		c := latest[k]
		if c.Target {
			target += c.UnitsPerYear
			targets++
			continue
		}
		output += c.UnitsPerYear
		outputs++
		for _, iso := range append(slices.Clone(c.Countries), c.Covers...) {
			covered[iso] = true
		}
		u := c.UnitsPerYear
		r.Alternatives = append(r.Alternatives, AlternativeProducer{Role: r.Role, Producer: c.Producer, System: c.System,
			Countries: c.Countries, UnitsPerYear: &u, AsOf: c.AsOf, Source: c.Source})
	}
	for _, iso := range remaining {
		if !covered[iso] {
			r.Alternatives = append(r.Alternatives, AlternativeProducer{Role: r.Role, Producer: iso, System: systemsOf(in.Systems, r.Role, iso), Countries: []string{iso}})
		}
	}
	switch {
	case len(producing) == 0 || (len(remaining) > 0 && outputs == 0):
		// nobody is known to make it, or nobody's output is public: unknown
		r.CapacityComplete = false
	default:
		zero := 0.0
		r.AnnualCapacity = &output
		if len(remaining) == 0 {
			r.AnnualCapacity = &zero
		}
		if targets > 0 {
			r.AnnualCapacityTarget = &target
		}
		r.CapacityComplete = len(remaining) == len(coveredOf(remaining, covered))
		gap := max(0, float64(r.LostUnits)-*r.AnnualCapacity)
		r.GapAfterOneYear = &gap
	}
}

func basisOf(target bool) string {
	if target {
		return "target"
	}
	return "output"
}

func withdrawn(withdraw, countries []string) bool {
	for _, c := range countries {
		if slices.Contains(withdraw, c) {
			return true
		}
	}
	return false
}

func appendNew(dst []string, vs ...string) []string {
	for _, v := range vs {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

func coveredOf(isos []string, covered map[string]bool) []string {
	var out []string
	for _, iso := range isos {
		if covered[iso] {
			out = append(out, iso)
		}
	}
	return out
}

// systemsOf names the role's systems that iso makes, "/"-separated.
func systemsOf(systems []CapabilitySystem, role, iso string) string {
	var names []string
	for _, s := range systems {
		if s.Role == role && slices.Contains(s.Producers, iso) {
			names = append(names, s.Name)
		}
	}
	slices.Sort(names)
	out := ""
	for i, n := range names {
		if i > 0 {
			out += " / "
		}
		out += n
	}
	return out
}

func capacityKeys(m map[[3]string]CapabilityCapacity) [][3]string {
	keys := make([][3]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]), cmp.Compare(a[2], b[2]))
	})
	return keys
}
