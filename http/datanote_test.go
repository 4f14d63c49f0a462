package http

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"coalition"
)

// An API answer computed from a published dataset older than its
// publisher's cycle says so in Coalition-Data-Note, with the same note the
// CLI prints (coalition.FreshnessOf); an answer that uses no dataset, or
// only fresh ones, carries none. The bundled Kiel release has data to
// 2026-04-30 and the Kiel Institute releases about every two months, so
// from 2026-06-30 on it is stale: the seeded server must say so on
// coverage and not on needs.
func TestDataNote(t *testing.T) {
	h, st := newUIServer(t)
	ds, err := st.Datasets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var kiel coalition.DatasetInfo
	for _, d := range ds {
		if d.Name == "kiel" {
			kiel = d
		}
	}
	f := coalition.FreshnessOf(kiel, time.Now())
	if !f.Stale {
		t.Skipf("the bundled Kiel release is not stale today (%+v)", f)
	}
	do := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	w := do("/api/v1/coverage?coalition=COW2025")
	if w.Code != http.StatusOK {
		t.Fatalf("coverage: %d %s", w.Code, w.Body)
	}
	if got := w.Header().Get(DataNoteHeader); !strings.Contains(got, strings.ReplaceAll(f.Note, "`", "")) {
		t.Errorf("coverage: %s %q, want the Kiel note %q", DataNoteHeader, got, f.Note)
	}
	if w := do("/api/v1/needs?coalition=COW2025"); w.Code != http.StatusOK || w.Header().Get(DataNoteHeader) != "" {
		t.Errorf("needs: %d, %s %q, want 200 and no note", w.Code, DataNoteHeader, w.Header().Get(DataNoteHeader))
	}
	// Every route named in dataNoteRoutes is a route of the table (a
	// renamed route would silently lose its note).
	var patterns []string
	for _, rt := range (&server{}).routes() {
		patterns = append(patterns, rt.pattern)
	}
	for p := range dataNoteRoutes {
		if !slices.Contains(patterns, p) {
			t.Errorf("dataNoteRoutes names %q, which is no route", p)
		}
	}
}
