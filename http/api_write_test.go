package http

import (
	"coalition/internal/check"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// TestPledgeEuroAmountIsDerived: the euro amount of a pledge is always the
// amount at the ECB rate of its announcement month (coalition.ConvertPledge),
// on creation and after a change of amount or date; a client cannot set it
// (a £1,000 pledge was once PATCHed to count €10 bn). The as-of date
// defaults to the announcement's, as for an accepted proposal.
func TestPledgeEuroAmountIsDerived(t *testing.T) {
	w := newAuthWorld(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	status, resp, hdr := w.do(t, "delegate-GBR", "POST", "/api/v1/pledges",
		`{"donor":"gbr","category":"air-defence","amount":{"minor":100000,"currency":"gbp"},"announced":"2025-03-04","source":"test"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, resp)
	}
	var p coalition.Pledge
	if err := json.Unmarshal(resp, &p); err != nil {
		t.Fatal(err)
	}
	mar, _ := coalition.ParseMonth("2025-03")
	rate, err := w.store.FindRate(sys, "GBP", mar)
	if err != nil {
		t.Fatal(err)
	}
	if want := coalition.ToEUR(coalition.Money{Minor: 100000, Currency: "GBP"}, rate.UnitsPerEUR); p.AmountEUR != want || p.FXMonth != rate.Month ||
		p.FXRate != rate.UnitsPerEUR || p.Recipient != "UKR" || p.Donor != "GBR" || p.AsOf != (coalition.Date{Y: 2025, M: 3, D: 4}) {
		t.Errorf("created: eur %d (want %d) month %s rate %v recipient %s donor %s as of %s", p.AmountEUR, want, p.FXMonth, p.FXRate, p.Recipient, p.Donor, p.AsOf)
	}
	id := strconv.FormatInt(p.ID, 10)
	etag := hdr.Get("ETag")
	for _, body := range []string{`{"amount_eur_minor":1000000000000}`, `{"fx_rate":0.0001}`} {
		status, resp, _ := w.do(t, "delegate-GBR", "PATCH", "/api/v1/pledges/"+id, body, "If-Match", etag)
		field := strings.Split(strings.Trim(body, `{"`), `"`)[0]
		if status != http.StatusBadRequest || !strings.Contains(string(resp), `"field":"`+field+`"`) {
			t.Errorf("PATCH %s: %d %s, want 400 naming %s", body, status, resp, field)
		}
	}
	// A new date converts again, at the new month's rate.
	status, resp, _ = w.do(t, "delegate-GBR", "PATCH", "/api/v1/pledges/"+id, `{"announced":"2025-06-10"}`, "If-Match", etag)
	if status != http.StatusOK {
		t.Fatalf("PATCH announced: %d %s", status, resp)
	}
	if err := json.Unmarshal(resp, &p); err != nil {
		t.Fatal(err)
	}
	jun, _ := coalition.ParseMonth("2025-06")
	rate, err = w.store.FindRate(sys, "GBP", jun)
	if err != nil {
		t.Fatal(err)
	}
	if want := coalition.ToEUR(coalition.Money{Minor: 100000, Currency: "GBP"}, rate.UnitsPerEUR); p.AmountEUR != want || p.FXMonth != rate.Month {
		t.Errorf("after a new date: eur %d (want %d) month %s (want %s)", p.AmountEUR, want, p.FXMonth, rate.Month)
	}
}

// TestRequirementEditAndDelete (issue 16): a requirement is read with its
// ETag, changed with PATCH and deleted with DELETE, both only with If-Match
// (428 without); a stale version is 409 with the requirement as it is; a
// bad value names its field; an observer may not change it.
func TestRequirementEditAndDelete(t *testing.T) {
	w := newAuthWorld(t)
	status, resp, hdr := w.do(t, "coordinator", "POST", "/api/v1/requirements", `{"coalition_id":`+itoa(w.cow.ID)+
		`,"recipient":"UKR","category":"armour","amount_eur_minor":100000,"from":"2026-01","to":"2026-12","visibility":"public","source":"test"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, resp)
	}
	path := "/api/v1/requirements/" + itoa(idOf(t, resp))
	if status, _, h := w.do(t, "", "GET", path, ""); status != 200 || h.Get("ETag") != `"1"` {
		t.Fatalf("GET: %d ETag %q, want 200 and \"1\"", status, h.Get("ETag"))
	}
	if status, resp, _ := w.do(t, "coordinator", "PATCH", path, `{"amount_eur_minor":250000}`); status != http.StatusPreconditionRequired {
		t.Errorf("PATCH without If-Match: %d %s, want 428", status, resp)
	}
	if status, resp, _ := w.do(t, "observer", "PATCH", path, `{"amount_eur_minor":250000}`, "If-Match", `"1"`); status != http.StatusForbidden {
		t.Errorf("PATCH by an observer: %d %s, want 403", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "PATCH", path, `{"to":"2025-01"}`, "If-Match", `"1"`); status != http.StatusBadRequest ||
		!strings.Contains(string(resp), `"field":"to"`) {
		t.Errorf("PATCH to before from: %d %s, want 400 naming to", status, resp)
	}
	status, resp, hdr = w.do(t, "coordinator", "PATCH", path, `{"amount_eur_minor":250000,"capability":"maintenance and repair (T-72 spare parts)","note":"revised"}`, "If-Match", hdr.Get("ETag"))
	var q coalition.Requirement
	if err := json.Unmarshal(resp, &q); err != nil {
		t.Fatalf("PATCH: %d %v %s", status, err, resp)
	}
	if !check.Facts(t,
		check.Eq("PATCH status", status, 200),
		check.Eq("ETag", hdr.Get("ETag"), `"2"`),
		check.Eq("amount_eur_minor", q.AmountEUR, 250000),
		check.Eq("capability", q.Capability, "maintenance and repair (T-72 spare parts)"),
		check.Eq("note", q.Note, "revised"),
		check.Eq("category (unchanged)", q.Category, "armour"),
		check.Eq("source (unchanged)", q.Source, "test"),
	) {
		t.FailNow()
	}
	status, resp, _ = w.do(t, "coordinator", "PATCH", path, `{"amount_eur_minor":1}`, "If-Match", `"1"`)
	if status != http.StatusConflict || !strings.Contains(string(resp), `"amount_eur_minor":250000`) {
		t.Errorf("PATCH at a stale version: %d %s, want 409 with the current requirement", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, ""); status != http.StatusPreconditionRequired {
		t.Errorf("DELETE without If-Match: %d %s, want 428", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, "", "If-Match", `"1"`); status != http.StatusConflict {
		t.Errorf("DELETE at a stale version: %d %s, want 409", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, "", "If-Match", `"2"`); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s, want 204", status, resp)
	}
	if status, _, _ := w.do(t, "admin", "GET", path, ""); status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d, want 404", status)
	}
}

// TestEngagementEditAndDelete (issue 16): an engagement's GET has its ETag;
// PATCH and DELETE need If-Match (428 without); a stale version is 409; a
// delegate may edit the engagements of its country but not another's.
func TestEngagementEditAndDelete(t *testing.T) {
	w := newAuthWorld(t)
	status, resp, hdr := w.do(t, "delegate-GBR", "POST", "/api/v1/engagements",
		`{"date":"2025-03-02","kind":"summit","title":"London summit","participants":[{"iso3":"GBR"},{"iso3":"UKR"}],"source":"test"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s", status, resp)
	}
	path := "/api/v1/engagements/" + itoa(idOf(t, resp))
	if status, _, h := w.do(t, "", "GET", path, ""); status != 200 || h.Get("ETag") != `"1"` {
		t.Fatalf("GET: %d ETag %q, want 200 and \"1\"", status, h.Get("ETag"))
	}
	if status, resp, _ := w.do(t, "delegate-GBR", "PATCH", path, `{"outcomes":"x"}`); status != http.StatusPreconditionRequired {
		t.Errorf("PATCH without If-Match: %d %s, want 428", status, resp)
	}
	if status, resp, _ := w.do(t, "delegate-FRA", "PATCH", path, `{"outcomes":"x"}`, "If-Match", `"1"`); status != http.StatusForbidden {
		t.Errorf("PATCH by France's delegate: %d %s, want 403", status, resp)
	}
	if status, resp, _ := w.do(t, "delegate-GBR", "PATCH", path, `{"kind":"dinner"}`, "If-Match", `"1"`); status != http.StatusBadRequest ||
		!strings.Contains(string(resp), `"field":"kind"`) {
		t.Errorf("PATCH a bad kind: %d %s, want 400 naming kind", status, resp)
	}
	status, resp, hdr = w.do(t, "delegate-GBR", "PATCH", path, `{"outcomes":"air defence package","topics":["air-defence"]}`, "If-Match", hdr.Get("ETag"))
	var e coalition.Engagement
	if err := json.Unmarshal(resp, &e); err != nil {
		t.Fatalf("PATCH: %d %v %s", status, err, resp)
	}
	if !check.Facts(t,
		check.Eq("PATCH status", status, 200),
		check.Eq("ETag", hdr.Get("ETag"), `"2"`),
		check.Eq("outcomes", e.Outcomes, "air defence package"),
		check.Eq("topics", len(e.Topics), 1),
		check.Eq("title (unchanged)", e.Title, "London summit"),
		check.Eq("participants (unchanged)", len(e.Participants), 2),
	) {
		t.FailNow()
	}
	if status, resp, _ := w.do(t, "delegate-GBR", "PATCH", path, `{"outcomes":"y"}`, "If-Match", `"1"`); status != http.StatusConflict ||
		!strings.Contains(string(resp), "air defence package") {
		t.Errorf("PATCH at a stale version: %d %s, want 409 with the current engagement", status, resp)
	}
	if status, resp, _ := w.do(t, "delegate-GBR", "DELETE", path, ""); status != http.StatusPreconditionRequired {
		t.Errorf("DELETE without If-Match: %d %s, want 428", status, resp)
	}
	if status, resp, _ := w.do(t, "delegate-GBR", "DELETE", path, "", "If-Match", `"2"`); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s, want 204", status, resp)
	}
	if status, _, _ := w.do(t, "admin", "GET", path, ""); status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d, want 404", status)
	}
}

// TestRiskEventDelete (issue 16): DELETE /api/v1/risk-events/{id} needs
// If-Match (428 without), refuses an observer (403) and a stale version
// (409), and deletes at the current one.
func TestRiskEventDelete(t *testing.T) {
	w := newAuthWorld(t)
	var risk []coalition.RiskEvent
	_, body, _ := w.do(t, "", "GET", "/api/v1/risk-events", "")
	if err := json.Unmarshal(body, &risk); err != nil || len(risk) == 0 {
		t.Fatalf("risk events: %v (%d)", err, len(risk))
	}
	path := "/api/v1/risk-events/" + itoa(risk[0].ID)
	etag := `"` + itoa(risk[0].Version) + `"`
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, ""); status != http.StatusPreconditionRequired {
		t.Errorf("DELETE without If-Match: %d %s, want 428", status, resp)
	}
	if status, resp, _ := w.do(t, "observer", "DELETE", path, "", "If-Match", etag); status != http.StatusForbidden {
		t.Errorf("DELETE by an observer: %d %s, want 403", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, "", "If-Match", `"`+itoa(risk[0].Version+1)+`"`); status != http.StatusConflict {
		t.Errorf("DELETE at a wrong version: %d %s, want 409", status, resp)
	}
	if status, resp, _ := w.do(t, "coordinator", "DELETE", path, "", "If-Match", etag); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s, want 204", status, resp)
	}
	if status, _, _ := w.do(t, "", "GET", path, ""); status != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d, want 404", status)
	}
}

// TestRiskEventCreateAndEditWindow (issue 15 §3): POST creates a risk event
// with a window (observers may not), PATCH moves its window and date with
// If-Match, and a date outside the window is a 400 naming the field.
func TestRiskEventCreateAndEditWindow(t *testing.T) {
	w := newAuthWorld(t)
	body := `{"iso3":"DEU","date":"2029-03-25","earliest":"2029-01-28","latest":"2029-03-25","kind":"election",` +
		`"label":"Bundestag 2029 (test)","probability":0.3,"factor":0.7,"source":"Basic Law Art. 39","assumption":"test"}`
	if status, resp, _ := w.do(t, "observer", "POST", "/api/v1/risk-events", body); status != http.StatusForbidden {
		t.Errorf("POST by an observer: %d %s, want 403", status, resp)
	}
	status, resp, _ := w.do(t, "coordinator", "POST", "/api/v1/risk-events", body)
	if status != http.StatusCreated {
		t.Fatalf("POST: %d %s, want 201", status, resp)
	}
	var ev coalition.RiskEvent
	if err := json.Unmarshal(resp, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Earliest == nil || ev.Earliest.String() != "2029-01-28" || ev.Latest.String() != "2029-03-25" || ev.Version != 1 {
		t.Fatalf("created %+v, want the window 2029-01-28..2029-03-25 at version 1", ev)
	}
	path := "/api/v1/risk-events/" + itoa(ev.ID)
	bad := `{"date":"2029-06-01"}`
	if status, resp, _ := w.do(t, "coordinator", "PATCH", path, bad, "If-Match", `"1"`); status != http.StatusBadRequest || !strings.Contains(string(resp), "date") {
		t.Errorf("PATCH a date outside the window: %d %s, want 400 on date", status, resp)
	}
	move := `{"earliest":"2028-09-01","latest":"2028-10-31","date":"2028-10-31","kind":"snap-election"}`
	status, resp, _ = w.do(t, "coordinator", "PATCH", path, move, "If-Match", `"1"`)
	if status != http.StatusOK {
		t.Fatalf("PATCH the window: %d %s, want 200", status, resp)
	}
	var got coalition.RiskEvent
	if err := json.Unmarshal(resp, &got); err != nil {
		t.Fatal(err)
	}
	if got.Earliest.String() != "2028-09-01" || got.Latest.String() != "2028-10-31" || got.Kind != "snap-election" || got.Version != 2 {
		t.Errorf("after PATCH: %+v", got)
	}
}
