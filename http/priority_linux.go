package http

import "golang.org/x/sys/unix"

// lowerThreadPriority sets the calling thread's nice value to 10 (on Linux
// the nice value belongs to the thread). Failure only means the analysis
// runs at normal priority.
func lowerThreadPriority() {
	unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 10)
}
