package http

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"coalition"
)

// Checking a password, at sign-in or before changing it, goes through the
// sign-in throttle (throttle.go): both are guesses at the same secret.

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
