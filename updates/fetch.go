package updates

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"coalition"
)

// fetcher reads the publishers' files: from their URLs, from a mirror or
// from local copies (Request.From).
type fetcher struct {
	from   string
	client *http.Client
	read   []string
}

// errMissing is an optional file that is not there.
var errMissing = errors.New("not found")

// get returns the body of the publisher's file at address, named name in a
// --from folder. main says it is the dataset's one main file, which a
// --from file is. Anything short of the whole file is an Invalid error: an
// HTTP error, a body shorter than announced, a file larger than
// MaxDownload.
func (f *fetcher) get(ctx context.Context, address, name string, main bool) ([]byte, error) {
	switch {
	case f.from == "":
		return f.download(ctx, address)
	case strings.HasPrefix(f.from, "http://") || strings.HasPrefix(f.from, "https://"):
		m, err := mirrorURL(f.from, address)
		if err != nil {
			return nil, err
		}
		return f.download(ctx, m)
	}
	path := f.from
	fi, err := os.Stat(path)
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "update: --from: %v", err)
	}
	if fi.IsDir() {
		path = filepath.Join(path, name)
	} else if !main {
		return nil, errMissing
	}
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, coalition.Errorf(coalition.Invalid, "update: %s: not found (a --from folder holds the publisher's files under their names)", path)
	}
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "update: %v", err)
	}
	defer fh.Close()
	f.read = append(f.read, path)
	return readAll(fh, path)
}

// mirrorURL puts address's path and query under the mirror's base URL.
func mirrorURL(base, address string) (string, error) {
	m, err := url.Parse(base)
	if err != nil {
		return "", coalition.Errorf(coalition.Invalid, "update: --from %q: %v", base, err)
	}
	a, err := url.Parse(address)
	if err != nil {
		return "", err
	}
	m.Path = strings.TrimSuffix(m.Path, "/") + a.Path
	m.RawQuery = a.RawQuery
	return m.String(), nil
}

func (f *fetcher) download(ctx context.Context, address string) ([]byte, error) {
	f.read = append(f.read, address)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "coalition-update")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "update: download failed: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%w: %s: HTTP 404", errMissing, address)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, coalition.Errorf(coalition.Invalid, "update: download failed: %s: HTTP %s", address, resp.Status)
	}
	return readAll(resp.Body, address)
}

// readAll reads a whole file of at most MaxDownload bytes.
func readAll(r io.Reader, where string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDownload+1))
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "update: download broken: %s: %v (the file is incomplete)", where, err)
	}
	if len(b) > MaxDownload {
		return nil, coalition.Errorf(coalition.Invalid, "update: %s is larger than %d MB: not a file of this publisher", where, MaxDownload>>20)
	}
	return b, nil
}

// need is get for a file the dataset cannot do without: a missing one
// is an Invalid error.
func (f *fetcher) need(ctx context.Context, address, name string, main bool) ([]byte, error) {
	b, err := f.get(ctx, address, name, main)
	if errors.Is(err, errMissing) {
		if err == errMissing {
			return nil, coalition.Errorf(coalition.Invalid, "update: %s is needed: give --from a folder holding it, or a mirror URL", name)
		}
		return nil, coalition.Errorf(coalition.Invalid, "update: download failed: %v", err)
	}
	return b, err
}
