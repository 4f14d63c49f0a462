package exporter

import (
	"runtime/debug"
	"sync"
)

// xlsxGCPercent is the garbage collector's target (GOGC) while an XLSX
// export runs. excelize's stream writer keeps the sheet's rows in a
// bytes.Buffer until it holds 16 MiB, then moves them to its temporary
// file and reuses the buffer, which by then has grown by doubling to 32
// MiB (16 MiB more while it is copied): 24–48 MiB of live heap for the
// whole export, which the default target (100: collect when the heap has
// doubled) turns into peaks of ~96 MiB of heap. At 25 the heap may grow by
// a quarter between collections; the buffer holds no pointers, so each
// collection stays cheap (1M pledges: peak RSS 98 → 72 MB, no slower;
// docs/benchmarks.md).
const xlsxGCPercent = 25

// xlsxGC lowers the collector's target while at least one XLSX export
// runs and puts back the previous one when the last ends; the target is
// the process's, so concurrent exports share one lowering.
var xlsxGC struct {
	sync.Mutex
	running int
	prev    int
}

// lowerGC lowers the collector's target for an XLSX export and returns
// the function that ends it.
func lowerGC() (restore func()) {
	xlsxGC.Lock()
	defer xlsxGC.Unlock()
	if xlsxGC.running == 0 {
		xlsxGC.prev = debug.SetGCPercent(xlsxGCPercent)
		if xlsxGC.prev < xlsxGCPercent {
			debug.SetGCPercent(xlsxGC.prev) // already lower, or off (GOGC): keep it
		}
	}
	xlsxGC.running++
	return func() {
		xlsxGC.Lock()
		defer xlsxGC.Unlock()
		if xlsxGC.running--; xlsxGC.running == 0 {
			debug.SetGCPercent(xlsxGC.prev)
		}
	}
}
