package http

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestClientGone: a write to a client that hung up (as net/http reports
// it, wrapped) is told apart from a failure of the page itself.
func TestClientGone(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, true},
		{fmt.Errorf("render: %w", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}), true},
		{errors.New("template: no such field"), false},
		{syscall.ENOSPC, false},
	} {
		if got := clientGone(c.err); got != c.want {
			t.Errorf("clientGone(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
