package coalition

import "context"

// Store is everything Coalition persists. Every method sees only what the
// user in ctx may see (see CanSee); the CLI acts as System.
type Store interface {
	CountryStore
	CoalitionStore
	PledgeStore
	DeliveryStore
	RequirementStore
	EngagementStore
	PersonStore
	RiskEventStore
	FXStore
	DonorStore
	ScenarioStore
	Loader
	UserStore
	AuditStore
	ProposalStore
	DatasetStore
	StageStore
	ChannelStore
	CommitmentStore
	EquipmentStore
	ForceStore

	// Ready returns nil when the database is reachable and fully migrated.
	Ready(ctx context.Context) error
	Close() error
}

// DonorFilter selects the pledges that donor totals sum.
type DonorFilter struct {
	Type     SupportType    // only this type; empty: all
	Since    Month          // announced in or after this month; 0: no bound
	Until    Month          // announced in or before this month; 0: no bound
	Group    string         // only donors in this group or coalition (code)
	Statuses []PledgeStatus // default: allocated and delivered (Kiel's "allocations")
}

// DonorTotal is one donor's support in EUR.
type DonorTotal struct {
	ISO3              string   `json:"iso3"`
	Name              string   `json:"name"`
	MilitaryEUR       float64  `json:"military_eur"`
	FinancialEUR      float64  `json:"financial_eur"`
	HumanitarianEUR   float64  `json:"humanitarian_eur"`
	ReconstructionEUR float64  `json:"reconstruction_eur"`
	TotalEUR          float64  `json:"total_eur"`
	PctGDP            *float64 `json:"pct_gdp"`           // total as % of GDP (see GDPBasis); null without GDP
	GDPEUR            *float64 `json:"gdp_eur,omitempty"` // the GDP PctGDP divides by, in EUR (Country.GDPEUR)
	PerCapitaEUR      *float64 `json:"per_capita_eur"`
	GDPBasis          string   `json:"gdp_basis,omitempty"`
	GDPYear           int      `json:"gdp_year,omitempty"` // the year of the GDP PctGDP divides by
	AsOf              Date     `json:"as_of"`
	Source            string   `json:"source"`
}

// DonorStore answers "who gives what".
type DonorStore interface {
	// DonorTotals returns one row per donor with any matching support,
	// largest total first.
	DonorTotals(ctx context.Context, f DonorFilter) ([]DonorTotal, error)
	// MonthlySupport returns support per donor, month and type (EUR), for
	// time series and scenarios.
	MonthlySupport(ctx context.Context, f DonorFilter) ([]DonorMonth, error)
}

// DonorMonth is one donor's support of one type in one month.
type DonorMonth struct {
	ISO3  string      `json:"iso3"`
	Month Month       `json:"month"`
	Type  SupportType `json:"type"`
	EUR   float64     `json:"eur"`
}
