package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestSecretariatWeek is issue 16's secretariat week, end to end through
// the API: announce at a summit, commit, allocate in two parts, deliver in
// three, correct a delivery, delete a mistaken engagement, and check every
// figure on the way (stage history, §1).
func TestSecretariatWeek(t *testing.T) {
	w := newAuthWorld(t)
	const bn = 100_000_000_000 // €1 bn in cents
	const m = 100_000_000      // €1 m in cents
	var p struct {
		ID        int64  `json:"id"`
		Status    string `json:"status"`
		Source    string `json:"source"`
		AmountEUR int64  `json:"amount_eur_minor"`
		Version   int64  `json:"version"`
	}
	send := func(role, method, path, body string, want int, out any, hdr ...string) http.Header {
		t.Helper()
		status, resp, h := w.do(t, role, method, path, body, hdr...)
		if status != want {
			t.Fatalf("%s %s %s: %d, want %d: %.300s", method, path, body, status, want, resp)
		}
		if out != nil {
			if err := json.Unmarshal(resp, out); err != nil {
				t.Fatalf("%s %s: %v: %s", method, path, err, resp)
			}
		}
		return h
	}
	refused := func(role, method, path, body string, field string, hdr ...string) {
		t.Helper()
		var prob problem
		send(role, method, path, body, 400, &prob, hdr...)
		if prob.Field != field {
			t.Errorf("%s %s %s: refused naming %q, want %q (%s)", method, path, body, prob.Field, field, prob.Detail)
		}
	}
	var hist struct {
		Figures struct {
			Stage           string `json:"stage"`
			Announced       int64  `json:"announced_eur_minor"`
			Committed       int64  `json:"committed_eur_minor"`
			Allocated       int64  `json:"allocated_eur_minor"`
			Delivered       int64  `json:"delivered_eur_minor"`
			AnnouncedSource string `json:"announced_source"`
		} `json:"figures"`
		Entries []struct {
			Stage      string `json:"stage"`
			AmountEUR  int64  `json:"amount_eur_minor"`
			Source     string `json:"source"`
			RecordedBy string `json:"recorded_by"`
			DeliveryID int64  `json:"delivery_id"`
		} `json:"entries"`
	}
	summit := "London summit communiqué, 2 March 2025"
	figures := func(t *testing.T, stage string, announced, committed, allocated, delivered int64, entries int) {
		t.Helper()
		hist.Entries = nil
		send("", "GET", "/api/v1/pledges/"+itoa(p.ID)+"/history", "", 200, &hist) // anyone may read a public pledge's history
		f := hist.Figures
		for _, c := range []struct {
			name      string
			got, want int64
		}{{"announced", f.Announced, announced}, {"committed", f.Committed, committed}, {"allocated", f.Allocated, allocated},
			{"delivered", f.Delivered, delivered}, {"entries", int64(len(hist.Entries)), int64(entries)}} {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
			}
		}
		if f.Stage != stage || f.AnnouncedSource != summit {
			t.Errorf("stage %s announced by %q, want %s by %q", f.Stage, f.AnnouncedSource, stage, summit)
		}
		send("", "GET", "/api/v1/pledges/"+itoa(p.ID), "", 200, &p)
		if p.Status != stage || p.Source != summit || p.AmountEUR != announced {
			t.Errorf("pledge: %s, %q, €%d, want %s, %q, €%d", p.Status, p.Source, p.AmountEUR, stage, summit, announced)
		}
	}
	stage := func(body string) {
		t.Helper()
		var out struct {
			Pledge struct {
				Version int64 `json:"version"`
			} `json:"pledge"`
		}
		h := send("delegate-GBR", "POST", "/api/v1/pledges/"+itoa(p.ID)+"/stages", body, 201, &out)
		if h.Get("ETag") != strconv.Quote(itoa(out.Pledge.Version)) {
			t.Errorf("ETag %q, pledge version %d", h.Get("ETag"), out.Pledge.Version)
		}
	}

	t.Run("Monday: announced at the summit", func(t *testing.T) {
		send("delegate-GBR", "POST", "/api/v1/pledges", `{"donor":"GBR","category":"air-defence","amount":{"minor":`+itoa(bn)+
			`,"currency":"EUR"},"announced":"2025-03-02","source":"`+summit+`"}`, 201, &p)
		figures(t, "announced", bn, 0, 0, 0, 1)
		if by := hist.Entries[0].RecordedBy; by != w.users["delegate-GBR"].Email {
			t.Errorf("announcement recorded by %q, want %q", by, w.users["delegate-GBR"].Email)
		}
		send("delegate-GBR", "POST", "/api/v1/engagements", `{"date":"2025-03-02","kind":"summit","title":"London summit",`+
			`"participants":[{"name":"UK","iso3":"GBR"}],"source":"`+summit+`"}`, 201, nil)
	})
	t.Run("Tuesday: committed in full", func(t *testing.T) {
		stage(`{"stage":"committed","date":"2025-03-20","amount":{"minor":` + itoa(bn) + `},"source":"MoD written statement"}`)
		figures(t, "committed", bn, bn, 0, 0, 2)
		// The euro amount is derived, never sent.
		refused("delegate-GBR", "POST", "/api/v1/pledges/"+itoa(p.ID)+"/stages",
			`{"stage":"committed","date":"2025-03-20","amount":{"minor":1},"amount_eur_minor":1000,"source":"x"}`, "amount_eur_minor")
		// Another country's delegate may read but not record.
		send("delegate-FRA", "POST", "/api/v1/pledges/"+itoa(p.ID)+"/stages",
			`{"stage":"allocated","date":"2025-03-21","amount":{"minor":1},"source":"x"}`, 403, nil)
	})
	t.Run("Wednesday: allocated in two parts", func(t *testing.T) {
		stage(`{"stage":"allocated","date":"2025-04-01","amount":{"minor":` + itoa(400*m) + `},"source":"contract 1"}`)
		figures(t, "allocated", bn, bn, 400*m, 0, 3)
		stage(`{"stage":"allocated","date":"2025-05-01","amount":{"minor":` + itoa(200*m) + `},"source":"contract 2"}`)
		figures(t, "allocated", bn, bn, 600*m, 0, 4)
		// Lowering an allocation is a correction, said why.
		refused("delegate-GBR", "POST", "/api/v1/pledges/"+itoa(p.ID)+"/stages",
			`{"stage":"allocated","date":"2025-05-02","amount":{"minor":-`+itoa(100*m)+`},"source":"contract 2 amended"}`, "correction")
	})
	var deliveries []int64
	t.Run("Thursday: delivered in three", func(t *testing.T) {
		for i, amt := range []int64{100 * m, 100 * m, 50 * m} {
			var d struct {
				ID int64 `json:"id"`
			}
			send("delegate-GBR", "POST", "/api/v1/deliveries", `{"pledge_id":`+itoa(p.ID)+`,"date":"2025-06-0`+itoa(int64(i+1))+
				`","amount_eur_minor":`+itoa(amt)+`,"source":"MoD delivery note"}`, 201, &d)
			deliveries = append(deliveries, d.ID)
		}
		figures(t, "allocated", bn, bn, 600*m, 250*m, 7)
		// €400 m more would be €650 m delivered of €600 m allocated.
		refused("delegate-GBR", "POST", "/api/v1/deliveries", `{"pledge_id":`+itoa(p.ID)+`,"date":"2025-06-05","amount_eur_minor":`+
			itoa(400*m)+`,"source":"x"}`, "amount_eur_minor")
		// A delivered entry carries no amount: the deliveries are the figure.
		refused("delegate-GBR", "POST", "/api/v1/pledges/"+itoa(p.ID)+"/stages",
			`{"stage":"delivered","date":"2025-06-05","amount":{"minor":`+itoa(250*m)+`},"source":"x"}`, "stage")
	})
	t.Run("Friday: a delivery corrected, a mistaken engagement deleted", func(t *testing.T) {
		send("delegate-GBR", "PATCH", "/api/v1/deliveries/"+itoa(deliveries[2]), `{"amount_eur_minor":`+itoa(40*m)+`}`, 200, nil, "If-Match", `"1"`)
		figures(t, "allocated", bn, bn, 600*m, 240*m, 7)
		// The pledge cannot go below what was delivered.
		cur := strconv.Quote(itoa(p.Version))
		refused("delegate-GBR", "PATCH", "/api/v1/pledges/"+itoa(p.ID), `{"amount":{"minor":`+itoa(200*m)+`,"currency":"EUR"}}`, "amount", "If-Match", cur)
		// A status moved back without a reason is refused.
		refused("delegate-GBR", "PATCH", "/api/v1/pledges/"+itoa(p.ID), `{"status":"announced"}`, "correction", "If-Match", cur)
		var e struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		}
		send("delegate-GBR", "POST", "/api/v1/engagements", `{"date":"2025-06-06","kind":"call","title":"call that never happened",`+
			`"participants":[{"name":"UK","iso3":"GBR"}],"source":"typo"}`, 201, &e)
		send("delegate-GBR", "DELETE", "/api/v1/engagements/"+itoa(e.ID), "", 204, nil, "If-Match", strconv.Quote(itoa(e.Version)))
		send("", "GET", "/api/v1/engagements/"+itoa(e.ID), "", 404, nil)
		figures(t, "allocated", bn, bn, 600*m, 240*m, 7)
		var srcs []string
		for _, e := range hist.Entries {
			srcs = append(srcs, e.Source)
		}
		want := []string{summit, "MoD written statement", "contract 1", "contract 2", "MoD delivery note", "MoD delivery note", "MoD delivery note"}
		if len(srcs) != len(want) {
			t.Fatalf("sources %q, want %q", srcs, want)
		}
		for i := range want {
			if srcs[i] != want[i] {
				t.Errorf("entry %d from %q, want %q", i, srcs[i], want[i])
			}
		}
	})
	t.Run("the country page shows the stages", func(t *testing.T) {
		status, body, _ := w.do(t, "", "GET", "/countries/GBR", "")
		page := string(body)
		if status != 200 {
			t.Fatalf("GET /countries/GBR: %d", status)
		}
		for _, want := range []string{`id="pledge-stages-table"`, "London summit communiqué",
			"<td>allocated</td>", "€600.0 m", "€240.0 m", `href="/pledges/` + itoa(p.ID) + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the country page lacks %q", want)
			}
		}
	})
	t.Run("the pledge page shows every step", func(t *testing.T) {
		status, body, _ := w.do(t, "", "GET", "/pledges/"+itoa(p.ID), "")
		page := string(body)
		if status != 200 {
			t.Fatalf("GET /pledges/%d: %d", p.ID, status)
		}
		for _, want := range []string{`id="pledge-history"`, "London summit communiqué", "MoD written statement", "contract 1", "contract 2",
			"a delivery", "€40.0 m", "€1.0 bn"} {
			if !strings.Contains(page, want) {
				t.Errorf("the pledge page lacks %q", want)
			}
		}
		// No internal identifiers on pages (issue 21): ids only in URLs.
		for _, internal := range []string{"delivery " + itoa(deliveries[2]), "Pledge " + itoa(p.ID)} {
			if strings.Contains(page, internal) {
				t.Errorf("the pledge page shows the internal %q", internal)
			}
		}
		if status, _, _ := w.do(t, "", "GET", "/pledges/"+itoa(w.pledges["confidential"].ID), ""); status != 404 {
			t.Errorf("a confidential pledge's page for anonymous: %d, want 404", status)
		}
	})
	t.Run("history follows the pledge's visibility", func(t *testing.T) {
		conf := "/api/v1/pledges/" + itoa(w.pledges["confidential"].ID) + "/history"
		send("", "GET", conf, "", 404, nil)
		send("delegate-FRA", "GET", conf, "", 404, nil)
		send("delegate-GBR", "GET", conf, "", 200, nil)
	})
}
