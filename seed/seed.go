// Package seed composes the bundled reference data into one dataset: the
// simple tables from refdata, the Kiel monthly file through the importer's
// kiel-csv code path (the same one users import with), and the elections
// calendar as editable risk events.
package seed

import (
	"context"
	"fmt"
	"io"
	"path"
	"time"

	"coalition"
	"coalition/analysis/risk"
	"coalition/importer"
	"coalition/refdata"
)

// ElectionsFile is the bundled calendar of scheduled national elections.
const ElectionsFile = "elections.csv"

// Dataset returns the whole reference dataset.
func Dataset() (*coalition.Dataset, error) {
	ds, err := refdata.Load()
	if err != nil {
		return nil, err
	}
	rel, pledges, err := KielRelease()
	if err != nil {
		return nil, err
	}
	ds.Releases = append([]coalition.Release{rel}, ds.Releases...)
	ds.Pledges = pledges
	if ds.RiskEvents, err = ElectionEvents(); err != nil {
		return nil, err
	}
	return ds, nil
}

// KielRelease reads the bundled Kiel monthly file as a user's kiel-csv
// import does (importer.KielRelease, then the kiel-csv parser): release 29
// of the Kiel dataset, with data to April 2026, and its pledges, which
// belong to it (Pledge.Dataset).
func KielRelease() (coalition.Release, []*coalition.Pledge, error) {
	read := func(fn func(r io.Reader) error) error {
		f, err := refdata.Open(refdata.KielFile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := fn(f); err != nil {
			return fmt.Errorf("bundled Kiel file: %w", err)
		}
		return nil
	}
	var rel coalition.Release
	var ps []*coalition.Pledge
	err := read(func(r io.Reader) (err error) {
		rel, err = importer.KielRelease(r, path.Base(refdata.KielFile), refdata.KielRelease, "", coalition.Date{})
		return err
	})
	if err == nil {
		err = read(func(r io.Reader) (err error) {
			ps, err = importer.KielCSV(r, importer.KielOptions{File: refdata.KielFile, Source: rel.Source, AsOf: rel.AsOf})
			return err
		})
	}
	if err != nil {
		return rel, nil, err
	}
	if rel.AsOf != refdata.KielAsOf || rel.Source != refdata.KielSource {
		return rel, nil, fmt.Errorf("bundled Kiel file: read as %s cited %q, want data to %s cited %q", rel, rel.Source, refdata.KielAsOf, refdata.KielSource)
	}
	for _, p := range ps {
		p.Dataset, p.Release = rel.Dataset, rel.Name
	}
	return rel, ps, nil
}

// ElectionEvents turns every dated row of the bundled elections calendar
// (refdata/data/elections.csv) into a stored risk event of kind "election":
// its date (a month alone is placed on its first day; a year alone on the
// first of June, risk.YearOnlyMonth), the default probability and factor of
// risk.DefaultAssumptions for its kind, the calendar's source URLs, and an
// Assumption that says these are editable user assumptions. Rows without a
// date (postponed elections) are left out. Loading matches risk events on
// (ISO3, Date, Kind, Label), so users' edits of probability and factor
// survive a second seed.
func ElectionEvents() ([]*coalition.RiskEvent, error) {
	f, err := refdata.Open(ElectionsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The whole calendar: every month from 1900 to 2199.
	evs, err := risk.CalendarEvents(f, coalition.MonthOf(1900, time.January), 300*12, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", ElectionsFile, err)
	}
	out := make([]*coalition.RiskEvent, 0, len(evs))
	for _, ce := range evs {
		date, dateNote, err := electionDate(ce.Date)
		if err != nil {
			return nil, fmt.Errorf("bundled %s: %s %s: %w", ElectionsFile, ce.ISO3, ce.Election, err)
		}
		a := risk.DefaultAssumptions[ce.Kind]
		out = append(out, &coalition.RiskEvent{
			ISO3: ce.ISO3, Date: date, Kind: "election", Label: ce.Event.Label,
			Probability: ce.Event.Probability, Factor: ce.Event.Factor, Source: ce.Event.Source,
			Assumption: fmt.Sprintf("User assumption, not an estimate: the default rule for %s elections in risk.DefaultAssumptions "+
				"(docs/risk-model.md) gives probability %.2f that the election cuts support and factor %.2f on the support from then on; "+
				"edit both for this election. Date %s %s (%s)%s.",
				ce.Kind, a.Probability, a.Factor, ce.DateStatus, ce.Date, ElectionsFile, dateNote),
		})
	}
	return out, nil
}

// electionDate places a calendar date (YYYY-MM-DD, YYYY-MM or YYYY) on a day.
func electionDate(s string) (coalition.Date, string, error) {
	switch len(s) {
	case 10:
		d, err := coalition.ParseDate(s)
		return d, "", err
	case 7:
		m, err := coalition.ParseMonth(s)
		return m.FirstDay(), "; stored on the first day of the month", err
	case 4:
		m, err := coalition.ParseMonth(s + "-01")
		if err != nil {
			return coalition.Date{}, "", err
		}
		d := coalition.Date{Y: m.Year(), M: time.Month(risk.YearOnlyMonth), D: 1}
		return d, fmt.Sprintf("; only the year is known: stored on %s (mid-year, assumed)", d), nil
	}
	return coalition.Date{}, "", fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// Load loads the reference dataset into s as the system user; it is idempotent.
func Load(ctx context.Context, s coalition.Loader, dryRun bool) (coalition.LoadReport, error) {
	ds, err := Dataset()
	if err != nil {
		return coalition.LoadReport{}, err
	}
	return s.Load(coalition.WithUser(ctx, coalition.System), ds, dryRun)
}
