package analysis

import (
	"sort"

	"coalition"
)

// Flow is expected support: a pledge's EUR amount spread evenly over its
// delivery window From..To (both inclusive; To before From counts as From).
// Delivered is the part known to be delivered, spread the same way (0 when
// unknown).
type Flow struct {
	Donor     string          `json:"donor"`
	Category  string          `json:"category"`
	From      coalition.Month `json:"from"`
	To        coalition.Month `json:"to"`
	Amount    float64         `json:"amount"`
	Delivered float64         `json:"delivered"`
}

// months is the number of months in the flow's window (at least 1).
func (f Flow) months() int {
	if f.To < f.From {
		return 1
	}
	return int(f.To-f.From) + 1
}

func (f Flow) last() coalition.Month {
	if f.To < f.From {
		return f.From
	}
	return f.To
}

// Need is what the recipient requires in one category and month, in EUR.
type Need struct {
	Category string          `json:"category"`
	Month    coalition.Month `json:"month"`
	Amount   float64         `json:"amount"`
}

// CoverageCell is one category in one month.
type CoverageCell struct {
	Category     string          `json:"category"`
	Month        coalition.Month `json:"month"`
	Required     float64         `json:"required"`
	Pledged      float64         `json:"pledged"`
	Delivered    float64         `json:"delivered"`
	CoveredShare float64         `json:"covered_share"` // min(1, pledged/required); 1 when nothing is required
	Gap          float64         `json:"gap"`           // max(0, required − pledged)
}

// CoverageTotal sums cells over a period. Its gap is the sum of the monthly
// gaps: a surplus in one month does not fill another month's gap.
type CoverageTotal struct {
	Category     string  `json:"category,omitempty"` // empty for the overall total
	Required     float64 `json:"required"`
	Pledged      float64 `json:"pledged"`
	Delivered    float64 `json:"delivered"`
	CoveredShare float64 `json:"covered_share"` // (required − gap)/required; 1 when nothing is required
	// Gap is the monthly gap: the sum of the monthly shortfalls, where a
	// surplus in one month fills no other month.
	Gap float64 `json:"gap"`
	// NetGap is the net gap over the period: max(0, required − pledged) of
	// the whole period in one category, where support early or late in the
	// period counts against the need of any month of it. The overall total
	// adds up the categories' net gaps: a surplus in one category fills no
	// other category's need.
	NetGap float64 `json:"net_gap"`
}

// CoverageResult is required vs pledged vs delivered per category × month
// over From..To, with totals per category and overall.
type CoverageResult struct {
	From       coalition.Month `json:"from"`
	To         coalition.Month `json:"to"`
	Cells      []CoverageCell  `json:"cells"`      // category, then month order
	Categories []CoverageTotal `json:"categories"` // sorted by category
	Total      CoverageTotal   `json:"total"`
}

// Coverage compares needs with flows in every category (of either) and every
// month from..to inclusive. Needs and flow months outside the period are
// ignored.
func Coverage(needs []Need, flows []Flow, from, to coalition.Month) CoverageResult {
	res := CoverageResult{From: from, To: to, Cells: []CoverageCell{}, Categories: []CoverageTotal{}}
	if to < from {
		return res
	}
	n := int(to-from) + 1
	type series struct{ req, pledged, delivered []float64 }
	byCat := map[string]*series{}
	get := func(c string) *series {
		s := byCat[c]
		if s == nil {
			s = &series{make([]float64, n), make([]float64, n), make([]float64, n)}
			byCat[c] = s
		}
		return s
	}
	for _, nd := range needs {
		s := get(nd.Category)
		if nd.Month >= from && nd.Month <= to {
			s.req[nd.Month-from] += nd.Amount
		}
	}
	for _, f := range flows {
		s := get(f.Category)
		k := float64(f.months())
		for m := max(f.From, from); m <= min(f.last(), to); m++ {
			s.pledged[m-from] += f.Amount / k
			s.delivered[m-from] += f.Delivered / k
		}
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		s := byCat[c]
		tot := CoverageTotal{Category: c}
		for i := 0; i < n; i++ {
			cell := CoverageCell{Category: c, Month: from.Add(i), Required: s.req[i], Pledged: s.pledged[i], Delivered: s.delivered[i]}
			cell.Gap = max(0, cell.Required-cell.Pledged)
			cell.CoveredShare = share(cell.Required, cell.Gap)
			res.Cells = append(res.Cells, cell)
			tot.Required += cell.Required
			tot.Pledged += cell.Pledged
			tot.Delivered += cell.Delivered
			tot.Gap += cell.Gap
		}
		tot.CoveredShare = share(tot.Required, tot.Gap)
		tot.NetGap = max(0, tot.Required-tot.Pledged)
		res.Categories = append(res.Categories, tot)
		res.Total.NetGap += tot.NetGap
		res.Total.Required += tot.Required
		res.Total.Pledged += tot.Pledged
		res.Total.Delivered += tot.Delivered
		res.Total.Gap += tot.Gap
	}
	res.Total.CoveredShare = share(res.Total.Required, res.Total.Gap)
	return res
}

// share is the covered share (required − gap)/required, 1 when nothing is
// required.
func share(required, gap float64) float64 {
	if required <= 0 {
		return 1
	}
	return (required - gap) / required
}
