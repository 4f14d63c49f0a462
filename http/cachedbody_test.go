package http

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"coalition"
)

// response is what a test reads of an answer, taken without the client's
// transparent decompression, so that the bytes on the wire can be checked.
type response struct {
	status int
	header http.Header
	body   []byte // as sent: gzip bytes when Content-Encoding is gzip
}

func fetch(t *testing.T, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// addPledge changes the data (and what the overview shows) under the server.
func addPledge(t *testing.T, s coalition.Store) {
	t.Helper()
	sys := coalition.WithUser(context.Background(), coalition.System)
	p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "air-defence",
		Amount: coalition.Money{Minor: 91_500_000_00, Currency: "EUR"}, Announced: coalition.Date{Y: 2025, M: 1, D: 15},
		Status: coalition.Allocated, Visibility: coalition.Public, Source: "test"}
	if err := s.CreatePledge(sys, p); err != nil {
		t.Fatal(err)
	}
}

// TestCompactJSON: answers are compact JSON unless ?pretty=1 asks for
// indentation, and both forms carry the same value; cached answers and
// answers encoded per request alike.
func TestCompactJSON(t *testing.T) {
	w := newAuthWorld(t)
	srv := w.srv
	for _, path := range []string{"/api/v1/donors/monthly", "/api/v1/donors", "/api/v1/countries", "/api/v1/targets?group=NATO"} {
		t.Run(path, func(t *testing.T) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			compact := fetch(t, srv.URL+path, nil)
			pretty := fetch(t, srv.URL+path+sep+"pretty=1", nil)
			if compact.status != http.StatusOK || pretty.status != http.StatusOK {
				t.Fatalf("status %d and %d, want 200", compact.status, pretty.status)
			}
			if got := compact.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type %q, want application/json", got)
			}
			if bytes.Contains(compact.body, []byte("\n ")) {
				t.Errorf("default answer is indented: %.80s", compact.body)
			}
			if !bytes.Contains(pretty.body, []byte("\n  ")) {
				t.Errorf("?pretty=1 answer is not indented: %.80s", pretty.body)
			}
			var a, b any
			if err := json.Unmarshal(compact.body, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(pretty.body, &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Error("compact and pretty answers differ in value")
			}
		})
	}
}

// TestCachedAnswerBytes: a cached answer is the same bytes until the data
// changes, revalidates with its ETag, and goes gzip-compressed to clients
// that accept it (the same bytes once decompressed).
func TestCachedAnswerBytes(t *testing.T) {
	w := newAuthWorld(t)
	srv, s := w.srv, w.store
	url := srv.URL + "/api/v1/donors/monthly"
	first := fetch(t, url, nil)
	etag := first.header.Get("ETag")
	t.Run("same bytes and ETag", func(t *testing.T) {
		again := fetch(t, url, nil)
		if !bytes.Equal(first.body, again.body) {
			t.Error("a second request got other bytes")
		}
		if etag == "" || again.header.Get("ETag") != etag {
			t.Errorf("ETag %q then %q, want one non-empty ETag", etag, again.header.Get("ETag"))
		}
	})
	t.Run("If-None-Match", func(t *testing.T) {
		got := fetch(t, url, map[string]string{"If-None-Match": etag})
		if got.status != http.StatusNotModified || len(got.body) != 0 {
			t.Errorf("status %d with %d bytes, want 304 and none", got.status, len(got.body))
		}
	})
	t.Run("gzip", func(t *testing.T) {
		got := fetch(t, url, map[string]string{"Accept-Encoding": "gzip"})
		if ce := got.header.Get("Content-Encoding"); ce != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", ce)
		}
		if plain := gunzip(t, got.body); !bytes.Equal(plain, first.body) {
			t.Error("the gzip bytes decompress to another answer")
		}
		if !strings.Contains(got.header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary %q, want Accept-Encoding", got.header.Get("Vary"))
		}
	})
	t.Run("data change", func(t *testing.T) {
		addPledge(t, s)
		got := fetch(t, url, map[string]string{"If-None-Match": etag})
		if got.status != http.StatusOK {
			t.Fatalf("status %d after a change, want 200 (the old ETag is stale)", got.status)
		}
		if bytes.Equal(got.body, first.body) || got.header.Get("ETag") == etag {
			t.Error("the answer did not change with the data")
		}
	})
}

// TestPublicPageCache: anonymous readers of the overview get the same bytes
// until the data changes; a signed-in reader never gets those bytes, and
// their rendering never reaches anonymous readers.
func TestPublicPageCache(t *testing.T) {
	w := newAuthWorld(t)
	srv, s := w.srv, w.store
	first := fetch(t, srv.URL+"/", nil)
	if first.status != http.StatusOK {
		t.Fatalf("status %d", first.status)
	}
	t.Run("same bytes", func(t *testing.T) {
		again := fetch(t, srv.URL+"/", nil)
		if !bytes.Equal(first.body, again.body) {
			t.Error("a second anonymous request got other bytes")
		}
		if !strings.Contains(string(first.body), `href="/login"`) {
			t.Error("the anonymous page has no sign-in link")
		}
	})
	// An observer sees what anonymous readers see (the same audience), so
	// only the signed-in header tells the pages apart.
	for name, token := range map[string]string{"admin": w.readTok, "observer": w.tokens["observer"]} {
		t.Run("signed in as "+name, func(t *testing.T) {
			got := fetch(t, srv.URL+"/", map[string]string{"Authorization": "Bearer " + token})
			if got.status != http.StatusOK {
				t.Fatalf("status %d", got.status)
			}
			if bytes.Equal(got.body, first.body) {
				t.Error("a signed-in reader got the anonymous page")
			}
			if !strings.Contains(string(got.body), `href="/account"`) {
				t.Error("the signed-in page does not show the account")
			}
			anon := fetch(t, srv.URL+"/", nil)
			if !bytes.Equal(anon.body, first.body) {
				t.Error("after a signed-in request, anonymous readers got other bytes")
			}
		})
	}
	t.Run("data change", func(t *testing.T) {
		addPledge(t, s)
		got := fetch(t, srv.URL+"/", nil)
		if got.status != http.StatusOK || bytes.Equal(got.body, first.body) {
			t.Errorf("status %d, same bytes %v: want a new page after a change", got.status, bytes.Equal(got.body, first.body))
		}
	})
	t.Run("filters", func(t *testing.T) {
		a := fetch(t, srv.URL+"/?type=military", nil)
		b := fetch(t, srv.URL+"/?type=humanitarian", nil)
		if bytes.Equal(a.body, b.body) {
			t.Error("two filters got the same cached page")
		}
	})
}

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"deflate, gzip;q=0", false},
		{"gzip;q=0.0", false},
		{"*", true},
		{"identity", false},
		{"x-gzip-not", false},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		if c.header != "" {
			r.Header.Set("Accept-Encoding", c.header)
		}
		if got := acceptsGzip(r); got != c.want {
			t.Errorf("Accept-Encoding %q: acceptsGzip = %v, want %v", c.header, got, c.want)
		}
	}
}

func TestETagMatch(t *testing.T) {
	const etag = `W/"abc"`
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`W/"abc"`, true},
		{`"abc"`, true}, // If-None-Match compares weakly
		{`"x", W/"abc"`, true},
		{`"abcd"`, false},
		{"*", true},
	} {
		if got := etagMatch(c.header, etag); got != c.want {
			t.Errorf("If-None-Match %q: etagMatch = %v, want %v", c.header, got, c.want)
		}
	}
}
