package http

import (
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
