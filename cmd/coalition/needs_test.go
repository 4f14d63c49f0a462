package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	stdhttp "net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/http"
	"coalition/internal/check"
	"coalition/sqlstore/sqltest"
)

// `coalition needs --json` and GET /api/v1/needs give the same rows: on the
// seeded database, the bundled baseline (2025: NATO military, IMF
// financial, UN OCHA humanitarian; 2026: Ukraine's MoD and MoF, UN OCHA;
// 2027: the Commission's IMF-based military and fiscal figures), each with
// a source and an as-of date, each one calendar year.
func TestNeedsCLIAndAPI(t *testing.T) {
	db := analysisStoreDB(t)
	out, _, err := cli(t, nil, "needs", "--coalition", "COW2025", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	type rows struct {
		Coalition    string           `json:"coalition"`
		Requirements []map[string]any `json:"requirements"`
	}
	var fromCLI, fromAPI rows
	if err := json.Unmarshal([]byte(out), &fromCLI); err != nil {
		t.Fatal(err, out)
	}
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()
	res, err := stdhttp.Get(srv.URL + "/api/v1/needs?coalition=COW2025")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /api/v1/needs: %s", res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(&fromAPI); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCLI, fromAPI) {
		t.Errorf("CLI %+v\nAPI %+v", fromCLI, fromAPI)
	}
	cats := map[string]bool{}
	for _, r := range fromCLI.Requirements {
		from, _ := r["from"].(string)
		year, _, _ := strings.Cut(from, "-")
		cats[r["category"].(string)+" "+year] = true
		check.Facts(t,
			check.Holds("source", r["source"] != "", r["source"], "a source"),
			check.Holds("as_of", r["as_of"] != "", r["as_of"], "an as-of date"),
			check.Eq("from", from, year+"-01"),
			check.Eq("to", r["to"], any(year+"-12")),
		)
	}
	check.Facts(t,
		check.Eq("coalition", fromCLI.Coalition, "COW2025"),
		check.Eq("requirements", len(fromCLI.Requirements), 9),
	)
	for _, want := range []string{"military 2025", "financial 2025", "humanitarian 2025", "military 2026", "financial 2026",
		"humanitarian 2026", "military 2027", "financial 2027", "humanitarian 2027"} {
		check.Facts(t, check.Eq(want, cats[want], true))
	}
	// Seeding again creates nothing: the rows are matched on source, category and first month.
	out, _, err = cli(t, nil, "seed", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var rep coalition.LoadReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Created["requirements"] != 0 || rep.Unchanged["requirements"] != 9 {
		t.Errorf("seed again: %+v (%v)", rep, err)
	}
}

// withoutNeeds deletes the bundled needs from db, for tests worked on the
// historical model (a coalition without stored requirements).
func withoutNeeds(t *testing.T, db string) {
	t.Helper()
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	rs, _, err := s.FindRequirements(ctx, coalition.RequirementFilter{Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := s.DeleteRequirement(ctx, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
	}
}

// `coalition needs edit ID --amount-eur-per-month X` changes a stored
// requirement (audited as the operator) and `needs delete ID` deletes it;
// a bad amount names its flag and changes nothing (issue 16).
func TestNeedsEditAndDelete(t *testing.T) {
	db := analysisStoreDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	find := func() []*coalition.Requirement {
		s := sqltest.OpenDSN(t, "sqlite:"+db)
		defer s.Close()
		rs, _, err := s.FindRequirements(ctx, coalition.RequirementFilter{Limit: coalition.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	before := find()
	if len(before) == 0 {
		t.Fatal("no requirements seeded")
	}
	r := before[0]
	id := strconv.FormatInt(r.ID, 10)
	if _, _, err := cli(t, nil, "needs", "edit", id, "--amount-eur-per-month", "lots", "--db", db); err == nil ||
		!strings.Contains(err.Error(), "amount-eur-per-month") {
		t.Errorf("a bad amount: %v, want an error naming --amount-eur-per-month", err)
	}
	out, _, err := cli(t, nil, "needs", "edit", id, "--amount-eur-per-month", "4500000000.50", "--note", "revised", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("needs edit: %s", out)
	got := find()[0]
	check.Facts(t,
		check.Eq("after edit: id", got.ID, r.ID),
		check.Eq("after edit: amount_eur", got.AmountEUR, 450000000050),
		check.Eq("after edit: note", got.Note, "revised"),
		check.Eq("after edit: version", got.Version, r.Version+1),
		check.Eq("after edit: source (unchanged)", got.Source, r.Source),
	)
	if _, _, err := cli(t, nil, "needs", "delete", id, "--db", db); err != nil {
		t.Fatal(err)
	}
	if after := find(); len(after) != len(before)-1 || after[0].ID == r.ID {
		t.Errorf("after delete: %d requirements, want %d without %d", len(after), len(before)-1, r.ID)
	}
}

// `coalition needs add` stores a requirement in units (quantity per month
// × unit cost) or in euros; an unknown capability, a negative quantity, a
// unit cost without a source are refused naming the field, and nothing is
// written (issue 14 §1).
func TestNeedsAdd(t *testing.T) {
	db := analysisStoreDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	count := func() int {
		s := sqltest.OpenDSN(t, "sqlite:"+db)
		defer s.Close()
		rs, _, err := s.FindRequirements(ctx, coalition.RequirementFilter{Limit: coalition.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	before := count()
	base := []string{"needs", "add", "--category", "ammunition", "--from", "2026-07", "--to", "2026-12", "--db", db}
	for _, bad := range []struct {
		args  []string
		field string
	}{
		{[]string{"--capability", "moon lasers", "--quantity-per-month", "1000", "--unit", "shell", "--unit-cost-eur", "4000", "--source", "test"}, "capability"},
		{[]string{"--capability", "155 mm shells", "--quantity-per-month", "-5", "--unit", "shell", "--unit-cost-eur", "4000", "--source", "test"}, "quantity"},
		{[]string{"--capability", "155 mm shells", "--quantity-per-month", "1000", "--unit", "shell", "--unit-cost-eur", "4000"}, "source"},
		{[]string{"--capability", "155 mm shells", "--quantity-per-month", "1000", "--unit", "shell", "--source", "test"}, "--unit-cost-eur"},
	} {
		_, _, err := cli(t, nil, append(slices.Clone(base), bad.args...)...)
		var ce *coalition.Error
		if !errors.As(err, &ce) || ce.Field != bad.field {
			t.Errorf("%v: %v, want an error naming %s", bad.args, err, bad.field)
		}
	}
	if n := count(); n != before {
		t.Fatalf("%d requirements after the refusals, want %d", n, before)
	}
	// 20,000 shells a month at EUR 4,000 = EUR 80 m a month, 6 months.
	out, _, err := cli(t, nil, append(slices.Clone(base), "--capability", "155 mm shells (the coalition's ask)", "--quantity-per-month", "20000",
		"--unit", "shell", "--unit-cost-eur", "4000", "--source", "test: a coordinator's estimate", "--as-of", "2026-06-30")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "€80.0 m per month") {
		t.Errorf("needs add: %q, want €80.0 m per month", out)
	}
	if n := count(); n != before+1 {
		t.Errorf("%d requirements after the add, want %d", n, before+1)
	}
}
