package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at build time: go build -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
// Without them, commit and date come from what Go stamps into a binary built
// in a git checkout (go version -m), when it did.
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

// buildStamp returns the commit and date: the -ldflags values, else the
// revision and commit time Go recorded (with "+modified" for a tree with
// uncommitted changes), else "unknown".
func buildStamp(info *debug.BuildInfo, ok bool) (string, string) {
	c, d := commit, date
	if !ok || info == nil {
		return c, d
	}
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if c == "unknown" {
				c = s.Value
			}
		case "vcs.time":
			if d == "unknown" {
				d = s.Value
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && c != commit {
		c += "+modified"
	}
	return c, d
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "version", "coalition version")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	c, d := buildStamp(debug.ReadBuildInfo())
	fmt.Fprintf(e.stdout, "coalition %s (commit %s, built %s, %s)\n", version, c, d, runtime.Version())
	return nil
}
