package http

import (
	"os"
	"regexp"
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

// TestOpenAPIFlowScalars: inside a YAML flow mapping ({…}) a comma ends a
// plain scalar, so `{description: by attribution, largest first}` makes
// "largest first" a stray key and cuts the description (issue 21 found
// five). The module has no YAML parser; this reads each unquoted
// description inside braces up to the next "}" and wants every
// comma-separated part after the first to be a "key: value".
func TestOpenAPIFlowScalars(t *testing.T) {
	doc, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	desc := regexp.MustCompile(`(?:\{|, )description: `)
	for i, line := range strings.Split(string(doc), "\n") {
		for _, loc := range desc.FindAllStringIndex(line, -1) {
			rest := line[loc[1]:]
			if rest == "" || rest[0] == '"' || rest[0] == '\'' {
				continue
			}
			value, _, _ := strings.Cut(rest, "}")
			for _, part := range strings.Split(value, ",")[1:] {
				if !strings.Contains(part, ":") {
					t.Errorf("openapi.yaml:%d: %q becomes a key of its own: quote the description (%s)", i+1, part, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestOpenAPISecuritySchemes: the document says how to authenticate, so
// generated clients can (a bearer token or the session cookie).
func TestOpenAPISecuritySchemes(t *testing.T) {
	doc, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  securitySchemes:\n    bearer:\n      type: http\n      scheme: bearer\n", "    cookie:\n      type: apiKey\n      in: cookie\n      name: " + sessionCookie + "\n", "\nsecurity:\n"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("openapi.yaml lacks %q", want)
		}
	}
}
