package main

import (
	"flag"
	"time"

	chttp "coalition/http"
)

// serveOps holds serve's limits and lifecycle settings.
type serveOps struct {
	limits          chttp.Limits
	shutdownTimeout time.Duration
	drainDelay      time.Duration
	lockTimeout     time.Duration
}

// opsFlags adds serve's limit and lifecycle flags to fs.
func opsFlags(fs *flag.FlagSet) *serveOps {
	o := &serveOps{}
	l := &o.limits
	fs.DurationVar(&l.RequestTimeout, "request-timeout", 30*time.Second, "deadline of a request, passed down to the database (0: none)")
	fs.DurationVar(&l.LongTimeout, "long-request-timeout", 5*time.Minute, "deadline of imports, exports, risk runs and scenario runs (0: none)")
	fs.Int64Var(&l.MaxBody, "max-body", chttp.DefaultMaxBody, "body limit of the API's JSON in bytes; forms and sign-in 1/16 of it, texts to ingest 2x, risk models 4x (imports: --max-import-body)")
	fs.Int64Var(&l.MaxImportBody, "max-import-body", chttp.DefaultMaxImportBody, "largest import body in bytes (streamed to a temporary file)")
	fs.Float64Var(&l.WriteRate, "write-rate", 20, "writes per second per client (user or address); 0: no limit")
	fs.IntVar(&l.WriteBurst, "write-burst", 40, "writes a client may send at once above --write-rate")
	fs.Float64Var(&l.AnalysisRate, "analysis-rate", 1, "risk runs, scenario runs and imports per second per client; 0: no limit")
	fs.IntVar(&l.AnalysisBurst, "analysis-burst", 5, "analyses a client may send at once above --analysis-rate")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 15*time.Second, "on SIGTERM, how long requests in flight may take to finish")
	fs.DurationVar(&o.drainDelay, "drain-delay", time.Second, "on SIGTERM, how long /readyz answers 503 before the listener closes")
	fs.DurationVar(&o.lockTimeout, "lock-timeout", 2*time.Second, "at start, how long to wait for another process's write lock before giving up")
	return o
}
