package report

import (
	"context"
	"fmt"
	"sort"

	"coalition"
	"coalition/analysis"
)

// BriefAsks shares the headline's net gap among the coalition's joined
// members: the fair-share asks that would close it.
type BriefAsks struct {
	Key         string     `json:"key"` // always "gdp"
	CapPctGDP   float64    `json:"cap_pct_gdp"`
	GapEUR      float64    `json:"gap_eur"`
	AskedEUR    float64    `json:"asked_eur"`    // Σ asks after caps
	UnfilledEUR float64    `json:"unfilled_eur"` // what the caps leave open
	Members     int        `json:"members"`      // who shares
	Excluded    []Excluded `json:"excluded"`
	Rows        []BriefAsk `json:"rows"` // largest ask first, at most a page
	// GaveFrom..GaveTo are the last 12 months of recorded allocations
	// before the as-of month.
	GaveFrom coalition.Month `json:"gave_from"`
	GaveTo   coalition.Month `json:"gave_to"`
}

// BriefAsk is one member's ask.
type BriefAsk struct {
	ISO3         string             `json:"iso3"`
	FairShareEUR float64            `json:"fair_share_eur"` // by GDP, before the cap
	AskEUR       float64            `json:"ask_eur"`        // after the cap
	AskPctGDP    float64            `json:"ask_pct_gdp"`    // per year
	ByCategory   map[string]float64 `json:"by_category"`    // the ask split pro rata to the categories' net gaps
	GaveEUR      float64            `json:"gave_eur"`       // allocations in GaveFrom..GaveTo
}

// briefAsks shares the net gap of rep.Headline among the joined members
// with a GDP figure by GDP, each capped at BriefCapPctGDP of its GDP a
// year, with analysis.WaterFill (the scenarios' rule). A withdrawal
// scenario would not do: without a stored requirement for the period it
// assumes every donor keeps its historical average, so it sees no gap.
func briefAsks(ctx context.Context, s coalition.Store, coal *coalition.Coalition, rep *BriefReport) error {
	h := rep.Headline
	years := float64(h.To-h.From+1) / 12
	fx := newFX(s)
	a := &BriefAsks{Key: analysis.KeyGDP, CapPctGDP: BriefCapPctGDP, GapEUR: h.NetGapEUR, Excluded: []Excluded{}, Rows: []BriefAsk{}}
	var rows []BriefAsk
	var weights, caps []float64
	var used []*coalition.Country
	for _, iso := range coal.JoinedMembers() {
		c, err := s.FindCountry(ctx, iso)
		if coalition.ErrorKind(err) == coalition.NotFound {
			a.Excluded = append(a.Excluded, Excluded{iso, "not a known country"})
			continue
		}
		if err != nil {
			return err
		}
		gdp, ok, err := fx.gdpEUR(ctx, c)
		if err != nil {
			return err
		}
		if !ok || iso == coal.Recipient {
			a.Excluded = append(a.Excluded, Excluded{iso, "no GDP figure, or the recipient"})
			continue
		}
		rows = append(rows, BriefAsk{ISO3: iso, ByCategory: map[string]float64{}})
		weights = append(weights, gdp)
		caps = append(caps, BriefCapPctGDP/100*gdp*years)
		used = append(used, c)
	}
	fill(a, rows, weights, caps, years, rep.Gaps)
	if err := addGave(ctx, s, a, rows, h.From); err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].AskEUR > rows[j].AskEUR })
	a.Members, a.Rows = len(rows), rows[:min(len(rows), briefListMax)]
	rep.Asks = a
	rep.Sources = append(rep.Sources, countrySources(used, "gdp (fair-share asks)", fmt.Sprint(refYear(used)))...)
	rep.Sources = append(rep.Sources, fx.sources()...)
	return nil
}

// fill computes the asks: fair shares before caps, WaterFill after, and
// each ask's split over the categories with a net gap.
func fill(a *BriefAsks, rows []BriefAsk, weights, caps []float64, years float64, gaps []BriefGap) {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	asks := analysis.WaterFill(a.GapEUR, weights, caps)
	for i := range rows {
		if total > 0 {
			rows[i].FairShareEUR = a.GapEUR * weights[i] / total
		}
		rows[i].AskEUR = asks[i]
		rows[i].AskPctGDP = asks[i] / weights[i] / years * 100
		a.AskedEUR += asks[i]
		for _, g := range gaps {
			if g.NetGapEUR > 0 && a.GapEUR > 0 {
				rows[i].ByCategory[g.Category] = asks[i] * g.NetGapEUR / a.GapEUR
			}
		}
	}
	a.UnfilledEUR = max(0, a.GapEUR-a.AskedEUR)
}

// addGave adds each member's allocations of the last 12 months of data
// before asOf's month (a brief for a past day uses no later record).
func addGave(ctx context.Context, s coalition.Store, a *BriefAsks, rows []BriefAsk, asOf coalition.Month) error {
	sup, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	for _, d := range sup {
		if d.Month < asOf {
			a.GaveTo = max(a.GaveTo, d.Month)
		}
	}
	if a.GaveTo == 0 {
		return nil
	}
	a.GaveFrom = a.GaveTo.Add(-11)
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{Since: a.GaveFrom, Until: a.GaveTo})
	if err != nil {
		return err
	}
	byISO := map[string]float64{}
	for _, t := range totals {
		byISO[t.ISO3] = t.TotalEUR
	}
	for i := range rows {
		rows[i].GaveEUR = byISO[rows[i].ISO3]
	}
	return nil
}
