package importer

import (
	"fmt"
	"io"

	"coalition"
)

// KielDataset is the name of the Kiel tracker's monthly per-donor data as a
// published dataset (coalition.Release): every kiel-csv import is a release
// of it.
const KielDataset = "kiel"

// KielTitle names the publisher and the tracker.
const KielTitle = "Kiel Institute for the World Economy, Ukraine Support Tracker"

// KielRelease identifies the release a Kiel monthly file (data_explorer.csv)
// holds from its content: its data run to the last month with a non-zero
// value (as of that month's last day, unless asOf is given), and it is
// named name (the publisher's release number, e.g. "29"), by default
// "data to YYYY-MM". The file name plays no part: the same data under any
// name is the same release. Source is the citation its records carry
// (KielCitation) unless source is given. A file with an invalid row gives
// the importer's row errors.
func KielRelease(r io.Reader, file, name, source string, asOf coalition.Date) (coalition.Release, error) {
	var last coalition.Month
	n := 0
	err := kielCSV(r, KielOptions{File: file, Source: "-"}, nil, func(_ int, ps []*coalition.Pledge) {
		for _, p := range ps {
			n++
			last = max(last, p.FXMonth)
		}
	})
	if err != nil {
		return coalition.Release{}, err
	}
	if n == 0 {
		return coalition.Release{}, Errors{{File: file, Row: 2, Field: "row", Err: fmt.Errorf("no donor-month with a value: a release needs data")}}
	}
	if asOf.IsZero() {
		asOf = last.LastDay()
	}
	if name == "" {
		name = coalition.DefaultReleaseName(asOf)
	}
	if source == "" {
		source = KielCitation(name, asOf, file)
	}
	return coalition.Release{Dataset: KielDataset, Name: name, AsOf: asOf, Title: KielTitle + " (data_explorer.csv)", Source: source,
		Records: coalition.ReleasePledges}, nil
}

// KielCitation is the citation of a Kiel release: "Kiel Institute for the
// World Economy, Ukraine Support Tracker, Release 29 (data to 04/2026),
// data_explorer.csv", or without a release number "…, data to 04/2026, …".
func KielCitation(name string, asOf coalition.Date, file string) string {
	to := fmt.Sprintf("data to %02d/%04d", int(asOf.M), asOf.Y)
	if name == coalition.DefaultReleaseName(asOf) {
		return fmt.Sprintf("%s, %s, %s", KielTitle, to, file)
	}
	return fmt.Sprintf("%s, Release %s (%s), %s", KielTitle, name, to, file)
}
