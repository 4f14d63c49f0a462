package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"coalition"
	chttp "coalition/http"
	"coalition/sqlstore"
	"coalition/updates"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [--addr 127.0.0.1:8080] [--db ...] [--dev] [--log-format text|json] [--log-level info] [--update-every 24h [--update-from URL]]",
		"coalition serve --addr 127.0.0.1:8080 --db coalition.db")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	db := dbFlag(fs)
	dev := fs.Bool("dev", false, "read templates and static files from ./http on disk")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	o := opsFlags(fs)
	updateEvery := fs.Duration("update-every", 0, "fetch the newest Kiel, ECB and World Bank releases at start and then this often, as `coalition update all` (e.g. 24h; 0: never)")
	updateFrom := fs.String("update-from", "", "with --update-every: a mirror URL or folder instead of the publishers (see `coalition update --from`)")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *updateEvery < 0 || *updateEvery > 0 && *updateEvery < time.Hour {
		return usagef("serve: --update-every %s: want 0 (off) or at least 1h (the publishers release monthly at most)", *updateEvery)
	}
	log, err := newLogger(e, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	// A new SQLite file is built with the reference data, all or nothing
	// (createSeeded), before the preflight check opens it: the data is
	// read while the migrations run.
	ref := readReferenceIfFresh(*db)
	if err := createSeeded(ctx, e, *db, ref); err != nil {
		return err
	}
	// Fail fast, with one line, on a database that cannot be served.
	if err := sqlstore.Preflight(ctx, *db, o.lockTimeout); err != nil {
		return err
	}
	s, err := openStoreReading(ctx, e, *db, ref)
	if err != nil {
		return err
	}
	defer func() {
		s.Close()
		log.Info("store closed")
	}()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return coalition.Errorf(coalition.Unavailable, "cannot listen on %s: %v", *addr, err)
	}
	// Analyses run at most half the processors at once, on threads of lower
	// priority, and get processors of their own on top of those for reads
	// and writes: the system's scheduler then serves reads and writes
	// first. GOMAXPROCS set by the operator is left as it is (and analyses
	// keep normal priority).
	slots, lowPriority := analysisProcs()
	log.Debug("analyses", "slots", slots, "low_priority", lowPriority, "gomaxprocs", runtime.GOMAXPROCS(0))
	var draining atomic.Bool
	srv := &http.Server{
		Handler: chttp.NewServer(log, s, chttp.Config{Dev: *dev, Version: version, Limits: o.limits, Unready: draining.Load,
			HeavySlots: slots, LowPriorityAnalyses: lowPriority}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(e.stdout, "coalition: serving http://%s (database %s, %s)\n", ln.Addr(), *db, s.Engine())
	if *updateEvery > 0 {
		uctx, stopUpdates := context.WithCancel(ctx)
		loopDone := make(chan struct{})
		// Stopped, and waited for, before the store closes (deferred above).
		defer func() { stopUpdates(); <-loopDone }()
		log.Info("updates scheduled", "every", updateEvery.String(), "from", cmp.Or(*updateFrom, "the publishers"))
		go func() {
			defer close(loopDone)
			updates.Loop(uctx, s, updates.Request{From: *updateFrom}, updates.Ticks(uctx, *updateEvery), log)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// /readyz turns unready first, so that a load balancer stops sending;
	// then the listener closes and requests in flight finish (bounded);
	// then the store closes (deferred above).
	draining.Store(true)
	log.Info("shutting down: /readyz is unready", "drain_delay", o.drainDelay)
	select {
	case <-time.After(o.drainDelay):
	case err := <-errc:
		return err
	}
	log.Info("shutting down: finishing requests in flight", "timeout", o.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: requests still running after %s: %w", o.shutdownTimeout, err)
	}
	fmt.Fprintln(e.stdout, "coalition: stopped")
	return nil
}

func newLogger(e *env, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", format)
}

// analysisProcs raises GOMAXPROCS once per process by the analysis slots
// (see runServe) and returns them.
var analysisProcs = sync.OnceValues(func() (slots int, lowPriority bool) {
	slots = chttp.DefaultHeavySlots()
	if os.Getenv("GOMAXPROCS") != "" {
		return slots, false
	}
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + slots)
	return slots, true
})
