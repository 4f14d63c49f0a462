package http

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// gzipResponses compresses responses of 1 KiB and more for clients that
// accept gzip (klauspost/compress's gzhttp): smaller ones go as they are,
// since compressing them costs more than it saves. Already compressed
// types and partial (Content-Range) responses are left alone; ETags are
// kept, because they carry record versions for If-Match. BestSpeed: most
// responses are JSON computed per request, where CPU matters more than
// the last few per cent of size.
func gzipResponses(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(gzhttp.DefaultMinSize), gzhttp.CompressionLevel(gzip.BestSpeed))
	if err != nil {
		panic(err) // only for invalid options, which are fixed here
	}
	return wrap(next)
}
