package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"time"

	"coalition"
)

// The session middleware: who is asking (an API token or a session
// cookie), and the cookie's life. Signing in is signin.go's, under the
// throttle.

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
