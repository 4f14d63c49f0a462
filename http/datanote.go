package http

import (
	"context"
	"net/http"
	"strings"
)

// DataNoteHeader carries, on an API answer computed from published
// datasets, the note of each one that is older than its publisher's usual
// cycle (coalition.FreshnessOf), as the CLI prints it on stderr and the
// pages in their footer: "an output that uses a stale dataset says so".
const DataNoteHeader = "Coalition-Data-Note"

// dataNoteRoutes are the API answers computed from published datasets and
// the datasets each uses; the CLI warns for the same ones (warnStale).
var dataNoteRoutes = map[string][]string{
	"GET /api/v1/coalitions/{id}":          {"kiel"},
	"GET /api/v1/donors":                   {"kiel", "worldbank", "ecb-fx"},
	"GET /api/v1/donors/monthly":           {"kiel", "ecb-fx"},
	"GET /api/v1/targets":                  {"nato", "worldbank"},
	"GET /api/v1/prospects":                {"kiel", "worldbank", "ecb-fx"},
	"GET /api/v1/coverage":                 {"kiel"},
	"GET /api/v1/procurement":              {"kiel"},
	"GET /api/v1/scenarios/builtin/{name}": {"kiel", "worldbank", "ecb-fx"},
	"POST /api/v1/scenarios/run":           {"kiel", "worldbank", "ecb-fx"},
	"GET /api/v1/risk/coalition/{code}":    {"kiel"},
	"GET /api/v1/equipment":                {"kiel-weapons"},
	"GET /api/v1/capability-gap":           {"kiel-weapons"},
	"GET /api/v1/countries/{iso3}":         {"worldbank", "nato"},
	"GET /api/v1/channels":                 {"kiel"},
	"GET /api/v1/scenarios/{id}":           {"kiel", "worldbank", "ecb-fx"},
	"GET /api/v1/export/{what}":            {"kiel", "ecb-fx"},
	"GET /api/v1/pledges":                  {"kiel"},
	"GET /api/v1/countries":                {"worldbank", "nato"},
}

// withDataNote sets DataNoteHeader on rt's answers when a dataset it uses
// is stale; other routes are returned as they are.
func (s *server) withDataNote(rt route, h http.Handler) http.Handler {
	names := dataNoteRoutes[rt.pattern]
	if len(names) == 0 {
		return h
	}
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
