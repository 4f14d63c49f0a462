package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"coalition"
)

// eur formats an amount in euros for people: €1.2 bn, €350.0 m, €12 k.
func eur(v float64) string { return coalition.FormatEUR(v, 1) }

// pctOf formats a percentage: 0.35%, or "–" when unknown.
func pctOf(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f%%", *p)
}

// perCapita formats euros per person: €342.
func perCapita(p *float64) string {
	if p == nil {
		return "–"
	}
	return "€" + coalition.FormatNumber(*p, 0)
}

// raw formats a number for CSV: plain, full precision, no unit.
func raw(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// rawPtr formats an optional number for CSV; empty when unknown.
func rawPtr(p *float64) string {
	if p == nil {
		return ""
	}
	return raw(*p)
}

// funcs are the template helpers: numbers formatted for people.
var funcs = template.FuncMap{
	"eur":       eur,
	"usd":       usd,
	"mul100":    func(v float64) float64 { return 100 * v },
	"pct":       pctOf,
	"pctf":      func(v float64) string { return fmt.Sprintf("%.2f%%", v) },
	"num":       coalition.FormatNumber,
	"deref":     func(p *float64) float64 { return *p },
	"percap":    perCapita,
	"inc":       func(i int) int { return i + 1 },
	"upper":     strings.ToUpper,
	"title":     func(s string) string { return strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):] },
	"isURL":     func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
	"splitSrcs": splitSources,
	"navItems":  func() []navItem { return nav },
	"gdpNote":   func() string { return gdpNote },
	"capTerms":  coalition.AllCapabilityTerms,
}

// navItem is one entry of the main navigation.
type navItem struct{ Key, Label, Href string }

// nav lists the pages. Scenarios, risk and targets land in later phases.
var nav = []navItem{
	{"overview", "Overview", "/"},
	{"donors", "Donors", "/donors"},
	{"coalitions", "Coalitions", "/coalitions"},
	{"engagements", "Engagements", "/engagements"},
	{"scenarios", "Scenarios", "/scenarios"},
	{"risk", "Risk", "/risk"},
	{"targets", "Targets", "/targets"},
	{"equipment", "Equipment", "/equipment"},
	{"review", "Review", "/review"},
	{"api", "API", "/api/v1/openapi.yaml"},
}

// splitSources splits a source field holding several URLs ("a ; b").
func splitSources(s string) []string {
	var out []string
	for _, p := range strings.Split(s, " ; ") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
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
		// Only files: a path that is not a valid name (invalid UTF-8 made the
		// file server answer 500), a folder (a listing) or missing is 404.
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if fi, err := fs.Stat(sub, name); name == "" || !fs.ValidPath(name) || err != nil || fi.IsDir() {
			writeProblem(w, http.StatusNotFound, string(coalition.NotFound), "no such file", "")
			return
		}
		if r.URL.Query().Get("v") != "" && !s.cfg.Dev {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fileServer.ServeHTTP(w, r)
	})
}

// pageWriter is the ResponseWriter that handlePage gives page handlers: it
// carries the signed-in user to render, so that the header can show it
// without every handler passing the request along.
type pageWriter struct {
	http.ResponseWriter
	user *coalition.User
	// datasets are the published datasets loaded, with their age, for the
	// footer
	datasets []coalition.DatasetInfo
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *pageWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withUser returns a copy of data, a page struct embedding page, with its
// User field set to u. Other values are returned unchanged.
func withUser(data any, u *coalition.User) any {
	v := reflect.ValueOf(data)
	if u == nil || v.Kind() != reflect.Struct {
		return data
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	if f := c.FieldByName("User"); f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf(u) {
		f.Set(reflect.ValueOf(u))
	}
	return c.Interface()
}

// withDatasets returns a copy of data, a page struct embedding page, with
// its Datasets set.
func withDatasets(data any, ds []coalition.DatasetInfo) any {
	v := reflect.ValueOf(data)
	if len(ds) == 0 || v.Kind() != reflect.Struct {
		return data
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	if f := c.FieldByName("Datasets"); f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf(ds) {
		f.Set(reflect.ValueOf(ds))
	}
	return c.Interface()
}

// datasetAges returns the published datasets loaded, with their age
// today, read once per change of the data; nil if they cannot be read
// (the footer goes without).
func (s *server) datasetAges(ctx context.Context) []coalition.DatasetInfo {
	ds, err := cached(ctx, s, "datasets", func() ([]coalition.DatasetInfo, error) { return s.store.Datasets(ctx) })
	if err != nil {
		return nil
	}
	out := make([]coalition.DatasetInfo, len(ds))
	now := time.Now()
	for i, d := range ds {
		d.Freshness = coalition.FreshnessOf(d, now)
		out[i] = d
	}
	return out
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500 instead of half a page. Under handlePage, the
// signed-in user is set on the page (page.User) for the header.
func (s *server) render(w http.ResponseWriter, status int, name string, data any) error {
	t := s.tmpl
	if s.cfg.Dev {
		t = s.loadTemplates()
	}
	if pw, ok := w.(*pageWriter); ok {
		data = withUser(data, pw.user)
		data = withDatasets(data, pw.datasets)
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

// page is what every page template needs: the layout reads it.
type page struct {
	Title       string
	Description string // the meta description (ui_meta.go)
	Nav         string // the active entry of the navigation
	Version     string
	Problem     string // a user-readable problem shown instead of the content
	// User is the signed-in user, nil for anonymous readers; render sets it.
	User *coalition.User
	// Datasets are the published datasets the figures come from, with
	// their age (the footer); render sets them.
	Datasets []coalition.DatasetInfo
}

func (s *server) newPage(title, nav string) page {
	return page{Title: title + " · Coalition", Description: describe(title, nav), Nav: nav, Version: s.cfg.Version}
}

// errorPage is the data of error.html.
type errorPage struct {
	page
	Status int
}

// handlePage is handle for pages: an error becomes an HTML page with the
// status of its kind; internal errors are logged and shown as "internal error".
func (s *server) handlePage(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := &pageWriter{ResponseWriter: rw, user: coalition.UserFrom(r.Context()), datasets: s.datasetAges(r.Context())}
		err := h(w, r)
		if err == nil || tooLarge(w, r) {
			return
		}
		if clientGone(err) {
			// The reader hung up while the page was being written: there is
			// no one to show an error page to (and its headers are sent).
			s.log.DebugContext(r.Context(), "page not delivered: the client went away", "path", r.URL.Path, "err", err)
			return
		}
		status := statusOf[coalition.ErrorKind(err)]
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
		}
		d := errorPage{page: s.newPage(http.StatusText(status), ""), Status: status}
		d.Problem = coalition.ErrorMessage(err)
		w.Header().Set("Cache-Control", "no-store")
		if rerr := s.render(w, status, "error.html", d); rerr != nil {
			s.log.ErrorContext(r.Context(), "error page failed", "path", r.URL.Path, "err", rerr)
			http.Error(w, d.Problem, status)
		}
	})
}

// clientGone says whether err is the client closing the connection while
// its answer was written (a broken pipe or a reset).
func clientGone(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// cell is one table cell: Text for people, Raw for CSV (and machines).
type cell struct {
	Text string
	Raw  string // empty: Text
	Num  bool   // right-aligned, tabular figures
	Href string // optional link
}

func textCell(s string) cell { return cell{Text: s, Raw: s} }

func linkCell(s, href string) cell { return cell{Text: s, Raw: s, Href: href} }

func eurCell(v float64) cell { return cell{Text: eur(v), Raw: raw(v), Num: true} }

func pctCell(p *float64) cell { return cell{Text: pctOf(p), Raw: rawPtr(p), Num: true} }

func intCell(n int) cell { s := strconv.Itoa(n); return cell{Text: s, Raw: s, Num: true} }

// column is a table heading; Key, when set, makes it a sort link.
type column struct {
	Label string // for people
	Name  string // CSV header
	Num   bool
	Sort  string // link that sorts by this column; empty: not sortable
	Dir   string // "ascending" or "descending" when the table is sorted by it
}

// dataTable is the table behind a chart or a list, rendered as HTML and as
// CSV from the same rows, so the download is exactly what is shown.
type dataTable struct {
	ID      string
	Caption string
	Columns []column
	Rows    [][]cell
}

// writeCSV writes t as a CSV download named file.
func writeCSV(w http.ResponseWriter, file string, t dataTable) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	cw.Write(head)
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			rec[i] = c.Raw
			if c.Raw == "" && !c.Num {
				rec[i] = c.Text
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	_, err := buf.WriteTo(w)
	return err
}

// chart is one figure: the data dashboard.js draws with echarts, the table
// behind it, a CSV download, and the date and sources of its figures.
type chart struct {
	ID      string // DOM id of the chart container; its data is in ID+"-data"
	Title   string
	Kind    string // stack, bar, map, heat, timeline (see static/dashboard.js)
	Data    any    // JSON for dashboard.js
	Table   dataTable
	CSV     string // URL of the CSV download
	AsOf    coalition.Date
	Sources []string
	Note    string // how to read it, caveats
	Empty   string // non-empty: there is nothing to draw; says what to do
	Open    bool   // show the table without a click
}

// addSource appends src to list unless it is there already.
func addSource(list []string, src string) []string {
	for _, s := range list {
		if s == src {
			return list
		}
	}
	return append(list, src)
}

// pageNotFound answers a path no page has with the error page in the
// site's layout (navigation, links onward), not Go's plain-text 404.
func (s *server) pageNotFound(w http.ResponseWriter, r *http.Request) error {
	return coalition.Errorf(coalition.NotFound, "There is no page at %s.", r.URL.Path)
}
