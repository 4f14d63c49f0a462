// Package updates fetches the newest release of a published dataset from
// its publisher (or from a mirror of it, or a local copy), checks it,
// shows what it changes and loads it as a new release through the same
// path as an import or the seed (coalition.Import.Release, Loader.Load):
// `coalition update` and `serve --update-every`.
//
// A download is checked before anything is written: its format (the
// importer's parsers), its completeness (an HTTP error, a body shorter
// than announced, a truncated file) and its plausibility: a release in
// which a donor's total, a country's GDP or a currency disappears or falls
// by more than the limits below is refused unless AllowDrop. Every refusal
// is a coalition.Invalid error and leaves the database as it was.
package updates

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"coalition"
	"coalition/imports"
)

// The publishers' addresses. Mirrors (Request.From) serve the same paths.
const (
	// KielURL is the folder of the Kiel Ukraine Support Tracker's data
	// files, as the tracker's chart widgets on the Kiel Institute's site
	// read them (data_explorer.csv, release_info.csv).
	KielURL = "https://ukrainesupporttrackerwebsite.github.io/ukraine-support-tracker/data/"
	// ECBURL is the ECB data portal's SDMX data service for the exchange
	// rates dataflow (EXR).
	ECBURL = "https://data-api.ecb.europa.eu/service/data/EXR/"
	// WorldBankURL is the World Bank's Indicators API (v2).
	WorldBankURL = "https://api.worldbank.org/v2/"
)

// Plausibility limits: a release that moves a figure further than this is
// more likely a broken or partial file than a revision, and is loaded only
// with AllowDrop.
const (
	// KielMaxDrop: Kiel revises a donor's past figures between releases by
	// a few per cent (refdata sources.md: about 1%); a donor's total
	// falling by more than 10%, or a donor missing, needs AllowDrop.
	KielMaxDrop = 0.10
	// GDPMaxDrop: a country's GDP in current US dollars can fall by a
	// quarter in a year of war or devaluation; by more than 40% from the
	// loaded figure needs AllowDrop.
	GDPMaxDrop = 0.40
	// FXTolerance: the loaded rates are means of the ECB's daily rates to
	// two more decimals than the ECB's own monthly averages, which are
	// rounded to 4 to 6 significant digits (ISK 143.9: half a unit in the
	// last digit is 0.035%); a rate within this relative difference is the
	// same rate and is left as it is.
	FXTolerance = 5e-4
)

// MaxDownload is the largest file an update reads (the Kiel monthly file
// is about 100 kB; the World Bank's answers a few MB).
const MaxDownload = 64 << 20

// Datasets are the names `coalition update` takes, in the order of `all`.
var Datasets = []string{"kiel", "fx", "gdp"}

// Store is what an update needs of the database; *sqlstore.Store is one.
type Store interface {
	imports.Store
	coalition.Loader
	coalition.DatasetStore
}

// Request is one update of one dataset.
type Request struct {
	Dataset string // kiel, fx or gdp
	// From replaces the publisher: an http(s) URL is a mirror serving the
	// publisher's paths under it; anything else is a local file (the
	// dataset's one file) or a folder holding the files under their
	// names (Files).
	From      string
	DryRun    bool // check and show the diff; write nothing
	AllowDrop bool // load a release that fails a plausibility limit
	Force     bool // load a release older than the one loaded
	Client    *http.Client
	Now       time.Time // the clock (the World Bank's years asked for); default now
}

// Files are the names of each dataset's files in a --from folder (and the
// last part of their path at the publisher).
var Files = map[string][]string{
	"kiel": {"data_explorer.csv", "release_info.csv (optional)"},
	"fx":   {"EXR.csv"},
	"gdp":  {"NY.GDP.MKTP.CD.json", "SP.POP.TOTL.json"},
}

// Result is what an update found and did.
type Result struct {
	Dataset   string   `json:"dataset"` // kiel, fx or gdp
	Read      []string `json:"read"`    // the URLs or files read
	SHA256    string   `json:"sha256"`  // of the (first) file
	DryRun    bool     `json:"dry_run"`
	Committed bool     `json:"committed"` // something was written
	// Release is what loading the release did (or would do): its name,
	// "new", "same" or "newer", and the counts.
	Release coalition.ReleaseReport `json:"release"`
	// Diff lists every figure the release changes.
	Diff     []Change `json:"diff"`
	Drops    []Change `json:"drops"` // the changes beyond a plausibility limit
	Warnings []string `json:"warnings"`
}

// Changed reports whether the release changes anything.
func (r *Result) Changed() bool {
	return len(r.Diff) > 0 || r.Release.Created+r.Release.Updated+r.Release.Removed > 0
}

// Change is one figure before and after a release.
type Change struct {
	Item   string `json:"item"` // "USA military", "USD 2026-07", "DEU GDP"
	Before string `json:"before"`
	After  string `json:"after"`
	Change string `json:"change,omitempty"`
}

// Run updates one dataset as the user in ctx (an administrator: releases
// of published datasets are loaded by administrators). The Result is
// returned with the error when a plausibility limit refused the release,
// so that the diff can be shown.
func Run(ctx context.Context, s Store, req Request) (*Result, error) {
	if req.Client == nil {
		req.Client = &http.Client{Timeout: 5 * time.Minute}
	}
	if req.Now.IsZero() {
		req.Now = time.Now().UTC()
	}
	f := &fetcher{from: req.From, client: req.Client}
	var res *Result
	var err error
	switch req.Dataset {
	case "kiel":
		res, err = updateKiel(ctx, s, req, f)
	case "fx":
		res, err = updateFX(ctx, s, req, f)
	case "gdp":
		res, err = updateGDP(ctx, s, req, f)
	default:
		return nil, coalition.FieldError("dataset", "%q: want one of %s", req.Dataset, strings.Join(Datasets, ", "))
	}
	if res != nil {
		res.Read = f.read
		res.DryRun = req.DryRun
	}
	return res, err
}

// refuseDrops is the error for a release beyond a plausibility limit.
func refuseDrops(res *Result, limit string) error {
	items := make([]string, 0, len(res.Drops))
	for _, d := range res.Drops {
		items = append(items, fmt.Sprintf("%s %s → %s (%s)", d.Item, d.Before, d.After, d.Change))
	}
	if len(items) > 5 {
		items = append(items[:5], fmt.Sprintf("and %d more", len(res.Drops)-5))
	}
	return coalition.Errorf(coalition.Invalid, "%s %s: %s: nothing was loaded "+
		"(%s, see docs/importers.md; if the publisher really revised it, --allow-drop loads it)",
		res.Dataset, res.Release.Release, strings.Join(items, "; "), limit)
}

// loadedRelease returns the release of dataset loaded, if any.
func loadedRelease(ctx context.Context, s coalition.DatasetStore, dataset string) (*coalition.Release, error) {
	ds, err := s.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(ds, func(d coalition.DatasetInfo) bool { return d.Name == dataset })
	if i < 0 {
		return nil, nil
	}
	return &coalition.Release{Dataset: dataset, Name: ds[i].Release, AsOf: ds[i].AsOf}, nil
}

// checkNotOlder refuses a release older than the one loaded, unless force.
func checkNotOlder(ctx context.Context, s coalition.DatasetStore, r coalition.Release, force bool) error {
	prev, err := loadedRelease(ctx, s, r.Dataset)
	if err != nil || prev == nil || force || r.Compare(*prev) >= 0 {
		return err
	}
	return coalition.Errorf(coalition.Conflict, "%s: the publisher's release %s (data to %s) is older than the loaded release %s (data to %s): "+
		"nothing was loaded (--force loads it anyway)", r.Dataset, r.Name, r.AsOf, prev.Name, prev.AsOf)
}

// load applies ds (one release) with a dry run first, so that the diff is
// known before anything is written; then, unless dryRun, for real.
func load(ctx context.Context, s coalition.Loader, ds *coalition.Dataset, dryRun bool) (coalition.ReleaseReport, bool, error) {
	rep, err := s.Load(ctx, ds, true)
	if err != nil {
		return coalition.ReleaseReport{}, false, err
	}
	if dryRun || !rep.Changed() && !releaseChanged(rep) {
		return firstRelease(rep), false, nil
	}
	if rep, err = s.Load(ctx, ds, false); err != nil {
		return coalition.ReleaseReport{}, false, err
	}
	return firstRelease(rep), true, nil
}

func releaseChanged(rep coalition.LoadReport) bool {
	for _, r := range rep.Releases {
		if r.Action != "same" && r.Action != "older, skipped" {
			return true
		}
	}
	return false
}

func firstRelease(rep coalition.LoadReport) coalition.ReleaseReport {
	if len(rep.Releases) == 0 {
		return coalition.ReleaseReport{}
	}
	return rep.Releases[0]
}
