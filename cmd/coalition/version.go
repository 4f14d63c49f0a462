package main

import (
	"context"
	"fmt"
	"runtime"
)

// Set at build time: go build -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "version", "coalition version")
	if _, err := parseArgs(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "coalition %s (commit %s, built %s, %s)\n", version, commit, date, runtime.Version())
	return nil
}
