package sqlstore

import (
	"context"
	"strconv"
	"sync"
	"time"

	"coalition"
)

// DenialWindow is how long identical denials are summarised: the first
// denial of a principal (a user, or an address for anonymous callers) for
// one thing (a route, a refused write and its reason) is written at once;
// the same denial again within the window is only counted, and the count
// is written as one entry when the window closes (or at the next such
// denial after it, or at Close). A flood of refused requests so costs a
// few audit entries a minute, not one a request, and every denial is
// still counted: the counts of a key's entries add up to its denials.
const DenialWindow = time.Minute

type denialKey struct{ principal, what string }

// denialWindow is one key's open window.
type denialWindow struct {
	start, last time.Time
	repeats     int64 // denials after the first, not yet written
	user        *coalition.User
	req         coalition.RequestInfo
	timer       *time.Timer
}

// denials holds the open windows of a Store.
type denials struct {
	mu     sync.Mutex
	window time.Duration // DenialWindow unless a test sets it
	open   map[denialKey]*denialWindow
}

func principal(u *coalition.User, ri coalition.RequestInfo) string {
	if u != nil {
		return "user:" + strconv.FormatInt(u.ID, 10)
	}
	return "addr:" + ri.Addr
}

// RecordDenied records a permission denial: at once when it is the first
// of its principal and what in the current window, else as a count in the
// window's summary entry.
func (s *Store) RecordDenied(ctx context.Context, what string) error {
	u, ri := coalition.UserFrom(ctx), coalition.RequestFrom(ctx)
	key := denialKey{principal(u, ri), what}
	now := s.now()
	d := &s.denials
	d.mu.Lock()
	if d.open == nil {
		d.open = map[denialKey]*denialWindow{}
	}
	window := d.window
	if window <= 0 {
		window = DenialWindow
	}
	w := d.open[key]
	var closed *denialWindow
	if w != nil && now.Sub(w.start) >= window {
		// The window ended and its timer has not run yet: write its
		// summary first, so that the entries stay in order.
		delete(d.open, key)
		w.timer.Stop()
		closed, w = w, nil
	}
	if w != nil {
		w.repeats++
		w.last, w.user, w.req = now, u, ri
		d.mu.Unlock()
		return nil
	}
	w = &denialWindow{start: now, last: now, user: u, req: ri}
	d.open[key] = w
	w.timer = time.AfterFunc(window, func() { s.closeDenialWindow(key, w) })
	d.mu.Unlock()
	if closed != nil {
		s.writeDenialSummary(key, closed)
	}
	return s.appendAudit(ctx, "denied", "", nil, map[string]any{"what": what, "count": 1})
}

// closeDenialWindow writes the summary of w when its window ends.
func (s *Store) closeDenialWindow(key denialKey, w *denialWindow) {
	d := &s.denials
	d.mu.Lock()
	if d.open[key] != w {
		d.mu.Unlock()
		return // already written by RecordDenied or FlushDenials
	}
	delete(d.open, key)
	d.mu.Unlock()
	s.writeDenialSummary(key, w)
}

// writeDenialSummary appends one entry counting w's repeated denials, as
// the principal that was refused.
func (s *Store) writeDenialSummary(key denialKey, w *denialWindow) error {
	if w.repeats == 0 {
		return nil
	}
	ctx := coalition.WithRequest(coalition.WithUser(context.Background(), w.user), w.req)
	return s.appendAudit(ctx, "denied", "", nil, map[string]any{"what": key.what, "count": w.repeats,
		"since": ts(w.start), "until": ts(w.last)})
}

// FlushDenials writes the summaries of every open window now (Close does,
// so that no counted denial is lost at shutdown).
func (s *Store) FlushDenials() error {
	d := &s.denials
	d.mu.Lock()
	open := d.open
	d.open = nil
	d.mu.Unlock()
	var first error
	for key, w := range open {
		w.timer.Stop()
		if err := s.writeDenialSummary(key, w); err != nil && first == nil {
			first = err
		}
	}
	return first
}
