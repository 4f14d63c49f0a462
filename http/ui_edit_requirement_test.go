package http

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// requirementWorld is a server with one requirement of COW2025 that the
// forms edit, and what the tests read back from its store.
type requirementWorld struct {
	*authWorld
	admin context.Context // reads everything, the audit log too
	q     *coalition.Requirement
}

func newRequirementWorld(t *testing.T, engine string) *requirementWorld {
	t.Helper()
	w := robustWorld(t, robustStore(t, engine))
	rw := &requirementWorld{authWorld: w, admin: coalition.WithUser(context.Background(), w.users["admin"])}
	rw.q = &coalition.Requirement{CoalitionID: &w.cow.ID, Recipient: "UKR", Category: "air-defence", AmountEUR: 50_000_000_00,
		From: coalition.MonthOf(2026, 1), To: coalition.MonthOf(2026, 12), Priority: 1, Visibility: coalition.Public,
		Source: "https://example.org/needs", Capability: "interceptors (for the tests)"}
	if err := w.store.CreateRequirement(rw.admin, rw.q); err != nil {
		t.Fatal(err)
	}
	return rw
}

// current reads the requirement back; nil once deleted.
func (w *requirementWorld) current(t *testing.T) *coalition.Requirement {
	t.Helper()
	q, err := w.store.FindRequirement(w.admin, w.q.ID)
	if coalition.ErrorKind(err) == coalition.NotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// count is the number of COW2025's requirements.
func (w *requirementWorld) count(t *testing.T) int {
	t.Helper()
	qs, _, err := w.store.FindRequirements(w.admin, coalition.RequirementFilter{CoalitionID: &w.cow.ID, Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return len(qs)
}

// audited reports whether the audit log holds action on requirement id.
func (w *requirementWorld) audited(t *testing.T, action string, id int64) bool {
	t.Helper()
	return auditHas(t, w.authWorld, "requirement", action, id)
}

// auditHas reports whether the audit log holds action on entity id.
func auditHas(t *testing.T, w *authWorld, entity, action string, id int64) bool {
	t.Helper()
	admin := coalition.WithUser(context.Background(), w.users["admin"])
	es, _, err := w.store.FindAudit(admin, coalition.AuditFilter{Entity: entity, Action: action, Limit: 1000})
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

// requirementValues is a valid add or edit form.
func requirementValues(version int64) url.Values {
	v := url.Values{"recipient": {"UKR"}, "category": {"ammunition"}, "capability": {"155 mm shells"}, "amount": {"1250000.50"},
		"from": {"2026-03"}, "to": {"2026-08"}, "priority": {"2"}, "visibility": {"coalition"}, "source": {"https://example.org/shells"}}
	if version != 0 {
		v.Set("version", strconv.FormatInt(version, 10))
	}
	return v
}

// get fetches a page with the poster's session.
func (p *formPoster) get(path string) (int, string) {
	p.t.Helper()
	res, err := p.c.Get(p.base + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// TestRequirementPage: the coalition page lists the requirements to
// everyone and offers the forms only to those who may set them.
func TestRequirementPage(t *testing.T) {
	w := newRequirementWorld(t, "sqlite")
	cow := strconv.FormatInt(w.cow.ID, 10)
	edit := `href="/requirements/` + strconv.FormatInt(w.q.ID, 10) + `/edit"`
	for _, c := range []struct {
		who      string // "" anonymous
		forms    bool
		editPage int
	}{{"", false, http.StatusSeeOther}, {"gb@example.org", false, http.StatusForbidden}, {"coord@example.org", true, http.StatusOK}, {"admin@example.org", true, http.StatusOK}} {
		t.Run("as "+c.who, func(t *testing.T) {
			p := &formPoster{t: t, c: cookieClient(t, w.authWorld), base: w.srv.URL}
			if c.who != "" {
				p = signedInAs(t, w.authWorld, c.who)
			}
			status, page := p.get("/coalitions/" + cow)
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200", status)
			}
			if !strings.Contains(page, `id="requirements-table"`) || !strings.Contains(page, "interceptors (for the tests)") {
				t.Errorf("the page does not list the requirement")
			}
			if got := strings.Contains(page, `action="/coalitions/`+cow+`/requirements"`); got != c.forms {
				t.Errorf("add form shown: %v, want %v", got, c.forms)
			}
			if got := strings.Contains(page, edit); got != c.forms {
				t.Errorf("edit link shown: %v, want %v", got, c.forms)
			}
			if status, _ := p.get("/requirements/" + strconv.FormatInt(w.q.ID, 10) + "/edit"); status != c.editPage {
				t.Errorf("edit page: status %d, want %d", status, c.editPage)
			}
		})
	}
	t.Run("the edit form is pre-filled at the record's version", func(t *testing.T) {
		p := signedInAs(t, w.authWorld, "coord@example.org")
		_, page := p.get("/requirements/" + strconv.FormatInt(w.q.ID, 10) + "/edit")
		for _, want := range []string{`name="version" value="` + strconv.FormatInt(w.q.Version, 10) + `"`,
			`value="interceptors (for the tests)"`, `value="50000000"`, `value="2026-01"`, `value="2026-12"`,
			`<option value="air-defence" selected>`, `<option value="public" selected>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
	})
}

// TestRequirementForms posts the add, edit and delete forms as a permitted
// user, as users without permission, with a stale version, with bad input
// and from another site, on both engines.
func TestRequirementForms(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := newRequirementWorld(t, engine)
			t.Run("add", func(t *testing.T) { testRequirementAdd(t, w) })
			t.Run("edit", func(t *testing.T) { testRequirementEdit(t, w) })
			t.Run("delete", func(t *testing.T) { testRequirementDelete(t, w) })
		})
	}
}

func testRequirementAdd(t *testing.T, w *requirementWorld) {
	add := "/coalitions/" + strconv.FormatInt(w.cow.ID, 10) + "/requirements"
	coord := signedInAs(t, w.authWorld, "coord@example.org")
	t.Run("as the coordinator", func(t *testing.T) {
		before := w.count(t)
		if status, _ := coord.post(add, requirementValues(0)); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", status)
		}
		qs, _, err := w.store.FindRequirements(w.admin, coalition.RequirementFilter{CoalitionID: &w.cow.ID, Category: "ammunition", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got := w.count(t); got != before+1 || len(qs) != 1 {
			t.Fatalf("%d requirements (%d in ammunition), want %d (1)", got, len(qs), before+1)
		}
		q := qs[0]
		if got, want := q.AmountEUR, int64(1_250_000_50); got != want {
			t.Errorf("amount %d cents, want %d", got, want)
		}
		if got, want := q.From.String()+" "+q.To.String(), "2026-03 2026-08"; got != want {
			t.Errorf("period %s, want %s", got, want)
		}
		if got, want := q.Visibility, coalition.CoalitionVis; got != want {
			t.Errorf("visibility %s, want %s", got, want)
		}
		if !w.audited(t, "create", q.ID) {
			t.Errorf("no audit entry for the new requirement")
		}
	})
	refused := []struct {
		name   string
		who    string
		form   url.Values
		status int
		says   string
	}{
		{"as a delegate", "gb@example.org", requirementValues(0), http.StatusForbidden, "coordinators"},
		{"as an analyst", "analyst@example.org", requirementValues(0), http.StatusForbidden, "coordinators"},
		{"amount not a number", "coord@example.org", with(requirementValues(0), "amount", "lots"), http.StatusBadRequest, "Amount per month (EUR): &#34;lots&#34; is not an amount"},
		{"no source", "coord@example.org", with(requirementValues(0), "source", ""), http.StatusBadRequest, "Source: every figure needs a source"},
		{"to before from", "coord@example.org", with(requirementValues(0), "to", "2025-01"), http.StatusBadRequest, "To: is before from"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before := w.count(t)
			status, page := signedInAs(t, w.authWorld, c.who).post(add, c.form)
			checkRefused(t, status, page, c.status, c.says)
			if got := w.count(t); got != before {
				t.Errorf("%d requirements, want %d: something was written", got, before)
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		before := w.count(t)
		res := postForm(t, coord.c, w.srv.URL+add, requirementValues(0), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		if got := w.count(t); got != before {
			t.Errorf("%d requirements, want %d: something was written", got, before)
		}
	})
}

// with returns v with k set to s.
func with(v url.Values, k, s string) url.Values {
	v.Set(k, s)
	return v
}

func testRequirementEdit(t *testing.T, w *requirementWorld) {
	path := "/requirements/" + strconv.FormatInt(w.q.ID, 10) + "/edit"
	coord := signedInAs(t, w.authWorld, "coord@example.org")
	unchanged := func(t *testing.T, want *coalition.Requirement) {
		t.Helper()
		got := w.current(t)
		if got == nil || got.Version != want.Version || got.Category != want.Category || got.AmountEUR != want.AmountEUR {
			t.Errorf("the requirement changed: %+v, want %+v", got, want)
		}
	}
	t.Run("as the coordinator", func(t *testing.T) {
		before := w.current(t)
		if status, _ := coord.post(path, requirementValues(before.Version)); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", status)
		}
		after := w.current(t)
		if got, want := after.Category, "ammunition"; got != want {
			t.Errorf("category %s, want %s", got, want)
		}
		if got, want := after.AmountEUR, int64(1_250_000_50); got != want {
			t.Errorf("amount %d, want %d", got, want)
		}
		if got, want := after.Version, before.Version+1; got != want {
			t.Errorf("version %d, want %d", got, want)
		}
		if got, want := after.Recipient, before.Recipient; got != want {
			t.Errorf("recipient %s, want %s (not editable)", got, want)
		}
		if !w.audited(t, "update", w.q.ID) {
			t.Errorf("no audit entry for the edit")
		}
	})
	refuseForms(t, w.authWorld, []formRefusal{
		{"as a delegate", "gb@example.org", path, requirementValues, http.StatusForbidden, "coordinators"},
		{"priority not a number", "coord@example.org", path, func(v int64) url.Values { return with(requirementValues(v), "priority", "high") }, http.StatusBadRequest, "Priority: &#34;high&#34; is not a whole number"},
		{"no category", "coord@example.org", path, func(v int64) url.Values { return with(requirementValues(v), "category", "") }, http.StatusBadRequest, "Category: "},
	}, w.current, func(r *coalition.Requirement) int64 { return r.Version }, unchanged)
	refuseStaleAndCrossSite(t, coord, path, func(v int64) url.Values { return with(requirementValues(v), "category", "armour") }, w.current,
		func(r *coalition.Requirement) int64 { return r.Version }, unchanged)
}

func testRequirementDelete(t *testing.T, w *requirementWorld) {
	path := "/requirements/" + strconv.FormatInt(w.q.ID, 10) + "/delete"
	coord := signedInAs(t, w.authWorld, "coord@example.org")
	form := func(version int64, confirm bool) url.Values {
		v := url.Values{"version": {strconv.FormatInt(version, 10)}}
		if confirm {
			v.Set("confirm", "yes")
		}
		return v
	}
	for _, c := range []struct {
		name, who string
		stale     bool
		confirm   bool
		status    int
		says      string
	}{
		{"without confirmation", "coord@example.org", false, false, http.StatusBadRequest, "Confirmation: tick the box"},
		{"at a stale version", "coord@example.org", true, true, http.StatusConflict, "changed by someone else"},
		{"as a delegate", "gb@example.org", false, true, http.StatusForbidden, "coordinators"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := w.current(t).Version
			if c.stale {
				v--
			}
			status, page := signedInAs(t, w.authWorld, c.who).post(path, form(v, c.confirm))
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
			if !strings.Contains(page, c.says) {
				t.Errorf("the page does not say %q", c.says)
			}
			if w.current(t) == nil {
				t.Errorf("the requirement was deleted")
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		res := postForm(t, coord.c, w.srv.URL+path, form(w.current(t).Version, true), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		if w.current(t) == nil {
			t.Errorf("the requirement was deleted")
		}
	})
	t.Run("as the coordinator", func(t *testing.T) {
		if status, _ := coord.post(path, form(w.current(t).Version, true)); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", status)
		}
		if w.current(t) != nil {
			t.Errorf("the requirement is still there")
		}
		if !w.audited(t, "delete", w.q.ID) {
			t.Errorf("no audit entry for the delete")
		}
	})
}
