package coalition

import "context"

// Dataset is a batch of records to load together: the bundled reference
// data, or an import. Records with a SourceRef are matched on (Source,
// SourceRef), so loading the same dataset twice changes nothing.
type Dataset struct {
	Countries   []*Country
	Groups      []*Group
	Coalitions  []*Coalition // matched on Code; existing coalitions are left as users edited them
	Pledges     []*Pledge
	Engagements []*Engagement
	People      []*Person
	RiskEvents  []*RiskEvent // matched on (ISO3, Date, Kind, Label); existing ones keep users' edits
	FXRates     []FXRate
}

// LoadReport counts what a load did, per kind of record.
type LoadReport struct {
	Created   map[string]int `json:"created"`
	Updated   map[string]int `json:"updated"`
	Unchanged map[string]int `json:"unchanged"`
}

// Changed reports whether the load created or updated anything.
func (r LoadReport) Changed() bool {
	for _, n := range r.Created {
		if n > 0 {
			return true
		}
	}
	for _, n := range r.Updated {
		if n > 0 {
			return true
		}
	}
	return false
}

// Loader applies a dataset in one transaction: all of it or nothing.
type Loader interface {
	Load(ctx context.Context, ds *Dataset, dryRun bool) (LoadReport, error)
}
