package updates

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"

	"coalition"
	"coalition/importer"
	"coalition/refdata"
)

// The World Bank indicators a country's figures come from.
const (
	GDPIndicator        = "NY.GDP.MKTP.CD" // GDP, current US$
	PopulationIndicator = "SP.POP.TOTL"    // population, total
)

// WorldBankAddress is the World Bank API's address of an indicator for
// every country, the years from to to, in one page of JSON.
func WorldBankAddress(indicator string, from, to int) string {
	return fmt.Sprintf("%scountry/all/indicator/%s?format=json&date=%d:%d&per_page=20000", WorldBankURL, indicator, from, to)
}

// wbCoverage is the share of the states with a GDP that a year must cover
// to be the release: the World Bank publishes a year's figures country by
// country, and a year only a few have reached is not yet the release.
const wbCoverage = 0.9

// updateGDP reads the World Bank's GDP and population of the last years,
// takes the newest year that covers wbCoverage of the states, and loads
// each state's figures of that year as a release of worldbank. A state
// without that year keeps its figures; a GDP falling by more than
// GDPMaxDrop is a drop.
func updateGDP(ctx context.Context, s Store, req Request, f *fetcher) (*Result, error) {
	to := req.Now.Year()
	read := func(id string) (*importer.WBIndicator, string, error) {
		file := id + ".json"
		b, err := f.need(ctx, WorldBankAddress(id, to-8, to), file, false)
		if err != nil {
			return nil, "", err
		}
		ind, err := importer.WorldBank(bytes.NewReader(b), file, id)
		if err != nil {
			return nil, "", invalidFile(file, err)
		}
		return ind, sha(b), nil
	}
	gdp, sum, err := read(GDPIndicator)
	if err != nil {
		return nil, err
	}
	pop, _, err := read(PopulationIndicator)
	if err != nil {
		return nil, err
	}
	countries, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil, err
	}
	res := &Result{Dataset: refdata.WorldBankDataset, SHA256: sum, Diff: []Change{}, Drops: []Change{}, Warnings: []string{}}
	gdpOf, popOf := byCountryYear(gdp), byCountryYear(pop)
	year, err := releaseYear(countries, gdpOf)
	if err != nil {
		return nil, err
	}
	rel := coalition.Release{Dataset: refdata.WorldBankDataset, Name: strconv.Itoa(year), AsOf: coalition.Date{Y: year, M: 12, D: 31},
		Records: coalition.ReleaseCountries, SHA256: sum,
		Title: fmt.Sprintf("World Bank World Development Indicators: GDP (current US$) and population, %d (WDI API)", year),
		Source: fmt.Sprintf("World Bank, World Development Indicators, %s and %s, %d (WDI API, data of %s)",
			GDPIndicator, PopulationIndicator, year, gdp.LastUpdated)}
	res.Release = coalition.ReleaseReport{Dataset: rel.Dataset, Release: rel.Name, AsOf: rel.AsOf}
	changed := gdpChanges(res, countries, year, gdpOf, popOf)
	for _, c := range countries {
		if c.State && c.GDPUSDBn != nil && (c.GDPYear == year || gdpOf[c.ISO3][year] > 0) {
			rel.Count++
		}
	}
	if len(res.Drops) > 0 && !req.AllowDrop {
		return res, refuseDrops(res, fmt.Sprintf("a country's GDP may fall by at most %.0f%%", GDPMaxDrop*100))
	}
	if err := checkNotOlder(ctx, s, rel, req.Force); err != nil {
		return res, err
	}
	rep, committed, err := load(ctx, s, &coalition.Dataset{Countries: changed, Releases: []coalition.Release{rel}}, req.DryRun)
	if err != nil {
		return nil, err
	}
	res.Release, res.Committed = rep, committed
	res.Release.Updated = len(changed)
	return res, nil
}

func byCountryYear(ind *importer.WBIndicator) map[string]map[int]float64 {
	out := map[string]map[int]float64{}
	for _, v := range ind.Values {
		if out[v.ISO3] == nil {
			out[v.ISO3] = map[int]float64{}
		}
		out[v.ISO3][v.Year] = v.Value
	}
	return out
}

// releaseYear is the newest year with a GDP for wbCoverage of the states
// that have one in the database.
func releaseYear(countries []*coalition.Country, gdp map[string]map[int]float64) (int, error) {
	var years []int
	n := 0
	for _, c := range countries {
		if !c.State || c.GDPUSDBn == nil {
			continue
		}
		n++
		for y := range gdp[c.ISO3] {
			if !slices.Contains(years, y) {
				years = append(years, y)
			}
		}
	}
	slices.Sort(years)
	for i := len(years) - 1; i >= 0; i-- {
		k := 0
		for _, c := range countries {
			if c.State && c.GDPUSDBn != nil && gdp[c.ISO3][years[i]] > 0 {
				k++
			}
		}
		if float64(k) >= wbCoverage*float64(n) {
			return years[i], nil
		}
	}
	return 0, coalition.Errorf(coalition.Invalid, "update gdp: no year of the download has a GDP for %.0f%% of the %d countries with one: "+
		"not the World Bank's indicator for all countries (a partial or changed download): nothing was loaded", wbCoverage*100, n)
}

// wbYear finds the World Bank year a country's citation names.
var wbYear = regexp.MustCompile(`(World Bank WDI |WB)(\d{4})`)

// gdpChanges returns the countries whose figures the release changes,
// filling res's diff and drops.
func gdpChanges(res *Result, countries []*coalition.Country, year int, gdpOf, popOf map[string]map[int]float64) []*coalition.Country {
	var out []*coalition.Country
	for _, c := range countries {
		g, ok := gdpOf[c.ISO3][year]
		if !c.State || !ok || g <= 0 {
			continue
		}
		n := *c
		bn := math.Round(g/1e8) / 10
		n.GDPUSDBn, n.GDPYear = &bn, year
		if p, ok := popOf[c.ISO3][year]; ok && p > 0 {
			m := math.Round(p/1e3) / 1e3
			n.PopulationM = &m
		} else if c.GDPYear != year {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: no population for %d: keeps %d's", c.ISO3, year, c.GDPYear))
		}
		n.Source = wbYear.ReplaceAllString(c.Source, "${1}"+strconv.Itoa(year))
		if same(c.GDPUSDBn, n.GDPUSDBn) && same(c.PopulationM, n.PopulationM) && c.GDPYear == year && c.Source == n.Source {
			continue
		}
		out = append(out, &n)
		gdpDiff(res, c, &n)
	}
	return out
}

// gdpDiff adds to res the change from country c to n: its GDP (a drop when
// it falls by more than GDPMaxDrop) and its population.
func gdpDiff(res *Result, c, n *coalition.Country) {
	fig := func(v *float64, unit string, year int) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprintf("%s%s %d", strconv.FormatFloat(*v, 'f', -1, 64), unit, year)
	}
	gdp := Change{Item: c.ISO3 + " GDP", Before: fig(c.GDPUSDBn, " bn USD", c.GDPYear), After: fig(n.GDPUSDBn, " bn USD", n.GDPYear)}
	res.Diff = append(res.Diff, gdp)
	if !same(c.PopulationM, n.PopulationM) {
		res.Diff = append(res.Diff, Change{Item: c.ISO3 + " population", Before: fig(c.PopulationM, " m", c.GDPYear), After: fig(n.PopulationM, " m", n.GDPYear)})
	}
	if old, now := c.GDPUSDBn, n.GDPUSDBn; old != nil && *old > 0 && *now < (1-GDPMaxDrop)**old {
		gdp.Change = fmt.Sprintf("%+.1f%%", 100*(*now / *old - 1))
		res.Drops = append(res.Drops, gdp)
	}
}

func same(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
