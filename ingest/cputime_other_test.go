//go:build !unix

package ingest

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
