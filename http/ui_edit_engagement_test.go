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

// TestEngagementForms posts an engagement's edit and delete forms as a
// permitted user, as a user without permission, with a stale version,
// with bad input and from another site, on both engines; the engagements
// page links the edit page only for those who may edit.
func TestEngagementForms(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := robustWorld(t, robustStore(t, engine))
			admin := coalition.WithUser(context.Background(), w.users["admin"])
			eg := &coalition.Engagement{Date: coalition.Date{Y: 2026, M: 5, D: 4}, Kind: "call", Title: "Test call",
				Participants: []coalition.Participant{{ISO3: "GBR"}, {ISO3: "UKR"}}, Topics: []string{"air-defence"},
				CoalitionID: &w.cow.ID, Visibility: coalition.Public, Source: "https://example.org/call"}
			if err := w.store.CreateEngagement(admin, eg); err != nil {
				t.Fatal(err)
			}
			current := func(t *testing.T) *coalition.Engagement {
				t.Helper()
				e, err := w.store.FindEngagement(admin, eg.ID)
				if coalition.ErrorKind(err) == coalition.NotFound {
					return nil
				}
				if err != nil {
					t.Fatal(err)
				}
				return e
			}
			id := strconv.FormatInt(eg.ID, 10)
			edit, del := "/engagements/"+id+"/edit", "/engagements/"+id+"/delete"
			values := func(version int64) url.Values {
				return url.Values{"date": {"2026-05-05"}, "kind": {"meeting"}, "title": {"Test meeting"}, "topics": {"air-defence, training"},
					"outcomes": {"agreed"}, "visibility": {"public"}, "source": {"https://example.org/meeting"}, "version": {strconv.FormatInt(version, 10)}}
			}
			gb := signedInAs(t, w, "gb@example.org")
			t.Run("the engagements page links the edit page for those who may edit", func(t *testing.T) {
				_, page := gb.get("/engagements")
				if !strings.Contains(page, `href="`+edit+`"`) {
					t.Errorf("the GBR delegate's engagements page has no edit link")
				}
				_, page = signedInAs(t, w, "fr@example.org").get("/engagements")
				if strings.Contains(page, `href="`+edit+`"`) {
					t.Errorf("the FRA delegate's engagements page has an edit link")
				}
				if status, page := gb.get(edit); status != http.StatusOK || !strings.Contains(page, `value="Test call"`) {
					t.Errorf("edit page: status %d, or not pre-filled", status)
				}
			})
			t.Run("edit as the GBR delegate", func(t *testing.T) {
				before := current(t)
				if status, page := gb.post(edit, values(before.Version)); status != http.StatusSeeOther {
					t.Fatalf("status %d, want 303 (%.300s)", status, page)
				}
				after := current(t)
				if after.Kind != "meeting" || after.Title != "Test meeting" || strings.Join(after.Topics, "|") != "air-defence|training" || len(after.Participants) != 2 {
					t.Errorf("after the edit: %+v", after)
				}
				if got, want := after.Version, before.Version+1; got != want {
					t.Errorf("version %d, want %d", got, want)
				}
				if !auditHas(t, w, "engagement", "update", eg.ID) {
					t.Errorf("no audit entry for the edit")
				}
			})
			version := func(e *coalition.Engagement) int64 { return e.Version }
			unchanged := func(t *testing.T, before *coalition.Engagement) {
				if after := current(t); after == nil || after.Version != before.Version || after.Kind != before.Kind {
					t.Errorf("the engagement changed: %+v, want %+v", after, before)
				}
			}
			refuseForms(t, w, []formRefusal{
				{"edit as the FRA delegate", "fr@example.org", edit, values, http.StatusForbidden, "GBR"},
				{"not a kind", "gb@example.org", edit, func(v int64) url.Values { return with(values(v), "kind", "dinner") }, http.StatusBadRequest, "Kind: "},
				{"date not a date", "gb@example.org", edit, func(v int64) url.Values { return with(values(v), "date", "May") }, http.StatusBadRequest, "Date: &#34;May&#34; is not a date"},
				{"delete without confirmation", "gb@example.org", del, func(v int64) url.Values { return url.Values{"version": {strconv.FormatInt(v, 10)}} }, http.StatusBadRequest, "Confirmation: tick the box"},
				{"delete at a stale version", "gb@example.org", del, func(v int64) url.Values {
					return url.Values{"version": {strconv.FormatInt(v-1, 10)}, "confirm": {"yes"}}
				}, http.StatusConflict, "changed by someone else"},
				{"delete as the FRA delegate", "fr@example.org", del, func(v int64) url.Values { return url.Values{"version": {strconv.FormatInt(v, 10)}, "confirm": {"yes"}} }, http.StatusForbidden, "GBR"},
			}, current, version, unchanged)
			refuseStaleAndCrossSite(t, gb, edit, func(v int64) url.Values { return with(values(v), "title", "x") }, current, version, unchanged)
			t.Run("delete as the GBR delegate", func(t *testing.T) {
				form := url.Values{"version": {strconv.FormatInt(current(t).Version, 10)}, "confirm": {"yes"}}
				if status, _ := gb.post(del, form); status != http.StatusSeeOther {
					t.Fatalf("status %d, want 303", status)
				}
				if current(t) != nil {
					t.Errorf("the engagement is still there")
				}
				if !auditHas(t, w, "engagement", "delete", eg.ID) {
					t.Errorf("no audit entry for the delete")
				}
			})
		})
	}
}
