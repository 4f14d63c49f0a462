package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Package initialisation is paid by every command before it starts: an
// argon2id hash computed in a package variable once cost each `coalition`
// process 40 ms and 19 MiB (issue 22). These bounds keep that from coming
// back: work that is not needed by every command belongs in a function
// called on first use.
const (
	maxInitBytesOwn   = 256 << 10 // a package of this module
	maxInitBytesOther = 2 << 20   // a dependency (excelize, the largest, allocates ~1.3 MiB)
)

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, [0-9.]+ ms clock, (\d+) bytes, (\d+) allocs$`)

// TestInitAllocations runs this test binary again with GODEBUG=inittrace=1,
// which makes the runtime print one line per package init, and checks what
// each package allocates before main runs. The test binary links every
// package the command links.
func TestInitAllocations(t *testing.T) {
	if os.Getenv("COALITION_INITTRACE_CHILD") == "1" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInitAllocations$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "COALITION_INITTRACE_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child test binary: %v\n%s", err, stderr.String())
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		m := initLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		pkg := m[1]
		bytes, _ := strconv.ParseInt(m[2], 10, 64)
		seen[pkg] = true
		limit := int64(maxInitBytesOther)
		if pkg == "coalition" || strings.HasPrefix(pkg, "coalition/") {
			limit = maxInitBytesOwn
		}
		if bytes > limit {
			t.Errorf("init of %s allocates %d bytes, want at most %d: move the work to first use", pkg, bytes, limit)
		}
	}
	// The trace must have covered the packages that matter, or the test
	// checked nothing (a changed trace format would otherwise pass).
	for _, pkg := range []string{"coalition/sqlstore", "coalition/http", "coalition/ingest"} {
		if !seen[pkg] {
			t.Errorf("no init trace line for %s (GODEBUG=inittrace output changed?)", pkg)
		}
	}
}
