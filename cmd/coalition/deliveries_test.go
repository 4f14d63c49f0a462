package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/sqlstore/sqltest"
)

// cliWorld is a database with one allocated €91.5 m DEU pledge, and the
// store to read back what the commands wrote.
type cliWorld struct {
	db     string
	store  coalition.Store
	sys    context.Context
	pledge int64
}

func newCLIWorld(t *testing.T) *cliWorld {
	t.Helper()
	db := tempDB(t)
	importJSON(t, "csv", writeFile(t, "pledges.csv", `source_ref,donor,recipient,category,status,amount,currency,announced,source
P-1,DEU,UKR,air-defence,allocated,91500000,EUR,2025-01-10,https://example.org/p
`), "--db", db)
	s := sqltest.OpenDSN(t, db)
	w := &cliWorld{db: db, store: s, sys: coalition.WithUser(context.Background(), coalition.System)}
	ps, _, err := s.FindPledges(w.sys, coalition.PledgeFilter{Donor: "DEU", SourceRef: "P-1", Limit: 10})
	if err != nil || len(ps) != 1 {
		t.Fatalf("the pledge: %v (%d)", err, len(ps))
	}
	w.pledge = ps[0].ID
	return w
}

// audited reports whether the audit log holds action on entity id.
func (w *cliWorld) audited(t *testing.T, entity, action string, id int64) bool {
	t.Helper()
	es, _, err := w.store.FindAudit(w.sys, coalition.AuditFilter{Entity: entity, Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.EntityID == strconv.FormatInt(id, 10) {
			return true
		}
	}
	return false
}

// TestDeliveriesCommand adds, lists, edits and deletes a delivery through
// `coalition deliveries`: each write is stored, checked against the pledge
// and audited; a mistake is exit 2 naming what is wrong.
func TestDeliveriesCommand(t *testing.T) {
	w := newCLIWorld(t)
	pledge := strconv.FormatInt(w.pledge, 10)
	var id int64
	t.Run("add", func(t *testing.T) {
		out, errOut, err := cli(t, nil, "deliveries", "add", "--pledge", pledge, "--date", "2025-03-01", "--amount-eur", "25000000",
			"--quantity", "3", "--source", "https://example.org/d", "--db", w.db)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		ds, _, err := w.store.FindDeliveries(w.sys, coalition.DeliveryFilter{PledgeID: w.pledge, Limit: 10})
		if err != nil || len(ds) != 1 {
			t.Fatalf("%v: %d deliveries, want 1", err, len(ds))
		}
		id = ds[0].ID
		if got, want := ds[0].AmountEUR, int64(25_000_000_00); got != want {
			t.Errorf("amount %d, want %d", got, want)
		}
		if ds[0].Quantity == nil || *ds[0].Quantity != 3 {
			t.Errorf("quantity %v, want 3", ds[0].Quantity)
		}
		if !strings.Contains(out, "delivery "+strconv.FormatInt(id, 10)) {
			t.Errorf("output %q does not name the delivery", out)
		}
		if !w.audited(t, "delivery", "create", id) {
			t.Errorf("no audit entry")
		}
	})
	t.Run("list as JSON", func(t *testing.T) {
		out, _, err := cli(t, nil, "deliveries", "--pledge", pledge, "--json", "--db", w.db)
		if err != nil {
			t.Fatal(err)
		}
		var ds []coalition.Delivery
		if err := json.Unmarshal([]byte(out), &ds); err != nil {
			t.Fatal(err, out)
		}
		if len(ds) != 1 || ds[0].ID != id {
			t.Errorf("listed %+v, want delivery %d", ds, id)
		}
	})
	t.Run("edit", func(t *testing.T) {
		if _, errOut, err := cli(t, nil, "deliveries", "edit", strconv.FormatInt(id, 10), "--amount-eur", "30000000", "--db", w.db); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		d, err := w.store.FindDelivery(w.sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.AmountEUR, int64(30_000_000_00); got != want {
			t.Errorf("amount %d, want %d", got, want)
		}
		if got, want := d.Version, int64(2); got != want {
			t.Errorf("version %d, want %d", got, want)
		}
		if !w.audited(t, "delivery", "update", id) {
			t.Errorf("no audit entry")
		}
	})
	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"add without a pledge", []string{"deliveries", "add", "--date", "2025-03-01", "--amount-eur", "1", "--source", "x"}, "--pledge"},
		{"add above the pledge", []string{"deliveries", "add", "--pledge", pledge, "--date", "2025-03-02", "--amount-eur", "10000000000", "--source", "x"}, "amount_eur_minor"},
		{"add in the future", []string{"deliveries", "add", "--pledge", pledge, "--date", "2099-03-02", "--amount-eur", "1", "--source", "x"}, "date"},
		{"edit without a change", []string{"deliveries", "edit", strconv.FormatInt(id, 10)}, "say what changes"},
		{"edit with a bad amount", []string{"deliveries", "edit", strconv.FormatInt(id, 10), "--amount-eur", "lots"}, "amount-eur"},
		{"delete without an id", []string{"deliveries", "delete"}, "edit|delete ID"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, err := cli(t, nil, append(c.args, "--db", w.db)...)
			if exitCode(err) != 2 || !strings.Contains(err.Error()+errOut, c.says) {
				t.Errorf("exit %d, err %v; want exit 2 naming %s", exitCode(err), err, c.says)
			}
			ds, _, ferr := w.store.FindDeliveries(w.sys, coalition.DeliveryFilter{PledgeID: w.pledge, Limit: 10})
			if ferr != nil || len(ds) != 1 || ds[0].Version != 2 {
				t.Errorf("the deliveries changed: %v %+v", ferr, ds)
			}
		})
	}
	t.Run("delete", func(t *testing.T) {
		if _, errOut, err := cli(t, nil, "deliveries", "delete", strconv.FormatInt(id, 10), "--db", w.db); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if _, err := w.store.FindDelivery(w.sys, id); coalition.ErrorKind(err) != coalition.NotFound {
			t.Errorf("after delete: %v, want not found", err)
		}
		if !w.audited(t, "delivery", "delete", id) {
			t.Errorf("no audit entry")
		}
	})
}

// TestEngagementsCommand edits and deletes an engagement through
// `coalition engagements`, audited; a mistake is exit 2.
func TestEngagementsCommand(t *testing.T) {
	w := newCLIWorld(t)
	g := &coalition.Engagement{Date: coalition.Date{Y: 2025, M: 5, D: 4}, Kind: "call", Title: "Test call",
		Participants: []coalition.Participant{{ISO3: "DEU"}, {ISO3: "UKR"}}, Visibility: coalition.Public, Source: "https://example.org/call"}
	if err := w.store.CreateEngagement(w.sys, g); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(g.ID, 10)
	t.Run("list", func(t *testing.T) {
		out, _, err := cli(t, nil, "engagements", "--country", "DEU", "--db", w.db)
		if err != nil || !strings.Contains(out, "Test call") {
			t.Errorf("%v: %q lacks the engagement", err, out)
		}
	})
	t.Run("edit", func(t *testing.T) {
		if _, errOut, err := cli(t, nil, "engagements", "edit", id, "--kind", "meeting", "--outcomes", "agreed", "--db", w.db); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		got, err := w.store.FindEngagement(w.sys, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != "meeting" || got.Outcomes != "agreed" || got.Title != "Test call" || got.Version != g.Version+1 {
			t.Errorf("after the edit: %+v", got)
		}
		if !w.audited(t, "engagement", "update", g.ID) {
			t.Errorf("no audit entry")
		}
	})
	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"not a kind", []string{"engagements", "edit", id, "--kind", "dinner"}, "kind"},
		{"no change", []string{"engagements", "edit", id}, "say what changes"},
		{"not an id", []string{"engagements", "delete", "x"}, "ID must be"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, err := cli(t, nil, append(c.args, "--db", w.db)...)
			if exitCode(err) != 2 || !strings.Contains(err.Error()+errOut, c.says) {
				t.Errorf("exit %d, err %v; want exit 2 naming %s", exitCode(err), err, c.says)
			}
			if got, err := w.store.FindEngagement(w.sys, g.ID); err != nil || got.Version != g.Version+1 {
				t.Errorf("the engagement changed: %v %+v", err, got)
			}
		})
	}
	t.Run("delete", func(t *testing.T) {
		if _, errOut, err := cli(t, nil, "engagements", "delete", id, "--db", w.db); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if _, err := w.store.FindEngagement(w.sys, g.ID); coalition.ErrorKind(err) != coalition.NotFound {
			t.Errorf("after delete: %v, want not found", err)
		}
		if !w.audited(t, "engagement", "delete", g.ID) {
			t.Errorf("no audit entry")
		}
	})
}
