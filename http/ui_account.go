package http

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"coalition"
)

// The account page and its three forms, each posted to a route of its own
// (routes.go): the password, a new API token, and revoking a token.

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

// accountAnswer shows the account page again after a form: with what was
// done, or with the problem and its status.
func (s *server) accountAnswer(w http.ResponseWriter, r *http.Request, d accountData, err error) error {
	status := http.StatusOK
	if err != nil {
		d.Problem, status = coalition.ErrorMessage(err), statusOf[coalition.ErrorKind(err)]
	}
	return s.renderAccount(w, r, status, d)
}

// accountPassword changes the user's password (POST /account/password).
func (s *server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	if f.Get("new_password") != f.Get("confirm") {
		return s.accountAnswer(w, r, accountData{}, coalition.FieldError("confirm", "the two new passwords differ"))
	}
	c := coalition.PasswordChange{Old: f.Get("old_password"), New: f.Get("new_password"),
		KeepSession: currentSession(r), RevokeTokens: f.Get("revoke_tokens") != ""}
	if err := s.changePassword(w, r, c); err != nil {
		return s.accountAnswer(w, r, accountData{}, err)
	}
	d := accountData{Done: "Your password was changed; your other sessions have ended."}
	if c.RevokeTokens {
		d.Done = "Your password was changed; your other sessions have ended and your API tokens were revoked."
	}
	return s.accountAnswer(w, r, d, nil)
}

// accountCreateToken creates an API token and shows it once
// (POST /account/tokens).
func (s *server) accountCreateToken(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	var exp time.Time
	if days, _ := strconv.Atoi(f.Get("days")); days > 0 {
		exp = time.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	var d accountData
	d.NewToken, _, err = s.store.CreateToken(r.Context(), f.Get("name"), coalition.TokenScope(f.Get("scope")), exp)
	return s.accountAnswer(w, r, d, err)
}

// accountRevokeToken revokes one of the user's tokens
// (POST /account/tokens/{id}/revoke).
func (s *server) accountRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if _, err := postedForm(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return s.accountAnswer(w, r, accountData{}, coalition.FieldError("id", "not a token id"))
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return s.accountAnswer(w, r, accountData{}, err)
	}
	return s.accountAnswer(w, r, accountData{Done: fmt.Sprintf("Token %d was revoked.", id)}, nil)
}
