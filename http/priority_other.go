//go:build !linux

package http

// lowerThreadPriority is a no-op where threads have no priority of their own.
func lowerThreadPriority() {}
