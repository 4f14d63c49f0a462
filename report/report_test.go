package report_test

import (
	"context"
	"errors"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"coalition"
	"coalition/importer"
	"coalition/internal/reftest"
	"coalition/refdata"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

var sys = coalition.WithUser(context.Background(), coalition.System)

// seeded returns a store holding the bundled reference data (countries,
// groups, COW2025, FX rates, the Kiel release), loaded once into a template
// file and copied for each test.
func seeded(t *testing.T) *sqlstore.Store {
	t.Helper()
	return sqltest.Template(t, "report", loadReference)
}

// loadReference loads refdata and the Kiel file's pledges.
func loadReference(ctx context.Context, s *sqlstore.Store) error {
	ds, err := refdata.Load()
	if err != nil {
		return err
	}
	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		return err
	}
	defer f.Close()
	if ds.Pledges, err = importer.KielCSV(f, importer.KielOptions{File: refdata.KielFile, Source: refdata.KielSource, AsOf: refdata.KielAsOf}); err != nil {
		return err
	}
	_, err = s.Load(ctx, ds, false)
	return err
}

func TestMain(m *testing.M) {
	code := m.Run()
	sqltest.RemoveTemplates()
	os.Exit(code)
}

// usd2023 is the mean of the 12 monthly USD rates of 2023, by a SQL query of
// its own (not FindRate).
func usdMean(t *testing.T, s *sqlstore.Store, year int) float64 {
	t.Helper()
	var avg float64
	var n int
	lo, hi := coalition.MonthOf(year, time.January), coalition.MonthOf(year, time.December)
	if err := s.DB().QueryRow("SELECT avg(units_per_eur), count(*) FROM fx_rates WHERE currency = 'USD' AND month BETWEEN ? AND ?", lo, hi).Scan(&avg, &n); err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Fatalf("%d USD rates in %d, want 12", n, year)
	}
	return avg
}

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var ce *coalition.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a *coalition.Error naming %q", err, field)
	}
	eq(t, "error kind", ce.Kind, coalition.Invalid)
	eq(t, "error field", ce.Field, field)
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// nearly checks one float fact to a relative tolerance.
func nearly(t testing.TB, what string, got, want, rel float64) {
	t.Helper()
	if !near(got, want, rel) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// nato2025e reads the test copy of the NATO 2025 estimates.
func nato2025e(t *testing.T) map[string]float64 {
	t.Helper()
	recs := reftest.File(t, "testdata/nato_defence_2025e.csv")
	out := map[string]float64{}
	for _, r := range recs[1:] {
		if r[2] == "" {
			continue
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[r[0]] = v
	}
	return out
}
