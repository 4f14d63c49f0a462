package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// TestRiskEventForms posts a risk event's edit and delete forms as a
// permitted user, as a user without permission, with a stale version,
// with bad input and from another site, on both engines; the country page
// links the edit page only for those who may edit.
func TestRiskEventForms(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := robustWorld(t, robustStore(t, engine))
			admin := coalition.WithUser(context.Background(), w.users["admin"])
			ev := &coalition.RiskEvent{ISO3: "FRA", Date: coalition.Date{Y: 2027, M: 4, D: 10}, Kind: "election", Label: "Test election",
				Probability: 0.3, Factor: 0.6, Source: "https://example.org/calendar", Assumption: "test default"}
			if err := w.store.CreateRiskEvent(admin, ev); err != nil {
				t.Fatal(err)
			}
			current := func(t *testing.T) *coalition.RiskEvent {
				t.Helper()
				e, err := w.store.FindRiskEvent(admin, ev.ID)
				if coalition.ErrorKind(err) == coalition.NotFound {
					return nil
				}
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			id := strconv.FormatInt(ev.ID, 10)
			edit, del := "/risk-events/"+id+"/edit", "/risk-events/"+id+"/delete"
			values := func(version int64) url.Values {
				return url.Values{"label": {"Test election, second round"}, "probability": {"0.45"}, "factor": {"0.5"},
					"assumption": {"coordinators' view"}, "version": {strconv.FormatInt(version, 10)}}
			}
			coord := signedInAs(t, w, "coord@example.org")
			t.Run("the country page links the edit page for coordinators only", func(t *testing.T) {
				_, page := coord.get("/countries/FRA")
				if !strings.Contains(page, `href="`+edit+`"`) {
					t.Errorf("the coordinator's country page has no edit link")
				}
				_, page = signedInAs(t, w, "gb@example.org").get("/countries/FRA")
				if strings.Contains(page, `href="`+edit+`"`) {
					t.Errorf("the delegate's country page has an edit link")
				}
				if status, page := coord.get(edit); status != http.StatusOK || !strings.Contains(page, `value="0.3"`) {
					t.Errorf("edit page: status %d, or not pre-filled", status)
				}
			})
			t.Run("edit as the coordinator", func(t *testing.T) {
				before := current(t)
				if status, _ := coord.post(edit, values(before.Version)); status != http.StatusSeeOther {
					t.Fatalf("status %d, want 303", status)
				}
				after := current(t)
				if after.Probability != 0.45 || after.Factor != 0.5 || after.Label != "Test election, second round" {
					t.Errorf("after the edit: %+v", after)
				}
				if got, want := after.Version, before.Version+1; got != want {
					t.Errorf("version %d, want %d", got, want)
				}
				if !auditHas(t, w, "risk_event", "update", ev.ID) {
					t.Errorf("no audit entry for the edit")
				}
			})
			version := func(e *coalition.RiskEvent) int64 { return e.Version }
			unchanged := func(t *testing.T, before *coalition.RiskEvent) {
				if after := current(t); after == nil || after.Version != before.Version || after.Probability != before.Probability {
					t.Errorf("the risk event changed: %+v, want %+v", after, before)
				}
			}
			refuseForms(t, w, []formRefusal{
				{"edit as a delegate", "gb@example.org", edit, values, http.StatusForbidden, "only admins and coordinators"},
				{"probability above 1", "coord@example.org", edit, func(v int64) url.Values { return with(values(v), "probability", "1.5") }, http.StatusBadRequest, "Probability (0–1): must be between 0 and 1"},
				{"factor not a number", "coord@example.org", edit, func(v int64) url.Values { return with(values(v), "factor", "half") }, http.StatusBadRequest, "Factor: &#34;half&#34; is not a number"},
				{"delete without confirmation", "coord@example.org", del, func(v int64) url.Values { return url.Values{"version": {strconv.FormatInt(v, 10)}} }, http.StatusBadRequest, "Confirmation: tick the box"},
				{"delete at a stale version", "coord@example.org", del, func(v int64) url.Values {
					return url.Values{"version": {strconv.FormatInt(v-1, 10)}, "confirm": {"yes"}}
				}, http.StatusConflict, "changed by someone else"},
				{"delete as a delegate", "gb@example.org", del, func(v int64) url.Values { return url.Values{"version": {strconv.FormatInt(v, 10)}, "confirm": {"yes"}} }, http.StatusForbidden, "only admins and coordinators"},
			}, current, version, unchanged)
			refuseStaleAndCrossSite(t, coord, edit, func(v int64) url.Values { return with(values(v), "probability", "0.9") }, current, version, unchanged)
			t.Run("delete as the coordinator", func(t *testing.T) {
				form := url.Values{"version": {strconv.FormatInt(current(t).Version, 10)}, "confirm": {"yes"}}
				if status, _ := coord.post(del, form); status != http.StatusSeeOther {
					t.Fatalf("status %d, want 303", status)
				}
				if current(t) != nil {
					t.Errorf("the risk event is still there")
				}
				if !auditHas(t, w, "risk_event", "delete", ev.ID) {
					t.Errorf("no audit entry for the delete")
				}
			})
		})
	}
}
