package http

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"coalition"
)

type loginData struct {
	page
	Email, Next string
	Why         string // what the page the user came from needs an account for
}

// accountNeeds says, per page that needs an account, what for: a user sent
// here from /review reads why, not just a sign-in form.
var accountNeeds = []struct{ prefix, why string }{
	{"/review", "Reviewing texts and the engagements and pledges proposed from them needs an account (any role); the public record stays open to all."},
	{"/admin/users", "Managing accounts needs an administrator's account."},
	{"/audit", "The audit log needs an administrator's or a coordinator's account."},
	{"/account", "Your account page (password, API tokens) needs you to sign in."},
}

// whyAccount is the line the login page shows for next ("" for none).
func whyAccount(next string) string {
	if next == "/" {
		return ""
	}
	for _, a := range accountNeeds {
		if next == a.prefix || strings.HasPrefix(next, a.prefix+"/") || strings.HasPrefix(next, a.prefix+"?") {
			return a.why
		}
	}
	return "The page you asked for (" + next + ") needs an account."
}

// safeNext returns next if it is a path on this site, else "/": it must
// start with exactly one "/" (not "//" or "/\", which browsers read as
// another host), hold no backslash, control character or invalid UTF-8
// (browsers drop tabs and newlines, turning "/\t/evil" into "//evil"),
// and parse as a URL without scheme or host.
func safeNext(next string) string {
	if len(next) == 0 || next[0] != '/' || len(next) > 2048 || !utf8.ValidString(next) {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' || unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return "/"
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}

func (s *server) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	return s.render(w, http.StatusOK, "login.html", loginData{page: s.newPage("Sign in", "account"), Next: next, Why: whyAccount(next)})
}

func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	d := loginData{page: s.newPage("Sign in", "account"), Email: f.Get("email"), Next: safeNext(f.Get("next"))}
	d.Why = whyAccount(d.Next)
	if _, err := s.login(w, r, d.Email, f.Get("password")); err != nil {
		d.Problem = coalition.ErrorMessage(err)
		return s.render(w, statusOf[coalition.ErrorKind(err)], "login.html", d)
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (s *server) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := s.logout(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// postedForm parses a page's POST form; every form handler starts here.
func postedForm(r *http.Request) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "the form could not be read")
	}
	return r.PostForm, nil
}
