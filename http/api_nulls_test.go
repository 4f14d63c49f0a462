package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"coalition"
)

// TestAPIListsNeverNull walks every GET route of the API as an admin,
// with the reference data, and fails when a field is null in one object
// and a list in another of the same response (countries' "groups" was null
// for the ten countries in no group): clients expect [] for no items.
func TestAPIListsNeverNull(t *testing.T) {
	h, st := newUIServer(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	u := &coalition.User{Email: "nulls-admin@example.org", Role: coalition.Admin}
	if err := st.CreateUser(sys, u, "a long and uncommon passphrase 7"); err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateToken(coalition.WithUser(sys, u), "test", coalition.ScopeWrite, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	sample := strings.NewReplacer("{iso3}", "USA", "{id}", "1", "{name}", "replace-us", "{code}", "COW2025")
	n := 0
	for _, rt := range (&server{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method != "GET" || !strings.HasPrefix(path, "/api/v1/") || strings.HasSuffix(path, ".yaml") {
			continue
		}
		path = sample.Replace(path)
		t.Run(path, func(t *testing.T) {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				t.Skipf("status %d", w.Code) // a sample id that does not exist: nothing to check
			}
			n++
			var v any
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if v == nil {
				t.Fatal("the response is null")
			}
			kinds := map[string]map[string]bool{} // key → JSON kinds seen
			walkJSON(v, kinds)
			var bad []string
			for k, seen := range kinds {
				if seen["null"] && seen["array"] {
					bad = append(bad, k)
				}
			}
			sort.Strings(bad)
			for _, k := range bad {
				t.Errorf("%q is a list in some objects and null in others: want []", k)
			}
		})
	}
	if n < 15 {
		t.Errorf("only %d API routes answered 200", n)
	}
}

// walkJSON records, for every object key in v, the kinds of value it has.
func walkJSON(v any, kinds map[string]map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if kinds[k] == nil {
				kinds[k] = map[string]bool{}
			}
			kinds[k][kindOf(x)] = true
			walkJSON(x, kinds)
		}
	case []any:
		for _, x := range v {
			walkJSON(x, kinds)
		}
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	default:
		return fmt.Sprintf("%T", v)
	}
}
