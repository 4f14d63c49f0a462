package coalition

import (
	"context"
)

// Country is a state or a non-state donor (EUI: the EU institutions).
type Country struct {
	ISO3          string   `json:"iso3"`
	Name          string   `json:"name"`
	GDPUSDBn      *float64 `json:"gdp_usd_bn"` // nominal GDP, current USD billions
	GDPYear       int      `json:"gdp_year,omitempty"`
	PopulationM   *float64 `json:"population_m"`    // millions, same year as GDP
	DefencePctGDP *float64 `json:"defence_pct_gdp"` // defence spending, % of GDP
	DefenceYear   int      `json:"defence_year,omitempty"`
	DefenceSource string   `json:"defence_source,omitempty"` // "NATO" or "SIPRI": the definitions differ
	State         bool     `json:"state"`                    // false for the EU institutions
	Groups        []string `json:"groups"`                   // group codes, filled on read
	Source        string   `json:"source"`
}

// ValidISO3 reports whether s has the shape of an ISO 3166-1 alpha-3 code:
// three capital letters A–Z (the pattern ^[A-Z]{3}$, checked byte by byte:
// every pledge is checked twice on import, and the regular expression was
// 0.5 s of a million-row import's CPU).
func ValidISO3(s string) bool {
	return len(s) == 3 && isCapital(s[0]) && isCapital(s[1]) && isCapital(s[2])
}

func isCapital(b byte) bool { return 'A' <= b && b <= 'Z' }

// Validate reports the first invalid field.
func (c *Country) Validate() error {
	switch {
	case !ValidISO3(c.ISO3):
		return FieldError("iso3", "%q is not an ISO 3166-1 alpha-3 code", c.ISO3)
	case c.Name == "":
		return FieldError("name", "is required")
	case c.GDPUSDBn != nil && *c.GDPUSDBn < 0:
		return FieldError("gdp_usd_bn", "must not be negative")
	case c.PopulationM != nil && *c.PopulationM < 0:
		return FieldError("population_m", "must not be negative")
	case c.DefencePctGDP != nil && (*c.DefencePctGDP < 0 || *c.DefencePctGDP > 100):
		return FieldError("defence_pct_gdp", "must be between 0 and 100")
	case c.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	return firstError(
		CheckText("name", c.Name, MaxNameBytes),
		CheckText("defence_source", c.DefenceSource, MaxNameBytes),
		CheckText("source", c.Source, MaxSourceBytes),
	)
}

// CountryFilter selects countries.
type CountryFilter struct {
	Group string // a group or coalition code: NATO, EU, G7, AUKUS, FVEY, COW2025
}

// Group is an alliance or club (NATO, EU, G7, AUKUS, FVEY).
type Group struct {
	Code    string        `json:"code"`
	Name    string        `json:"name"`
	Source  string        `json:"source"`
	Members []GroupMember `json:"members,omitempty"`
}

// GroupMember is a country's membership of a group, with dates where known.
type GroupMember struct {
	ISO3  string `json:"iso3"`
	Since Date   `json:"since"`
	Until Date   `json:"until"`
}

func (g *Group) Validate() error {
	if g.Code == "" {
		return FieldError("code", "is required")
	}
	if g.Name == "" {
		return FieldError("name", "is required")
	}
	for i, m := range g.Members {
		if !ValidISO3(m.ISO3) {
			return FieldError(indexed("members", i, "iso3"), "%q is not an ISO 3166-1 alpha-3 code", m.ISO3)
		}
	}
	return firstError(
		CheckText("code", g.Code, MaxNameBytes),
		CheckText("name", g.Name, MaxNameBytes),
		CheckText("source", g.Source, MaxSourceBytes),
	)
}

// CountryStore keeps countries and groups. Country data is public.
type CountryStore interface {
	// FindCountry returns NotFound if iso3 is unknown.
	FindCountry(ctx context.Context, iso3 string) (*Country, error)
	FindCountries(ctx context.Context, f CountryFilter) ([]*Country, error)
	// UpsertCountry creates or replaces the country with that ISO3 code.
	UpsertCountry(ctx context.Context, c *Country) error
	FindGroups(ctx context.Context) ([]*Group, error)
	// UpsertGroup creates or replaces a group and its member list.
	UpsertGroup(ctx context.Context, g *Group) error
}
