package http

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"coalition"
)

// cachedBody is an answer kept in the result cache as the bytes that are
// sent: encoding a large answer cost three times as much as finding it in
// the cache, so a cached answer is encoded once per data version and
// audience, and compressed once for the clients that accept gzip.
type cachedBody struct {
	contentType string
	status      int // 0: 200
	raw         []byte
	etag        string // weak: the same for the plain and the gzip bytes

	gzOnce sync.Once
	gz     []byte // nil: too small to be worth compressing
}

// minGzip is gzhttp's default threshold (see gzip.go): smaller answers go
// as they are, larger ones compressed.
const minGzip = 1024

func newCachedBody(contentType string, raw []byte) *cachedBody {
	h := fnv.New64a()
	h.Write(raw)
	return &cachedBody{contentType: contentType, raw: raw, etag: `W/"` + strconv.FormatUint(h.Sum64(), 36) + `"`}
}

// gzipped returns the compressed bytes, made on first use: many answers are
// only ever asked for by clients that do not accept gzip (scripts, curl).
func (b *cachedBody) gzipped() []byte {
	b.gzOnce.Do(func() {
		if len(b.raw) < minGzip {
			return
		}
		var buf bytes.Buffer
		// BestSpeed, as gzipResponses: the first client of a version waits
		// for it. /api/v1/donors/monthly at 1M pledges (956 KB): 150 KB in
		// 2.2 ms, where the default level made 142 KB in 6.7 ms.
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(b.raw)
		zw.Close()
		b.gz = buf.Bytes()
	})
	return b.gz
}

// cachedJSON answers with v from compute, encoded as compact JSON (by v
// itself when it is a jsonAppender), kept in
// the result cache under key (with the audience and data version, as every
// cached value is) so that later requests are written without encoding.
// ?pretty=1 indents the cached bytes for people.
func cachedJSON[T any](w http.ResponseWriter, r *http.Request, s *server, key string, compute func(context.Context) (T, error)) error {
	ctx := r.Context()
	b, err := cached(ctx, s, "json/"+key, func() (*cachedBody, error) {
		v, err := compute(ctx)
		if err != nil {
			return nil, err
		}
		if a, ok := any(v).(jsonAppender); ok {
			raw, err := a.appendJSON(make([]byte, 0, a.sizeHint()))
			if err != nil {
				return nil, err
			}
			return newCachedBody("application/json", append(raw, '\n')), nil // as Encode ends it
		}
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(v); err != nil {
			return nil, err
		}
		return newCachedBody("application/json", buf.Bytes()), nil
	})
	if err != nil {
		return err
	}
	if pretty(r) {
		var buf bytes.Buffer
		if err := json.Indent(&buf, b.raw, "", "  "); err != nil {
			return err
		}
		return encodedBytes(w, http.StatusOK, "application/json", buf.Bytes())
	}
	return b.write(w, r)
}

// encodedBytes writes a body that is already encoded.
func encodedBytes(w http.ResponseWriter, status int, contentType string, body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// write sends the cached bytes: 304 when the client has them (If-None-Match),
// else gzip bytes to a client that accepts them, else the plain bytes. The
// gzip bytes carry Content-Encoding, so gzipResponses leaves them alone.
func (b *cachedBody) write(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("ETag", b.etag)
	if !slices.Contains(h.Values("Vary"), "Accept-Encoding") { // gzipResponses adds it too
		h.Add("Vary", "Accept-Encoding")
	}
	if cmp.Or(b.status, http.StatusOK) == http.StatusOK && etagMatch(r.Header.Get("If-None-Match"), b.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := b.raw
	if acceptsGzip(r) {
		if gz := b.gzipped(); gz != nil {
			body = gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return encodedBytes(w, cmp.Or(b.status, http.StatusOK), b.contentType, body)
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison, as RFC 9110 §13.1.2 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	weak := strings.TrimPrefix(etag, "W/")
	for v := range strings.SplitSeq(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == weak {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding lists gzip with a q-value
// above zero.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
				continue
			}
			q := strings.TrimSpace(params)
			if qv, ok := strings.CutPrefix(q, "q="); ok {
				if f, err := strconv.ParseFloat(qv, 64); err == nil && f == 0 {
					return false
				}
			}
			return true
		}
	}
	return false
}

// cachedPage serves a page to anonymous readers from the result cache:
// rendered once per data version (and day, for pages that say how old the
// data is) and query, then written as bytes. A page is shared only where it
// cannot carry anything personal: the layout's only per-reader part is the
// signed-in user, and cross-origin protection needs no token in forms (see
// server.go), so signed-in readers, who see their name and maybe more
// records, get their own rendering every time. -dev renders every time, so
// that an edited template shows on reload.
func (s *server) cachedPage(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pw, ok := w.(*pageWriter)
		if s.cfg.Dev || !ok || pw.user != nil || coalition.UserFrom(r.Context()) != nil {
			return h(w, r)
		}
		key := "page/" + s.now().UTC().Format(time.DateOnly) + r.URL.Path + "?" + r.URL.Query().Encode()
		b, err := cached(r.Context(), s, key, func() (*cachedBody, error) {
			rec := &pageRecorder{header: http.Header{}, status: http.StatusOK}
			// Rendered as handlePage would for an anonymous reader: with
			// the datasets' ages for the footer (the key has today's date).
			if err := h(&pageWriter{ResponseWriter: rec, datasets: pw.datasets}, r); err != nil {
				return nil, err
			}
			b := newCachedBody(rec.header.Get("Content-Type"), rec.body.Bytes())
			b.status = rec.status
			return b, nil
		})
		if err != nil {
			return err
		}
		return b.write(w, r)
	}
}

// pageRecorder keeps what a page handler writes, for the cache.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(status int)      { p.status = status }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }
