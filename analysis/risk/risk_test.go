package risk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"coalition"
)

var jan2026 = coalition.MonthOf(2026, 1)

// simple is a model with one category "mil" that requires req every month.
func simple(months int, req float64, trials int, members ...Member) Model {
	return Model{Start: jan2026, Months: months, Categories: []string{"mil"},
		Requirements: map[string]Series{"mil": Const(req)}, Members: members,
		Trials: trials, Seed: 42}
}

func supplier(iso3 string, amount float64, events ...Event) Member {
	return Member{ISO3: iso3, Support: map[string]Series{"mil": Const(amount)}, Events: events}
}

func mustRun(t *testing.T, m Model, workers int) Result {
	t.Helper()
	res, err := Run(context.Background(), m, Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func memberOf(t *testing.T, res Result, iso3 string) MemberStat {
	t.Helper()
	for _, m := range res.Members {
		if m.ISO3 == iso3 {
			return m
		}
	}
	t.Fatalf("member %s not in result", iso3)
	return MemberStat{}
}

func TestNormalQuantile(t *testing.T) {
	// reference values of Φ⁻¹ from tables (and Python's statistics.NormalDist)
	tests := []struct{ p, want float64 }{
		{0.5, 0},
		{0.975, 1.959963984540054},
		{0.05, -1.6448536269514726},
		{0.3, -0.5244005127080407},
		{1e-10, -6.361340902404056},
	}
	for _, tt := range tests {
		if got := normalQuantile(tt.p); math.Abs(got-tt.want) > 1e-12*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("normalQuantile(%v) = %.17g, want %.17g", tt.p, got, tt.want)
		}
	}
	// Φ(Φ⁻¹(p)) = p with Φ(x) = erfc(−x/√2)/2
	for p := 0.001; p < 1; p += 0.0137 {
		if got := math.Erfc(-normalQuantile(p)/math.Sqrt2) / 2; math.Abs(got-p) > 1e-14 {
			t.Errorf("Φ(Φ⁻¹(%v)) = %v", p, got)
		}
	}
	// the far tail (AS 241's third branch), relative error
	for _, p := range []float64{1e-20, 1e-50, 1e-100, 1e-300} {
		if got := math.Erfc(-normalQuantile(p)/math.Sqrt2) / 2; math.Abs(got-p) > 1e-12*p {
			t.Errorf("Φ(Φ⁻¹(%v)) = %v", p, got)
		}
	}
	if !math.IsInf(normalQuantile(0), -1) || !math.IsInf(normalQuantile(1), 1) {
		t.Errorf("Φ⁻¹(0), Φ⁻¹(1) = %v, %v; want -Inf, +Inf", normalQuantile(0), normalQuantile(1))
	}
}

func TestNearestRank(t *testing.T) {
	// 10 values: p05 → ceil(0.5) = rank 1; p50 → rank 5; p95 → ceil(9.5) = rank 10
	tests := []struct{ p, n, want int }{
		{5, 10, 1}, {50, 10, 5}, {95, 10, 10}, {5, 100000, 5000}, {95, 100000, 95000}, {50, 1, 1}, {5, 1, 1},
	}
	for _, tt := range tests {
		if got := nearestRank(tt.p, tt.n); got != tt.want {
			t.Errorf("nearestRank(%d, %d) = %d, want %d", tt.p, tt.n, got, tt.want)
		}
	}
	a := []float64{9, 1, 8, 2, 7, 3, 6, 4, 5, 5, 5, 0}
	// sorted: 0 1 2 3 4 5 5 5 6 7 8 9 → index 0 = 0, 6 = 5, 11 = 9
	selectRanks(a, 0, 6, 11)
	if a[0] != 0 || a[6] != 5 || a[11] != 9 {
		t.Errorf("selectRanks: a[0], a[6], a[11] = %v, %v, %v; want 0, 5, 9", a[0], a[6], a[11])
	}
}

// TestExact checks cases whose answer is known in closed form.
func TestExact(t *testing.T) {
	t.Run("no events, no reliability: fully covered", func(t *testing.T) {
		// one member supplies exactly the requirement: D = R every month, S = 0
		res := mustRun(t, simple(12, 100, 2000, supplier("AAA", 100)), 2)
		if s := res.Shortfall; s != (ShortfallStat{}) {
			t.Errorf("shortfall = %+v, want all zero", s)
		}
		for _, m := range res.Months {
			eq(t, m.Month.String()+" mean", m.Mean, 1)
			eq(t, m.Month.String()+" p05", m.P05, 1)
			eq(t, m.Month.String()+" p50", m.P50, 1)
			eq(t, m.Month.String()+" p95", m.P95, 1)
		}
		if got := memberOf(t, res, "AAA"); got.PEvent != 0 || got.Attribution == nil || *got.Attribution != 0 {
			t.Errorf("AAA = %+v, want p_event 0 and attribution 0", got)
		}
		eq(t, "support_without_events_share", res.SupportWithoutEventsShare, 1)
	})
	t.Run("probability 1, factor 0", func(t *testing.T) {
		// the event in month index 8 (2026-09) removes all support:
		// S = (12 − 8) months × 100 = 400 in every trial
		ev := Event{Month: jan2026.Add(8), Probability: 1, Factor: 0}
		res := mustRun(t, simple(12, 100, 2000, supplier("AAA", 100, ev)), 2)
		want := ShortfallStat{Mean: 400, P50: 400, P95: 400, PPositive: 1, POverThreshold: 1}
		if res.Shortfall != want {
			t.Errorf("shortfall = %+v, want %+v", res.Shortfall, want)
		}
		for i, m := range res.Months {
			want := 1.0
			if i >= 8 {
				want = 0
			}
			if m.Mean != want || m.P05 != want || m.P95 != want {
				t.Errorf("%s: %+v, want share %v", m.Month, m, want)
			}
		}
		// every trial has the event: S = 400 with it, 0 without
		if got := memberOf(t, res, "AAA"); got.PEvent != 1 || got.Attribution == nil || *got.Attribution != 400 {
			t.Errorf("AAA = %+v, want p_event 1 and attribution 400", got)
		}
		eq(t, "events_effect", res.EventsEffect, 400)
		eq(t, "interaction", res.Interaction, 0)
		eq(t, "support_without_events_share", res.SupportWithoutEventsShare, 0)
	})
	t.Run("probability 0", func(t *testing.T) {
		ev := Event{Month: jan2026.Add(3), Probability: 0, Factor: 0}
		res := mustRun(t, simple(12, 100, 2000, supplier("AAA", 100, ev)), 2)
		if res.Shortfall != (ShortfallStat{}) || memberOf(t, res, "AAA").PEvent != 0 {
			t.Errorf("shortfall = %+v, member = %+v; want nothing ever happens", res.Shortfall, res.Members[0])
		}
	})
	t.Run("factor 1 changes nothing", func(t *testing.T) {
		ev := Event{Month: jan2026.Add(3), Probability: 0.5, Factor: 1}
		res := mustRun(t, simple(12, 100, 4000, supplier("AAA", 100, ev)), 2)
		a := memberOf(t, res, "AAA").Attribution
		if res.Shortfall.Mean != 0 || a == nil || *a != 0 {
			t.Errorf("mean S = %v, attribution = %v; want 0 and 0 (events occur but change nothing)", res.Shortfall.Mean, a)
		}
	})
	t.Run("factor one half, two categories, per-month lists", func(t *testing.T) {
		// R: mil 100 every month, fin [10, 20, 30, 40]; the member supplies both
		// exactly; from month 2 on it halves. Shortfall: mil 50+50 = 100,
		// fin 15+20 = 35; S = 135. Covered share in month 2: (50+15)/(100+30) = 0.5.
		m := Model{Start: jan2026, Months: 4, Categories: []string{"mil", "fin"},
			Requirements: map[string]Series{"mil": Const(100), "fin": PerMonth(10, 20, 30, 40)},
			Members: []Member{{ISO3: "AAA",
				Support: map[string]Series{"mil": Const(100), "fin": PerMonth(10, 20, 30, 40)},
				Events:  []Event{{Month: jan2026.Add(2), Probability: 1, Factor: 0.5}}}},
			Trials: 100, Seed: 1}
		res := mustRun(t, m, 1)
		if res.Shortfall.Mean != 135 || res.ByCategory["mil"] != 100 || res.ByCategory["fin"] != 35 {
			t.Errorf("S = %v, by category = %v; want 135, mil 100, fin 35", res.Shortfall.Mean, res.ByCategory)
		}
		if got := res.Months[2].P50; got != 0.5 {
			t.Errorf("share of month 2 = %v, want 0.5", got)
		}
	})
	t.Run("events before the start and after the horizon", func(t *testing.T) {
		// before the start: applies from month 0 (S = 12 × 100); after the
		// horizon: counts in p_event but changes nothing
		before := supplier("BEF", 50, Event{Month: jan2026.Add(-3), Probability: 1, Factor: 0})
		after := supplier("AFT", 50, Event{Month: jan2026.Add(40), Probability: 1, Factor: 0})
		res := mustRun(t, simple(12, 100, 500, before, after), 2)
		// BEF supplied 50 of 100: S = 12 × 50 = 600
		if res.Shortfall.Mean != 600 {
			t.Errorf("S = %v, want 600", res.Shortfall.Mean)
		}
		if memberOf(t, res, "AFT").PEvent != 1 || memberOf(t, res, "BEF").PEvent != 1 {
			t.Errorf("members = %+v, want p_event 1 for both", res.Members)
		}
	})
	t.Run("correlation 1: equal probabilities co-occur", func(t *testing.T) {
		// two members of 50 each, each with an event of probability 0.3 and
		// factor 0 from month 0. With ρ = 1 both occur iff Z < Φ⁻¹(0.3), so
		// S > 0 exactly when either (and so both) occurred:
		// P(S>0) = p_event(A) = p_event(B). Independent, P(S>0) would be 0.51.
		ev := Event{Month: jan2026, Probability: 0.3, Factor: 0}
		m := simple(6, 100, 20000, supplier("AAA", 50, ev), supplier("BBB", 50, ev))
		m.Correlation = 1
		res := mustRun(t, m, 2)
		pa, pb := memberOf(t, res, "AAA").PEvent, memberOf(t, res, "BBB").PEvent
		if pa != pb || res.Shortfall.PPositive != pa {
			t.Errorf("p_event A, B = %v, %v, P(S>0) = %v; want all equal", pa, pb, res.Shortfall.PPositive)
		}
		// and S is then 6 × 100 = 600 whenever positive
		if res.Shortfall.P95 != 600 {
			t.Errorf("p95 of S = %v, want 600", res.Shortfall.P95)
		}
	})
	t.Run("no requirement: share 1", func(t *testing.T) {
		m := simple(3, 0, 100, supplier("AAA", 10))
		res := mustRun(t, m, 1)
		if res.Months[0].Mean != 1 || res.Shortfall.Mean != 0 {
			t.Errorf("months[0] = %+v, S = %v; want share 1, S 0", res.Months[0], res.Shortfall.Mean)
		}
	})
}

// within reports whether got is within k standard errors se of want.
func within(got, want, se, k float64) bool { return math.Abs(got-want) <= k*se }

// TestStatistical compares estimates with analytic expectations; the seeds are
// fixed, the bounds are 4 standard errors.
func TestStatistical(t *testing.T) {
	const n = 40000
	for _, tt := range []struct{ q, rho float64 }{{0.3, 0}, {0.3, 0.8}, {0.05, -0.5}, {0.9, 0.3}} {
		// one event with probability q: P(S>0) = q, whatever ρ (ρZ + √(1−ρ²)ε ~ N(0,1))
		ev := Event{Month: jan2026.Add(5), Probability: tt.q, Factor: 0.5}
		m := simple(12, 100, n, supplier("AAA", 100, ev))
		m.Correlation = tt.rho
		res := mustRun(t, m, 2)
		se := math.Sqrt(tt.q * (1 - tt.q) / n)
		if got := res.Shortfall.PPositive; !within(got, tt.q, se, 4) {
			t.Errorf("q=%v ρ=%v: P(S>0) = %v, want %v ± %v", tt.q, tt.rho, got, tt.q, 4*se)
		}
		// E[S] = q × 7 months × 50
		if got, want := res.Shortfall.Mean, tt.q*350; !within(got, want, 350*se, 4) {
			t.Errorf("q=%v ρ=%v: E[S] = %v, want %v", tt.q, tt.rho, got, want)
		}
	}
	t.Run("independent events", func(t *testing.T) {
		// two members, events q1 = 0.2 and q2 = 0.4, ρ = 0: P(S>0) = 1 − 0.8 × 0.6 = 0.52
		m := simple(4, 100, n,
			supplier("AAA", 50, Event{Month: jan2026, Probability: 0.2, Factor: 0}),
			supplier("BBB", 50, Event{Month: jan2026, Probability: 0.4, Factor: 0}))
		res := mustRun(t, m, 2)
		if got := res.Shortfall.PPositive; !within(got, 0.52, math.Sqrt(0.52*0.48/n), 4) {
			t.Errorf("P(S>0) = %v, want 0.52", got)
		}
		// attribution of BBB: E[S] − E[S without B's event] = 200 × q2 = 80;
		// the effects add up (each member's loss is its own), so no interaction
		a := memberOf(t, res, "BBB").Attribution
		if a == nil || !within(*a, 80, 200*math.Sqrt(0.24/n), 4) {
			t.Errorf("attribution of BBB = %v, want 80", a)
		}
		if math.Abs(res.Interaction) > 1e-9*res.EventsEffect {
			t.Errorf("interaction = %v, want 0 (events_effect %v)", res.Interaction, res.EventsEffect)
		}
	})
	for _, rel := range []Reliability{{2, 5}, {9, 1}, {1, 3}, {1, 1}, {0.5, 0.5}, {0.3, 2}, {30, 30}, {0.01, 0.02}, {0.04, 3}} {
		// reliability alone: D = r × R, share = r, S = (1 − r) × 12 × 100
		mem := supplier("AAA", 100)
		mem.Reliability = &rel
		res := mustRun(t, simple(12, 100, n, mem), 2)
		a, b := rel.Alpha, rel.Beta
		mean := a / (a + b)
		sd := math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
		if got := res.Months[0].Mean; !within(got, mean, sd/math.Sqrt(n), 4) {
			t.Errorf("Beta(%v, %v): mean share = %v, want %v", a, b, got, mean)
		}
		if got, want := res.Shortfall.Mean, (1-mean)*1200; !within(got, want, 1200*sd/math.Sqrt(n), 4) {
			t.Errorf("Beta(%v, %v): E[S] = %v, want %v", a, b, got, want)
		}
	}
}

// TestAgainstNaive compares Run with the plain implementation on the same
// random draws: every statistic agrees to rounding.
func TestAgainstNaive(t *testing.T) {
	ref := loadReference(t)
	ref.Trials = 2500
	dense := ref
	dense.Members = append([]Member(nil), ref.Members...)
	for i := range dense.Members {
		mem := dense.Members[i]
		sup := map[string]Series{}
		for c, s := range mem.Support {
			vals := make([]float64, ref.Months)
			for t := range vals {
				vals[t] = s.At(t) * (1 + 0.1*float64((t+i)%5))
			}
			sup[c] = PerMonth(vals...)
		}
		mem.Support = sup
		// extra events: before the start, after the horizon, in the same month
		mem.Events = append(append([]Event(nil), mem.Events...),
			Event{Month: ref.Start.Add(-2), Probability: 0.1, Factor: 0.9},
			Event{Month: ref.Start.Add(50), Probability: 0.2, Factor: 0},
			Event{Month: ref.Start.Add(10), Probability: 0.3, Factor: 0.5},
			Event{Month: ref.Start.Add(10), Probability: 0.3, Factor: 0.8},
			windowEvent(ref.Start.Add(-3), ref.Start.Add(4), 0.4, 0.6),
			windowEvent(ref.Start.Add(30), ref.Start.Add(40), 0.5, 0.3))
		dense.Members[i] = mem
	}
	dense.Correlation = -0.4
	for name, m := range map[string]Model{"reference": ref, "dense": dense} {
		t.Run(name, func(t *testing.T) {
			got := mustRun(t, m, 3)
			want, err := runNaive(m)
			if err != nil {
				t.Fatal(err)
			}
			close := func(what string, a, b float64) {
				if math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(b)) {
					t.Errorf("%s = %v, naive %v", what, a, b)
				}
			}
			for i := range want.Months {
				g, w := got.Months[i], want.Months[i]
				close(g.Month.String()+" mean", g.Mean, w.Mean)
				close(g.Month.String()+" p05", g.P05, w.P05)
				close(g.Month.String()+" p50", g.P50, w.P50)
				close(g.Month.String()+" p95", g.P95, w.P95)
			}
			close("S mean", got.Shortfall.Mean, want.Shortfall.Mean)
			close("S p50", got.Shortfall.P50, want.Shortfall.P50)
			close("S p95", got.Shortfall.P95, want.Shortfall.P95)
			close("P(S>0)", got.Shortfall.PPositive, want.Shortfall.PPositive)
			close("P(S>thr)", got.Shortfall.POverThreshold, want.Shortfall.POverThreshold)
			for c, v := range want.ByCategory {
				close("by_category "+c, got.ByCategory[c], v)
			}
			close("events_effect", got.EventsEffect, want.EventsEffect)
			close("interaction", got.Interaction, want.Interaction)
			for i, w := range want.Members {
				g := got.Members[i]
				if g.ISO3 != w.ISO3 || g.Attribution == nil {
					t.Fatalf("members[%d] = %+v, naive %+v", i, g, w)
				}
				close(w.ISO3+" p_event", g.PEvent, w.PEvent)
				close(w.ISO3+" attribution", *g.Attribution, *w.Attribution)
			}
		})
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	m := loadReference(t)
	m.Trials = 3*BlockSize + 37 // a partial last block
	var first []byte
	for _, w := range []int{1, 2, 3, 8} {
		res := mustRun(t, m, w)
		res.ElapsedMS = 0
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
			continue
		}
		if !bytes.Equal(b, first) {
			t.Errorf("workers=%d: JSON differs from workers=1", w)
		}
	}
	// and a different seed gives a different result
	m.Seed++
	res := mustRun(t, m, 2)
	res.ElapsedMS = 0
	if b, _ := json.Marshal(res); bytes.Equal(b, first) {
		t.Errorf("seed %d gives the same result as seed %d", m.Seed, m.Seed-1)
	}
}

func TestMembersSorted(t *testing.T) {
	// add a member without events: its attribution is exactly 0
	m := loadReferenceTrials(t, 3000)
	m.Members = append(m.Members, supplier("ZZZ", 1e9))
	m.Categories = append(m.Categories, "mil")
	res := mustRun(t, m, 2)
	if z := memberOf(t, res, "ZZZ"); z.Attribution == nil || *z.Attribution != 0 {
		t.Errorf("ZZZ = %+v, want attribution 0", z)
	}
	for i := 1; i < len(res.Members); i++ {
		if *res.Members[i].Attribution > *res.Members[i-1].Attribution {
			t.Errorf("members[%d] (%v) > members[%d] (%v): not sorted by attribution", i,
				*res.Members[i].Attribution, i-1, *res.Members[i-1].Attribution)
		}
	}
}

func loadReferenceTrials(t *testing.T, n int) Model {
	m := loadReference(t)
	m.Trials = n
	return m
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, loadReference(t), Options{Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestRunProgress(t *testing.T) {
	m := loadReferenceTrials(t, 5*BlockSize)
	var calls, last int
	_, err := Run(context.Background(), m, Options{Workers: 2, Progress: func(done, total int) {
		calls++
		if done < last || total != m.Trials {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 5 || last != m.Trials {
		t.Errorf("progress called %d times, last done = %d; want 5 calls ending at %d", calls, last, m.Trials)
	}
}

// TestNormalDraws checks the ziggurat's normal draws against N(0, 1) at
// 4 standard errors: mean, variance, P(x < 1.96) = 0.975 and, in the tail
// beyond 3.44 (the ziggurat's tail branch), P(x < −3.5) = 2.326e-4.
func TestNormalDraws(t *testing.T) {
	const n = 2_000_000
	rng := blockRand(7, 0)
	sum, sum2, below196, below35 := 0.0, 0.0, 0, 0
	for range n {
		x := rng.NormFloat64()
		sum += x
		sum2 += x * x
		if x < 1.959963984540054 {
			below196++
		}
		if x < -3.5 {
			below35++
		}
	}
	mean, vr := sum/n, sum2/n
	p196, p35 := float64(below196)/n, float64(below35)/n
	const q35 = 2.326290790355401e-4 // Φ(−3.5)
	if !within(mean, 0, 1/math.Sqrt(n), 4) || !within(vr, 1, math.Sqrt(2.0/n), 4) {
		t.Errorf("mean %v, variance %v; want 0 and 1", mean, vr)
	}
	if !within(p196, 0.975, math.Sqrt(0.975*0.025/n), 4) || !within(p35, q35, math.Sqrt(q35/n), 4) {
		t.Errorf("P(x<1.96) = %v, P(x<−3.5) = %v; want 0.975 and %v", p196, p35, q35)
	}
	// uniforms: mean ½, variance 1/12
	u, u2 := 0.0, 0.0
	for range n {
		x := rng.Float64()
		u += x
		u2 += x * x
	}
	if !within(u/n, 0.5, math.Sqrt(1.0/12/n), 4) || !within(u2/n-(u/n)*(u/n), 1.0/12, 0.09/math.Sqrt(n), 4) {
		t.Errorf("uniform mean %v, variance %v; want 0.5, 1/12", u/n, u2/n-(u/n)*(u/n))
	}
}

// eq checks one fact: what names it in the failure.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
