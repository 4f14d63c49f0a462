package http

import (
	"net/netip"
	"sync"
	"time"
)

// The sign-in throttle slows password guessing down without letting anyone
// lock an account's owner out (docs/operations.md, "Sign-in throttling"):
//
//   - Per (account, address) pair, an exponential backoff: the first
//     pairFree attempts are free, then each further one must wait pairBase,
//     twice that, … up to pairMax after the one before. One attacker address
//     gets 10 guesses at an account in the first hour and 1 an hour after
//     that. A success clears the pair. The owner signing in from another
//     address is not affected at all.
//   - Per address, a budget of failures (a token bucket): addrBurst at
//     once, refilled at one per addrEvery, so one address gets at most 90
//     guesses in its first hour and 60 an hour after that, over all
//     accounts (credential stuffing). An empty budget delays the address's
//     attempts by at most addrEvery; it never locks it for long. Accounts
//     that have signed in from the address before (within knownFor) are
//     not held by it: people behind a shared proxy keep signing in while
//     someone else at the same address guesses.
//
// Attempts are counted when they start and forgiven when they succeed, so
// that parallel requests cannot all pass the check before any failure is
// counted. IPv6 addresses count by /64 (one subscriber's prefix).
const (
	pairFree   = 5
	pairBase   = time.Minute
	pairMax    = time.Hour
	pairForget = 24 * time.Hour // a pair without attempts for this long starts afresh
	addrBurst  = 30
	addrEvery  = time.Minute
	knownFor   = 30 * 24 * time.Hour
	sweepEvery = time.Minute
)

type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	pairs map[string]*pairState  // account + "\x00" + address
	addrs map[string]*addrBudget // address
	known map[string]time.Time   // pair → last successful sign-in
	swept time.Time
}

type pairState struct {
	fails int       // attempts not followed by a success
	last  time.Time // the latest attempt
	next  time.Time // no attempt before this
}

// addrBudget is a token bucket kept as the time at which it would be full
// again (GCRA): each counted failure moves full on by addrEvery, and an
// attempt is allowed while full stays within addrBurst × addrEvery of now.
type addrBudget struct {
	full time.Time
}

// ticket is one attempt in progress.
type ticket struct {
	pair, addr string
	took       bool // a token of the address budget was taken
}

func newThrottle() *throttle {
	return &throttle{now: time.Now, pairs: map[string]*pairState{}, addrs: map[string]*addrBudget{}, known: map[string]time.Time{}}
}

// pairDelay is how long a pair waits after its fails-th unforgiven attempt.
func pairDelay(fails int) time.Duration {
	if fails < pairFree {
		return 0
	}
	if n := fails - pairFree; n < 6 {
		return min(pairBase<<n, pairMax)
	}
	return pairMax
}

// addrKey is the unit an address is counted by: the address itself, or
// its /64 for IPv6.
func addrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// take takes one failure from addr's budget, or says how long to wait.
func (t *throttle) take(addr string, now time.Time) time.Duration {
	b := t.addrs[addr]
	if b == nil {
		b = &addrBudget{}
		t.addrs[addr] = b
	}
	full := b.full
	if full.Before(now) {
		full = now
	}
	full = full.Add(addrEvery)
	if over := full.Sub(now) - addrBurst*addrEvery; over > 0 {
		return over
	}
	b.full = full
	return 0
}

// attempt starts a sign-in attempt for account from addr. A positive wait
// refuses it: try again after wait. Otherwise the attempt counts as a
// failure until succeeded or cancel is called with its ticket.
func (t *throttle) attempt(account, addr string) (ticket, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	addr = addrKey(addr)
	tk := ticket{pair: account + "\x00" + addr, addr: addr}
	p := t.pairs[tk.pair]
	if p != nil && now.Sub(p.last) > pairForget {
		delete(t.pairs, tk.pair)
		p = nil
	}
	if p != nil && now.Before(p.next) {
		return tk, p.next.Sub(now)
	}
	if wait := t.take(addr, now); wait == 0 {
		tk.took = true
	} else if known := t.known[tk.pair]; known.IsZero() || now.Sub(known) > knownFor {
		return tk, wait
	}
	if p == nil {
		p = &pairState{}
		t.pairs[tk.pair] = p
	}
	p.fails++
	p.last, p.next = now, now.Add(pairDelay(p.fails))
	return tk, 0
}

// succeeded forgives the attempt and the pair's earlier failures, and
// remembers that the account signs in from this address.
func (t *throttle) succeeded(tk ticket) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pairs, tk.pair)
	t.known[tk.pair] = t.now()
	t.refund(tk)
}

// cancel forgives an attempt that was no guess (the store failed).
func (t *throttle) cancel(tk ticket) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.pairs[tk.pair]; p != nil && p.fails > 0 {
		p.fails--
		p.next = p.last.Add(pairDelay(p.fails))
	}
	t.refund(tk)
}

func (t *throttle) refund(tk ticket) {
	if b := t.addrs[tk.addr]; b != nil && tk.took {
		b.full = b.full.Add(-addrEvery)
	}
}

// sweep drops, at most once every sweepEvery, the state that no longer
// matters: pairs idle for pairForget, full budgets, old successes. Memory
// is thus bounded by the pairs and addresses seen within a day.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < sweepEvery {
		return
	}
	t.swept = now
	for k, p := range t.pairs {
		if now.Sub(p.last) > pairForget {
			delete(t.pairs, k)
		}
	}
	for k, b := range t.addrs {
		if !b.full.After(now) {
			delete(t.addrs, k)
		}
	}
	for k, at := range t.known {
		if now.Sub(at) > knownFor {
			delete(t.known, k)
		}
	}
}
