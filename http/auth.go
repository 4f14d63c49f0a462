package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"coalition"
)

const (
	sessionCookie = "coalition_session"
	sessionTTL    = 12 * time.Hour
)

type scopeKey struct{}

func tokenScope(r *http.Request) coalition.TokenScope {
	s, _ := r.Context().Value(scopeKey{}).(coalition.TokenScope)
	return s
}

// authenticate puts the request's user (from an API token or a session
// cookie) and origin into the context. A bad token is refused; a stale
// cookie is cleared and the request goes on as anonymous.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ctx := coalition.WithRequest(r.Context(), coalition.RequestInfo{Addr: host, ID: id})
		if r.Header.Get("Authorization") != "" || hasSessionCookie(r) {
			// The answer depends on who asks: no cache may keep it. Public
			// static files override this (see static).
			w.Header().Set("Cache-Control", "no-store")
		}
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.writeError(w, r, coalition.Errorf(coalition.Unauthorized, "Authorization: want 'Bearer <token>'"))
				return
			}
			u, scope, err := s.store.TokenUser(ctx, strings.TrimSpace(secret))
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			ctx = context.WithValue(coalition.WithUser(ctx, u), scopeKey{}, scope)
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.store.SessionUser(ctx, c.Value)
			if err == nil {
				ctx = coalition.WithUser(ctx, u)
			} else {
				http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func hasSessionCookie(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	return err == nil && c.Value != ""
}

// login checks credentials under the throttle (throttle.go) and starts a
// new session (a fresh id at every login: no fixation); the old session,
// if any, ends.
func (s *server) login(w http.ResponseWriter, r *http.Request, email, password string) (*coalition.User, error) {
	w.Header().Set("Cache-Control", "no-store")
	acct := strings.ToLower(strings.TrimSpace(email))
	tk, wait := s.throttle.attempt(acct, coalition.RequestFrom(r.Context()).Addr)
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return nil, coalition.Errorf(coalition.RateLimited, "too many failed sign-ins: try again in %s", waitText(secs))
	}
	u, err := s.store.Authenticate(r.Context(), email, password)
	if err != nil {
		if coalition.ErrorKind(err) != coalition.Unauthorized {
			s.throttle.cancel(tk) // not a guess: the store failed
		}
		return nil, err
	}
	s.throttle.succeeded(tk)
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		s.store.DeleteSession(coalition.WithUser(r.Context(), u), c.Value)
	}
	sid, err := s.store.CreateSession(r.Context(), u.ID, sessionTTL)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isTLS(r)})
	return u, nil
}

// changePassword changes the password of the user in the request under the
// sign-in throttle: a wrong old password is a guess like a wrong password at
// sign-in, so a stolen session cannot be used to find the password faster.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request, c coalition.PasswordChange) error {
	u := coalition.UserFrom(r.Context())
	if u == nil {
		return coalition.Errorf(coalition.Unauthorized, "sign in to change your password")
	}
	tk, wait := s.throttle.attempt(u.Email, coalition.RequestFrom(r.Context()).Addr)
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return coalition.Errorf(coalition.RateLimited, "too many wrong passwords: try again in %s", waitText(secs))
	}
	err := s.store.ChangePassword(r.Context(), c)
	var ce *coalition.Error
	switch {
	case err == nil:
		s.throttle.succeeded(tk)
	case errors.As(err, &ce) && ce.Field == "old_password":
		// a wrong old password: the attempt stays counted
	default:
		s.throttle.cancel(tk) // a weak new password, or the store failed: no guess
	}
	return err
}

// waitText says how long to wait in words: "40 seconds", "3 minutes".
func waitText(secs int) string {
	if secs < 120 {
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

// currentSession returns the session id the request carries, or "".
func currentSession(r *http.Request) string {
	if r.Header.Get("Authorization") != "" {
		return "" // a token, not a session, made this request
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func isTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isTLS(r)})
	return nil
}

// API: POST /api/v1/login {"email","password"} sets the session cookie.
func (s *server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}](w, r)
	if err != nil {
		return err
	}
	u, err := s.login(w, r, in.Email, in.Password)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, u)
}

func (s *server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.logout(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) apiMe(w http.ResponseWriter, r *http.Request) error {
	return encode(w, r, http.StatusOK, coalition.UserFrom(r.Context()))
}

func (s *server) apiPassword(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		Old          string `json:"old_password"`
		New          string `json:"new_password"`
		RevokeTokens bool   `json:"revoke_tokens"`
	}](w, r)
	if err != nil {
		return err
	}
	c := coalition.PasswordChange{Old: in.Old, New: in.New, KeepSession: currentSession(r), RevokeTokens: in.RevokeTokens}
	if err := s.changePassword(w, r, c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.store.FindTokens(r.Context())
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []*coalition.Token{}
	}
	return encode(w, r, http.StatusOK, ts)
}

func (s *server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		Name      string               `json:"name"`
		Scope     coalition.TokenScope `json:"scope"`
		ExpiresIn string               `json:"expires_in"` // e.g. "720h"; empty: never
	}](w, r)
	if err != nil {
		return err
	}
	var exp time.Time
	if in.ExpiresIn != "" {
		d, err := time.ParseDuration(in.ExpiresIn)
		if err != nil || d <= 0 {
			return coalition.FieldError("expires_in", "%q: want a positive duration such as 720h", in.ExpiresIn)
		}
		exp = time.Now().Add(d)
	}
	secret, t, err := s.store.CreateToken(r.Context(), in.Name, in.Scope, exp)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusCreated, map[string]any{"token": secret, "record": t, "note": "the token is shown once; store it now"})
}

func (s *server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.store.FindUsers(r.Context())
	if err != nil {
		return err
	}
	if us == nil {
		us = []*coalition.User{}
	}
	return encode(w, r, http.StatusOK, us)
}

func (s *server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		coalition.User
		Password string `json:"password"`
	}](w, r)
	if err != nil {
		return err
	}
	u := in.User
	u.Country = strings.ToUpper(u.Country)
	if err := s.store.CreateUser(r.Context(), &u, in.Password); err != nil {
		return err
	}
	return encode(w, r, http.StatusCreated, u)
}

func (s *server) apiGetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.store.FindUser(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, u.Version)
	return encode(w, r, http.StatusOK, u)
}

func (s *server) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	upd, err := decode[coalition.UserUpdate](w, r)
	if err != nil {
		return err
	}
	if upd.Version, err = ifMatch(r); err != nil {
		return err
	}
	u, err := s.store.UpdateUser(r.Context(), id, upd)
	if err != nil {
		return err
	}
	setETag(w, u.Version)
	return encode(w, r, http.StatusOK, u)
}

func (s *server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.AuditFilter{
		Entity: p.str("entity"), Action: p.str("action"),
		UserID: p.int64("user", 0, 0, 1<<62),
		After:  p.int64("after", 0, 0, 1<<62),
		Limit:  int(p.int64("limit", 100, 1, coalition.MaxPageSize)),
	}
	if c := p.int64("coalition", 0, 0, 1<<62); c != 0 {
		f.CoalitionID = &c
	}
	if p.err != nil {
		return p.err
	}
	items, more, err := s.store.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(e *coalition.AuditEntry) int64 { return e.Seq }))
}

func (s *server) apiAuditVerify(w http.ResponseWriter, r *http.Request) error {
	n, broken, reason, err := s.store.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, map[string]any{"entries": n, "intact": broken == 0, "first_broken": broken, "reason": reason})
}

// Pages.

type loginData struct {
	page
	Email, Next string
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
	return s.render(w, http.StatusOK, "login.html", loginData{page: s.newPage("Sign in", "account"), Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return coalition.Errorf(coalition.Invalid, "the form could not be read")
	}
	d := loginData{page: s.newPage("Sign in", "account"), Email: r.PostForm.Get("email"), Next: safeNext(r.PostForm.Get("next"))}
	if _, err := s.login(w, r, d.Email, r.PostForm.Get("password")); err != nil {
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

type accountData struct {
	page
	User     *coalition.User
	Tokens   []*coalition.Token
	NewToken string
	Done     string
}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, accountData{})
}

func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, d accountData) error {
	d.page = s.newPage("My account", "account")
	d.User = coalition.UserFrom(r.Context())
	var err error
	if d.Tokens, err = s.store.FindTokens(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "account.html", d)
}

// accountSubmit handles the account page's forms: password, new token, revoke.
func (s *server) accountSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return coalition.Errorf(coalition.Invalid, "the form could not be read")
	}
	f := r.PostForm
	var d accountData
	var err error
	switch f.Get("action") {
	case "password":
		if f.Get("new_password") != f.Get("confirm") {
			err = coalition.FieldError("confirm", "the two new passwords differ")
		} else {
			c := coalition.PasswordChange{Old: f.Get("old_password"), New: f.Get("new_password"),
				KeepSession: currentSession(r), RevokeTokens: f.Get("revoke_tokens") != ""}
			if err = s.changePassword(w, r, c); err == nil {
				d.Done = "Your password was changed; your other sessions have ended."
				if c.RevokeTokens {
					d.Done = "Your password was changed; your other sessions have ended and your API tokens were revoked."
				}
			}
		}
	case "token":
		var exp time.Time
		if days, _ := strconv.Atoi(f.Get("days")); days > 0 {
			exp = time.Now().Add(time.Duration(days) * 24 * time.Hour)
		}
		d.NewToken, _, err = s.store.CreateToken(r.Context(), f.Get("name"), coalition.TokenScope(f.Get("scope")), exp)
	case "revoke":
		id, perr := strconv.ParseInt(f.Get("id"), 10, 64)
		if perr != nil {
			err = coalition.FieldError("id", "not a token id")
		} else if err = s.store.RevokeToken(r.Context(), id); err == nil {
			d.Done = fmt.Sprintf("Token %d was revoked.", id)
		}
	default:
		err = coalition.FieldError("action", "unknown form")
	}
	status := http.StatusOK
	if err != nil {
		d.Problem, status = coalition.ErrorMessage(err), statusOf[coalition.ErrorKind(err)]
	}
	return s.renderAccount(w, r, status, d)
}

type usersData struct {
	page
	Users []*coalition.User
	Roles []coalition.Role
	Done  string
}

func (s *server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, "", "")
}

func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, problem, done string) error {
	d := usersData{page: s.newPage("Users", "account"), Roles: coalition.Roles, Done: done}
	d.Problem = problem
	var err error
	if d.Users, err = s.store.FindUsers(r.Context()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "users.html", d)
}

func (s *server) usersSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return coalition.Errorf(coalition.Invalid, "the form could not be read")
	}
	f := r.PostForm
	var err error
	done := ""
	switch f.Get("action") {
	case "create":
		u := &coalition.User{Email: f.Get("email"), Role: coalition.Role(f.Get("role")), Country: strings.ToUpper(strings.TrimSpace(f.Get("country")))}
		for _, c := range strings.Split(f.Get("coalitions"), ",") {
			if id, perr := strconv.ParseInt(strings.TrimSpace(c), 10, 64); perr == nil {
				u.Coalitions = append(u.Coalitions, id)
			}
		}
		if err = s.store.CreateUser(r.Context(), u, f.Get("password")); err == nil {
			done = "Created " + u.Email + "."
		}
	case "disable", "enable":
		id, _ := strconv.ParseInt(f.Get("id"), 10, 64)
		version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
		dis := f.Get("action") == "disable"
		if _, err = s.store.UpdateUser(r.Context(), id, coalition.UserUpdate{Version: version, Disabled: &dis}); err == nil {
			done = fmt.Sprintf("User %d %sd.", id, f.Get("action"))
		}
	default:
		err = coalition.FieldError("action", "unknown form")
	}
	if err != nil {
		return s.renderUsers(w, r, statusOf[coalition.ErrorKind(err)], coalition.ErrorMessage(err), "")
	}
	return s.renderUsers(w, r, http.StatusOK, "", done)
}

type auditData struct {
	page
	Entries []*coalition.AuditEntry
	Intact  bool
	Count   int64
	Reason  string
	Next    *int64
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.AuditFilter{Entity: p.str("entity"), Action: p.str("action"), After: p.int64("after", 0, 0, 1<<62), Limit: 200}
	if p.err != nil {
		return p.err
	}
	d := auditData{page: s.newPage("Audit log", "account")}
	items, more, err := s.store.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	d.Entries = items
	if more && len(items) > 0 {
		d.Next = &items[len(items)-1].Seq
	}
	if coalition.IsAdmin(coalition.UserFrom(r.Context())) {
		n, broken, reason, err := s.store.VerifyAudit(r.Context())
		if err != nil {
			return err
		}
		d.Count, d.Intact, d.Reason = n, broken == 0, reason
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "audit.html", d)
}
