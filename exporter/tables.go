package exporter

import (
	"sort"

	"coalition"
)

// decimal writes minor units as an exact decimal in major units ("1234.50").
func decimal(minor int64, cur string) string {
	s := coalition.Money{Minor: minor, Currency: cur}.String()
	return s[:len(s)-len(cur)-1]
}

// PledgeColumns are the columns of a pledge export: the header of
// `coalition import csv` for pledges (so an export reads back), then the
// store's id, version and provenance.
var PledgeColumns = []Column[*coalition.Pledge]{
	{"source_ref", Text, func(p *coalition.Pledge) any { return p.SourceRef }},
	{"donor", Text, func(p *coalition.Pledge) any { return p.Donor }},
	{"recipient", Text, func(p *coalition.Pledge) any { return p.Recipient }},
	{"category", Text, func(p *coalition.Pledge) any { return p.Category }},
	{"status", Text, func(p *coalition.Pledge) any { return string(p.Status) }},
	{"amount", Number, func(p *coalition.Pledge) any { return p.Amount.Float() }},
	{"currency", Text, func(p *coalition.Pledge) any { return p.Amount.Currency }},
	{"amount_eur", Number, func(p *coalition.Pledge) any { return float64(p.AmountEUR) / 100 }},
	{"fx_rate", Number, func(p *coalition.Pledge) any { return p.FXRate }},
	{"fx_month", Month, func(p *coalition.Pledge) any { return p.FXMonth }},
	{"quantity", Int, func(p *coalition.Pledge) any { return p.Quantity }},
	{"unit", Text, func(p *coalition.Pledge) any { return p.Unit }},
	{"announced", Date, func(p *coalition.Pledge) any { return p.Announced }},
	{"deliver_from", Month, func(p *coalition.Pledge) any { return p.DeliverFrom }},
	{"deliver_to", Month, func(p *coalition.Pledge) any { return p.DeliverTo }},
	{"conditions", Text, func(p *coalition.Pledge) any { return p.Conditions }},
	{"visibility", Text, func(p *coalition.Pledge) any { return string(p.Visibility) }},
	{"coalition_id", Int, func(p *coalition.Pledge) any { return p.CoalitionID }},
	{"source", Text, func(p *coalition.Pledge) any { return p.Source }},
	{"as_of", Date, func(p *coalition.Pledge) any { return p.AsOf }},
}

// PledgeCSVColumns are PledgeColumns for CSV, where amount_eur is written
// exactly (decimal cents) rather than as a float.
var PledgeCSVColumns = func() []Column[*coalition.Pledge] {
	out := append([]Column[*coalition.Pledge](nil), PledgeColumns...)
	for i := range out {
		switch out[i].Name {
		case "amount":
			out[i] = Column[*coalition.Pledge]{"amount", Text, func(p *coalition.Pledge) any { return decimal(p.Amount.Minor, p.Amount.Currency) }}
		case "amount_eur":
			out[i] = Column[*coalition.Pledge]{"amount_eur", Text, func(p *coalition.Pledge) any { return decimal(p.AmountEUR, "EUR") }}
		}
	}
	return out
}()

// DeliveryRow is a delivery with its pledge's natural key.
type DeliveryRow struct {
	*coalition.Delivery
	PledgeSource, PledgeRef string
}

// DeliveryColumns read back with `coalition import csv` (deliveries).
var DeliveryColumns = []Column[DeliveryRow]{
	{"source_ref", Text, func(d DeliveryRow) any { return "" }},
	{"pledge_source", Text, func(d DeliveryRow) any { return d.PledgeSource }},
	{"pledge_ref", Text, func(d DeliveryRow) any { return d.PledgeRef }},
	{"pledge_id", Int, func(d DeliveryRow) any { return d.PledgeID }},
	{"date", Date, func(d DeliveryRow) any { return d.Date }},
	{"amount_eur", Text, func(d DeliveryRow) any { return decimal(d.AmountEUR, "EUR") }},
	{"quantity", Int, func(d DeliveryRow) any { return d.Quantity }},
	{"source", Text, func(d DeliveryRow) any { return d.Source }},
	{"over_delivery", Text, func(d DeliveryRow) any { return d.OverDelivery }},
}

// DonorColumns are the columns of the donor totals.
var DonorColumns = []Column[coalition.DonorTotal]{
	{"iso3", Text, func(d coalition.DonorTotal) any { return d.ISO3 }},
	{"name", Text, func(d coalition.DonorTotal) any { return d.Name }},
	{"military_eur", Number, func(d coalition.DonorTotal) any { return d.MilitaryEUR }},
	{"financial_eur", Number, func(d coalition.DonorTotal) any { return d.FinancialEUR }},
	{"humanitarian_eur", Number, func(d coalition.DonorTotal) any { return d.HumanitarianEUR }},
	{"reconstruction_eur", Number, func(d coalition.DonorTotal) any { return d.ReconstructionEUR }},
	{"total_eur", Number, func(d coalition.DonorTotal) any { return d.TotalEUR }},
	{"pct_gdp", Percent, func(d coalition.DonorTotal) any { return d.PctGDP }},
	{"per_capita_eur", Number, func(d coalition.DonorTotal) any { return d.PerCapitaEUR }},
	{"as_of", Date, func(d coalition.DonorTotal) any { return d.AsOf }},
	{"source", Text, func(d coalition.DonorTotal) any { return d.Source }},
}

// EngagementColumns read back with `coalition import csv` (engagements).
var EngagementColumns = []Column[*coalition.Engagement]{
	{"source_ref", Text, func(e *coalition.Engagement) any { return e.SourceRef }},
	{"date", Date, func(e *coalition.Engagement) any { return e.Date }},
	{"kind", Text, func(e *coalition.Engagement) any { return string(e.Kind) }},
	{"title", Text, func(e *coalition.Engagement) any { return e.Title }},
	{"summary", Text, func(e *coalition.Engagement) any { return e.Summary }},
	{"participants", Text, func(e *coalition.Engagement) any { return participants(e.Participants) }},
	{"topics", Text, func(e *coalition.Engagement) any { return join(e.Topics) }},
	{"asks", Text, func(e *coalition.Engagement) any { return e.Asks }},
	{"outcomes", Text, func(e *coalition.Engagement) any { return e.Outcomes }},
	{"visibility", Text, func(e *coalition.Engagement) any { return string(e.Visibility) }},
	{"coalition_id", Int, func(e *coalition.Engagement) any { return e.CoalitionID }},
	{"source", Text, func(e *coalition.Engagement) any { return e.Source }},
}

func participants(ps []coalition.Participant) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ";"
		}
		if p.Name == "" && p.Role == "" {
			s += p.ISO3
		} else {
			s += p.Name + "|" + p.Role + "|" + p.ISO3
		}
	}
	return s
}

func join(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ";"
		}
		s += x
	}
	return s
}

// SourcesOf returns the distinct sources of rows, sorted.
func SourcesOf[T any](rows []T, source func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		if s := source(r); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
