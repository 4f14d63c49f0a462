package updates

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"

	"coalition"
	"coalition/importer"
	"coalition/refdata"
)

// fxCurrencies are the currencies asked for when the database has no rate
// yet: those of the bundled table.
var fxCurrencies = []string{"USD", "GBP", "JPY", "CAD", "AUD", "NZD", "NOK", "SEK", "DKK", "CHF", "PLN", "CZK", "HUF", "RON", "BGN",
	"KRW", "TRY", "ISK", "CNY", "INR"}

// ECBAddress is the ECB data portal's address of the monthly average
// rates of currencies against the euro, from month from on, as CSV.
func ECBAddress(currencies []string, from coalition.Month) string {
	return fmt.Sprintf("%sM.%s.EUR.SP00.A?format=csvdata&startPeriod=%s", ECBURL, strings.Join(currencies, "+"), from)
}

// updateFX reads the ECB's monthly averages of the currencies the database
// holds and loads the months it lacks (and any rate the ECB gives
// differently, beyond FXTolerance) as a release of ecb-fx. A currency
// held but missing from the download is a drop.
func updateFX(ctx context.Context, s Store, req Request, f *fetcher) (*Result, error) {
	const file = "EXR.csv"
	stored, err := s.AllRates(ctx)
	if err != nil {
		return nil, err
	}
	have, curs, from := fxHeld(stored)
	body, err := f.need(ctx, ECBAddress(curs, from), file, true)
	if err != nil {
		return nil, err
	}
	rates, err := importer.ECBRates(bytes.NewReader(body), file)
	if err != nil {
		return nil, invalidFile(file, err)
	}
	res := &Result{Dataset: refdata.FXDataset, SHA256: sha(body), Diff: []Change{}, Drops: []Change{}, Warnings: []string{}}
	toLoad, last := fxCompare(res, rates, have, curs)
	rel := coalition.Release{Dataset: refdata.FXDataset, Name: coalition.DefaultReleaseName(last.LastDay()), AsOf: last.LastDay(),
		Records: coalition.ReleaseFXRates, SHA256: res.SHA256,
		Title:  "ECB euro reference rates, monthly averages (ECB data portal, EXR)",
		Source: "ECB euro foreign exchange reference rates, monthly averages (ECB data portal, dataflow EXR, series M.<currency>.EUR.SP00.A)"}
	res.Release = coalition.ReleaseReport{Dataset: rel.Dataset, Release: rel.Name, AsOf: rel.AsOf}
	if len(res.Drops) > 0 && !req.AllowDrop {
		return res, refuseDrops(res, "a currency held must stay in the download")
	}
	if err := checkNotOlder(ctx, s, rel, req.Force); err != nil {
		return res, err
	}
	rep, committed, err := load(ctx, s, &coalition.Dataset{FXRates: toLoad, Releases: []coalition.Release{rel}}, req.DryRun)
	if err != nil {
		return nil, err
	}
	res.Release, res.Committed = rep, committed
	// The load counts the rates it was given; the diff says which of them
	// are new months and which replace a held rate.
	res.Release.Created, res.Release.Updated = 0, 0
	for _, d := range res.Diff {
		if d.Before == "–" {
			res.Release.Created++
		} else {
			res.Release.Updated++
		}
	}
	return res, nil
}

// fxHeld indexes the rates held by currency and month, and returns the
// currencies to ask the ECB for (the bundled ones when none is held) and
// the first month held (2022-01 when none).
func fxHeld(stored []coalition.FXRate) (have map[string]map[coalition.Month]float64, curs []string, from coalition.Month) {
	have = map[string]map[coalition.Month]float64{}
	from = coalition.MonthOf(2022, 1)
	for i, r := range stored {
		if have[r.Currency] == nil {
			have[r.Currency] = map[coalition.Month]float64{}
		}
		have[r.Currency][r.Month] = r.UnitsPerEUR
		if i == 0 || r.Month < from {
			from = r.Month
		}
	}
	if len(have) == 0 {
		return have, fxCurrencies, from
	}
	for c := range have {
		curs = append(curs, c)
	}
	slices.Sort(curs)
	return have, curs, from
}

// fxCompare returns the downloaded rates to load (new months, and rates
// that differ from the held ones beyond FXTolerance) and the last month
// of the download, filling res's diff, and its drops with the currencies
// held that the download lacks.
func fxCompare(res *Result, rates []coalition.FXRate, have map[string]map[coalition.Month]float64, curs []string) ([]coalition.FXRate, coalition.Month) {
	var last coalition.Month
	got := map[string]bool{}
	var toLoad []coalition.FXRate
	for _, r := range rates {
		last = max(last, r.Month)
		got[r.Currency] = true
		old, ok := have[r.Currency][r.Month]
		if ok && math.Abs(r.UnitsPerEUR/old-1) <= FXTolerance {
			continue // the same rate, to the ECB's rounding
		}
		toLoad = append(toLoad, r)
		before := "–"
		if ok {
			before = fmt.Sprintf("%g", old)
		}
		res.Diff = append(res.Diff, Change{Item: r.Currency + " " + r.Month.String(), Before: before, After: fmt.Sprintf("%g", r.UnitsPerEUR)})
	}
	slices.SortFunc(res.Diff, func(a, b Change) int { return strings.Compare(a.Item, b.Item) })
	for _, c := range curs {
		if !got[c] && len(have[c]) > 0 {
			res.Drops = append(res.Drops, Change{Item: c, Before: fmt.Sprintf("%d months", len(have[c])), After: "none", Change: "missing from the download"})
		}
	}
	return toLoad, last
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
