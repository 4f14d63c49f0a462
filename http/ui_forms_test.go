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

// formPoster is a signed-in browser session that posts the pages' forms.
type formPoster struct {
	t    *testing.T
	c    *http.Client
	base string
}

func signedInAs(t *testing.T, w *authWorld, email string) *formPoster {
	t.Helper()
	c := cookieClient(t, w)
	if res := postForm(t, c, w.srv.URL+"/login", url.Values{"email": {email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d, want 303", email, res.StatusCode)
	}
	return &formPoster{t: t, c: c, base: w.srv.URL}
}

// post sends a same-origin form and returns the status and the page.
func (p *formPoster) post(path string, form url.Values) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest("POST", p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestAccountForms: each form of the account page posts to its own route.
func TestAccountForms(t *testing.T) {
	w := newAuthWorld(t)
	p := signedInAs(t, w, "gb@example.org")
	me := coalition.WithUser(context.Background(), w.users["delegate-GBR"])
	var created *coalition.Token
	t.Run("create a token", func(t *testing.T) {
		status, page := p.post("/account/tokens", url.Values{"name": {"nightly"}, "scope": {"read"}, "days": {"30"}})
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if !strings.Contains(page, "shown this once") {
			t.Errorf("the page does not show the new token once")
		}
		ts, err := w.store.FindTokens(me)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if tk.Name == "nightly" {
				created = tk
			}
		}
		if created == nil {
			t.Fatal("no token named nightly in the store")
		}
		if got, want := created.Scope, coalition.ScopeRead; got != want {
			t.Errorf("scope %q, want %q", got, want)
		}
	})
	t.Run("revoke the token", func(t *testing.T) {
		if created == nil {
			t.Skip("no token was created")
		}
		id := strconv.FormatInt(created.ID, 10)
		status, page := p.post("/account/tokens/"+id+"/revoke", nil)
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if want := "Token " + id + " was revoked."; !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
		ts, err := w.store.FindTokens(me)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if tk.ID == created.ID && tk.RevokedAt.IsZero() {
				t.Errorf("token %d is still active", tk.ID)
			}
		}
	})
	t.Run("revoke a token that is not a number", func(t *testing.T) {
		if status, _ := p.post("/account/tokens/x/revoke", nil); status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
	})
	t.Run("revoke a token of another user", func(t *testing.T) {
		if status, _ := p.post("/account/tokens/999999/revoke", nil); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
	})
	t.Run("two different new passwords", func(t *testing.T) {
		status, _ := p.post("/account/password", url.Values{"old_password": {testPassword}, "new_password": {"one long passphrase here"}, "confirm": {"another long passphrase"}})
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
	})
}

// TestUsersForms: the users page's forms post to routes of their own.
func TestUsersForms(t *testing.T) {
	w := newAuthWorld(t)
	p := signedInAs(t, w, "admin@example.org")
	sys := coalition.WithUser(context.Background(), coalition.System)
	obs := w.users["observer"]
	id := strconv.FormatInt(obs.ID, 10)
	disabled := func(t *testing.T) (bool, int64) {
		t.Helper()
		u, err := w.store.FindUser(sys, obs.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Disabled, u.Version
	}
	t.Run("disable", func(t *testing.T) {
		_, v := disabled(t)
		status, page := p.post("/admin/users/"+id+"/disable", url.Values{"version": {strconv.FormatInt(v, 10)}})
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if want := "User " + id + " disabled."; !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
		if got, _ := disabled(t); !got {
			t.Errorf("disabled = %v, want true", got)
		}
		if !strings.Contains(page, `action="/admin/users/`+id+`/enable"`) {
			t.Errorf("the page offers no enable form for user %s", id)
		}
	})
	t.Run("enable", func(t *testing.T) {
		_, v := disabled(t)
		status, page := p.post("/admin/users/"+id+"/enable", url.Values{"version": {strconv.FormatInt(v, 10)}})
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if want := "User " + id + " enabled."; !strings.Contains(page, want) {
			t.Errorf("the page does not say %q", want)
		}
		if got, _ := disabled(t); got {
			t.Errorf("disabled = %v, want false", got)
		}
	})
	t.Run("a stale version", func(t *testing.T) {
		if status, _ := p.post("/admin/users/"+id+"/disable", url.Values{"version": {"1"}}); status != http.StatusConflict {
			t.Errorf("status %d, want 409", status)
		}
	})
	t.Run("an unknown user", func(t *testing.T) {
		if status, _ := p.post("/admin/users/999999/disable", url.Values{"version": {"1"}}); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
	})
	t.Run("not for a delegate", func(t *testing.T) {
		d := signedInAs(t, w, "gb@example.org")
		if status, _ := d.post("/admin/users/"+id+"/disable", url.Values{"version": {"1"}}); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
	})
}

// TestReviewForms: a text submitted through the review page's form, then
// one proposal rejected and one accepted through their own routes.
func TestReviewForms(t *testing.T) {
	w := newAuthWorld(t)
	p := signedInAs(t, w, "fr@example.org")
	me := coalition.WithUser(context.Background(), w.users["delegate-FRA"])
	text := "PARIS, 4 March 2025 – France will provide €500 million in air defence to Ukraine, and France will provide €200 million in artillery ammunition to Ukraine."
	var pledges []*coalition.Proposal
	t.Run("submit a text", func(t *testing.T) {
		status, page := p.post("/review", url.Values{"text": {text}, "title": {"Paris"}})
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if !strings.Contains(page, "queued with") {
			t.Errorf("the page does not say the text was queued")
		}
		ps, err := w.store.FindProposals(me, coalition.ProposalFilter{Status: coalition.ProposalPending})
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range ps {
			if pr.Type == coalition.ProposePledge && pr.Owner == "FRA" {
				pledges = append(pledges, pr)
			}
		}
		if len(pledges) < 2 {
			t.Fatalf("%d French pledge proposals, want 2", len(pledges))
		}
	})
	decide := func(t *testing.T, pr *coalition.Proposal, what string, want coalition.ProposalStatus) {
		t.Helper()
		id := strconv.FormatInt(pr.ID, 10)
		status, page := p.post("/review/proposals/"+id+"/"+what, url.Values{"version": {strconv.FormatInt(pr.Version, 10)}})
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
		if msg := "Proposal " + id + " " + string(want) + "."; !strings.Contains(page, msg) {
			t.Errorf("the page does not say %q", msg)
		}
		got, err := w.store.FindProposal(me, pr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != want {
			t.Errorf("status %q, want %q", got.Status, want)
		}
	}
	t.Run("reject one", func(t *testing.T) {
		if len(pledges) < 2 {
			t.Skip("no proposals")
		}
		decide(t, pledges[0], "reject", coalition.ProposalRejected)
	})
	t.Run("accept the other", func(t *testing.T) {
		if len(pledges) < 2 {
			t.Skip("no proposals")
		}
		decide(t, pledges[1], "accept", coalition.ProposalAccepted)
	})
	t.Run("decide twice", func(t *testing.T) {
		if len(pledges) < 2 {
			t.Skip("no proposals")
		}
		id := strconv.FormatInt(pledges[0].ID, 10)
		if status, _ := p.post("/review/proposals/"+id+"/accept", url.Values{"version": {"1"}}); status != http.StatusConflict {
			t.Errorf("status %d, want 409", status)
		}
	})
}

// formRefusal is a dashboard form post that must be refused: who posts
// it, to which path, the form at the record's version, the status and what
// the page must say.
type formRefusal struct {
	name, who, path string
	form            func(version int64) url.Values
	status          int
	says            string
}

// refuseForms posts each refusal as its user, at the record's current
// version, and checks the status, the message, an error next to the field
// when the form was invalid (400), and, with unchanged, that the record is
// as it was.
func refuseForms[T any](t *testing.T, w *authWorld, cases []formRefusal, current func(*testing.T) T, version func(T) int64, unchanged func(t *testing.T, before T)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := current(t)
			status, page := signedInAs(t, w, c.who).post(c.path, c.form(version(before)))
			checkRefused(t, status, page, c.status, c.says)
			unchanged(t, before)
		})
	}
}

// refuseStaleAndCrossSite checks the two refusals every edit form shares,
// with edit a valid change of the record at the given version: posted at a
// version older than the record's, it is refused with 409, the page says
// the record changed and its form carries the current version; posted at
// the current version from another site (Sec-Fetch-Site: cross-site), it
// is refused with 403. Neither changes the record (unchanged).
func refuseStaleAndCrossSite[T any](t *testing.T, p *formPoster, path string, edit func(version int64) url.Values, current func(*testing.T) T, version func(T) int64, unchanged func(t *testing.T, before T)) {
	t.Helper()
	t.Run("at a stale version", func(t *testing.T) {
		before := current(t)
		status, page := p.post(path, edit(version(before)-1))
		if status != http.StatusConflict {
			t.Errorf("status %d, want 409", status)
		}
		if !strings.Contains(page, "changed by someone else since you opened it") {
			t.Errorf("the page does not say the record changed")
		}
		if want := `name="version" value="` + strconv.FormatInt(version(before), 10) + `"`; !strings.Contains(page, want) {
			t.Errorf("the form is not at the current version (%s)", want)
		}
		unchanged(t, before)
	})
	t.Run("from another site", func(t *testing.T) {
		before := current(t)
		res := postForm(t, p.c, p.base+path, edit(version(before)), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		unchanged(t, before)
	})
}

// checkRefused checks a refused form's answer: the status, the message on the
// page, and for an invalid form (400) an error next to the field.
func checkRefused(t *testing.T, status int, page string, wantStatus int, says string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status %d, want %d", status, wantStatus)
	}
	if !strings.Contains(page, says) {
		t.Errorf("the page does not say %q", says)
	}
	if wantStatus == http.StatusBadRequest && !strings.Contains(page, `class="field-error"`) {
		t.Errorf("no error next to the field")
	}
}
