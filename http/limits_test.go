package http_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	chttp "coalition/http"
	"coalition/internal/check"
)

const mib = 1 << 20

// pad returns the JSON object obj grown to size bytes with spaces before
// its closing brace (still one valid JSON value).
func pad(obj string, size int) string {
	return obj[:len(obj)-1] + strings.Repeat(" ", size-len(obj)) + "}"
}

// chunked hides a body's length, so that the client sends it chunked
// (Transfer-Encoding: chunked, no Content-Length).
type chunked struct{ io.Reader }

// send posts body with the given content type; chunk sends it chunked.
func (w *opsWorld) send(t *testing.T, path, ctype string, body io.Reader, chunk bool) (*http.Response, []byte) {
	t.Helper()
	if chunk {
		body = chunked{body}
	}
	req, err := http.NewRequest("POST", w.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Content-Type", ctype)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if chunk && res.Request.ContentLength != -1 && res.Request.ContentLength != 0 {
		t.Fatalf("the request was sent with Content-Length %d, want chunked", res.Request.ContentLength)
	}
	return res, b
}

const riskModel = `{"start": "2026-01", "months": 4, "categories": ["military"],
  "requirements": {"military": 100},
  "members": [{"iso3": "FRA", "support": {"military": 150}}], "trials": 100, "seed": 3}`

const pledgeJSON = `{"donor":"DEU","category":"ammunition","amount":{"minor":100000000,"currency":"EUR"},"announced":"2026-02-01","source":"test"}`

// TestBodyLimitsComeFromTheRouteClass: a route's body limit is its class's
// share of the configured limits, whatever the handler reads with.
func TestBodyLimitsComeFromTheRouteClass(t *testing.T) {
	t.Run("a 2 MiB risk model is accepted under its 4 MiB limit", func(t *testing.T) {
		w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxBody: 1 * mib}})
		for _, chunk := range []bool{false, true} {
			res, b := w.send(t, "/api/v1/risk", "application/json", strings.NewReader(pad(riskModel, 2*mib)), chunk)
			if res.StatusCode != http.StatusOK {
				t.Errorf("chunked %v: %d %.300s, want 200", chunk, res.StatusCode, b)
			}
		}
	})
	t.Run("raising --max-body raises decode's limit", func(t *testing.T) {
		w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxBody: 2 * mib}})
		res, b := w.send(t, "/api/v1/pledges", "application/json", strings.NewReader(pad(pledgeJSON, 3*mib/2)), false)
		if res.StatusCode != http.StatusCreated {
			t.Errorf("a 1.5 MiB pledge under a 2 MiB limit: %d %.300s, want 201", res.StatusCode, b)
		}
	})
	t.Run("over the limit, with or without Content-Length: 413 problem", func(t *testing.T) {
		w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxBody: 100, MaxImportBody: 1000}})
		for _, c := range []struct {
			path, ctype string
			size        int
		}{
			{"/api/v1/pledges", "application/json", 201},                  // write: MaxBody
			{"/api/v1/scenarios/run", "application/json", 201},            // analysis: MaxBody
			{"/api/v1/risk", "application/json", 401},                     // model: 4 × MaxBody
			{"/api/v1/ingest", "text/plain", 201},                         // text: 2 × MaxBody
			{"/api/v1/imports?format=csv", "text/csv", 1001},              // import: MaxImportBody
			{"/api/v1/login", "application/json", 7},                      // sign-in: MaxBody / 16
			{"/account/password", "application/x-www-form-urlencoded", 7}, // form: MaxBody / 16
			{"/review", "application/x-www-form-urlencoded", 201},         // text: 2 × MaxBody
			{"/admin/users", "application/x-www-form-urlencoded", 10},     // form: MaxBody / 16
		} {
			for _, chunk := range []bool{false, true} {
				body := `{"x":"` + strings.Repeat("x", c.size) + `"}`
				if !strings.Contains(c.ctype, "json") {
					body = "text=" + strings.Repeat("x", c.size)
				}
				res, b := w.send(t, c.path, c.ctype, strings.NewReader(body), chunk)
				var p struct {
					Type   string `json:"type"`
					Status int    `json:"status"`
				}
				json.Unmarshal(b, &p)
				what := fmt.Sprintf("POST %s, %d bytes, chunked %v", c.path, len(body), chunk)
				check.Facts(t,
					check.Eq(what+": status", res.StatusCode, http.StatusRequestEntityTooLarge),
					check.Eq(what+": problem status", p.Status, 413),
					check.Eq(what+": problem type", p.Type, "/problems/too_large"),
					check.Eq(what+": Content-Type", res.Header.Get("Content-Type"), "application/problem+json"),
				)
			}
		}
	})
}

// zeros is an endless reader of a repeated CSV line; it allocates nothing.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	for i := range p {
		p[i] = "x,y\n"[i%4]
	}
	z.n -= int64(len(p))
	return len(p), nil
}

// allocated is the bytes the Go heap has handed out since the start.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestLargeChunkedImportIsStreamedToDisk: a 32 MiB chunked import body goes
// to a temporary file, not into memory, and the file is removed afterwards.
// The bytes allocated while serving it (client and server: an upper bound
// of the heap's growth) stay under 4 MiB; held in memory, the body alone
// would be 32 MiB and more (it was 74.5 MiB).
func TestLargeChunkedImportIsStreamedToDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 32 MiB")
	}
	const size, bound = 32 * mib, 4 * mib
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	w := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxImportBody: 64 * mib}})
	for _, multi := range []bool{false, true} {
		t.Run("multipart "+strconv.FormatBool(multi), func(t *testing.T) {
			ctype, body := "text/csv", io.Reader(io.MultiReader(strings.NewReader("bogus,header\n"), &zeros{size}))
			if multi {
				ctype = "multipart/form-data; boundary=B"
				body = io.MultiReader(strings.NewReader("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\nbogus,header\n"),
					&zeros{size}, strings.NewReader("\r\n--B--\r\n"))
			}
			runtime.GC()
			before := allocated()
			res, b := w.send(t, "/api/v1/imports?format=csv", ctype, body, true)
			grew := allocated() - before
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "header") {
				t.Errorf("a 32 MiB import with an unknown header: %d %.300s, want 400 naming the header", res.StatusCode, b)
			}
			t.Logf("serving a %d MiB chunked import allocated %.2f MiB", size/mib, float64(grew)/mib)
			if grew > bound {
				t.Errorf("serving a %d MiB chunked import allocated %.1f MiB, want at most %d MiB", size/mib, float64(grew)/mib, bound/mib)
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "coalition-import-*")); len(left) != 0 {
				t.Errorf("the import left temporary files %v, want none", left)
			}
		})
	}
	t.Run("over --max-import-body: 413, no file left", func(t *testing.T) {
		small := newOpsServer(t, chttp.Config{Limits: chttp.Limits{MaxImportBody: 1 * mib}})
		body := io.MultiReader(strings.NewReader("bogus,header\n"), &zeros{2 * mib})
		res, b := small.send(t, "/api/v1/imports?format=csv", "text/csv", body, true)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "larger than 1048576 bytes") {
			t.Errorf("a 2 MiB chunked import over a 1 MiB limit: %d %.300s, want 413 naming the limit", res.StatusCode, b)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "coalition-import-*")); len(left) != 0 {
			t.Errorf("the refused import left temporary files %v, want none", left)
		}
	})
}
