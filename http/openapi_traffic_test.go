package http

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The API is checked against its description on real traffic: the test
// servers of the API tests (newTestServer) and of the authorization matrix
// (robustWorld) wrap their handler in ValidateTraffic, so every request
// those tests send to /api/v1 and every answer is validated against
// openapi.yaml with kin-openapi's openapi3filter. Object schemas are closed
// for the check (additionalProperties: false where the document says
// nothing), so a field sent but not documented fails, and so does a status
// code the document does not list for the operation.

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// loadSpec parses openapi.yaml once per test binary, checks it is a valid
// OpenAPI document, closes its object schemas and builds a router over it.
func loadSpec() (routers.Router, error) {
	specOnce.Do(func() {
		b, err := fs.ReadFile(embedded, "openapi.yaml")
		if err != nil {
			specErr = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		closeSchemas(doc)
		specRouter, specErr = legacy.NewRouter(doc)
	})
	return specRouter, specErr
}

// closeSchemas sets additionalProperties: false on every object schema
// that lists its properties and says nothing of others, except the members
// of an allOf (closing those would refuse each other's properties).
func closeSchemas(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	open := map[*openapi3.Schema]bool{}
	markOpen := func(r *openapi3.SchemaRef) {
		if r != nil && r.Value != nil {
			open[r.Value] = true
		}
	}
	var walk func(*openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		for _, m := range s.AllOf {
			markOpen(m)
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				walk(m)
			}
		}
	}
	for _, r := range doc.Components.Schemas {
		walk(r)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
	no := false
	for s := range seen {
		if open[s] || len(s.Properties) == 0 || s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil {
			continue
		}
		s.AdditionalProperties.Has = &no
	}
}

// described says whether a path is one openapi.yaml must describe.
func described(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || path == "/healthz" || path == "/readyz"
}

// ValidateTraffic wraps h: every request to a described path and its
// answer are checked against openapi.yaml, and each mismatch is a test
// error naming the method, path and status.
func ValidateTraffic(t testing.TB, h http.Handler) http.Handler {
	router, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !described(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		if msg := checkExchange(router, r, body, rec); msg != "" {
			msg, _, _ = strings.Cut(msg, "\n") // the first line names the field; the rest dumps schema and value
			t.Errorf("openapi.yaml vs %s %s → %d: %s", r.Method, r.URL.RequestURI(), rec.Code, msg)
		}
	})
}

// checkExchange validates one request and its answer; "" when both match.
func checkExchange(router routers.Router, r *http.Request, body []byte, rec *httptest.ResponseRecorder) string {
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.URL.Scheme, req.URL.Host = "", ""
	route, params, err := router.FindRoute(req)
	if err != nil {
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed {
			return "" // a path or method nobody serves, answered as such
		}
		return "served but not described: " + err.Error()
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case reqErr != nil && rec.Code < 400:
		return "the server accepted a request the document forbids: " + reqErr.Error()
	case reqErr == nil && rec.Code == http.StatusBadRequest && refusedDocumented(route.Operation, rec.Body.Bytes()):
		return "the document describes a field the server refuses: " + rec.Body.String()
	}
	respBody := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		if zr, err := gzip.NewReader(bytes.NewReader(respBody)); err == nil {
			respBody, _ = io.ReadAll(zr)
		}
	}
	hdr := rec.Header().Clone()
	hdr.Del("Content-Encoding")
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: hdr, Options: opts}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return "answer: " + err.Error()
	}
	return ""
}

// refusedDocumented says whether a 400 problem refuses as unknown a field
// that the operation's JSON request body documents.
func refusedDocumented(op *openapi3.Operation, body []byte) bool {
	var p struct {
		Detail string `json:"detail"`
		Field  string `json:"field"`
	}
	if json.Unmarshal(body, &p) != nil || !strings.Contains(p.Detail, "not a known field") || op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return false
	}
	return mt.Schema.Value.Properties[p.Field] != nil
}

// TestOpenAPIOperationsComplete: openapi.yaml is a valid OpenAPI 3.1
// document (kin-openapi's loader and validator), and every operation has
// an operationId, a tag, a summary or description, and a schema for every
// answer with a body, so generated clients are usable.
func TestOpenAPIOperationsComplete(t *testing.T) {
	b, err := fs.ReadFile(embedded, "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI: %v", err)
	}
	ids := map[string]string{}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share the operationId %s", prev, where, op.OperationID)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 {
				t.Errorf("%s has no tag", where)
			}
			// Spectral's operation-description wants a description; the
			// summary is the short title tools list operations by.
			if op.Summary == "" || op.Description == "" {
				t.Errorf("%s needs both a summary (a short title) and a description", where)
			}
			for code, resp := range op.Responses.Map() {
				if code == "204" || code == "304" || code[0] != '2' || resp.Value == nil {
					continue
				}
				if len(resp.Value.Content) == 0 {
					t.Errorf("%s: its %s answer has no content schema", where, code)
				}
				for ct, mt := range resp.Value.Content {
					if mt.Schema == nil {
						t.Errorf("%s: its %s %s answer has no schema", where, code, ct)
					}
				}
			}
		}
	}
	// The operationId is the handler's name in the route table (routes.go):
	// the document and the code name each operation alike.
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`\{"([A-Z]+) (\S+)", \w+, \w+, \w+, s\.handle\(s\.(\w+)\)`)
	for _, m := range line.FindAllStringSubmatch(string(src), -1) {
		item := doc.Paths.Value(m[2])
		if !described(m[2]) || item == nil || item.GetOperation(m[1]) == nil {
			continue // TestOpenAPICoversEveryAPIRoute reports it
		}
		if got := item.GetOperation(m[1]).OperationID; got != m[3] {
			t.Errorf("%s %s: operationId %q, handler %s", m[1], m[2], got, m[3])
		}
	}
	if n < 70 {
		t.Fatalf("only %d operations in openapi.yaml", n)
	}
}
