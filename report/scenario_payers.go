package report

import (
	"context"
	"fmt"
	"math"

	"coalition"
	"coalition/analysis"
)

// ChannelPayer names a channel (coalition channels) that pays part of the
// gap with a capacity of its own, e.g. the EU's €90 bn loan for 2026–27:
// its capacity is spread evenly over From..To as support in Category, so
// it covers the need of each month up to capacity / months, and the members
// share what is left. A month's surplus fills no other month or category.
type ChannelPayer struct {
	Channel     string          `json:"channel"`            // a channel code, e.g. EUI
	Category    string          `json:"category,omitempty"` // a category or support type; default financial
	CapacityEUR float64         `json:"capacity_eur"`       // over From..To
	From        coalition.Month `json:"from,omitempty"`     // default: the horizon's
	To          coalition.Month `json:"to,omitempty"`
	Source      string          `json:"source"` // where the capacity comes from
}

// expectedFlows is the support expected over rep's horizon: the donors'
// (scenarioFlows) and the channels named as payers (payerFlows).
func expectedFlows(ctx context.Context, s coalition.Store, coal *coalition.Coalition, req *requirement, rep *ScenarioReport) ([]analysis.Flow, error) {
	flows, err := scenarioFlows(ctx, s, coal, req, rep)
	if err != nil {
		return nil, err
	}
	paid, err := payerFlows(ctx, s, rep, req.cats)
	return append(flows, paid...), err
}

// payerFlows checks the spec's payers, naming payers[i].field, and turns
// each into a flow of the channel over its months within the horizon; the
// sources say where each capacity comes from.
func payerFlows(ctx context.Context, s coalition.ChannelStore, rep *ScenarioReport, needed map[string]bool) ([]analysis.Flow, error) {
	h := rep.Spec.Horizon
	var flows []analysis.Flow
	for i := range rep.Spec.Payers {
		p := &rep.Spec.Payers[i]
		field := func(name string) string { return fmt.Sprintf("payers[%d].%s", i, name) }
		c, err := s.FindChannelByCode(ctx, p.Channel)
		if coalition.ErrorKind(err) == coalition.NotFound {
			return nil, coalition.FieldError(field("channel"), "%q is not a channel (coalition channels)", p.Channel)
		}
		if err != nil {
			return nil, err
		}
		if err := p.normalise(h, field); err != nil {
			return nil, err
		}
		donor := c.Donor
		if donor == "" {
			donor = c.Code
		}
		from, to := max(p.From, h.From), min(p.To, h.To)
		share := float64(to-from+1) / float64(p.To-p.From+1) // of the capacity inside the horizon
		if to >= from {
			flows = append(flows, analysis.Flow{Donor: donor, Category: mapCategory(p.Category, needed), From: from, To: to, Amount: p.CapacityEUR * share})
		}
		rep.Sources = append(rep.Sources, Source{Figure: fmt.Sprintf("payer %s: %s of %s support, %s..%s", c.Code, coalition.FormatEUR(p.CapacityEUR, 2), p.Category, p.From, p.To), Source: p.Source})
	}
	if len(flows) > 0 {
		rep.SupportBasis += "; and the channels named as payers, each capacity spread evenly over its months"
	}
	return flows, nil
}

// normalise fills a payer's defaults (financial support over the horizon)
// and checks it.
func (p *ChannelPayer) normalise(h *Horizon, field func(string) string) error {
	if p.Category == "" {
		p.Category = string(coalition.Financial)
	}
	if p.From == 0 {
		p.From = h.From
	}
	if p.To == 0 {
		p.To = h.To
	}
	_, isCat := coalition.CategoryByCode(p.Category)
	switch {
	case !isCat && !coalition.ValidSupportType(p.Category):
		return coalition.FieldError(field("category"), "%q is not a category or support type", p.Category)
	case !(p.CapacityEUR > 0) || math.IsInf(p.CapacityEUR, 0) || p.CapacityEUR > float64(coalition.MaxAmountMinor)/100:
		return coalition.FieldError(field("capacity_eur"), "want a positive amount in EUR, got %g", p.CapacityEUR)
	case p.To < p.From:
		return coalition.FieldError(field("to"), "is before from")
	case p.Source == "":
		return coalition.FieldError(field("source"), "every figure needs a source")
	}
	return nil
}
