package http_test

import (
	"context"
	"testing"
	"time"

	"coalition"
)

// adminToken creates an admin account in s and returns a write token for it.
func adminToken(t *testing.T, s coalition.Store) string {
	t.Helper()
	sys := coalition.WithUser(context.Background(), coalition.System)
	u := &coalition.User{Email: "test-admin@example.org", Role: coalition.Admin}
	if err := s.CreateUser(sys, u, "a long and uncommon passphrase 7"); err != nil {
		t.Fatal(err)
	}
	secret, _, err := s.CreateToken(coalition.WithUser(sys, u), "test", coalition.ScopeWrite, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}
