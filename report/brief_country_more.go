package report

import (
	"context"
	"sort"

	"coalition"
)

// BriefStage is a country's support at one stage (Stages): stages of the
// same support, never added together.
type BriefStage struct {
	Stage string  `json:"stage"`
	EUR   float64 `json:"eur"`
}

// BriefEquipment is the equipment recorded for a country: its totals per
// capability category and its largest systems by units pledged.
type BriefEquipment struct {
	Totals  []EquipmentTotal `json:"totals"`
	Systems []EquipmentRow   `json:"systems"` // at most a few
	Records int              `json:"records"`
}

// countryStages is the country's row of DonorStage at each stage.
func countryStages(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	bc := rep.Country
	bc.ByStage = []BriefStage{}
	for _, st := range Stages {
		rows, err := DonorStage(ctx, s, coalition.DonorFilter{}, st)
		if err != nil {
			return err
		}
		v := 0.0
		for _, r := range rows {
			if r.ISO3 == bc.ISO3 {
				v = r.TotalEUR
			}
		}
		bc.ByStage = append(bc.ByStage, BriefStage{Stage: st, EUR: v})
	}
	return nil
}

// countryPeers is the median share of GDP of the donors the country is
// ranked among (countrySupport's), its peers.
func countryPeers(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return err
	}
	var pcts []float64
	for _, t := range totals {
		if t.PctGDP != nil {
			pcts = append(pcts, *t.PctGDP)
		}
	}
	if len(pcts) == 0 {
		return nil
	}
	sort.Float64s(pcts)
	n := len(pcts)
	med := pcts[n/2]
	if n%2 == 0 {
		med = (pcts[n/2-1] + pcts[n/2]) / 2
	}
	rep.Country.PeerMedianPctGDP = &med
	return nil
}

// countryEquipment is Equipment's answer for the country as donor.
func countryEquipment(ctx context.Context, s coalition.Store, rep *BriefReport) error {
	eq, err := Equipment(ctx, s, coalition.EquipmentFilter{Donor: rep.Country.ISO3})
	if err != nil {
		return err
	}
	if len(eq.Equipment) == 0 {
		return nil
	}
	rows := append([]EquipmentRow(nil), eq.Equipment...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Pledged > rows[j].Pledged })
	rep.Country.Equipment = &BriefEquipment{Totals: eq.Totals, Systems: rows[:min(len(rows), briefListMax/2)], Records: len(rows)}
	for _, src := range eq.Sources {
		rep.Sources = append(rep.Sources, Source{Figure: "equipment", Source: src})
	}
	return nil
}
