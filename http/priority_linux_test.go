package http

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// Analyses run on a thread of their own at nice 10; the caller's thread,
// and every other goroutine's, keeps its priority, and a panic in the
// analysis reaches the caller.
func TestRunAtLowPriority(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	prio := func() int {
		p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	before, callerTID := prio(), unix.Gettid()
	var inside, tid int
	runAtLowPriority(func() { inside, tid = prio(), unix.Gettid() })
	if tid == callerTID {
		t.Fatal("the analysis ran on the caller's thread")
	}
	if inside == before {
		t.Fatalf("the analysis thread kept priority %d", inside)
	}
	if after := prio(); after != before {
		t.Fatalf("the caller's priority changed from %d to %d", before, after)
	}
	// The low-priority thread is gone: new goroutines do not inherit it.
	for range 20 {
		ch := make(chan int)
		go func() { ch <- prio() }()
		if p := <-ch; p != before {
			t.Fatalf("a later goroutine ran at priority %d (normal: %d)", p, before)
		}
	}
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v, want the analysis's panic", r)
		}
	}()
	runAtLowPriority(func() { panic("boom") })
	t.Fatal("the panic did not reach the caller")
}
