package storetest

import (
	"context"
	"fmt"
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

// Releases of a published dataset: the same release loaded or imported
// again, under any citation, changes nothing; a newer release replaces the
// old one's records (exactly the changed ones change, the dropped one is
// removed) and says which donors' totals changed; an older one is refused
// unless forced; people's pledges are never touched.
func testReleases(t *testing.T, s coalition.Store) {
	base(t, s)
	r1 := release("1", coalition.Date{Y: 2025, M: 2, D: 28})
	v1 := []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 200, "2025-02"), relPledge("FRA", 30, "2025-01"), relPledge("FRA", 40, "2025-02")}
	rep, err := s.Load(sys, &coalition.Dataset{Pledges: v1, Releases: []coalition.Release{r1}}, false)
	must(t, err)
	if rep.Created["pledges"] != 4 || len(rep.Releases) != 1 || rep.Releases[0].Action != "new" || rep.Releases[0].Created != 4 {
		t.Fatalf("first load: %+v", rep)
	}
	// A person's pledge: a client that sends dataset fields does not make it a record of the dataset.
	mine := pledge("DEU", 7, "2025-01")
	mine.Dataset, mine.Release, mine.SourceRef = "tds", "1", "DEU/2025-03/military"
	must(t, s.CreatePledge(sys, mine))
	got, err := s.FindPledge(sys, mine.ID)
	must(t, err)
	if got.Dataset != "" || got.Release != "" {
		t.Fatalf("a person's pledge belongs to dataset %q release %q", got.Dataset, got.Release)
	}
	want := map[string]float64{"DEU": 307e6, "FRA": 70e6}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("totals = %v, want %v", got, want)
	}
	before := byRef(t, s)
	if p := before["DEU/2025-01/military"]; p.Dataset != "tds" || p.Release != "1" || p.Source != r1.Source || p.AsOf != r1.AsOf {
		t.Fatalf("a record of the release: %+v", p)
	}

	// The same release again, imported under another citation: nothing changes.
	rep2, err := importRelease(t, s, sys, coalition.Release{Dataset: "tds", Name: coalition.DefaultReleaseName(r1.AsOf), AsOf: r1.AsOf, Source: "another citation"},
		false, false, v1...)
	must(t, err)
	if rep2.Unchanged["pledges"] != 4 || rep2.Changed() || rep2.Release == nil || rep2.Release.Action != "same" || rep2.Release.Release != "1" ||
		rep2.Release.Removed != 0 || len(rep2.Release.Changes) != 0 {
		t.Fatalf("same release again: %+v %+v", rep2, rep2.Release)
	}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("totals after the same release = %v, want %v", got, want)
	}
	for ref, p := range byRef(t, s) {
		if b := before[ref]; b.Version != p.Version || b.Source != p.Source || b.AsOf != p.AsOf {
			t.Fatalf("%s changed: %+v, was %+v", ref, p, b)
		}
	}
	// Loading it again (the seed's path) changes nothing either.
	rep, err = s.Load(sys, &coalition.Dataset{Pledges: []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 200, "2025-02"),
		relPledge("FRA", 30, "2025-01"), relPledge("FRA", 40, "2025-02")}, Releases: []coalition.Release{r1}}, false)
	must(t, err)
	if rep.Changed() || rep.Unchanged["pledges"] != 4 || rep.Releases[0].Action != "same" {
		t.Fatalf("load again: %+v", rep)
	}

	// Release 2: DEU 2025-02 changed, FRA 2025-02 dropped, FRA 2025-03 new, the rest as before.
	r2 := release("2", coalition.Date{Y: 2025, M: 3, D: 31})
	v2 := []*coalition.Pledge{relPledge("DEU", 100, "2025-01"), relPledge("DEU", 250, "2025-02"), relPledge("FRA", 30, "2025-01"), relPledge("FRA", 5, "2025-03")}
	dry, err := importRelease(t, s, sys, r2, false, true, v2...)
	must(t, err)
	if dry.Release == nil || dry.Release.Action != "newer" || dry.Release.Updated != 1 || dry.Release.Removed != 1 {
		t.Fatalf("dry run: %+v", dry.Release)
	}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a dry run changed the totals: %v", got)
	}
	rep3, err := importRelease(t, s, sys, r2, false, false, v2...)
	must(t, err)
	rr := rep3.Release
	if rr == nil || rr.Action != "newer" || rr.Previous != "1" || rr.Created != 1 || rr.Updated != 1 || rr.Unchanged != 2 || rr.Removed != 1 ||
		rep3.Created["pledges"] != 1 || rep3.Updated["pledges"] != 1 || rep3.Unchanged["pledges"] != 2 || rep3.Removed["pledges"] != 1 {
		t.Fatalf("newer release: %+v %+v", rep3, rr)
	}
	wantChanges := []coalition.TotalChange{
		{Donor: "DEU", Type: coalition.Military, Before: 300e8, After: 350e8, Change: 50e8},
		{Donor: "FRA", Type: coalition.Military, Before: 70e8, After: 35e8, Change: -35e8},
	}
	if fmt.Sprint(rr.Changes) != fmt.Sprint(wantChanges) {
		t.Fatalf("changes = %+v, want %+v", rr.Changes, wantChanges)
	}
	want = map[string]float64{"DEU": 357e6, "FRA": 35e6}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("totals after release 2 = %v, want %v", got, want)
	}
	after := byRef(t, s)
	if _, ok := after["FRA/2025-02/military"]; ok {
		t.Fatal("the record release 2 dropped is still there")
	}
	for _, ref := range []string{"DEU/2025-01/military", "FRA/2025-01/military"} { // unchanged figures, restamped
		a, b := after[ref], before[ref]
		if a.AmountEUR != b.AmountEUR || a.Release != "2" || a.AsOf != r2.AsOf || a.Source != r2.Source {
			t.Fatalf("%s after release 2: %+v", ref, a)
		}
	}
	if a := after["DEU/2025-02/military"]; a.AmountEUR != 250e8 || a.Release != "2" {
		t.Fatalf("changed record: %+v", a)
	}
	if a := after["FRA/2025-03/military"]; a == nil || a.Dataset != "tds" || a.Release != "2" {
		t.Fatalf("new record: %+v", a)
	}
	if got, err := s.FindPledge(sys, mine.ID); err != nil || got.Version != mine.Version || got.AmountEUR != mine.AmountEUR {
		t.Fatalf("the person's pledge after release 2: %+v, %v", got, err)
	}

	// Release 1 again: older, refused (nothing written) unless forced; the seed's path keeps release 2.
	_, err = importRelease(t, s, sys, r1, false, false, v1...)
	wantKind(t, err, coalition.Conflict)
	rep, err = s.Load(sys, &coalition.Dataset{Pledges: v1, Releases: []coalition.Release{r1}}, false)
	must(t, err)
	if rep.Changed() || rep.Releases[0].Action != "older, skipped" || rep.Releases[0].Release != "1" || rep.Releases[0].Previous != "2" {
		t.Fatalf("loading an older release: %+v", rep)
	}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("totals after refusing release 1 = %v, want %v", got, want)
	}
	ds, err := s.Datasets(sys)
	must(t, err)
	if len(ds) != 1 || ds[0].Name != "tds" || ds[0].Release != "2" || ds[0].AsOf != r2.AsOf || ds[0].Records != 4 || ds[0].Kind != "pledges" ||
		ds[0].LoadedBy != "system" || ds[0].LoadedAt.IsZero() {
		t.Fatalf("datasets = %+v", ds)
	}
	forced, err := importRelease(t, s, sys, r1, true, false, v1...)
	must(t, err)
	if forced.Release.Action != "older, forced" || forced.Release.Removed != 1 || forced.Release.Created != 1 {
		t.Fatalf("forced: %+v", forced.Release)
	}
	if got := totals(t, s); fmt.Sprint(got) != fmt.Sprint(map[string]float64{"DEU": 307e6, "FRA": 70e6}) {
		t.Fatalf("totals after forcing release 1 = %v", got)
	}

	// A release with no records would remove them all: refused.
	_, err = importRelease(t, s, sys, release("3", coalition.Date{Y: 2025, M: 4, D: 30}), false, false)
	wantKind(t, err, coalition.Invalid)
	// An import that is not a release may not change a release's records.
	im, err := s.(coalition.Importer).BeginImport(sys)
	must(t, err)
	c := relPledge("DEU", 1, "2025-01")
	c.Dataset, c.Source = "", r1.Source
	wantKind(t, im.Pledge(sys, c), coalition.Invalid)
	im.Abort()
	// Only administrators load releases.
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 11, Email: "co@x", Role: coalition.Coordinator})
	_, err = importRelease(t, s, coord, r2, false, false, v2...)
	wantKind(t, err, coalition.Forbidden)
}
