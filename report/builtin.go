package report

import (
	"context"
	"fmt"
	"slices"

	"coalition"
	"coalition/analysis"
)

// BuiltinReport is a built-in scenario's result on the store's data.
type BuiltinReport struct {
	analysis.BuiltinResult
	GDPYear int      `json:"gdp_year"` // the year whose ECB average converts GDP (usd_per_eur)
	Sources []Source `json:"sources"`
}

// BuiltinScenario runs the built-in scenario name (replace-us, nato-40bn) on
// the support, countries and FX rates the user in ctx may see. An unknown
// name is NotFound.
func BuiltinScenario(ctx context.Context, s coalition.Store, name string) (*BuiltinReport, error) {
	if !slices.Contains(analysis.BuiltinNames, name) {
		return nil, coalition.Errorf(coalition.NotFound, "no built-in scenario %q (want replace-us or nato-40bn)", name)
	}
	sup, err := monthlySupport(ctx, s)
	if err != nil {
		return nil, err
	}
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	fx := newFX(s)
	year := refYear(cs)
	if year == 0 {
		return nil, coalition.Errorf(coalition.NotFound, "no country has a GDP figure: load the reference data first")
	}
	rate, err := fx.usdPerEUR(ctx, year)
	if err != nil {
		return nil, err
	}
	in := analysis.BuiltinInput{Support: sup, USDPerEUR: rate}
	if in.Countries, err = builtinCountries(ctx, fx, cs, rate); err != nil {
		return nil, err
	}
	chanSrcs, err := builtinChannels(ctx, s, &in)
	if err != nil {
		return nil, err
	}
	res, err := analysis.RunBuiltin(name, in)
	if err != nil {
		return nil, err
	}
	if len(in.Channels) > 0 {
		res.Description += " Channels (the EU institutions) are attributed to their member states by their shares (coalition channels): each member's actual includes its part (actual_channels_eur) and, in replace-us, its plan its part of the channels' 2022–2024 average; each channel is also a line of its own (channels), never added twice."
	}
	rep := &BuiltinReport{BuiltinResult: res, GDPYear: year}
	if rep.Sources, err = supportSources(ctx, s); err != nil {
		return nil, err
	}
	rep.Sources = append(rep.Sources, countrySources(withGDP(cs), "gdp", fmt.Sprint(year))...)
	rep.Sources = append(rep.Sources, fx.sources()...)
	rep.Sources = append(rep.Sources, chanSrcs...)
	rep.Sources = append(rep.Sources, builtinSources(ctx, s, name)...)
	return rep, nil
}

// builtinChannels gives a built-in scenario the channels recorded under a
// donor code of their own (the EU institutions) and their support
// attributed to the contributors, and returns the sources of the shares.
func builtinChannels(ctx context.Context, s coalition.Store, in *analysis.BuiltinInput) ([]Source, error) {
	cs, err := s.FindChannels(ctx)
	if err != nil {
		return nil, err
	}
	by := recordingChannels(cs)
	if len(by) == 0 {
		return nil, nil
	}
	rows, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	_, attributed := attributeMonthly(rows, cs)
	in.Attributed = toDonorMonths(attributed)
	var srcs []Source
	for _, donor := range sortedKeys(by) {
		c := by[donor]
		in.Channels = append(in.Channels, analysis.BuiltinChannel{Donor: donor, Name: c.Name})
		srcs = append(srcs, Source{Figure: "channel shares (" + c.Code + ")", Source: c.Key + " — " + c.Source, AsOf: c.AsOf})
	}
	return srcs, nil
}

// builtinCountries are the countries as the engine takes them. The engine
// takes one rate; a GDP of another year is restated so that GDPUSD / rate
// is its EUR value at its own year's rate.
func builtinCountries(ctx context.Context, fx *fx, cs []*coalition.Country, rate float64) ([]analysis.CountryData, error) {
	var out []analysis.CountryData
	for _, c := range cs {
		cd := analysis.CountryData{ISO3: c.ISO3, Name: c.Name, Memberships: c.Groups}
		if c.PopulationM != nil {
			cd.Population = *c.PopulationM * 1e6
		}
		eur, ok, err := fx.gdpEUR(ctx, c)
		if err != nil {
			return nil, err
		}
		if ok {
			cd.GDPUSD = eur * rate
		}
		out = append(out, cd)
	}
	return out, nil
}

// builtinSources cites what a built-in scenario itself assumes: the
// coalition replace-us asks of, the NATO target nato-40bn measures.
func builtinSources(ctx context.Context, s coalition.Store, name string) []Source {
	switch name {
	case "replace-us":
		if c, err := findCoalition(ctx, s, DefaultCoalition); err == nil {
			return []Source{membersSource(c)}
		}
	case "nato-40bn":
		return []Source{{Figure: "target", AsOf: "2024-07-10",
			Source: "NATO Washington Summit Declaration, 10 Jul 2024: Pledge of Long-Term Security Assistance for Ukraine, a minimum baseline of €40 billion within the next year"}}
	}
	return nil
}
