package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"coalition"
)

// BurdenProblem is one burden-sharing linear programme: who fills which
// category of a gap, fairly. Its JSON form is the input of `coalition burden`.
//
// Variables x[m][c] >= 0; x[m][c] <= members[m].category_caps[c] where given;
// Σ_c x[m][c] <= members[m].cap where given; Σ_m x[m][c] <= gap[c].
// Stage 1 maximises covered = Σ x. Stage 2 keeps covered at its optimum and
// minimises deviation = Σ_m |Σ_c x[m][c] − weight[m]/W × covered|, W = Σ weight.
type BurdenProblem struct {
	Categories []string           `json:"categories"`
	Gap        map[string]float64 `json:"gap"`     // every category needs an entry
	Members    []BurdenMember     `json:"members"` // at least one, with Σ weight > 0
}

// BurdenMember is one member who may fill the gap.
type BurdenMember struct {
	ISO3   string  `json:"iso3"`
	Weight float64 `json:"weight"` // required, >= 0; fair share = weight/W × covered
	// Cap is the member's ceiling over all categories; nil (or +Inf) means none.
	Cap *float64 `json:"cap,omitempty"`
	// CategoryCaps are per-category ceilings (what the member can supply);
	// a category not listed has no ceiling.
	CategoryCaps map[string]float64 `json:"category_caps,omitempty"`

	weightMissing bool // set when decoded from JSON without "weight"
}

// UnmarshalJSON decodes a member strictly: unknown fields are an error and a
// missing weight is remembered, so that Validate can name it.
func (m *BurdenMember) UnmarshalJSON(b []byte) error {
	var aux struct {
		ISO3         string             `json:"iso3"`
		Weight       *float64           `json:"weight"`
		Cap          *float64           `json:"cap"`
		CategoryCaps map[string]float64 `json:"category_caps"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	*m = BurdenMember{ISO3: aux.ISO3, Cap: aux.Cap, CategoryCaps: aux.CategoryCaps}
	if aux.Weight == nil {
		m.weightMissing = true
	} else {
		m.Weight = *aux.Weight
	}
	return nil
}

// ParseBurdenProblem decodes a problem from JSON (unknown fields are an
// error) and validates it. Every error is a *coalition.Error of kind Invalid.
func ParseBurdenProblem(data []byte) (BurdenProblem, error) {
	var p BurdenProblem
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return BurdenProblem{}, coalition.Errorf(coalition.Invalid, "burden problem: %v", err)
	}
	if dec.More() {
		return BurdenProblem{}, coalition.Errorf(coalition.Invalid, "burden problem: more than one JSON value")
	}
	if err := p.Validate(); err != nil {
		return BurdenProblem{}, err
	}
	return p, nil
}

// Validate reports the first problem found as a coalition.FieldError naming
// the field, e.g. "members[3].category_caps.air-defence: must not be negative".
func (p BurdenProblem) Validate() error {
	known, err := p.validateCategories()
	if err != nil {
		return err
	}
	if err := p.validateGap(known); err != nil {
		return err
	}
	if len(p.Members) == 0 {
		return coalition.FieldError("members", "at least one member is required")
	}
	seen := make(map[string]int, len(p.Members))
	var w float64
	for i, m := range p.Members {
		if err := validateBurdenMember(m, i, known, seen); err != nil {
			return err
		}
		w += m.Weight
	}
	if !(w > 0) || math.IsInf(w, 0) {
		return coalition.FieldError("members", "weights must sum to a positive finite number (got %g)", w)
	}
	return nil
}

// validateCategories checks the category list and returns it as a set,
// against which gaps and caps are checked.
func (p BurdenProblem) validateCategories() (map[string]bool, error) {
	if len(p.Categories) == 0 {
		return nil, coalition.FieldError("categories", "at least one category is required")
	}
	known := make(map[string]bool, len(p.Categories))
	for i, c := range p.Categories {
		f := fmt.Sprintf("categories[%d]", i)
		if c == "" {
			return nil, coalition.FieldError(f, "must not be empty")
		}
		if known[c] {
			return nil, coalition.FieldError(f, "duplicate category %q", c)
		}
		known[c] = true
	}
	return known, nil
}

// validateGap checks that the gap gives one amount for every category and
// for nothing else: a missing gap must be an explicit 0, not a typo.
func (p BurdenProblem) validateGap(known map[string]bool) error {
	for _, c := range sortedKeys(p.Gap) {
		if !known[c] {
			return coalition.FieldError("gap."+c, "unknown category (not in categories)")
		}
		if err := checkAmount("gap."+c, p.Gap[c], false); err != nil {
			return err
		}
	}
	for _, c := range p.Categories {
		if _, ok := p.Gap[c]; !ok {
			return coalition.FieldError("gap."+c, "missing (give 0 for a category without a gap)")
		}
	}
	return nil
}

// validateBurdenMember checks member i: a unique ISO3 (seen records the
// first index of each), a weight, and caps on known categories only.
func validateBurdenMember(m BurdenMember, i int, known map[string]bool, seen map[string]int) error {
	f := fmt.Sprintf("members[%d]", i)
	if m.ISO3 == "" {
		return coalition.FieldError(f+".iso3", "must not be empty")
	}
	if j, ok := seen[m.ISO3]; ok {
		return coalition.FieldError(f+".iso3", "duplicate %q (also members[%d])", m.ISO3, j)
	}
	seen[m.ISO3] = i
	if m.weightMissing {
		return coalition.FieldError(f+".weight", "missing")
	}
	if err := checkAmount(f+".weight", m.Weight, false); err != nil {
		return err
	}
	if m.Cap != nil {
		if err := checkAmount(f+".cap", *m.Cap, true); err != nil {
			return err
		}
	}
	for _, c := range sortedKeys(m.CategoryCaps) {
		cf := f + ".category_caps." + c
		if !known[c] {
			return coalition.FieldError(cf, "unknown category (not in categories)")
		}
		if err := checkAmount(cf, m.CategoryCaps[c], true); err != nil {
			return err
		}
	}
	return nil
}

// checkAmount rejects NaN, negative numbers and (unless infOK) infinities.
func checkAmount(field string, v float64, infOK bool) error {
	switch {
	case math.IsNaN(v):
		return coalition.FieldError(field, "not a number")
	case v < 0:
		return coalition.FieldError(field, "must not be negative (got %g)", v)
	case math.IsInf(v, 1) && !infOK:
		return coalition.FieldError(field, "must be finite")
	}
	return nil
}

// BurdenResult is the optimum of a BurdenProblem.
type BurdenResult struct {
	Covered   float64            `json:"covered"`   // Σ allocations, the maximum possible
	Deviation float64            `json:"deviation"` // Σ_m |total_m − fair_share_m|, minimal given covered
	Unfilled  map[string]float64 `json:"unfilled"`  // per category: gap − allocated (nobody can cover it)
	// Allocations lists every positive x[m][c], in member then category order.
	Allocations []Allocation  `json:"allocations"`
	Members     []MemberShare `json:"members"` // one per member, in input order
	Status      string        `json:"status"`  // always "optimal": every valid problem has an optimum
}

// Allocation is what one member gives to one category.
type Allocation struct {
	ISO3     string  `json:"iso3"`
	Category string  `json:"category"`
	Amount   float64 `json:"amount"`
}

// MemberShare is one member's total next to its fair share.
type MemberShare struct {
	ISO3      string  `json:"iso3"`
	Weight    float64 `json:"weight"`
	FairShare float64 `json:"fair_share"` // weight/W × covered
	Total     float64 `json:"total"`      // Σ_c x[m][c]
	Excess    float64 `json:"excess"`     // total − fair_share (negative: below its fair share)
}

// SolveBurden solves the lexicographic programme of p exactly (up to float64
// rounding). It returns p.Validate's error for an invalid problem.
//
// Method (see docs/analysis.md): because Σ_m fair_m = covered, the deviation
// equals 2·Σ_m max(0, t_m − fair_m). Both stages are therefore one min-cost
// max-flow on source → member → category → sink, where each member has a
// free arc of capacity min(fair_m, cap_m) and a cost-1 arc for the rest of
// its cap. Every simple augmenting path costs 0 or 1, so the min-cost flow is
// two max-flows: first with member capacities min(fair_m, cap_m) (value F1),
// then continued with the full caps (value covered); deviation = 2(covered−F1).
// fair_m needs covered, which a first max-flow with full caps gives.
func SolveBurden(p BurdenProblem) (BurdenResult, error) {
	if err := p.Validate(); err != nil {
		return BurdenResult{}, err
	}
	nm, nc := len(p.Members), len(p.Categories)
	var scale, wsum float64
	for _, c := range p.Categories {
		scale += p.Gap[c]
	}
	for _, m := range p.Members {
		wsum += m.Weight
	}
	eps := scale * 1e-12

	// Nodes: 0 source, 1..nm members, nm+1..nm+nc categories, nm+nc+1 sink.
	build := func(memberCap func(i int) float64) (*flowGraph, []int, [][]int) {
		g := newFlowGraph(nm+nc+2, eps)
		src, sink := 0, nm+nc+1
		srcEdge := make([]int, nm)
		mid := make([][]int, nm)
		for i, m := range p.Members {
			srcEdge[i] = g.addEdge(src, 1+i, memberCap(i))
			mid[i] = make([]int, nc)
			for j, c := range p.Categories {
				cc, ok := m.CategoryCaps[c]
				if !ok {
					cc = math.Inf(1)
				}
				mid[i][j] = g.addEdge(1+i, 1+nm+j, cc)
			}
		}
		for j, c := range p.Categories {
			g.addEdge(1+nm+j, sink, p.Gap[c])
		}
		return g, srcEdge, mid
	}
	fullCap := func(i int) float64 {
		if p.Members[i].Cap == nil {
			return math.Inf(1)
		}
		return *p.Members[i].Cap
	}

	// Stage 1: the maximum coverage.
	g1, _, _ := build(fullCap)
	covered := g1.maxFlow(0, nm+nc+1)

	// Stage 2: free arcs up to the fair share, then the rest of each cap.
	fair := make([]float64, nm)
	for i, m := range p.Members {
		fair[i] = m.Weight / wsum * covered
	}
	g, srcEdge, mid := build(func(i int) float64 { return math.Min(fair[i], fullCap(i)) })
	g.maxFlow(0, nm+nc+1)
	for i := range p.Members {
		g.raise(srcEdge[i], fullCap(i)-math.Min(fair[i], fullCap(i)))
	}
	g.maxFlow(0, nm+nc+1)

	res := BurdenResult{Unfilled: make(map[string]float64, nc), Allocations: []Allocation{}, Status: "optimal"}
	given := make([]float64, nc)
	totals := make([]float64, nm)
	for i, m := range p.Members {
		for j, c := range p.Categories {
			x := g.flow(mid[i][j])
			if x <= eps {
				continue
			}
			res.Allocations = append(res.Allocations, Allocation{ISO3: m.ISO3, Category: c, Amount: x})
			given[j] += x
			totals[i] += x
			res.Covered += x
		}
	}
	for j, c := range p.Categories {
		u := p.Gap[c] - given[j]
		if u <= eps {
			u = 0
		}
		res.Unfilled[c] = u
	}
	res.Members = make([]MemberShare, nm)
	for i, m := range p.Members {
		f := m.Weight / wsum * res.Covered
		res.Members[i] = MemberShare{ISO3: m.ISO3, Weight: m.Weight, FairShare: f, Total: totals[i], Excess: totals[i] - f}
		res.Deviation += math.Abs(totals[i] - f)
	}
	if res.Deviation <= eps*float64(nm) {
		res.Deviation = 0
	}
	res.Allocations = evenSplit(p, res.Allocations, eps)
	return res, nil
}
