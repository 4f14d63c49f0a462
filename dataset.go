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

// ImportOptions says how an import ends.
type ImportOptions struct {
	DryRun bool // count, then roll back
	// DeleteRemoved deletes the records of the imported sources that the
	// import no longer contains; by default they are only counted.
	DeleteRemoved bool
}

// ImportReport is a LoadReport plus the records that the imported sources
// held before and the import no longer contains ("removed from source").
type ImportReport struct {
	LoadReport
	Removed map[string]int `json:"removed_from_source"`
	Deleted map[string]int `json:"deleted"`
}

// Import is one import in progress: records streamed in one at a time (a
// file of any size is never held in memory), matched on their natural keys
// (Source and a source reference), written all together or not at all.
// Every record is checked as a single write by the user in ctx would be.
type Import interface {
	// Pledge creates p, or updates the pledge with the same (Source,
	// SourceRef) if it differs. An Invalid or Forbidden error concerns p
	// alone; after any other error the import is broken (Err).
	Pledge(ctx context.Context, p *Pledge) error
	// Delivery records d against the pledge (pledgeSource, pledgeRef) of
	// this or an earlier import, or d.PledgeID when pledgeRef is empty;
	// with ref it is matched on (d.Source, ref).
	Delivery(ctx context.Context, pledgeSource, pledgeRef, ref, provenance string, d *Delivery) error
	// Requirement creates r or updates the one with the same (Source, ref).
	Requirement(ctx context.Context, ref, provenance string, r *Requirement) error
	// Engagement creates e or replaces the one with the same (Source, SourceRef).
	Engagement(ctx context.Context, e *Engagement) error
	// RiskEvent creates r unless the same event exists.
	RiskEvent(ctx context.Context, r *RiskEvent) error
	// Err is the database error that ended the import early, if any.
	Err() error
	// Report returns the counts so far.
	Report() ImportReport
	// Finish counts (and with DeleteRemoved deletes) what the imported
	// sources no longer contain, then commits, or rolls back with DryRun.
	Finish(ctx context.Context, opt ImportOptions) (ImportReport, error)
	// Abort rolls the import back; a no-op after Finish.
	Abort()
}

// Importer begins imports.
type Importer interface {
	// BeginImport starts an import as the user in ctx: Forbidden unless an
	// administrator or coordinator.
	BeginImport(ctx context.Context) (Import, error)
}
