package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"coalition"
	"coalition/sqlstore/sqltest"
)

// TestTwoServersOnePostgres is the scale-out proof that runs here (see
// docs/scale-out.md): two `coalition serve` processes on one PostgreSQL
// database. Clients create pledges through both at once, and race
// read-modify-writes of one pledge, reading through one server and writing
// through the other with If-Match. Every create is kept, every write that
// won was built on the one before (no lost update), every other attempt got
// 409, the audit chain verifies, the rollup equals the raw sums, and both
// servers give the same donor totals.
func TestTwoServersOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	pg := false
	for _, e := range engines(t) {
		pg = pg || e == "postgres"
	}
	if !pg {
		t.Skip("needs COALITION_TEST_POSTGRES")
	}
	dsn := freshDSN(t, "postgres")
	token := adminWriteToken(t, dsn)
	srvs := []*server{startServer(t, dsn), startServer(t, dsn)}
	ctx := context.Background()

	// 1. Concurrent creates through both servers: 6 clients × 15 pledges.
	var mu sync.Mutex
	created := map[int64]bool{}
	var failures []string
	var wg sync.WaitGroup
	for c := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				srv := srvs[(c+i)%2]
				status, _, b, err := call(ctx, "POST", srv.base+"/api/v1/pledges", token, pledgeBody(fmt.Sprintf("two-servers c%d", c), ""))
				var p struct {
					ID int64 `json:"id"`
				}
				json.Unmarshal(b, &p)
				mu.Lock()
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("create: %v", err))
				case status != 201:
					failures = append(failures, fmt.Sprintf("create: status %d, want 201 (%s)", status, b))
				case p.ID == 0:
					failures = append(failures, fmt.Sprintf("create: no id in %s", b))
				case created[p.ID]:
					failures = append(failures, fmt.Sprintf("create: id %d given twice", p.ID))
				}
				created[p.ID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if len(created) != 90 {
		t.Errorf("%d distinct pledges created, want 6 × 15 = 90", len(created))
	}

	// 2. Read through one server, write through the other.
	status, _, b, err := call(ctx, "POST", srvs[0].base+"/api/v1/pledges", token, pledgeBody("two-servers race", `,"conditions":"start"`))
	if err != nil || status != 201 {
		t.Fatalf("create: %d %s %v", status, b, err)
	}
	var p struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(b, &p)
	path := "/api/v1/pledges/" + strconv.FormatInt(p.ID, 10)
	type win struct {
		base, version int64
		conditions    string
	}
	var wins []win
	losers := 0
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				rd, wr := srvs[(c+i)%2], srvs[(c+i+1)%2]
				status, h, b, err := call(ctx, "GET", rd.base+path, token, "")
				if err != nil || status != 200 {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("GET %d %v", status, err))
					mu.Unlock()
					return
				}
				var cur struct {
					Conditions string `json:"conditions"`
				}
				json.Unmarshal(b, &cur)
				base, _ := strconv.ParseInt(strings.Trim(h.Get("ETag"), `"`), 10, 64)
				next := cur.Conditions + fmt.Sprintf("|c%d.%d", c, i)
				status, h, b, err = call(ctx, "PATCH", wr.base+path, token, `{"conditions":`+strconv.Quote(next)+`}`, "If-Match", h.Get("ETag"))
				mu.Lock()
				switch {
				case err == nil && status == 200:
					v, _ := strconv.ParseInt(strings.Trim(h.Get("ETag"), `"`), 10, 64)
					wins = append(wins, win{base, v, next})
				case err == nil && status == 409:
					losers++
				default:
					failures = append(failures, fmt.Sprintf("PATCH %d %s %v", status, b, err))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, f := range failures[len(failures)-min(len(failures), 5):] {
		t.Error(f)
	}
	sort.Slice(wins, func(i, j int) bool { return wins[i].version < wins[j].version })
	prev, prevCond := int64(1), "start"
	for _, w := range wins {
		if w.base != prev || w.version != prev+1 || !strings.HasPrefix(w.conditions, prevCond+"|") {
			t.Errorf("write to version %d built on version %d (%q), want on %d (%q)", w.version, w.base, w.conditions, prev, prevCond)
		}
		prev, prevCond = w.version, w.conditions
	}
	// 8 clients × 6 attempts = 48 = wins + losers.
	if len(wins)+losers != 48 || len(wins) == 0 {
		t.Errorf("%d wins + %d losers (409), want 48 attempts", len(wins), losers)
	}
	t.Logf("two servers: %d creates, %d successful writes, %d refused with 409", len(created), len(wins), losers)
	for _, srv := range srvs {
		status, _, b, _ := call(ctx, "GET", srv.base+path, token, "")
		var final struct {
			Conditions string `json:"conditions"`
			Version    int64  `json:"version"`
		}
		json.Unmarshal(b, &final)
		if status != 200 || final.Version != prev || final.Conditions != prevCond {
			t.Errorf("%s: final pledge version %d %q, want the last successful write: version %d %q", srv.base, final.Version, final.Conditions, prev, prevCond)
		}
	}

	// 3. One audit chain, one rollup, the same totals through both servers.
	sys := coalition.WithUser(ctx, coalition.System)
	s := sqltest.OpenDSN(t, dsn)
	defer s.Close()
	n, broken, reason, err := s.VerifyAudit(sys)
	if err != nil || broken != 0 {
		t.Errorf("audit chain of %d entries broken at %d: %s %v", n, broken, reason, err)
	}
	if want := int64(len(created) + 1 + len(wins)); n < want {
		t.Errorf("audit chain has %d entries, want at least %d (creates and successful writes)", n, want)
	}
	if diff, err := s.RollupDiff(sys, 5); err != nil || len(diff) > 0 {
		t.Errorf("rollup after concurrent writes through two servers: %v %v", diff, err)
	}
	var totals []string
	for _, srv := range srvs {
		_, _, b, err := call(ctx, "GET", srv.base+"/api/v1/donors?status=announced", token, "")
		if err != nil {
			t.Fatal(err)
		}
		totals = append(totals, string(b))
	}
	if totals[0] != totals[1] || !strings.Contains(totals[0], `"DEU"`) {
		t.Errorf("donor totals differ between the servers or lack DEU:\n%.300s\n%.300s", totals[0], totals[1])
	}
}
