package updates

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"

	"coalition"
	"coalition/importer"
	"coalition/imports"
)

// updateKiel reads the Kiel tracker's monthly file (and its release
// number from release_info.csv, when there) and imports it as a kiel-csv
// release: the same path as `coalition import kiel-csv`.
func updateKiel(ctx context.Context, s Store, req Request, f *fetcher) (*Result, error) {
	const file = "data_explorer.csv"
	body, err := f.need(ctx, KielURL+file, file, true)
	if err != nil {
		return nil, err
	}
	res := &Result{Dataset: importer.KielDataset, SHA256: sha(body), Diff: []Change{}, Drops: []Change{}, Warnings: []string{}}
	rel, err := importer.KielRelease(bytes.NewReader(body), file, "", "", coalition.Date{})
	if err != nil {
		return nil, invalidFile(file, err)
	}
	name, warn := kielReleaseName(ctx, f, rel.AsOf)
	if warn != "" {
		res.Warnings = append(res.Warnings, warn)
	}
	after, err := kielTotals(body, file)
	if err != nil {
		return nil, invalidFile(file, err)
	}
	run := func(dry bool) (*imports.Report, error) {
		rep, err := imports.Run(ctx, s, imports.Request{Format: "kiel-csv", Release: name, Force: req.Force, DryRun: dry,
			User: coalition.System.Email}, []imports.File{{Name: file, Size: int64(len(body)), R: bytes.NewReader(body)}})
		if err != nil {
			return nil, err
		}
		if len(rep.Errors) > 0 {
			return nil, coalition.Errorf(coalition.Invalid, "update kiel: the download has %d rows the database refuses: nothing was loaded:\n%v",
				len(rep.Errors), rep.Errors)
		}
		return rep, nil
	}
	rep, err := run(true)
	if err != nil {
		return nil, err
	}
	res.Release = *rep.Result.Release
	res.Diff, res.Drops = kielDiff(rep.Result.Release.Changes, after)
	if len(res.Drops) > 0 && !req.AllowDrop {
		return res, refuseDrops(res, fmt.Sprintf("a donor's total may fall by at most %.0f%%", KielMaxDrop*100))
	}
	if req.DryRun || !res.Changed() && res.Release.Action == "same" {
		return res, nil
	}
	if rep, err = run(false); err != nil {
		return nil, err
	}
	res.Release, res.Committed = *rep.Result.Release, rep.Committed
	return res, nil
}

// kielReleaseName reads the publisher's release number from
// release_info.csv ("release","period",…: "29","04/2026"). It is used only
// when its period is the month the data runs to; otherwise the release is
// named by its last month, with a warning.
func kielReleaseName(ctx context.Context, f *fetcher, asOf coalition.Date) (string, string) {
	const file = "release_info.csv"
	b, err := f.get(ctx, KielURL+file, file, false)
	if err != nil {
		return "", ""
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 || len(recs[0]) < 2 || len(recs[1]) < 2 || strings.TrimSpace(recs[0][0]) != "release" {
		return "", fmt.Sprintf("%s is not the tracker's release_info.csv: the release is named by its last month", file)
	}
	name, period := strings.TrimSpace(recs[1][0]), strings.TrimSpace(recs[1][1])
	if want := fmt.Sprintf("%02d/%04d", int(asOf.M), asOf.Y); period != want {
		return "", fmt.Sprintf("%s names release %s for %s, but the data run to %s: the release is named by its last month", file, name, period, want)
	}
	return name, ""
}

// kielTotals sums the file's allocations per donor, in euro cents.
func kielTotals(body []byte, file string) (map[string]int64, error) {
	ps, err := importer.KielCSV(bytes.NewReader(body), importer.KielOptions{File: file, Source: "-"})
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, p := range ps {
		out[p.Donor] += p.AmountEUR
	}
	return out, nil
}

// kielDiff lists the release's changes of a donor's total per type, and
// the donors whose whole total falls by more than KielMaxDrop. A donor's
// total before is its total after less its changes.
func kielDiff(changes []coalition.TotalChange, after map[string]int64) (diff, drops []Change) {
	diff, drops = []Change{}, []Change{}
	change := map[string]int64{}
	var donors []string
	for _, c := range changes {
		if _, ok := change[c.Donor]; !ok {
			donors = append(donors, c.Donor)
		}
		change[c.Donor] += c.Change
		diff = append(diff, Change{Item: fmt.Sprintf("%s %s", c.Donor, c.Type), Before: eur(c.Before), After: eur(c.After), Change: signed(c.Change)})
	}
	for _, d := range donors {
		a := after[d]
		b := a - change[d]
		if b > 0 && float64(b-a) > KielMaxDrop*float64(b) {
			drops = append(drops, Change{Item: d + " total", Before: eur(b), After: eur(a), Change: fmt.Sprintf("%+.1f%%", 100*float64(a-b)/float64(b))})
		}
	}
	return diff, drops
}

func eur(cents int64) string { return coalition.FormatEUR(float64(cents)/100, 2) }

func signed(cents int64) string {
	if cents < 0 {
		return "-" + eur(-cents)
	}
	return "+" + eur(cents)
}

// invalidFile is the error for a download the parser refuses.
func invalidFile(file string, err error) error {
	if coalition.ErrorKind(err) == coalition.Invalid {
		return coalition.Errorf(coalition.Invalid, "update: %s is not a valid file of its publisher (a broken download or a changed format): nothing was loaded:\n%v", file, err)
	}
	return err
}
