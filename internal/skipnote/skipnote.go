// Package skipnote tells a person running the tests, in one line, that a
// group of tests was skipped and why (no PostgreSQL, no Chromium). `go test
// ./...` prints nothing but "ok" for a package that passes, whatever its
// tests write, so the line goes to the terminal itself (/dev/tty) when
// there is one; elsewhere (CI, where nothing may be skipped, or output
// piped to a file) it is only in the test log shown by -v. A run replayed
// from go's test cache does not run the tests and prints only "ok
// (cached)"; installing Chromium or setting COALITION_TEST_POSTGRES changes
// what the skipped tests looked up (exec.LookPath's files, the variable),
// which go test tracks, so the next run runs them. It imports nothing of
// this module, so any test helper can use it.
package skipnote

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

var said sync.Map // reason → struct{}: one line per reason and test binary

// Say writes "<package>: skipped <reason>" once per reason to the terminal,
// if the tests run in one.
func Say(reason string) {
	if _, dup := said.LoadOrStore(reason, struct{}{}); dup {
		return
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer tty.Close()
	fmt.Fprintf(tty, "%s: skipped %s\n", binary(), reason)
}

// binary names the package under test from the test binary's name
// ("http.test" → "http").
func binary() string {
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
}
