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
//     once, refilled at one per every, so one address gets at most 89
//     guesses in its first hour and 60 an hour after that, over all
//     accounts (credential stuffing, password spraying).
//   - Per account, a budget of acctBurst refilled at one per every, so that
//     many addresses together (a botnet) get at most 99 guesses at one
//     account in the first hour and 60 an hour after that.
//
// An empty budget delays attempts by at most every (a minute); it never
// locks anyone out for long. And it does not hold an account at an address
// it signed in from before (within knownFor): people behind a shared proxy
// keep signing in while someone else there guesses, and the owner signs in
// from their usual addresses while a botnet spends the account's budget.
// Only the pair's own backoff applies to those.
//
// Attempts are counted when they start and forgiven when they succeed, so
// that parallel requests cannot all pass the check before any failure is
// counted. IPv6 addresses count by /64 (one subscriber's prefix). The state
// is in memory, per server process.
const (
	pairFree   = 5
	pairBase   = time.Minute
	pairMax    = time.Hour
	pairForget = 24 * time.Hour // a pair without attempts for this long starts afresh
	addrBurst  = 30
	acctBurst  = 40
	every      = time.Minute // one failure refilled, per address and per account
	knownFor   = 30 * 24 * time.Hour
	sweepEvery = time.Minute
)

type throttle struct {
	mu    sync.Mutex
	now   func() time.Time
	pairs map[string]*pairState // account + "\x00" + address
	addrs map[string]time.Time  // address → when its budget is full again
	accts map[string]time.Time  // account → when its budget is full again
	known map[string]time.Time  // pair → last successful sign-in
	swept time.Time
}

type pairState struct {
	fails int       // attempts not followed by a success
	last  time.Time // the latest attempt
	next  time.Time // no attempt before this
}

// ticket is one attempt in progress.
type ticket struct {
	account, addr, pair string
	tookAddr, tookAcct  bool // a failure was taken from the budget
}

func newThrottle() *throttle {
	return &throttle{now: time.Now, pairs: map[string]*pairState{}, addrs: map[string]time.Time{},
		accts: map[string]time.Time{}, known: map[string]time.Time{}}
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

// take takes one failure from the budget of key in m, a token bucket kept
// as the time at which it is full again (GCRA): each failure moves that
// time on by every, and may not move it beyond burst × every from now.
// It returns how long to wait when the budget is spent.
func take(m map[string]time.Time, key string, burst int, now time.Time) time.Duration {
	full := m[key]
	if full.Before(now) {
		full = now
	}
	full = full.Add(every)
	if over := full.Sub(now) - time.Duration(burst)*every; over > 0 {
		return over
	}
	m[key] = full
	return 0
}

// give returns a failure taken by take.
func give(m map[string]time.Time, key string) {
	if full, ok := m[key]; ok {
		m[key] = full.Add(-every)
	}
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
	tk := ticket{account: account, addr: addr, pair: account + "\x00" + addr}
	p := t.pairs[tk.pair]
	if p != nil && now.Sub(p.last) > pairForget {
		delete(t.pairs, tk.pair)
		p = nil
	}
	if p != nil && now.Before(p.next) {
		return tk, p.next.Sub(now)
	}
	known := !t.known[tk.pair].IsZero() && now.Sub(t.known[tk.pair]) <= knownFor
	if wait := take(t.addrs, addr, addrBurst, now); wait == 0 {
		tk.tookAddr = true
	} else if !known {
		return tk, wait
	}
	if wait := take(t.accts, account, acctBurst, now); wait == 0 {
		tk.tookAcct = true
	} else if !known {
		t.refund(tk)
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
	if tk.tookAddr {
		give(t.addrs, tk.addr)
	}
	if tk.tookAcct {
		give(t.accts, tk.account)
	}
}

// sweep drops, at most once every sweepEvery, the state that no longer
// matters: pairs idle for pairForget, full budgets, old successes. Memory
// is thus bounded by the pairs, accounts and addresses seen within a day.
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
	for _, m := range []map[string]time.Time{t.addrs, t.accts} {
		for k, full := range m {
			if !full.After(now) {
				delete(m, k)
			}
		}
	}
	for k, at := range t.known {
		if now.Sub(at) > knownFor {
			delete(t.known, k)
		}
	}
}
