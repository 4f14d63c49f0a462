package storetest

import (
	"context"
	"testing"

	"coalition"
)

// relPledge is a pledge of the test dataset "tds": DEU/FRA military per month.
func relPledge(donor string, eurMillions int64, month string) *coalition.Pledge {
	p := pledge(donor, eurMillions, month)
	p.Dataset, p.SourceRef, p.Source = "tds", donor+"/"+month+"/military", "cited anyhow"
	return p
}

func release(name string, asOf coalition.Date) coalition.Release {
	return coalition.Release{Dataset: "tds", Name: name, AsOf: asOf, Title: "Test dataset", Source: "Test dataset, release " + name}
}

// importRelease imports ps as release r through an Import, as coalition
// import kiel-csv does, and returns the report.
func importRelease(t *testing.T, s coalition.Store, ctx context.Context, r coalition.Release, force, dry bool, ps ...*coalition.Pledge) (coalition.ImportReport, error) {
	t.Helper()
	im, err := s.(coalition.Importer).BeginImport(ctx)
	must(t, err)
	defer im.Abort()
	if err := im.Release(ctx, r, force); err != nil {
		return coalition.ImportReport{}, err
	}
	for _, p := range ps {
		c := *p
		c.Dataset = ""                    // the import says which dataset, not the record
		c.Source = "whatever --source is" // and the citation plays no part
		must(t, im.Pledge(ctx, &c))
	}
	return im.Finish(ctx, coalition.ImportOptions{DryRun: dry})
}

// totals is every donor's total (EUR), as the public sees it.
func totals(t *testing.T, s coalition.Store) map[string]float64 {
	t.Helper()
	rows, err := s.DonorTotals(sys, coalition.DonorFilter{})
	must(t, err)
	out := map[string]float64{}
	for _, r := range rows {
		out[r.ISO3] = r.TotalEUR
	}
	return out
}

func byRef(t *testing.T, s coalition.Store) map[string]*coalition.Pledge {
	t.Helper()
	ps, _, err := s.FindPledges(sys, coalition.PledgeFilter{Limit: 1000})
	must(t, err)
	out := map[string]*coalition.Pledge{}
	for _, p := range ps {
		out[p.SourceRef] = p
	}
	return out
}

// releases is the state the stages of testReleases hand on.
type releases struct {
	s      coalition.Store
	r1, r2 coalition.Release
	v1, v2 []*coalition.Pledge
	mine   *coalition.Pledge            // a person's pledge, never touched by a release
	before map[string]*coalition.Pledge // release 1's records by source_ref
	want   map[string]float64           // the totals the public should see
}

// Releases of a published dataset: the same release loaded or imported
// again, under any citation, changes nothing; a newer release replaces the
// old one's records (exactly the changed ones change, the dropped one is
// removed) and says which donors' totals changed; an older one is refused
// unless forced; people's pledges are never touched.
func testReleases(t *testing.T, s coalition.Store) {
	base(t, s)
	r := &releases{s: s,
		r1: release("1", coalition.Date{Y: 2025, M: 2, D: 28}),
		r2: release("2", coalition.Date{Y: 2025, M: 3, D: 31}),
		v1: []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 200, "2025-02"), relPledge("FRA", 30, "2025-01"), relPledge("FRA", 40, "2025-02")},
		// Release 2: DEU 2025-02 changed, FRA 2025-02 dropped, FRA 2025-03 new, the rest as before.
		v2:   []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 250, "2025-02"), relPledge("FRA", 30, "2025-01"), relPledge("FRA", 5, "2025-03")},
		want: map[string]float64{"DEU": 307e6, "FRA": 70e6},
	}
	steps(t,
		step{"first load", r.firstLoad},
		step{"a person's pledge", r.personsPledge},
		step{"same release imported again", r.sameAgain},
		step{"same release loaded again", r.loadAgain},
		step{"newer release, dry run", r.newerDryRun},
		step{"newer release", r.newer},
		step{"records after the newer release", r.afterNewer},
		step{"older release refused", r.olderRefused},
		step{"older release forced", r.olderForced},
		step{"refusals", r.refusals},
	)
}

func (r *releases) firstLoad(t *testing.T) {
	rep, err := r.s.Load(sys, &coalition.Dataset{Pledges: r.v1, Releases: []coalition.Release{r.r1}}, false)
	must(t, err)
	eq(t, "created pledges", rep.Created["pledges"], 4)
	need(t, "releases reported", len(rep.Releases), 1)
	eq(t, "release action", rep.Releases[0].Action, "new")
	eq(t, "release created", rep.Releases[0].Created, 4)
}

// personsPledge: a client that sends dataset fields does not make a
// person's pledge a record of the dataset.
func (r *releases) personsPledge(t *testing.T) {
	r.mine = pledge("DEU", 7, "2025-01")
	r.mine.Dataset, r.mine.Release, r.mine.SourceRef = "tds", "1", "DEU/2025-03/military"
	must(t, r.s.CreatePledge(sys, r.mine))
	got, err := r.s.FindPledge(sys, r.mine.ID)
	must(t, err)
	eq(t, "dataset", got.Dataset, "")
	eq(t, "release", got.Release, "")
	same(t, "totals", totals(t, r.s), r.want)
	r.before = byRef(t, r.s)
	p := r.before["DEU/2025-01/military"]
	eq(t, "record's dataset", p.Dataset, "tds")
	eq(t, "record's release", p.Release, "1")
	eq(t, "record's source", p.Source, r.r1.Source)
	eq(t, "record's as_of", p.AsOf, r.r1.AsOf)
}

// sameAgain: the same release again, imported under another citation.
func (r *releases) sameAgain(t *testing.T) {
	rep, err := importRelease(t, r.s, sys, coalition.Release{Dataset: "tds", Name: coalition.DefaultReleaseName(r.r1.AsOf), AsOf: r.r1.AsOf, Source: "another citation"},
		false, false, r.v1...)
	must(t, err)
	eq(t, "unchanged pledges", rep.Unchanged["pledges"], 4)
	eq(t, "changed", rep.Changed(), false)
	need(t, "release reported", rep.Release != nil, true)
	eq(t, "action", rep.Release.Action, "same")
	eq(t, "release", rep.Release.Release, "1")
	eq(t, "removed", rep.Release.Removed, 0)
	eq(t, "total changes", len(rep.Release.Changes), 0)
	same(t, "totals", totals(t, r.s), r.want)
	for ref, p := range byRef(t, r.s) {
		b := r.before[ref]
		eq(t, ref+" version", p.Version, b.Version)
		eq(t, ref+" source", p.Source, b.Source)
		eq(t, ref+" as_of", p.AsOf, b.AsOf)
	}
}

// loadAgain: loading it again (the seed's path) changes nothing either.
func (r *releases) loadAgain(t *testing.T) {
	rep, err := r.s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 200, "2025-02"),
		relPledge("FRA", 30, "2025-01"), relPledge("FRA", 40, "2025-02")}, Releases: []coalition.Release{r.r1}}, false)
	must(t, err)
	eq(t, "changed", rep.Changed(), false)
	eq(t, "unchanged pledges", rep.Unchanged["pledges"], 4)
	eq(t, "action", rep.Releases[0].Action, "same")
}

func (r *releases) newerDryRun(t *testing.T) {
	dry, err := importRelease(t, r.s, sys, r.r2, false, true, r.v2...)
	must(t, err)
	need(t, "release reported", dry.Release != nil, true)
	eq(t, "action", dry.Release.Action, "newer")
	eq(t, "updated", dry.Release.Updated, 1)
	eq(t, "removed", dry.Release.Removed, 1)
	same(t, "totals after a dry run", totals(t, r.s), r.want)
}

func (r *releases) newer(t *testing.T) {
	rep, err := importRelease(t, r.s, sys, r.r2, false, false, r.v2...)
	must(t, err)
	rr := rep.Release
	need(t, "release reported", rr != nil, true)
	eq(t, "action", rr.Action, "newer")
	eq(t, "previous", rr.Previous, "1")
	eq(t, "release created", rr.Created, 1)
	eq(t, "release updated", rr.Updated, 1)
	eq(t, "release unchanged", rr.Unchanged, 2)
	eq(t, "release removed", rr.Removed, 1)
	eq(t, "created pledges", rep.Created["pledges"], 1)
	eq(t, "updated pledges", rep.Updated["pledges"], 1)
	eq(t, "unchanged pledges", rep.Unchanged["pledges"], 2)
	eq(t, "removed pledges", rep.Removed["pledges"], 1)
	same(t, "changes", rr.Changes, []coalition.TotalChange{
		{Donor: "DEU", Type: coalition.Military, Before: 300e8, After: 350e8, Change: 50e8},
		{Donor: "FRA", Type: coalition.Military, Before: 70e8, After: 35e8, Change: -35e8},
	})
	r.want = map[string]float64{"DEU": 357e6, "FRA": 35e6}
	same(t, "totals", totals(t, r.s), r.want)
}

func (r *releases) afterNewer(t *testing.T) {
	after := byRef(t, r.s)
	_, dropped := after["FRA/2025-02/military"]
	eq(t, "the record release 2 dropped is there", dropped, false)
	for _, ref := range []string{"DEU/2025-01/military", "FRA/2025-01/military"} { // unchanged figures, restamped
		a := after[ref]
		eq(t, ref+" amount", a.AmountEUR, r.before[ref].AmountEUR)
		eq(t, ref+" release", a.Release, "2")
		eq(t, ref+" as_of", a.AsOf, r.r2.AsOf)
		eq(t, ref+" source", a.Source, r.r2.Source)
	}
	changed := after["DEU/2025-02/military"]
	eq(t, "changed record's amount", changed.AmountEUR, 250e8)
	eq(t, "changed record's release", changed.Release, "2")
	added := after["FRA/2025-03/military"]
	need(t, "new record found", added != nil, true)
	eq(t, "new record's dataset", added.Dataset, "tds")
	eq(t, "new record's release", added.Release, "2")
	got, err := r.s.FindPledge(sys, r.mine.ID)
	must(t, err)
	eq(t, "the person's pledge's version", got.Version, r.mine.Version)
	eq(t, "the person's pledge's amount", got.AmountEUR, r.mine.AmountEUR)
}

// olderRefused: release 1 again is older, refused (nothing written) unless
// forced; the seed's path keeps release 2.
func (r *releases) olderRefused(t *testing.T) {
	_, err := importRelease(t, r.s, sys, r.r1, false, false, r.v1...)
	wantKind(t, err, coalition.Conflict)
	rep, err := r.s.Load(sys, &coalition.Dataset{Pledges: r.v1, Releases: []coalition.Release{r.r1}}, false)
	must(t, err)
	eq(t, "changed", rep.Changed(), false)
	eq(t, "action", rep.Releases[0].Action, "older, skipped")
	eq(t, "release", rep.Releases[0].Release, "1")
	eq(t, "previous", rep.Releases[0].Previous, "2")
	same(t, "totals", totals(t, r.s), r.want)
	ds, err := r.s.Datasets(sys)
	must(t, err)
	need(t, "datasets", len(ds), 1)
	eq(t, "dataset name", ds[0].Name, "tds")
	eq(t, "dataset release", ds[0].Release, "2")
	eq(t, "dataset as_of", ds[0].AsOf, r.r2.AsOf)
	eq(t, "dataset records", ds[0].Records, 4)
	eq(t, "dataset kind", ds[0].Kind, "pledges")
	eq(t, "dataset loaded by", ds[0].LoadedBy, "system")
	eq(t, "dataset loaded at is zero", ds[0].LoadedAt.IsZero(), false)
}

func (r *releases) olderForced(t *testing.T) {
	forced, err := importRelease(t, r.s, sys, r.r1, true, false, r.v1...)
	must(t, err)
	eq(t, "action", forced.Release.Action, "older, forced")
	eq(t, "removed", forced.Release.Removed, 1)
	eq(t, "created", forced.Release.Created, 1)
	same(t, "totals", totals(t, r.s), map[string]float64{"DEU": 307e6, "FRA": 70e6})
}

func (r *releases) refusals(t *testing.T) {
	// A release with no records would remove them all: refused.
	_, err := importRelease(t, r.s, sys, release("3", coalition.Date{Y: 2025, M: 4, D: 30}), false, false)
	wantKind(t, err, coalition.Invalid)
	// An import that is not a release may not change a release's records.
	im, err := r.s.(coalition.Importer).BeginImport(sys)
	must(t, err)
	c := relPledge("DEU", 1, "2025-01")
	c.Dataset, c.Source = "", r.r1.Source
	wantKind(t, im.Pledge(sys, c), coalition.Invalid)
	im.Abort()
	// Only administrators load releases.
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 11, Email: "co@x", Role: coalition.Coordinator})
	_, err = importRelease(t, r.s, coord, r.r2, false, false, r.v2...)
	wantKind(t, err, coalition.Forbidden)
}
