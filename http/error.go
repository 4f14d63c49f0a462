package http

import (
	"encoding/json"
	"errors"
	"net/http"

	"coalition"
)

// statusOf maps each error kind to its HTTP status, once.
var statusOf = map[coalition.Kind]int{
	coalition.Invalid:      http.StatusBadRequest,
	coalition.NotFound:     http.StatusNotFound,
	coalition.Conflict:     http.StatusConflict,
	coalition.Unauthorized: http.StatusUnauthorized,
	coalition.Forbidden:    http.StatusForbidden,
	coalition.Precondition: http.StatusPreconditionRequired,
	coalition.RateLimited:  http.StatusTooManyRequests,
	coalition.Unavailable:  http.StatusServiceUnavailable,
	coalition.Internal:     http.StatusInternalServerError,
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Status  int    `json:"status"`
	Detail  string `json:"detail,omitempty"`
	Field   string `json:"field,omitempty"` // the offending parameter or field
	Current any    `json:"current,omitempty"`
}

func writeProblem(w http.ResponseWriter, status int, kind, detail, field string) {
	writeProblemDoc(w, problem{Type: "/problems/" + kind, Title: http.StatusText(status), Status: status, Detail: detail, Field: field})
}

func writeProblemDoc(w http.ResponseWriter, p problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// writeError maps err to a problem; anything not a *coalition.Error is
// logged in full and shown as "internal error". A request whose body went
// over its route's limit answers 413, whatever err says (ops.go: tooLarge).
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if tooLarge(w, r) {
		return
	}
	kind := coalition.ErrorKind(err)
	status := statusOf[kind]
	p := problem{Type: "/problems/" + string(kind), Title: http.StatusText(status), Status: status}
	var ce *coalition.Error
	if errors.As(err, &ce) {
		p.Detail, p.Field = ce.Error(), ce.Field
	} else {
		p.Detail = "internal error"
	}
	var se *coalition.StaleError
	if errors.As(err, &se) {
		p.Current = se.Current
	}
	if status == http.StatusUnauthorized {
		// RFC 9110 §11.6.1: a 401 names how to authenticate; clients and
		// scrapers look for it.
		w.Header().Set("WWW-Authenticate", `Bearer realm="coalition"`)
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeProblemDoc(w, p)
}

// handlerFunc is a handler that returns its error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle turns a handlerFunc into an http.Handler that writes errors once.
func (s *server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
