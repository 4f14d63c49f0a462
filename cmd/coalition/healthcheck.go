package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"coalition"
)

// runHealthcheck asks a running server whether it is ready; for container
// HEALTHCHECKs on images without a shell or curl.
func runHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "healthcheck", "healthcheck [--url http://127.0.0.1:8080/readyz] [--timeout 3s]",
		"coalition healthcheck --url http://127.0.0.1:8080/readyz")
	u := fs.String("url", "http://127.0.0.1:8080/readyz", "the readiness URL to ask")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", *u, nil)
	if err != nil {
		return usagef("healthcheck: --url %q: %v", *u, err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return coalition.Errorf(coalition.Unavailable, "%s: %v", *u, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return coalition.Errorf(coalition.Unavailable, "%s: %s", *u, res.Status)
	}
	fmt.Fprintf(e.stdout, "%s: ready\n", *u)
	return nil
}
