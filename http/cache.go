package http

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

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
	// flight makes concurrent requests for the same missing result (same
	// data version, audience and key) wait for one computation.
	flight singleflight.Group
}

const maxCached = 256

// cached returns the value for key computed for the user in ctx, computing
// it at most once per data version.
func cached[T any](ctx context.Context, s *server, key string, compute func() (T, error)) (T, error) {
	seq, err := s.store.ChangeSeq(ctx)
	if err != nil {
		return compute()
	}
	key = coalition.AudienceKey(coalition.UserFrom(ctx)) + "\x00" + key
	if v, ok := s.results.load(seq, key); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	v, err, shared := s.results.flight.Do(strconv.FormatInt(seq, 10)+"\x00"+key, func() (any, error) {
		v, err := compute()
		if err == nil {
			s.results.store(seq, key, v)
		}
		return v, err
	})
	if err != nil && shared && ctx.Err() == nil {
		// The failed computation may have been another request's, stopped
		// because that request went away: compute for this one.
		return compute()
	}
	t, _ := v.(T)
	return t, err
}

func (c *resultCache) load(seq int64, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.seq != seq || len(c.m) >= maxCached {
		c.seq, c.m = seq, map[string]any{}
	}
	v, ok := c.m[key]
	return v, ok
}

func (c *resultCache) store(seq int64, key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m != nil && c.seq == seq {
		c.m[key] = v
	}
}

// donorTotals is the store's DonorTotals, kept until the data changes. The
// caller gets its own copy of the slice and may sort it.
func (s *server) donorTotals(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorTotal, error) {
	rows, err := cached(ctx, s, fmt.Sprintf("donors/%+v", f), func() ([]coalition.DonorTotal, error) { return s.store.DonorTotals(ctx, f) })
	return append([]coalition.DonorTotal(nil), rows...), err
}

// monthlySupport is the store's MonthlySupport, kept until the data changes.
func (s *server) monthlySupport(ctx context.Context, f coalition.DonorFilter) ([]coalition.DonorMonth, error) {
	rows, err := cached(ctx, s, fmt.Sprintf("monthly/%+v", f), func() ([]coalition.DonorMonth, error) { return s.store.MonthlySupport(ctx, f) })
	return append([]coalition.DonorMonth(nil), rows...), err
}
