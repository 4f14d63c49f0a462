package http

import (
	"net/http"
	"strings"
	"time"

	"coalition"
)

// The account API: sign-in and sign-out, the caller's password and tokens,
// and for admins and coordinators the users and the audit log.

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
