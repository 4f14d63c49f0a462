package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// encode writes v as compact JSON, or indented for people with ?pretty=1.
// Compact is the default because indentation was a third of the time of a
// large answer and adds 40% to its size; every client parses it alike.
func encode(w http.ResponseWriter, r *http.Request, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	if pretty(r) {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

// pretty reports whether the client asked for indented JSON (?pretty=1).
func pretty(r *http.Request) bool {
	switch r.URL.Query().Get("pretty") {
	case "1", "true":
		return true
	}
	return false
}

// listPage is one page of a list with the cursor of the next.
type listPage[T any] struct {
	Items []T    `json:"items"`
	Next  *int64 `json:"next"` // pass as ?after= for the next page; null at the end
}

func newPage[T any](items []T, more bool, lastID func(T) int64) listPage[T] {
	if items == nil {
		items = []T{}
	}
	p := listPage[T]{Items: items}
	if more && len(items) > 0 {
		id := lastID(items[len(items)-1])
		p.Next = &id
	}
	return p
}

// params reads and checks query parameters, naming the first bad one.
type params struct {
	r   *http.Request
	err error
}

func (p *params) fail(field, format string, args ...any) {
	if p.err == nil {
		p.err = coalition.FieldError(field, format, args...)
	}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.r.URL.Query().Get(name)) }

func (p *params) int64(name string, def, lo, hi int64) int64 {
	s := p.str(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < lo || v > hi {
		p.fail(name, "%q: want a whole number from %d to %d", s, lo, hi)
		return def
	}
	return v
}

func (p *params) date(name string) coalition.Date {
	s := p.str(name)
	if s == "" {
		return coalition.Date{}
	}
	if len(s) == 7 { // a month: its first day
		m, err := coalition.ParseMonth(s)
		if err != nil {
			p.fail(name, "%v", err)
		}
		return m.FirstDay()
	}
	d, err := coalition.ParseDate(s)
	if err != nil {
		p.fail(name, "%v", err)
	}
	return d
}

func (p *params) iso3(name string) string {
	s := strings.ToUpper(p.str(name))
	if s != "" && !coalition.ValidISO3(s) {
		p.fail(name, "%q is not an ISO 3166-1 alpha-3 code", s)
	}
	return s
}

// pathID parses a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, coalition.FieldError(name, "%q is not a valid id", r.PathValue(name))
	}
	return v, nil
}
