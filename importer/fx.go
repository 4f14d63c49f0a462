package importer

import (
	"fmt"
	"sort"

	"coalition"
)

// FXTable converts to euros with the ECB's monthly average reference rates:
// the rate of the value date's month, or the nearest earlier month's.
type FXTable struct {
	rates  map[string][]coalition.FXRate // by currency, ascending month
	lookup func(cur string, m coalition.Month) (*coalition.FXRate, error)
}

// NewFXLookup converts with a store's FindRate (nearest earlier month).
func NewFXLookup(find func(cur string, m coalition.Month) (*coalition.FXRate, error)) *FXTable {
	return &FXTable{lookup: find}
}

// NewFXTable indexes rates (any order).
func NewFXTable(rates []coalition.FXRate) *FXTable {
	t := &FXTable{rates: map[string][]coalition.FXRate{}}
	for _, r := range rates {
		t.rates[r.Currency] = append(t.rates[r.Currency], r)
	}
	for _, rs := range t.rates {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Month < rs[j].Month })
	}
	return t
}

// Rate returns the rate for cur in month m, or the nearest earlier month's.
func (t *FXTable) Rate(cur string, m coalition.Month) (coalition.FXRate, error) {
	if cur == "EUR" {
		return coalition.FXRate{Month: m, Currency: "EUR", UnitsPerEUR: 1, Source: "identity"}, nil
	}
	if !coalition.ValidCurrency(cur) {
		return coalition.FXRate{}, fmt.Errorf("%s is not an ISO 4217 currency code", quote(cur))
	}
	if t.lookup != nil {
		r, err := t.lookup(cur, m)
		if err != nil {
			if coalition.ErrorKind(err) != coalition.NotFound {
				return coalition.FXRate{}, err
			}
			return coalition.FXRate{}, coalition.Errorf(coalition.NotFound, "unknown currency %s, or no ECB rate for it in or before %s", cur, m)
		}
		return *r, nil
	}
	rs := t.rates[cur]
	if len(rs) == 0 {
		return coalition.FXRate{}, coalition.Errorf(coalition.NotFound, "unknown currency %s: the ECB table has no rates for it", cur)
	}
	i := sort.Search(len(rs), func(i int) bool { return rs[i].Month > m })
	if i == 0 {
		return coalition.FXRate{}, coalition.Errorf(coalition.NotFound, "no ECB rate for %s in or before %s (the table starts %s)", cur, m, rs[0].Month)
	}
	return rs[i-1], nil
}

// Convert sets p's AmountEUR, FXRate and FXMonth from p.Amount at the
// value date's month: coalition.ConvertPledge, as the API does (a month
// before the table takes the ECB history's rate).
func (t *FXTable) Convert(p *coalition.Pledge, valueDate coalition.Date) error {
	return coalition.ConvertPledge(p, valueDate, t.find)
}

// find is Rate as a coalition.RateFinder: a rate of the table is given as
// a pointer into it, not copied (ConvertPledge only reads it), the others
// as a copy.
func (t *FXTable) find(cur string, m coalition.Month) (*coalition.FXRate, error) {
	if rs := t.rates[cur]; t.lookup == nil && cur != "EUR" && coalition.ValidCurrency(cur) && len(rs) > 0 {
		if i := sort.Search(len(rs), func(i int) bool { return rs[i].Month > m }); i > 0 {
			return &rs[i-1], nil
		}
	}
	r, err := t.Rate(cur, m)
	if err != nil {
		return nil, err
	}
	return &r, nil
}
