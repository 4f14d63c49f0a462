package http

import (
	"os"
	"strings"
	"testing"
)

// TestOpenAPICoversEveryAPIRoute walks the route table and checks that
// every /api/v1 and health route is described in openapi.yaml with its
// method, so the document cannot drift from the handlers.
func TestOpenAPICoversEveryAPIRoute(t *testing.T) {
	doc, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{} // path → its block of the document
	var cur string
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "  /") && strings.HasSuffix(line, ":") {
			cur = strings.TrimSuffix(strings.TrimSpace(line), ":")
			paths[cur] = ""
			continue
		}
		if cur != "" && strings.HasPrefix(line, "    ") {
			paths[cur] += line + "\n"
		}
		if cur != "" && !strings.HasPrefix(line, " ") {
			cur = ""
		}
	}
	n := 0
	for _, rt := range (&server{}).routes() {
		m, path, _ := strings.Cut(rt.pattern, " ")
		method := strings.ToLower(m)
		if !(strings.HasPrefix(path, "/api/v1/") || path == "/healthz" || path == "/readyz") || strings.HasSuffix(path, "/") {
			continue
		}
		n++
		block, ok := paths[path]
		if !ok {
			t.Errorf("%s %s is served but not in openapi.yaml", m, path)
			continue
		}
		if !strings.Contains(block, "    "+method+":") {
			t.Errorf("openapi.yaml describes %s but not its %s method", path, m)
		}
	}
	if n < 10 {
		t.Fatalf("found only %d API routes in the route table", n)
	}
}
