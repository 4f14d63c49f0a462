package http_test

import (
	"coalition/internal/check"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"coalition"
)

// importRep is the report of POST /api/v1/imports (the CLI's --json).
type importRep struct {
	Format    string `json:"format"`
	DryRun    bool   `json:"dry_run"`
	Committed bool   `json:"committed"`
	Files     []struct {
		File, SHA256 string
		Bytes        int64
		Stats        struct{ Rows, Records, Skipped, Invalid int }
	} `json:"files"`
	Result struct {
		Created, Updated, Unchanged map[string]int
		Removed                     map[string]int `json:"removed_from_source"`
		Deleted                     map[string]int `json:"deleted"`
	} `json:"result"`
	Errors []struct {
		File, Field, Reason string
		Row                 int
	} `json:"errors"`
}

const (
	pipePledges = "source_ref,donor,category,amount,currency,announced\n" +
		"P-1,Norway,air-defence,1140000000,NOK,2024-01-15\n" +
		"P-2,DEU,humanitarian,5000000,EUR,2024-02-01\n" +
		"P-3,FRA,budget-support,750000.25,EUR,2024-03-10\n"
	pipeDeliveries = "source_ref,pledge_source,pledge_ref,date,amount_eur\n" +
		"D-1,csv: pledges.csv,P-1,2024-03-01,1000000\n" +
		"D-2,csv: pledges.csv,P-3,2024-04-01,250000.50\n"
	pipeRequirements = "source_ref,recipient,category,amount_eur,from,to,priority\n" +
		"R-1,UKR,air-defence,250000000,2025-01,2025-12,1\n" +
		"R-2,UKR,humanitarian,1000000,2025-01,2025-06,2\n"
)

// TestImportAPIPipeline drives POST /api/v1/imports through the pipeline
// of coalition import on SQLite: pledges, then deliveries that refer to
// them, then requirements; a re-upload changes nothing; skip_invalid,
// delete_removed, dry_run, source, as_of and the query checks; only
// admins and coordinators import.
func TestImportAPIPipeline(t *testing.T) {
	srv, s := newTestServer(t)
	token := adminToken(t, s)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	upload := func(t *testing.T, query, name, content string, want int) (importRep, []byte) {
		t.Helper()
		code, b := postFile(t, srv.URL+"/api/v1/imports?format=csv"+query, token, name, content, true)
		if code != want {
			t.Fatalf("%s %s: %d, want %d: %s", name, query, code, want, b)
		}
		var rep importRep
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: %v: %s", name, err, b)
		}
		return rep, b
	}
	count := func(t *testing.T, q string, args ...any) int {
		t.Helper()
		var n int
		if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	pledgeID := func(t *testing.T, ref string) int64 {
		t.Helper()
		var id int64
		if err := s.DB().QueryRow("SELECT id FROM pledges WHERE source = 'csv: pledges.csv' AND source_ref = ?", ref).Scan(&id); err != nil {
			t.Fatalf("pledge %s: %v", ref, err)
		}
		return id
	}

	// Pledges: converted with the store's whole FX table, provenance names
	// the uploader.
	rep, b := upload(t, "", "pledges.csv", pipePledges, http.StatusOK)
	if !check.Facts(t,
		check.Eq("committed", rep.Committed, true),
		check.Eq("dry run", rep.DryRun, false),
		check.Eq("format", rep.Format, "csv"),
		check.Eq("files", len(rep.Files), 1),
		check.Eq("errors", len(rep.Errors), 0),
		check.Eq("pledges created", rep.Result.Created["pledges"], 3),
	) || !check.Facts(t,
		check.Eq("file", rep.Files[0].File, "pledges.csv"),
		check.Eq("bytes", rep.Files[0].Bytes, int64(len(pipePledges))),
		check.Eq("records", rep.Files[0].Stats.Records, 3),
	) {
		t.Fatalf("pledges: %s", b)
	}
	jan, _ := coalition.ParseMonth("2024-01")
	nok, err := s.FindRate(ctx, "NOK", jan)
	if err != nil {
		t.Fatal(err)
	}
	var eur int64
	var rate float64
	var prov string
	if err := s.DB().QueryRow("SELECT amount_eur_minor, fx_rate, provenance FROM pledges WHERE id = ?", pledgeID(t, "P-1")).Scan(&eur, &rate, &prov); err != nil {
		t.Fatal(err)
	}
	if want := coalition.ToEUR(coalition.Money{Minor: 114000000000, Currency: "NOK"}, nok.UnitsPerEUR); eur != want || rate != nok.UnitsPerEUR {
		t.Errorf("P-1: %d EUR cents at %g, want %d at %g", eur, rate, want, nok.UnitsPerEUR)
	}
	if !strings.Contains(prov, `"user":"test-admin@example.org"`) || !strings.Contains(prov, `"file":"pledges.csv"`) {
		t.Errorf("P-1 provenance %s", prov)
	}
	if n := count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: pledges.csv' AND donor IN ('NOR', 'DEU', 'FRA') AND recipient = 'UKR'"); n != 3 {
		t.Errorf("%d pledges stored, want 3", n)
	}

	// Deliveries against those pledges, matched by (pledge_source, pledge_ref).
	rep, b = upload(t, "", "deliveries.csv", pipeDeliveries, http.StatusOK)
	if !rep.Committed || rep.Result.Created["deliveries"] != 2 || len(rep.Errors) != 0 {
		t.Fatalf("deliveries: %s", b)
	}
	for _, d := range []struct {
		pledge, date string
		eur          int64
	}{{"P-1", "2024-03-01", 100000000}, {"P-3", "2024-04-01", 25000050}} {
		if n := count(t, "SELECT count(*) FROM deliveries WHERE source = 'csv: deliveries.csv' AND pledge_id = ? AND date = ? AND amount_eur_minor = ?",
			pledgeID(t, d.pledge), d.date, d.eur); n != 1 {
			t.Errorf("delivery of %s on %s for %d cents: %d stored", d.pledge, d.date, d.eur, n)
		}
	}

	// Requirements.
	rep, b = upload(t, "", "requirements.csv", pipeRequirements, http.StatusOK)
	if !rep.Committed || rep.Result.Created["requirements"] != 2 || len(rep.Errors) != 0 {
		t.Fatalf("requirements: %s", b)
	}
	var amount int64
	var prio int
	if err := s.DB().QueryRow("SELECT amount_eur_minor, priority FROM requirements WHERE source = 'csv: requirements.csv' AND category = 'air-defence' AND recipient = 'UKR'").
		Scan(&amount, &prio); err != nil || amount != 25000000000 || prio != 1 {
		t.Errorf("R-1: %d cents, priority %d, %v", amount, prio, err)
	}

	// Every file again (the last as a raw body): nothing changes.
	for _, f := range []struct{ name, content, kind string }{
		{"pledges.csv", pipePledges, "pledges"}, {"deliveries.csv", pipeDeliveries, "deliveries"}, {"requirements.csv", pipeRequirements, "requirements"},
	} {
		rep, b = upload(t, "&kind="+f.kind, f.name, f.content, http.StatusOK)
		n := strings.Count(f.content, "\n") - 1
		if !check.Facts(t,
			check.Eq("re-upload of "+f.name+": committed", rep.Committed, true),
			check.Eq("re-upload of "+f.name+": unchanged", rep.Result.Unchanged[f.kind], n),
			check.Eq("re-upload of "+f.name+": created", rep.Result.Created[f.kind], 0),
			check.Eq("re-upload of "+f.name+": updated", rep.Result.Updated[f.kind], 0),
			check.Eq("re-upload of "+f.name+": removed", rep.Result.Removed[f.kind], 0),
		) {
			t.Logf("the report: %s", b)
		}
	}
	code, b := postFile(t, srv.URL+"/api/v1/imports?format=csv&file=requirements.csv", token, "", pipeRequirements, false)
	if err := json.Unmarshal(b, &rep); err != nil || code != http.StatusOK || rep.Result.Unchanged["requirements"] != 2 {
		t.Errorf("raw re-upload: %d %s", code, b)
	}
	want := [3]int{3, 2, 2}
	stored := func(t *testing.T) [3]int {
		t.Helper()
		return [3]int{count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: pledges.csv'"),
			count(t, "SELECT count(*) FROM deliveries WHERE source = 'csv: deliveries.csv'"),
			count(t, "SELECT count(*) FROM requirements WHERE source = 'csv: requirements.csv'")}
	}
	if got := stored(t); got != want {
		t.Errorf("after the re-uploads: %v stored, want %v", got, want)
	}

	// One invalid row: without skip_invalid nothing is written and the
	// problem lists it; with it the valid row is committed, the bad listed.
	more := "source_ref,donor,category,amount,currency,announced\nM-1,DEU,humanitarian,100,EUR,2024-05-01\nM-2,Norwya,humanitarian,100,EUR,2024-05-01\n"
	code, b = postFile(t, srv.URL+"/api/v1/imports?format=csv", token, "more.csv", more, true)
	var prob struct {
		Status int `json:"status"`
		importRep
	}
	json.Unmarshal(b, &prob)
	if check.Facts(t,
		check.Eq("without skip_invalid: status", code, http.StatusBadRequest),
		check.Eq("without skip_invalid: problem status", prob.Status, 400),
		check.Eq("without skip_invalid: errors", len(prob.Errors), 1),
	) {
		check.Facts(t,
			check.Eq("without skip_invalid: row", prob.Errors[0].Row, 3),
			check.Eq("without skip_invalid: field", prob.Errors[0].Field, "donor"),
			check.Eq("without skip_invalid: file", prob.Errors[0].File, "more.csv"),
		)
	}
	if n := count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: more.csv'"); n != 0 {
		t.Errorf("invalid row without skip_invalid: %d pledges written", n)
	}
	rep, b = upload(t, "&skip_invalid=true", "more.csv", more, http.StatusOK)
	if !check.Facts(t,
		check.Eq("skip_invalid: committed", rep.Committed, true),
		check.Eq("skip_invalid: pledges created", rep.Result.Created["pledges"], 1),
		check.Eq("skip_invalid: errors", len(rep.Errors), 1),
		check.Eq("skip_invalid: files", len(rep.Files), 1),
	) {
		t.Logf("the report: %s", b)
	} else {
		check.Facts(t,
			check.Eq("skip_invalid: row", rep.Errors[0].Row, 3),
			check.Eq("skip_invalid: field", rep.Errors[0].Field, "donor"),
			check.Eq("skip_invalid: invalid rows", rep.Files[0].Stats.Invalid, 1),
		)
	}
	if n := count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: more.csv' AND source_ref = 'M-1' AND donor = 'DEU'"); n != 1 {
		t.Errorf("skip_invalid: %d pledges written", n)
	}

	// P-3 leaves the source: counted; as a dry run with delete_removed,
	// counted as deleted but kept; then deleted, with its delivery.
	less := "source_ref,donor,category,amount,currency,announced\nP-1,Norway,air-defence,1140000000,NOK,2024-01-15\nP-2,DEU,humanitarian,5000000,EUR,2024-02-01\n"
	rep, b = upload(t, "", "pledges.csv", less, http.StatusOK)
	if !check.Facts(t,
		check.Eq("without delete_removed: committed", rep.Committed, true),
		check.Eq("without delete_removed: removed", rep.Result.Removed["pledges"], 1),
		check.Eq("without delete_removed: deleted", rep.Result.Deleted["pledges"], 0),
		check.Eq("without delete_removed: unchanged", rep.Result.Unchanged["pledges"], 2),
	) {
		t.Logf("the report: %s", b)
	}
	rep, b = upload(t, "&dry_run=1&delete_removed=1", "pledges.csv", less, http.StatusOK)
	if !check.Facts(t,
		check.Eq("dry run with delete_removed: committed", rep.Committed, false),
		check.Eq("dry run with delete_removed: dry run", rep.DryRun, true),
		check.Eq("dry run with delete_removed: removed", rep.Result.Removed["pledges"], 1),
		check.Eq("dry run with delete_removed: deleted", rep.Result.Deleted["pledges"], 1),
	) {
		t.Logf("the report: %s", b)
	}
	if got := stored(t); got != want {
		t.Errorf("after a dry run: %v stored, want %v", got, want)
	}
	p3 := pledgeID(t, "P-3")
	rep, b = upload(t, "&delete_removed=true", "pledges.csv", less, http.StatusOK)
	if !rep.Committed || rep.Result.Removed["pledges"] != 1 || rep.Result.Deleted["pledges"] != 1 {
		t.Errorf("delete_removed: %s", b)
	}
	if got, want := stored(t), [3]int{2, 1, 2}; got != want {
		t.Errorf("after delete_removed: %v stored, want %v", got, want)
	}
	if n := count(t, "SELECT count(*) FROM pledges WHERE id = ?", p3) + count(t, "SELECT count(*) FROM deliveries WHERE pledge_id = ?", p3); n != 0 {
		t.Errorf("P-3 and its delivery: %d rows left", n)
	}

	// A dry run writes nothing.
	rep, b = upload(t, "&dry_run=true", "dry.csv", "source_ref,donor,category,amount,currency,announced\nX-1,DEU,humanitarian,7,EUR,2024-06-01\n", http.StatusOK)
	if rep.Committed || !rep.DryRun || rep.Result.Created["pledges"] != 1 {
		t.Errorf("dry run: %s", b)
	}
	if n := count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: dry.csv'"); n != 0 {
		t.Errorf("dry run: %d pledges written", n)
	}

	// source and as_of name and date every record.
	upload(t, "&source=Ministry+list&as_of=2024-06-30", "src.csv", "source_ref,donor,category,amount,currency,announced\nS-1,DEU,humanitarian,9,EUR,2024-06-01\n", http.StatusOK)
	var asOf string
	if err := s.DB().QueryRow("SELECT as_of FROM pledges WHERE source = 'Ministry list' AND source_ref = 'S-1'").Scan(&asOf); err != nil || !strings.HasPrefix(asOf, "2024-06-30") {
		t.Errorf("source and as_of: %q %v", asOf, err)
	}

	// Bad parameters name themselves; nothing is read.
	for _, q := range []struct{ query, field string }{
		{"&dry_run=yes", "dry_run"}, {"&skip_invalid=2", "skip_invalid"}, {"&kind=pledge", "kind"}, {"&as_of=2024-13-01", "as_of"},
		{"&recipient=Atlantis", "recipient"},
	} {
		code, b := postFile(t, srv.URL+"/api/v1/imports?format=csv"+q.query, token, "dry.csv", "x", true)
		var p problemDoc
		json.Unmarshal(b, &p)
		if code != http.StatusBadRequest || p.Field != q.field {
			t.Errorf("%s: %d %s", q.query, code, b)
		}
	}

	// A delegate may write pledges of its country, but not import.
	sys := coalition.WithUser(context.Background(), coalition.System)
	d := &coalition.User{Email: "delegate@example.org", Role: coalition.Delegate, Country: "NOR"}
	if err := s.CreateUser(sys, d, "another long and uncommon passphrase 8"); err != nil {
		t.Fatal(err)
	}
	dtoken, _, err := s.CreateToken(coalition.WithUser(sys, d), "test", coalition.ScopeWrite, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	code, b = postFile(t, srv.URL+"/api/v1/imports?format=csv", dtoken, "delegate.csv", "source_ref,donor,category,amount,currency,announced\nN-1,NOR,humanitarian,9,EUR,2024-06-01\n", true)
	if code != http.StatusForbidden || count(t, "SELECT count(*) FROM pledges WHERE source = 'csv: delegate.csv'") != 0 {
		t.Errorf("delegate: %d %s", code, b)
	}
}
