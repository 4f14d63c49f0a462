package imports_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"coalition"
	"coalition/imports"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// The real FTS excerpt (OCHA's scraper fixture, importer/testdata/real)
// has 7 flows to Jordan that Coalition records. The same flow is one
// record whatever the file and --source (issue 24: two files of one
// command stored every flow twice): matched on (fts, flow id), it keeps
// its highest versionId, within a command and across commands.

const ftsExcerpt = "../importer/testdata/real/fts-jordan-2020-excerpt.json"

// withFTSDonors loads the countries the excerpt's flows to Jordan need.
func withFTSDonors(t *testing.T, s *sqlstore.Store) *sqlstore.Store {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), coalition.System)
	ds := &coalition.Dataset{}
	for _, c := range [][2]string{{"JOR", "Jordan"}, {"SAU", "Saudi Arabia"}, {"MLT", "Malta"}, {"NOR", "Norway"}, {"EUI", "EU institutions"},
		{"CHE", "Switzerland"}, {"ARE", "United Arab Emirates"}, {"CAN", "Canada"}} {
		ds.Countries = append(ds.Countries, &coalition.Country{ISO3: c[0], Name: c[1], State: c[0] != "EUI", Source: "test"})
	}
	if _, err := s.Load(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	return s
}

// ftsVariant is the excerpt with flow 226077 (Norway, NOK 6,000,000,
// versionId 1) given versionId v and amount nok; v 1 and 6,000,000 is the
// original's content.
func ftsVariant(t *testing.T, v int, nok int64) string {
	t.Helper()
	b, err := os.ReadFile(ftsExcerpt)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range doc["data"].(map[string]any)["flows"].([]any) {
		flow := f.(map[string]any)
		if flow["id"] == "226077" {
			flow["versionId"], flow["originalAmount"], found = v, nok, true
		}
	}
	if !found {
		t.Fatal("no flow 226077 in the excerpt")
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func ftsRun(t *testing.T, s *sqlstore.Store, source string, files ...imports.File) coalition.ImportReport {
	t.Helper()
	rep, err := imports.Run(asAdmin(), s, imports.Request{Format: "fts", Recipient: "Jordan", Source: source}, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 || !rep.Committed {
		t.Fatalf("errors %v, committed %v", rep.Errors, rep.Committed)
	}
	// One count everywhere: the files' records are what the result counts.
	records := 0
	for _, f := range rep.Files {
		records += f.Stats.Records
	}
	r := rep.Result
	eq(t, "records of the files = created + updated + unchanged", records, r.Created["pledges"]+r.Updated["pledges"]+r.Unchanged["pledges"])
	return rep.Result
}

// norway226077 is the stored amount of flow 226077 and the number of
// records it has.
func norway226077(t *testing.T, s *sqlstore.Store) (nok int64, records int) {
	t.Helper()
	records = count(t, s, "SELECT count(*) FROM pledges WHERE source_ref = 'fts-flow-226077'")
	if err := s.DB().QueryRow("SELECT max(amount_minor) FROM pledges WHERE source_ref = 'fts-flow-226077'").Scan(&nok); err != nil {
		t.Fatal(err)
	}
	return nok / 100, records
}

// rollupAgrees: the rollup the totals read holds what the pledges hold.
func rollupAgrees(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	var pledges, rollup int64
	if err := s.DB().QueryRow("SELECT coalesce(sum(amount_eur_minor), 0) FROM pledges").Scan(&pledges); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow("SELECT coalesce(sum(amount_eur_minor), 0) FROM pledge_rollup").Scan(&rollup); err != nil {
		t.Fatal(err)
	}
	eq(t, "pledge_rollup total", rollup, pledges)
}

func TestRunFTSFlowOnce(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		s := withFTSDonors(t, e.Open(t))
		orig := ftsVariant(t, 1, 6_000_000)
		// 1. The excerpt twice in one command (overlapping API pages):
		// 7 flows, one record each; the second copies change nothing.
		r := ftsRun(t, s, "", file("page-3.json", orig), file("page-3-again.json", orig))
		eq(t, "created", r.Created["pledges"], 7)
		eq(t, "unchanged", r.Unchanged["pledges"], 7)
		eq(t, "flow records", count(t, s, "SELECT count(*) FROM pledges WHERE source_ref LIKE 'fts-flow-%'"), 7)
		eq(t, "dataset", count(t, s, "SELECT count(*) FROM pledges WHERE dataset = 'fts'"), 7)
		// 2. Another command, other file names, another --source: the
		// same flows are still the same records.
		r = ftsRun(t, s, "OCHA FTS, a mirror", file("flows-2020.json", orig))
		eq(t, "again: unchanged", r.Unchanged["pledges"], 7)
		eq(t, "again: created", r.Created["pledges"], 0)
		eq(t, "again: updated", r.Updated["pledges"], 0)
		// 3. A higher versionId of flow 226077 (NOK 6,500,000) with an
		// older copy after it: the higher version wins, once.
		r = ftsRun(t, s, "", file("v2.json", ftsVariant(t, 2, 6_500_000)), file("v1.json", orig))
		eq(t, "v2: updated", r.Updated["pledges"], 1)
		eq(t, "v2: unchanged", r.Unchanged["pledges"], 13)
		nok, n := norway226077(t, s)
		eq(t, "226077 records", n, 1)
		eq(t, "226077 NOK", nok, int64(6_500_000))
		// 4. A lower versionId later, with another amount: nothing changes.
		r = ftsRun(t, s, "", file("v1-edited.json", ftsVariant(t, 1, 1_000)))
		eq(t, "v1 later: updated", r.Updated["pledges"], 0)
		nok, _ = norway226077(t, s)
		eq(t, "226077 NOK after an older version", nok, int64(6_500_000))
		rollupAgrees(t, s)
	})
}

// TestRunFTSFlowNewerInTheSameCommand: a flow new to the database comes in
// two files of one command, the higher version second: one record, of the
// higher version, and the totals' rollup agrees with the pledges.
func TestRunFTSFlowNewerInTheSameCommand(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		s := withFTSDonors(t, e.Open(t))
		r := ftsRun(t, s, "", file("v1.json", ftsVariant(t, 1, 6_000_000)), file("v3.json", ftsVariant(t, 3, 7_000_000)))
		eq(t, "created", r.Created["pledges"], 7)
		eq(t, "updated", r.Updated["pledges"], 1)
		eq(t, "unchanged", r.Unchanged["pledges"], 6)
		nok, n := norway226077(t, s)
		eq(t, "226077 records", n, 1)
		eq(t, "226077 NOK", nok, int64(7_000_000))
		rollupAgrees(t, s)
	})
}
