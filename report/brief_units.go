package report

import (
	"context"
	"sort"
	"strings"

	"coalition"
)

// BriefUnitGap is a category's need stated in units over the brief's
// period, against the pledges of the same category and unit.
type BriefUnitGap struct {
	Category     string  `json:"category"`
	Unit         string  `json:"unit"`
	Capability   string  `json:"capability"`
	NeedUnits    float64 `json:"need_units"`
	PledgedUnits float64 `json:"pledged_units"`
	GapUnits     float64 `json:"gap_units"`
}

// unitKey is a (category, unit) pair; units compare without case.
type unitKey struct{ category, unit string }

// briefUnits is the need in units of the coalition's stored requirements
// stated in units (a quantity and its unit) in from..to, each spread
// evenly over its months as coverage spreads its money, against the
// visible, not cancelled pledges with a quantity in the same unit whose
// category files under the requirement's (mapCategory), spread evenly over
// their delivery windows; the largest gap first.
func briefUnits(ctx context.Context, s coalition.Store, coal *coalition.Coalition, from, to coalition.Month) ([]BriefUnitGap, error) {
	reqs, err := storedRequirements(ctx, s, coal)
	if err != nil {
		return nil, err
	}
	rows := map[unitKey]*BriefUnitGap{}
	cats := map[string]bool{}
	for _, r := range reqs {
		if r.Quantity == nil || strings.TrimSpace(r.Unit) == "" {
			continue
		}
		n := overlap(r.From, r.To, from, to)
		if n == 0 {
			continue
		}
		k := unitKey{r.Category, strings.ToLower(strings.TrimSpace(r.Unit))}
		g := rows[k]
		if g == nil {
			g = &BriefUnitGap{Category: r.Category, Unit: strings.TrimSpace(r.Unit), Capability: r.Capability}
			rows[k] = g
		}
		g.NeedUnits += float64(*r.Quantity) * float64(n) / float64(r.To-r.From+1)
		cats[r.Category] = true
	}
	if len(rows) == 0 {
		return []BriefUnitGap{}, nil
	}
	err = eachPledge(ctx, s, coal.Recipient, func(p *coalition.Pledge) {
		if p.Status == coalition.Cancelled || p.Quantity == nil {
			return
		}
		g := rows[unitKey{mapCategory(p.Category, cats), strings.ToLower(strings.TrimSpace(p.Unit))}]
		wf, wt := p.Window()
		if g == nil {
			return
		}
		g.PledgedUnits += float64(*p.Quantity) * float64(overlap(wf, wt, from, to)) / float64(wt-wf+1)
	})
	if err != nil {
		return nil, err
	}
	out := make([]BriefUnitGap, 0, len(rows))
	for _, g := range rows {
		g.GapUnits = max(0, g.NeedUnits-g.PledgedUnits)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].GapUnits != out[j].GapUnits {
			return out[i].GapUnits > out[j].GapUnits
		}
		return out[i].Category+out[i].Unit < out[j].Category+out[j].Unit
	})
	return out, nil
}

// overlap is how many months a..b and from..to share.
func overlap(a, b, from, to coalition.Month) int {
	lo, hi := max(a, from), min(b, to)
	if hi < lo {
		return 0
	}
	return int(hi-lo) + 1
}
