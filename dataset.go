package coalition

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Dataset is a batch of records to load together: the bundled reference
// data, or an import. Records with a SourceRef are matched on (Source,
// SourceRef), so loading the same dataset twice changes nothing; pledges
// of a published dataset (Pledge.Dataset, see Release) are matched on
// (Dataset, SourceRef) instead, whatever their citation says.
type Dataset struct {
	Countries   []*Country
	Groups      []*Group
	Coalitions  []*Coalition // matched on Code; existing coalitions are left as users edited them
	Pledges     []*Pledge
	Engagements []*Engagement
	People      []*Person
	RiskEvents  []*RiskEvent // matched on (ISO3, Date, Kind, Label); existing ones keep users' edits
	FXRates     []FXRate
	// Releases are the published datasets the records come from (see
	// Release). A release of pledges covers the pledges with its Dataset:
	// it replaces the release loaded before (same or newer) or is skipped
	// (older: the newer release stays). A release of FX rates tags
	// FXRates; one of countries is recorded with its count.
	Releases []Release
}

// LoadReport counts what a load did, per kind of record.
type LoadReport struct {
	Created   map[string]int `json:"created"`
	Updated   map[string]int `json:"updated"`
	Unchanged map[string]int `json:"unchanged"`
	// Releases says, per published dataset loaded, which release it was
	// and what it changed.
	Releases []ReleaseReport `json:"releases,omitempty"`
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
	// Release is what loading a release of a published dataset did
	// (Import.Release); nil for other imports.
	Release *ReleaseReport `json:"release,omitempty"`
}

// Import is one import in progress: records streamed in one at a time (a
// file of any size is never held in memory), matched on their natural keys
// (Source and a source reference), written all together or not at all.
// Every record is checked as a single write by the user in ctx would be.
type Import interface {
	// Release says that the pledges that follow are the records of release
	// r of a published dataset: they are matched on (r.Dataset,
	// SourceRef), carry r's citation and as-of date, and Finish removes
	// the dataset's pledges the release no longer contains. Call it once,
	// before any pledge. The same release again changes nothing; an older
	// release than the loaded one is a Conflict unless force.
	Release(ctx context.Context, r Release, force bool) error
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
	// Commitments replaces every commitment of dataset with cs, in the
	// import's transaction: a release's commitments change with its
	// allocations or not at all (counted under "commitments").
	Commitments(ctx context.Context, dataset string, cs []Commitment) error
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

// Release is one release of a published dataset: the Kiel tracker's
// release 29 (data to April 2026), the ECB's rates to June 2026, the World
// Bank's 2023 figures. Records loaded from it know the dataset and release
// (Pledge.Dataset, Pledge.Release), so loading the same release again
// changes nothing and a newer release replaces the older one's records.
type Release struct {
	Dataset string `json:"dataset"` // short name: kiel, ecb-fx, worldbank, nato
	Name    string `json:"release"` // the publisher's name ("29"); default "data to 2026-04"
	AsOf    Date   `json:"as_of"`   // the last day the data covers
	Title   string `json:"title,omitempty"`
	Source  string `json:"source,omitempty"` // the citation every record carries
	Records string `json:"kind,omitempty"`   // what it holds: pledges (default), fx_rates or countries
	Count   int    `json:"-"`                // countries: how many carry its figures
	SHA256  string `json:"sha256,omitempty"` // of the file it was read from, if any
}

// Release kinds (Release.Records).
const (
	ReleasePledges   = "pledges"
	ReleaseFXRates   = "fx_rates"
	ReleaseCountries = "countries"
	ReleaseEquipment = "equipment" // equipment records and their systems (EquipmentRelease)
	// ReleaseFXHistory is the ECB's rates embedded in the binary
	// (HistoricRate), not stored in fx_rates; Count is their number.
	ReleaseFXHistory = "fx_history"
)

// DefaultReleaseName names a release the publisher's number of which was
// not given: by the last month it has data for.
func DefaultReleaseName(asOf Date) string { return "data to " + asOf.Month().String() }

// LastDay is the last day of the month: a release with data to April 2026
// is as of 2026-04-30.
func (m Month) LastDay() Date { return DateOf(m.Add(1).FirstDay().Time().AddDate(0, 0, -1)) }

// Validate reports the first invalid field.
func (r Release) Validate() error {
	switch {
	case !validDatasetName(r.Dataset):
		return FieldError("dataset", "%q: want 1-32 lower-case letters, digits or '-'", r.Dataset)
	case r.Name == "" || len(r.Name) > 100:
		return FieldError("release", "want a name of 1-100 characters")
	case r.AsOf.IsZero():
		return FieldError("as_of", "a release needs the last day its data covers")
	}
	switch r.Records {
	case "", ReleasePledges, ReleaseFXRates, ReleaseCountries, ReleaseEquipment, ReleaseFXHistory:
	default:
		return FieldError("kind", "%q: want pledges, fx_rates, fx_history, countries or equipment", r.Records)
	}
	return nil
}

func validDatasetName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Compare orders two releases of one dataset: by the last day their data
// covers, then, for the same day, by the publisher's release number when
// both names are numbers ("29" < "29.1" < "30"). 0 means the same release:
// the same day and names that are equal, or not both numbers (a release
// named by its last month is the same as the numbered one with that month).
func (r Release) Compare(o Release) int {
	if c := r.AsOf.Time().Compare(o.AsOf.Time()); c != 0 {
		return c
	}
	a, err1 := strconv.ParseFloat(r.Name, 64)
	b, err2 := strconv.ParseFloat(o.Name, 64)
	switch {
	case err1 != nil || err2 != nil || a == b:
		return 0
	case a < b:
		return -1
	}
	return 1
}

// String is "kiel release 29 (data to 2026-04-30)".
func (r Release) String() string {
	return fmt.Sprintf("%s release %s (data to %s)", r.Dataset, r.Name, r.AsOf)
}

// ReleaseReport is what loading one release did.
type ReleaseReport struct {
	Dataset string `json:"dataset"`
	Release string `json:"release"`
	AsOf    Date   `json:"as_of"`
	// Previous is the release loaded before, if any.
	Previous     string `json:"previous_release,omitempty"`
	PreviousAsOf Date   `json:"previous_as_of,omitzero"`
	// Action: "new" (first release), "same" (already loaded: matched,
	// nothing replaced), "newer" (replaces Previous), "older, forced",
	// or "older, skipped" (Load keeps the newer release loaded).
	Action    string `json:"action"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Removed   int    `json:"removed"`
	// Changes are the donors' totals per support type that the release
	// changed, largest change first.
	Changes []TotalChange `json:"changes"`
}

// TotalChange is one donor's total of one support type before and after a
// release, in euro cents, over the dataset's records.
type TotalChange struct {
	Donor  string      `json:"donor"`
	Type   SupportType `json:"type"`
	Before int64       `json:"before_eur_minor"`
	After  int64       `json:"after_eur_minor"`
	Change int64       `json:"change_eur_minor"`
}

// DatasetInfo is a published dataset as loaded: its release and records.
type DatasetInfo struct {
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Release  string    `json:"release"`
	AsOf     Date      `json:"as_of"`
	Records  int       `json:"records"`
	Kind     string    `json:"kind"` // pledges, fx_rates, fx_history, countries or equipment
	Source   string    `json:"source"`
	SHA256   string    `json:"sha256,omitempty"`
	LoadedAt time.Time `json:"loaded_at,omitzero"`
	LoadedBy string    `json:"loaded_by"`
	// Freshness is how old the data are, against the publisher's cycle;
	// set by the adapters (which know the day: FreshnessOf).
	Freshness
}

// DatasetStore lists the published datasets loaded.
type DatasetStore interface {
	// Datasets returns every dataset with a loaded release, by name.
	Datasets(ctx context.Context) ([]DatasetInfo, error)
}

// FTSDataset is the dataset of the OCHA FTS flows imported (format fts).
// It has no releases: FTS flows are matched on (dataset, flow id) whatever
// the file and --source, so that the same flow in two files of one command
// or in two imports is one record, at its highest versionId
// (NewerFlowVersion).
const FTSDataset = "fts"

// FlowDataset reports whether dataset is one of records that are matched
// on their id and carry a version of their own: FTSDataset.
func FlowDataset(dataset string) bool { return dataset == FTSDataset }

// NewerFlowVersion reports whether the provenance of an incoming flow
// record gives a higher version (provenance extra.version_id, FTS's
// versionId) than the stored record's. A stored record without a version
// is replaced by any; an incoming one without a version replaces none.
func NewerFlowVersion(incoming, stored string) bool {
	in, okIn := provenanceVersion(incoming)
	st, okSt := provenanceVersion(stored)
	return !okSt || okIn && in > st
}

func provenanceVersion(prov string) (float64, bool) {
	var p struct {
		Extra struct {
			VersionID string `json:"version_id"`
		} `json:"extra"`
	}
	if json.Unmarshal([]byte(prov), &p) != nil || p.Extra.VersionID == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(p.Extra.VersionID, 64)
	return v, err == nil
}
