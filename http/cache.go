package http

import (
	"context"
	"fmt"
	"sync"

	"coalition"
)

// resultCache keeps analysis results (built-in scenarios, targets, risk
// runs) until the data changes. Every mutation appends to the audit chain,
// so the chain's length (ChangeSeq) is a change counter that the database
// keeps for all servers: a result is reused only while it is unchanged.
// Results are kept per audience, since each user sees other records.
type resultCache struct {
	mu  sync.Mutex
	seq int64
	m   map[string]any
}

const maxCached = 256

// audienceKey names what a user may see: users with the same key see the
// same records (the visibility rule depends on nothing else).
func audienceKey(u *coalition.User) string {
	if u == nil || u.Disabled || u.Role == coalition.Observer {
		return "public"
	}
	if u.Role == coalition.Admin {
		return "admin"
	}
	return fmt.Sprintf("%s|%s|%v", u.Role, u.Country, u.Coalitions)
}

// cached returns the value for key computed for the user in ctx, computing
// it at most once per data version.
func cached[T any](ctx context.Context, s *server, key string, compute func() (T, error)) (T, error) {
	seq, err := s.store.ChangeSeq(ctx)
	if err != nil {
		return compute()
	}
	key = audienceKey(coalition.UserFrom(ctx)) + "\x00" + key
	c := &s.results
	c.mu.Lock()
	if c.seq != seq || len(c.m) >= maxCached {
		c.seq, c.m = seq, map[string]any{}
	}
	if v, ok := c.m[key]; ok {
		c.mu.Unlock()
		return v.(T), nil
	}
	c.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.seq == seq {
		c.m[key] = v
	}
	c.mu.Unlock()
	return v, nil
}
