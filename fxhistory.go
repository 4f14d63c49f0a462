package coalition

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The ECB's euro reference rates before the FX table starts (issue 24): the
// monthly means of the ECB's daily rates, 1999-01 to 2021-12, for the 20
// currencies of the FX table, computed from the ECB's eurofxref-hist.csv
// (scripts/fxhistory; sources in data/README.md). They are embedded, not
// stored: a database is created without them and the file is parsed only
// by the first conversion that needs a month before the table's rates
// (ConvertPledge). The seed lists them as the dataset FXHistoryDataset.

//go:embed data/fx_eur_monthly_1999_2021.csv
var fxHistoryCSV string

// FXHistoryDataset names the embedded history as a published dataset.
const FXHistoryDataset = "ecb-fx-history"

// FXHistorySource is the citation of a rate of the history.
const FXHistorySource = "ECB euro reference rate; mean of the month's daily rates; eurofxref-hist.csv (ECB), history 1999-2021"

// FXHistoryLast is the last month of the history.
var FXHistoryLast = MonthOf(2021, 12)

var fxHistory struct {
	once  sync.Once
	rates map[string]map[Month]float64
	err   error
}

// HistoricRate returns the ECB's monthly average of cur in month m from the
// embedded history: the month's own rate only (a month the ECB did not
// quote cur on every day of has none, and an earlier month's rate is not
// used: ISK was not quoted from December 2008 to 2018). A NotFound error
// when there is none.
func HistoricRate(cur string, m Month) (*FXRate, error) {
	loadFXHistory()
	if fxHistory.err != nil {
		return nil, fxHistory.err
	}
	v, ok := fxHistory.rates[cur][m]
	if !ok {
		return nil, Errorf(NotFound, "no ECB euro reference rate for %s in %s", cur, m)
	}
	return &FXRate{Month: m, Currency: cur, UnitsPerEUR: v, Source: FXHistorySource}, nil
}

// HistoricCurrency reports whether the history has a rate of cur.
func HistoricCurrency(cur string) bool {
	loadFXHistory()
	return len(fxHistory.rates[cur]) > 0
}

// FXHistoryCount is the number of monthly rates in the history, counted
// without parsing them (the seed records it on the dataset).
func FXHistoryCount() int {
	text := fxHistoryCSV[strings.IndexByte(fxHistoryCSV, '\n')+1:] // the rows after the header
	n := 0
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\n")
		line = line[strings.IndexByte(line, ',')+1:] // the cells after the month
		for cell := range strings.SplitSeq(line, ",") {
			if cell != "" {
				n++
			}
		}
	}
	return n
}

// loadFXHistory parses the embedded file once, on first use.
func loadFXHistory() {
	fxHistory.once.Do(func() { fxHistory.rates, fxHistory.err = parseFXHistory(fxHistoryCSV) })
}

// parseFXHistory reads the embedded file: month, then one column per
// currency, an empty cell where there is no rate.
func parseFXHistory(text string) (map[string]map[Month]float64, error) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	header := strings.Split(lines[0], ",")
	out := map[string]map[Month]float64{}
	for _, cur := range header[1:] {
		out[cur] = map[Month]float64{}
	}
	for i, line := range lines[1:] {
		cells := strings.Split(line, ",")
		if len(cells) != len(header) {
			return nil, fmt.Errorf("fx history: line %d: %d cells, want %d", i+2, len(cells), len(header))
		}
		m, err := ParseMonth(cells[0])
		if err != nil {
			return nil, fmt.Errorf("fx history: line %d: %w", i+2, err)
		}
		for j, cell := range cells[1:] {
			if cell == "" {
				continue
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil || v <= 0 {
				return nil, fmt.Errorf("fx history: line %d: %s %q is not a rate", i+2, header[j+1], cell)
			}
			out[header[j+1]][m] = v
		}
	}
	return out, nil
}
