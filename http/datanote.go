package http

import (
	"context"
	"net/http"
	"strings"

	"coalition"
)

// DataNoteHeader carries, on an API answer computed from published
// datasets, the note of each one that is older than its publisher's usual
// cycle (coalition.FreshnessOf), as the CLI prints it on stderr and the
// pages in their footer: "an output that uses a stale dataset says so".
const DataNoteHeader = "Coalition-Data-Note"

// dataNoteRoutes are the API answers computed from published datasets and
// the analysis each answers; coalition.DatasetsUsedBy names its datasets,
// the same list the CLI's command for it warns about.
var dataNoteRoutes = map[string]string{
	"GET /api/v1/coalitions/{id}":          "coverage",
	"GET /api/v1/donors":                   "donors",
	"GET /api/v1/donors/monthly":           "donors-monthly",
	"GET /api/v1/targets":                  "targets",
	"GET /api/v1/prospects":                "prospects",
	"GET /api/v1/coverage":                 "coverage",
	"GET /api/v1/procurement":              "procurement",
	"GET /api/v1/scenarios/builtin/{name}": "scenario",
	"POST /api/v1/scenarios/run":           "scenario",
	"GET /api/v1/risk/coalition/{code}":    "risk",
	"GET /api/v1/equipment":                "equipment",
	"GET /api/v1/capability-gap":           "capability-gap",
	"GET /api/v1/countries/{iso3}":         "countries",
	"GET /api/v1/channels":                 "channels",
	"GET /api/v1/scenarios/{id}":           "scenario",
	"GET /api/v1/export/{what}":            "export",
	"GET /api/v1/pledges":                  "pledges",
	"GET /api/v1/countries":                "countries",
}

// withDataNote sets DataNoteHeader on rt's answers when a dataset it uses
// is stale; other routes are returned as they are.
func (s *server) withDataNote(rt route, h http.Handler) http.Handler {
	analysis, ok := dataNoteRoutes[rt.pattern]
	if !ok {
		return h
	}
	names := coalition.DatasetsUsedBy(analysis)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if note := s.staleNote(r.Context(), names); note != "" {
			w.Header().Set(DataNoteHeader, note)
		}
		h.ServeHTTP(w, r)
	})
}

// staleNote joins the notes of the named datasets that are stale today
// ("; "), or "" when none is; the datasets are read once per change of the
// data (datasetAges).
func (s *server) staleNote(ctx context.Context, names []string) string {
	var notes []string
	for _, d := range s.datasetAges(ctx) {
		for _, n := range names {
			if d.Name == n && d.Freshness.Stale {
				notes = append(notes, strings.ReplaceAll(d.Freshness.Note, "`", ""))
			}
		}
	}
	return strings.Join(notes, "; ")
}
