package http

import (
	"coalition/internal/check"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"coalition"
)

// TestDeliveriesThroughTheAPI: issue 16 §1 accepted €10 bn of deliveries
// on a €91.5 m pledge and one dated a year ahead, and a delivery could be
// neither corrected nor deleted. Now: 400 naming the field, an explicit
// over-delivery, and GET/PATCH/DELETE with the version, audited.
func TestDeliveriesThroughTheAPI(t *testing.T) {
	w := newAuthWorld(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 91_500_000_00, Currency: "EUR"}, Announced: coalition.Date{Y: 2025, M: 1, D: 15},
		Status: coalition.Allocated, Visibility: coalition.Public, Source: "test"}
	if err := w.store.CreatePledge(sys, p); err != nil {
		t.Fatal(err)
	}
	post := func(body map[string]any) (int, problem, coalition.Delivery) {
		t.Helper()
		body["pledge_id"], body["source"] = p.ID, "test"
		b, _ := json.Marshal(body)
		status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/deliveries", string(b))
		var prob problem
		var d coalition.Delivery
		json.Unmarshal(resp, &prob)
		json.Unmarshal(resp, &d)
		return status, prob, d
	}
	ahead := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"€10 bn on €91.5 m", map[string]any{"date": "2025-03-01", "amount_eur_minor": 10_000_000_000_00}, "amount_eur_minor"},
		{"a year ahead", map[string]any{"date": ahead, "amount_eur_minor": 100}, "date"},
	} {
		if status, prob, _ := post(c.body); status != 400 || prob.Field != c.field {
			t.Errorf("%s: %d field %q, want 400 naming %s", c.name, status, prob.Field, c.field)
		}
	}
	status, _, big := post(map[string]any{"date": "2025-03-01", "amount_eur_minor": 10_000_000_000_00, "over_delivery": "replacements agreed 2025-02"})
	if status != 201 || big.OverDelivery != "replacements agreed 2025-02" {
		t.Fatalf("with over_delivery: %d %+v, want 201 with the reason", status, big)
	}

	path := "/api/v1/deliveries/" + itoa(big.ID)
	status, _, h := w.do(t, "", "GET", path, "")
	if status != 200 || h.Get("ETag") != `"1"` {
		t.Fatalf("GET %s: %d ETag %q, want 200 and \"1\"", path, status, h.Get("ETag"))
	}
	// PATCH: If-Match required, stale refused, another country's delegate
	// refused, the reason cannot be dropped while over the pledge.
	for _, c := range []struct {
		role, body, ifMatch string
		want                int
	}{
		{"delegate-GBR", `{"amount_eur_minor": 5000000000}`, "", 428},
		{"delegate-GBR", `{"amount_eur_minor": 5000000000}`, `"7"`, 409},
		{"delegate-FRA", `{"amount_eur_minor": 5000000000}`, `"1"`, 403},
		{"delegate-GBR", `{"over_delivery": ""}`, `"1"`, 400},
		{"delegate-GBR", `{"date": "` + ahead + `"}`, `"1"`, 400},
		{"delegate-GBR", `{"pledge_id": 1}`, `"1"`, 400},
	} {
		hdr := []string{}
		if c.ifMatch != "" {
			hdr = []string{"If-Match", c.ifMatch}
		}
		if status, body, _ := w.do(t, c.role, "PATCH", path, c.body, hdr...); status != c.want {
			t.Errorf("PATCH %s as %s (If-Match %s): %d, want %d (%.200s)", c.body, c.role, c.ifMatch, status, c.want, body)
		}
	}
	// A correction within the pledge needs no reason.
	status, body, h := w.do(t, "delegate-GBR", "PATCH", path, `{"amount_eur_minor": 5000000000, "over_delivery": "", "date": "2025-03-02"}`, "If-Match", `"1"`)
	var d coalition.Delivery
	json.Unmarshal(body, &d)
	if !check.Facts(t,
		check.Eq("PATCH status", status, 200),
		check.Eq("ETag", h.Get("ETag"), `"2"`),
		check.Eq("amount_eur_minor", d.AmountEUR, 50_000_000_00),
		check.Eq("date", d.Date, coalition.Date{Y: 2025, M: 3, D: 2}),
		check.Eq("pledge", d.PledgeID, p.ID),
	) {
		t.FailNow()
	}
	if status, _, _ := w.do(t, "delegate-GBR", "DELETE", path, "", "If-Match", `"1"`); status != 409 {
		t.Errorf("DELETE at a stale version: %d, want 409", status)
	}
	if status, _, _ := w.do(t, "delegate-FRA", "DELETE", path, "", "If-Match", `"2"`); status != 403 {
		t.Errorf("DELETE by FRA's delegate: %d, want 403", status)
	}
	if status, body, _ := w.do(t, "delegate-GBR", "DELETE", path, "", "If-Match", `"2"`); status != 204 {
		t.Fatalf("DELETE: %d (%s)", status, body)
	}
	if status, _, _ := w.do(t, "", "GET", path, ""); status != 404 {
		t.Errorf("GET after DELETE: %d, want 404", status)
	}
	// Every change is audited with before and after.
	entries, _, err := w.store.FindAudit(sys, coalition.AuditFilter{Entity: "delivery"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*coalition.AuditEntry{}
	for _, e := range entries {
		if e.EntityID == itoa(big.ID) {
			got[e.Action] = e
		}
	}
	if u := got["update"]; u == nil || !strings.Contains(u.Before, `"amount_eur_minor":1000000000000`) || !strings.Contains(u.After, `"amount_eur_minor":5000000000`) {
		t.Errorf("update audit: %+v", u)
	}
	if d := got["delete"]; d == nil || d.Before == "" || d.After != "" {
		t.Errorf("delete audit: %+v", d)
	}
}
