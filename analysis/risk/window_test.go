package risk

import (
	"errors"
	"math/rand/v2"
	"testing"

	"coalition"
)

func windowEvent(earliest, latest coalition.Month, q, f float64) Event {
	return Event{Month: earliest, Earliest: &earliest, Latest: &latest, Probability: q, Factor: f}
}

// TestWindowDrawnInside is a property test: for random windows (inside,
// across the start, across the end of the horizon), the month drawn in
// every trial lies in the window, clamped to the horizon as a dated event
// is, and every month of the window inside the horizon is drawn.
func TestWindowDrawnInside(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for k := range 200 {
		lo := jan2026.Add(r.IntN(40) - 10)
		hi := lo.Add(r.IntN(14))
		m := simple(24, 100, 300, supplier("AAA", 100, windowEvent(lo, hi, 0.5, 0.5)))
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		p := newPlan(&m)
		s := p.newScratch()
		seen := map[int]bool{}
		for b := range 2 {
			rng := blockRand(uint64(k), b)
			for range 150 {
				p.draw(rng, s)
				got := int(s.tau[0])
				wantLo, wantHi := min(max(int(lo-m.Start), 0), m.Months), min(max(int(hi-m.Start), 0), m.Months)
				if got < wantLo || got > wantHi {
					t.Fatalf("window %s..%s: drawn month index %d, want %d..%d", lo, hi, got, wantLo, wantHi)
				}
				seen[got] = true
			}
		}
		if hi > lo && int(lo-m.Start) >= 0 && int(hi-m.Start) < m.Months && len(seen) != int(hi-lo)+1 {
			t.Errorf("window %s..%s: %d distinct months drawn in 300 trials, want %d", lo, hi, len(seen), int(hi-lo)+1)
		}
	}
}

// TestWindowEffect checks a window in closed form: an event of
// probability 1 and factor 0 in a window of months 4..7 of 12 removes the
// support from a month drawn uniformly in it, so E[S] = 100 × E[12 − τ] =
// 100 × 6.5, and S is one of 500, 600, 700, 800.
func TestWindowEffect(t *testing.T) {
	const n = 40000
	ev := windowEvent(jan2026.Add(4), jan2026.Add(7), 1, 0)
	res := mustRun(t, simple(12, 100, n, supplier("AAA", 100, ev)), 2)
	// sd of S: 100 × sd of a uniform on 4 values = 100 × √(15/12)
	if got := res.Shortfall.Mean; !within(got, 650, 100*1.118/200, 4) {
		t.Errorf("E[S] = %v, want 650", got)
	}
	if p50 := res.Shortfall.P50; p50 != 600 && p50 != 700 {
		t.Errorf("p50 of S = %v, want 600 or 700", p50)
	}
	if got := res.Months[3].Mean; got != 1 {
		t.Errorf("month 3 (before the window) mean share = %v, want 1", got)
	}
	if got := res.Months[8].Mean; got != 0 {
		t.Errorf("month 8 (after the window) mean share = %v, want 0", got)
	}
	if got := res.Months[5].Mean; !within(got, 0.5, 0.5/200, 4) {
		t.Errorf("month 5 mean share = %v, want 0.5 (the event falls in 4 or 5 half the time)", got)
	}
}

// TestZeroSupportZeroAttribution: a member with events but no support in
// the horizon changes nothing, so its attribution is exactly 0, and the
// share of support without events counts only the members that give.
func TestZeroSupportZeroAttribution(t *testing.T) {
	ev := Event{Month: jan2026.Add(2), Probability: 0.5, Factor: 0}
	m := simple(12, 100, 5000,
		supplier("AAA", 60, Event{Month: jan2026.Add(6), Probability: 0.3, Factor: 0.5}),
		supplier("BBB", 40),
		supplier("ZER", 0, ev, ev))
	res := mustRun(t, m, 2)
	z := memberOf(t, res, "ZER")
	if z.Attribution == nil || *z.Attribution != 0 {
		t.Errorf("ZER attribution = %v, want exactly 0", z.Attribution)
	}
	if z.PEvent == 0 {
		t.Errorf("ZER p_event = 0, want its events drawn (0.75)")
	}
	eq(t, "support_without_events_share", res.SupportWithoutEventsShare, 0.4)
	if a := memberOf(t, res, "AAA").Attribution; a == nil || *a <= 0 {
		t.Errorf("AAA attribution = %v, want > 0", a)
	}
}

func TestWindowValidate(t *testing.T) {
	lo, hi := jan2026.Add(5), jan2026.Add(2)
	for name, ev := range map[string]Event{
		"latest before earliest": {Month: lo, Earliest: &lo, Latest: &hi, Probability: 0.5, Factor: 0.5},
		"earliest alone":         {Month: lo, Earliest: &lo, Probability: 0.5, Factor: 0.5},
	} {
		t.Run(name, func(t *testing.T) {
			m := simple(12, 100, 10, supplier("AAA", 100, ev))
			err := m.Validate()
			var e *coalition.Error
			if !errors.As(err, &e) || e.Field != "members[0].events[0].latest" {
				t.Errorf("Validate() = %v, want an error on members[0].events[0].latest", err)
			}
		})
	}
}
