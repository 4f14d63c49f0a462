package analysis

import (
	"fmt"
	"math"
	"sort"

	"coalition"
)

// Burden-sharing keys: what a member's fair share is proportional to.
const (
	KeyGDP        = "gdp" // the default
	KeyPopulation = "population"
	KeyDefence    = "defence" // defence budget
	KeyEqual      = "equal"
	KeyCustom     = "custom" // ScenarioMember.Weight
)

// ScenarioMember is a member who may fill the gap. Money is EUR per year.
type ScenarioMember struct {
	ISO3       string  `json:"iso3"`
	GDPEUR     float64 `json:"gdp_eur"`
	Population float64 `json:"population"`
	DefenceEUR float64 `json:"defence_eur"`
	Weight     float64 `json:"weight"` // used by the key "custom"
	// CapEUR is an absolute ceiling on the member's extra support per year.
	CapEUR *float64 `json:"cap_eur,omitempty"`
	// CategoryCaps are what the member can supply per category and year.
	CategoryCaps map[string]float64 `json:"category_caps,omitempty"`
}

// ScenarioInput is a withdrawal scenario with the burden-sharing plan that
// closes the gap it opens.
type ScenarioInput struct {
	Needs       []Need           `json:"needs"`
	Flows       []Flow           `json:"flows"`
	Withdrawals []Withdrawal     `json:"withdrawals"`
	From        coalition.Month  `json:"from"` // the period analysed, inclusive
	To          coalition.Month  `json:"to"`
	Members     []ScenarioMember `json:"members"`
	Key         string           `json:"key"` // gdp (default), population, defence, equal, custom
	// CapPctGDP caps each member's extra support per year at this percentage
	// of its GDP (0.5 means 0.5 %); 0 means no such cap.
	CapPctGDP float64 `json:"cap_pct_gdp"`
}

// ScenarioResult is the gap before and after the withdrawals and, per year,
// who fills it.
type ScenarioResult struct {
	Key      string         `json:"key"`
	Before   CoverageTotal  `json:"before"` // overall totals before the withdrawals
	After    CoverageResult `json:"after"`  // the new gap per category and month
	Lost     []LostSupport  `json:"lost"`   // per withdrawing donor, largest first
	Years    []ScenarioYear `json:"years"`
	Covered  float64        `json:"covered"`  // Σ over years of what members cover
	Unfilled float64        `json:"unfilled"` // Σ over years of what nobody can cover
}

// LostSupport is what a withdrawing donor no longer gives in the period.
type LostSupport struct {
	ISO3   string  `json:"iso3"`
	Amount float64 `json:"amount"`
}

// ScenarioYear is the burden-sharing plan for one calendar year (or the part
// of it inside the period: Months says how many months).
type ScenarioYear struct {
	Year      int                `json:"year"`
	Months    int                `json:"months"`
	Gap       map[string]float64 `json:"gap"` // per category, after the withdrawals
	Covered   float64            `json:"covered"`
	Unfilled  map[string]float64 `json:"unfilled"`
	Deviation float64            `json:"deviation"`
	// Method is "water-filling" when no member has category caps (one pool,
	// shares exactly proportional), "lp" otherwise (SolveBurden).
	Method  string               `json:"method,omitempty"`
	Members []ScenarioMemberYear `json:"members"`
}

// ScenarioMemberYear is one member's extra support in one year. Percentages
// of GDP are annualised: amount / (GDP × months/12) × 100.
type ScenarioMemberYear struct {
	ISO3      string  `json:"iso3"`
	FairShare float64 `json:"fair_share"` // weight/W × covered
	ExtraEUR  float64 `json:"extra_eur"`  // what the plan asks of it
	// ByCategory is ExtraEUR per category: what it is asked for in which
	// category (sums to ExtraEUR).
	ByCategory     map[string]float64 `json:"by_category"`
	ExtraPctGDP    float64            `json:"extra_pct_gdp"`     // extra as % of GDP
	ExistingEUR    float64            `json:"existing_eur"`      // its support after the withdrawals
	NewTotalPctGDP float64            `json:"new_total_pct_gdp"` // (existing + extra) as % of GDP
}

// Validate checks the input; errors name the field.
func (in ScenarioInput) Validate() error {
	if in.To < in.From {
		return coalition.FieldError("to", "before from (%s < %s)", in.To, in.From)
	}
	for i, w := range in.Withdrawals {
		if err := w.Validate(fmt.Sprintf("withdrawals[%d]", i)); err != nil {
			return err
		}
	}
	switch in.Key {
	case "", KeyGDP, KeyPopulation, KeyDefence, KeyEqual, KeyCustom:
	default:
		return coalition.FieldError("key", "unknown key %q (want gdp, population, defence, equal or custom)", in.Key)
	}
	if err := checkAmount("cap_pct_gdp", in.CapPctGDP, false); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, m := range in.Members {
		if err := m.validate(fmt.Sprintf("members[%d]", i), seen); err != nil {
			return err
		}
	}
	return nil
}

// validate checks member m at path f: a unique ISO3 (seen holds those
// before it), figures that are numbers and not negative, and caps that may
// be infinite (no cap) but not negative.
func (m ScenarioMember) validate(f string, seen map[string]bool) error {
	if m.ISO3 == "" {
		return coalition.FieldError(f+".iso3", "must not be empty")
	}
	if seen[m.ISO3] {
		return coalition.FieldError(f+".iso3", "duplicate %q", m.ISO3)
	}
	seen[m.ISO3] = true
	for _, fv := range []struct {
		name string
		v    float64
	}{{"gdp_eur", m.GDPEUR}, {"population", m.Population}, {"defence_eur", m.DefenceEUR}, {"weight", m.Weight}} {
		if err := checkAmount(f+"."+fv.name, fv.v, false); err != nil {
			return err
		}
	}
	if m.CapEUR != nil {
		if err := checkAmount(f+".cap_eur", *m.CapEUR, true); err != nil {
			return err
		}
	}
	for _, c := range sortedKeys(m.CategoryCaps) {
		if err := checkAmount(f+".category_caps."+c, m.CategoryCaps[c], true); err != nil {
			return err
		}
	}
	return nil
}

// weightOf returns m's weight under key.
func weightOf(m ScenarioMember, key string) float64 {
	switch key {
	case KeyPopulation:
		return m.Population
	case KeyDefence:
		return m.DefenceEUR
	case KeyEqual:
		return 1
	case KeyCustom:
		return m.Weight
	}
	return m.GDPEUR
}

// Scenario applies the withdrawals to the flows, measures the new gap against
// the needs, and shares each calendar year's gap among the members with the
// burden LP (SolveBurden): weights by the key; per-year caps (CapPctGDP of
// GDP, CapEUR, CategoryCaps) scaled by months/12 for a part year. Caps limit
// the extra support, not the member's existing support.
func Scenario(in ScenarioInput) (ScenarioResult, error) {
	if err := in.Validate(); err != nil {
		return ScenarioResult{}, err
	}
	key := in.Key
	if key == "" {
		key = KeyGDP
	}
	var wsum float64
	for _, m := range in.Members {
		wsum += weightOf(m, key)
	}
	if len(in.Members) > 0 && !(wsum > 0) {
		return ScenarioResult{}, coalition.FieldError("members", "weights under key %q sum to zero", key)
	}
	before := Coverage(in.Needs, in.Flows, in.From, in.To)
	kept, lost := Withdraw(in.Flows, in.Withdrawals)
	after := Coverage(in.Needs, kept, in.From, in.To)
	res := ScenarioResult{Key: key, Before: before.Total, After: after, Lost: []LostSupport{}, Years: []ScenarioYear{}}
	for _, iso := range sortedKeys(lost) {
		res.Lost = append(res.Lost, LostSupport{ISO3: iso, Amount: lost[iso]})
	}
	sort.SliceStable(res.Lost, func(i, j int) bool { return res.Lost[i].Amount > res.Lost[j].Amount })

	existing := existingByYear(kept, in.From, in.To)
	for y := in.From.Year(); y <= in.To.Year(); y++ {
		yr, err := scenarioYear(in, key, wsum, y, after, existing)
		if err != nil {
			return ScenarioResult{}, err
		}
		res.Covered += yr.Covered
		for _, c := range sortedKeys(yr.Unfilled) { // a fixed order: the same sum bit for bit
			res.Unfilled += yr.Unfilled[c]
		}
		res.Years = append(res.Years, yr)
	}
	return res, nil
}

// existingByYear is the existing support per donor and year in from..to,
// after the withdrawals (kept).
func existingByYear(kept []Flow, from, to coalition.Month) map[string]map[int]float64 {
	existing := map[string]map[int]float64{}
	for _, f := range kept {
		k := float64(f.months())
		for m := max(f.From, from); m <= min(f.last(), to); m++ {
			if existing[f.Donor] == nil {
				existing[f.Donor] = map[int]float64{}
			}
			existing[f.Donor][m.Year()] += f.Amount / k
		}
	}
	return existing
}

// scenarioYear shares calendar year y's gap (the part of it in the
// horizon) among the members.
func scenarioYear(in ScenarioInput, key string, wsum float64, y int, after CoverageResult, existing map[string]map[int]float64) (ScenarioYear, error) {
	first := max(in.From, coalition.MonthOf(y, 1))
	last := min(in.To, coalition.MonthOf(y, 12))
	months := int(last-first) + 1
	part := float64(months) / 12
	yr := ScenarioYear{Year: y, Months: months, Gap: map[string]float64{}, Unfilled: map[string]float64{}, Members: []ScenarioMemberYear{}}
	var cats []string
	for _, c := range after.Cells {
		if c.Month >= first && c.Month <= last {
			if _, ok := yr.Gap[c.Category]; !ok {
				cats = append(cats, c.Category)
			}
			yr.Gap[c.Category] += c.Gap
		}
	}
	extra := map[string]float64{}
	fair := map[string]float64{}
	byCat := map[string]map[string]float64{}
	if len(in.Members) == 0 || len(cats) == 0 {
		for c, g := range yr.Gap {
			yr.Unfilled[c] = g
		}
	} else {
		ws, caps, catCaps := yearWeightsAndCaps(in, key, cats, part)
		if catCaps {
			if err := shareByLP(&yr, in.Members, cats, ws, caps, part, extra, fair, byCat); err != nil {
				return ScenarioYear{}, fmt.Errorf("analysis: scenario year %d: %w", y, err)
			}
		} else {
			shareByWaterFilling(&yr, in.Members, cats, ws, caps, wsum, extra, fair, byCat)
		}
	}
	for _, m := range in.Members {
		ex := existing[m.ISO3][y]
		row := ScenarioMemberYear{ISO3: m.ISO3, FairShare: fair[m.ISO3], ExtraEUR: extra[m.ISO3], ExistingEUR: ex,
			ByCategory: map[string]float64{}}
		for c, v := range byCat[m.ISO3] {
			row.ByCategory[c] = v
		}
		if m.GDPEUR > 0 {
			row.ExtraPctGDP = row.ExtraEUR / (m.GDPEUR * part) * 100
			row.NewTotalPctGDP = (ex + row.ExtraEUR) / (m.GDPEUR * part) * 100
		}
		yr.Members = append(yr.Members, row)
	}
	return yr, nil
}

// yearWeightsAndCaps returns the members' weights under key and their caps
// for a year of which part is in the horizon (+Inf: none), and whether any
// member caps one of cats.
func yearWeightsAndCaps(in ScenarioInput, key string, cats []string, part float64) (ws, caps []float64, catCaps bool) {
	ws = make([]float64, len(in.Members))
	caps = make([]float64, len(in.Members))
	for i, m := range in.Members {
		ws[i] = weightOf(m, key)
		caps[i] = math.Inf(1)
		if in.CapPctGDP > 0 {
			caps[i] = in.CapPctGDP / 100 * m.GDPEUR * part
		}
		if m.CapEUR != nil {
			caps[i] = math.Min(caps[i], *m.CapEUR*part)
		}
		for _, c := range cats {
			if _, ok := m.CategoryCaps[c]; ok {
				catCaps = true
			}
		}
	}
	return ws, caps, catCaps
}

// shareByLP shares yr's gap with the burden LP (category caps apply),
// filling yr's totals and each member's extra (in all and per category) and
// fair share.
func shareByLP(yr *ScenarioYear, members []ScenarioMember, cats []string, ws, caps []float64, part float64, extra, fair map[string]float64,
	byCat map[string]map[string]float64) error {
	yr.Method = "lp"
	p := BurdenProblem{Categories: cats, Gap: yr.Gap}
	for i, m := range members {
		bm := BurdenMember{ISO3: m.ISO3, Weight: ws[i]}
		if !math.IsInf(caps[i], 1) {
			bm.Cap = &caps[i]
		}
		for _, c := range cats {
			if v, ok := m.CategoryCaps[c]; ok {
				if bm.CategoryCaps == nil {
					bm.CategoryCaps = map[string]float64{}
				}
				bm.CategoryCaps[c] = v * part
			}
		}
		p.Members = append(p.Members, bm)
	}
	br, err := SolveBurden(p)
	if err != nil {
		return err
	}
	yr.Covered, yr.Deviation, yr.Unfilled = br.Covered, br.Deviation, br.Unfilled
	for _, ms := range br.Members {
		extra[ms.ISO3], fair[ms.ISO3] = ms.Total, ms.FairShare
	}
	for _, a := range br.Allocations {
		if byCat[a.ISO3] == nil {
			byCat[a.ISO3] = map[string]float64{}
		}
		byCat[a.ISO3][a.Category] += a.Amount
	}
	return nil
}

// shareByWaterFilling shares yr's gap as one pool: water-filling gives the
// proportional optimum; every category is covered in the same proportion,
// so each member's extra splits over the categories as the gap does.
func shareByWaterFilling(yr *ScenarioYear, members []ScenarioMember, cats []string, ws, caps []float64, wsum float64, extra, fair map[string]float64,
	byCat map[string]map[string]float64) {
	yr.Method = "water-filling"
	var total float64
	for _, c := range cats {
		total += yr.Gap[c]
	}
	x := WaterFill(total, ws, caps)
	for i, m := range members {
		extra[m.ISO3] = x[i]
		yr.Covered += x[i]
	}
	for i, m := range members {
		fair[m.ISO3] = ws[i] / wsum * yr.Covered
		yr.Deviation += math.Abs(x[i] - fair[m.ISO3])
		if total > 0 && x[i] > 0 {
			byCat[m.ISO3] = map[string]float64{}
			for _, c := range cats {
				byCat[m.ISO3][c] = x[i] * yr.Gap[c] / total
			}
		}
	}
	for _, c := range cats {
		yr.Unfilled[c] = 0
		if total > 0 {
			yr.Unfilled[c] = yr.Gap[c] * (1 - yr.Covered/total)
		}
	}
}
