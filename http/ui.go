package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strings"
	"sync"
)

// funcs are the template helpers: numbers formatted for people.
var funcs = template.FuncMap{
	"eur": func(v float64) string {
		switch a := math.Abs(v); {
		case a >= 1e9:
			return fmt.Sprintf("€%.2f bn", v/1e9)
		case a >= 1e6:
			return fmt.Sprintf("€%.1f m", v/1e6)
		case a >= 1e3:
			return fmt.Sprintf("€%.0f k", v/1e3)
		default:
			return fmt.Sprintf("€%.0f", v)
		}
	},
	"pct": func(p *float64) string {
		if p == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f%%", *p)
	},
	"inc": func(i int) int { return i + 1 },
}

func (s *server) loadTemplates() *template.Template {
	t := template.New("").Funcs(funcs).Funcs(template.FuncMap{"asset": s.assetURL})
	return template.Must(t.ParseFS(s.files, "templates/*.html"))
}

var hashes sync.Map // file name → content hash

// assetURL returns /static/NAME?v=HASH so that browsers may cache it for long.
func (s *server) assetURL(name string) string {
	if h, ok := hashes.Load(name); ok && !s.cfg.Dev {
		return "/static/" + name + "?v=" + h.(string)
	}
	b, err := fs.ReadFile(s.files, path.Join("static", name))
	if err != nil {
		return "/static/" + name
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:6])
	hashes.Store(name, h)
	return "/static/" + name + "?v=" + h
}

func (s *server) static() http.Handler {
	sub, _ := fs.Sub(s.files, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" && !s.cfg.Dev {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fileServer.ServeHTTP(w, r)
	})
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, status int, name string, data any) error {
	t := s.tmpl
	if s.cfg.Dev {
		t = s.loadTemplates()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// wantsHTML reports whether the client is a browser.
func wantsHTML(r *http.Request) bool { return strings.Contains(r.Header.Get("Accept"), "text/html") }
