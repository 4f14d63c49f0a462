package report

import (
	"context"

	"coalition"
)

// NeedRow is one requirement as `coalition needs` and GET /api/v1/needs
// list it: money per month in EUR, and where the need is physical its unit,
// quantity per month and unit cost (null when the requirement has none).
type NeedRow struct {
	ID                int64    `json:"id"`
	Category          string   `json:"category"`
	Type              string   `json:"type"`
	Capability        string   `json:"capability"`
	Unit              string   `json:"unit"`
	QuantityPerMonth  *float64 `json:"quantity_per_month"`
	UnitCostEUR       *float64 `json:"unit_cost_eur"`
	AmountEURPerMonth float64  `json:"amount_eur_per_month"`
	From              string   `json:"from"`
	To                string   `json:"to"`
	Priority          int      `json:"priority"`
	Source            string   `json:"source"`
	AsOf              string   `json:"as_of"`
	Note              string   `json:"note"`
	Visibility        string   `json:"visibility"`
	Version           int64    `json:"version"`
}

// NeedsReport is a coalition's stored requirements visible to the user.
type NeedsReport struct {
	Coalition    string    `json:"coalition"`
	Recipient    string    `json:"recipient"`
	Requirements []NeedRow `json:"requirements"`
}

// Needs lists the stored requirements of coalitionCode (default COW2025)
// that the user in ctx may see, by id: the needs that coverage, scenarios
// and the risk model measure support against (per support type without
// any, they use the historical model; see Coverage).
func Needs(ctx context.Context, s coalition.Store, coalitionCode string) (*NeedsReport, error) {
	c, err := findCoalition(ctx, s, coalitionCode)
	if err != nil {
		return nil, err
	}
	rep := &NeedsReport{Coalition: c.Code, Recipient: c.Recipient, Requirements: []NeedRow{}}
	reqs, err := coalitionRequirements(ctx, s, c.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		rep.Requirements = append(rep.Requirements, needRow(r))
	}
	return rep, nil
}

func needRow(r *coalition.Requirement) NeedRow {
	row := NeedRow{ID: r.ID, Category: r.Category, Type: supportType(r.Category), Capability: r.Capability, Unit: r.Unit,
		AmountEURPerMonth: r.MonthlyEUR(), From: r.From.String(), To: r.To.String(), Priority: r.Priority, Source: r.Source,
		AsOf: r.AsOf, Note: r.Note, Visibility: string(r.Visibility), Version: r.Version}
	if r.Quantity != nil {
		q := float64(*r.Quantity) / (float64(r.To-r.From) + 1)
		cost := float64(r.UnitValue) / 100
		row.QuantityPerMonth, row.UnitCostEUR = &q, &cost
	}
	return row
}
