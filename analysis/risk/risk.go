package risk

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"coalition"
)

// BlockSize is the number of trials that share one random stream. It is part
// of the definition of a run: the same model, seed and BlockSize give the same
// result bit for bit, whatever the number of workers.
const BlockSize = 1024

// Options tune how a run is executed, never what it computes.
type Options struct {
	Workers int // goroutines; <= 0 means runtime.GOMAXPROCS(0)
	// Progress, if set, is called with the number of trials done so far,
	// from one goroutine at a time, after each block of trials.
	Progress func(done, total int)
}

// Result is the output of a run (`coalition risk --json`).
type Result struct {
	Months     []MonthStat        `json:"months"`
	Shortfall  ShortfallStat      `json:"shortfall"`
	ByCategory map[string]float64 `json:"by_category"` // category → expected shortfall
	Members    []MemberStat       `json:"members"`     // by attribution, largest first
	// EventsEffect is E[S] − E[S with every event switched off], on the same
	// draws; Interaction is EventsEffect minus the sum of the members'
	// attributions: the part that comes from events of several members
	// falling together (shortfall is not additive across members).
	EventsEffect float64 `json:"events_effect"`
	Interaction  float64 `json:"interaction"`
	// SupportWithoutEventsShare is the share (0–1) of the modelled support
	// (all members, categories and months) of members that have no risk
	// event able to change it in the horizon: the model's blind spot.
	SupportWithoutEventsShare float64 `json:"support_without_events_share"`
	Trials                    int     `json:"trials"`
	Seed                      uint64  `json:"seed"`
	ElapsedMS                 float64 `json:"elapsed_ms"`
}

// MonthStat describes the covered share of one month over the trials.
type MonthStat struct {
	Month coalition.Month `json:"month"`
	Mean  float64         `json:"mean"`
	P05   float64         `json:"p05"`
	P50   float64         `json:"p50"`
	P95   float64         `json:"p95"`
}

// ShortfallStat describes the total shortfall S over the trials.
type ShortfallStat struct {
	Mean           float64 `json:"mean"`
	P50            float64 `json:"p50"`
	P95            float64 `json:"p95"`
	PPositive      float64 `json:"p_positive"`       // P(S > 0)
	POverThreshold float64 `json:"p_over_threshold"` // P(S > shortfall_threshold)
}

// MemberStat is one member's risk: the probability that any of its events
// occurs, and its attribution E[S] − E[S with this member's events switched
// off], both sides on the same draws (common random numbers). Attribution
// is never nil since the counterfactual method (it stays a pointer so that
// the JSON keeps its shape); a member without support in the horizon, or
// without events, has exactly 0.
type MemberStat struct {
	ISO3        string   `json:"iso3"`
	PEvent      float64  `json:"p_event"`
	Attribution *float64 `json:"attribution"`
}

// Run validates m and simulates m.Trials trials with m.Seed. It stops early
// with ctx's error when ctx is cancelled.
func Run(ctx context.Context, m Model, opts Options) (Result, error) {
	began := time.Now()
	if err := m.Validate(); err != nil {
		return Result{}, err
	}
	p := newPlan(&m)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := m.Trials
	blocks := (n + BlockSize - 1) / BlockSize
	workers = min(workers, blocks)

	shares := make([]float64, p.T*n) // shares[t*n+i]: covered share of month t in trial i
	short := make([]float64, n)      // S of trial i
	mg := &merger{pending: map[int]*partial{}, total: p.newPartial(), n: n, progress: opts.Progress}
	var nextBlock atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.runBlocks(ctx, m.Seed, &nextBlock, blocks, shares, short, mg)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("risk: run cancelled: %w", err)
	}
	res := summarise(&m, p, mg.total, shares, short, workers)
	res.ElapsedMS = float64(time.Since(began).Microseconds()) / 1000
	return res, nil
}

// runBlocks is one worker: it takes the next block of trials until none is
// left or ctx is cancelled. Each block has its own random stream, so the
// result does not depend on which worker runs it.
func (p *plan) runBlocks(ctx context.Context, seed uint64, nextBlock *atomic.Int64, blocks int, shares, short []float64, mg *merger) {
	n := len(short)
	s := p.newScratch()
	for {
		b := int(nextBlock.Add(1) - 1)
		if b >= blocks || ctx.Err() != nil {
			return
		}
		lo, hi := b*BlockSize, min((b+1)*BlockSize, n)
		pt := p.newPartial()
		p.runBlock(blockRand(seed, b), lo, hi, n, shares, short, s, pt)
		mg.add(b, pt)
	}
}

// merger adds the blocks' partial sums in block order, whatever order they
// finish in, so that floating-point sums are the same on any number of
// workers.
type merger struct {
	mu       sync.Mutex
	pending  map[int]*partial
	next     int
	done     int
	total    *partial
	n        int
	progress func(done, total int)
}

// add takes block b's partial sums and merges every block now in order.
func (mg *merger) add(b int, pt *partial) {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	mg.pending[b] = pt
	for {
		q, ok := mg.pending[mg.next]
		if !ok {
			break
		}
		mg.total.add(q)
		mg.done += q.trials
		delete(mg.pending, mg.next)
		mg.next++
	}
	if mg.progress != nil {
		mg.progress(mg.done, mg.n)
	}
}

// summarise turns the sums and the per-trial values into the result: the
// percentiles per month and of the shortfall (selected in parallel, one
// month per task), the means, and the members' attribution.
func summarise(m *Model, p *plan, total *partial, shares, short []float64, workers int) Result {
	n := m.Trials
	res := Result{
		Months:     make([]MonthStat, p.T),
		ByCategory: make(map[string]float64, p.C),
		Trials:     n,
		Seed:       m.Seed,
	}
	fn := float64(n)
	lo, mid, hi := nearestRank(5, n)-1, nearestRank(50, n)-1, nearestRank(95, n)-1
	parallel(p.T+1, workers, func(t int) {
		if t == p.T {
			selectRanks(short, lo, mid, hi)
			res.Shortfall.P50, res.Shortfall.P95 = short[mid], short[hi]
			return
		}
		col := shares[t*n : (t+1)*n]
		selectRanks(col, lo, mid, hi)
		res.Months[t] = MonthStat{Month: m.Start.Add(t), Mean: total.sumShare[t] / fn,
			P05: col[lo], P50: col[mid], P95: col[hi]}
	})
	res.Shortfall.Mean = total.sumS / fn
	res.Shortfall.PPositive = float64(total.nPositive) / fn
	res.Shortfall.POverThreshold = float64(total.nOver) / fn
	for c, name := range m.Categories {
		res.ByCategory[name] = total.sumCat[c] / fn
	}
	res.Members = memberStats(m, total)
	res.EventsEffect = total.sumEffect / fn
	res.Interaction = res.EventsEffect
	for _, st := range res.Members {
		res.Interaction -= *st.Attribution
	}
	res.SupportWithoutEventsShare = p.supportWithoutEvents
	return res
}

// memberStats are each member's event probability and attribution (mean
// shortfall minus mean shortfall with the member's events switched off, on
// the same draws), largest attribution first.
func memberStats(m *Model, total *partial) []MemberStat {
	fn := float64(m.Trials)
	out := make([]MemberStat, len(m.Members))
	for i, mem := range m.Members {
		a := total.sumAttr[i] / fn
		out[i] = MemberStat{ISO3: mem.ISO3, PEvent: float64(total.nEvent[i]) / fn, Attribution: &a}
	}
	slices.SortStableFunc(out, byAttribution)
	return out
}

// byAttribution orders members by attribution, largest first, those
// without one last.
func byAttribution(a, b MemberStat) int {
	switch {
	case a.Attribution == nil && b.Attribution == nil:
		return 0
	case a.Attribution == nil:
		return 1
	case b.Attribution == nil:
		return -1
	}
	return cmp.Compare(*b.Attribution, *a.Attribution)
}

// parallel calls f(0) … f(n-1) on up to workers goroutines.
func parallel(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// plan is a validated model laid out for the inner loop.
type plan struct {
	T, C      int
	req       []float64 // req[c*T+t]
	reqTot    []float64 // reqTot[t] = Σ_c req[c*T+t], summed in category order
	rho, rhoc float64   // ρ and sqrt(1−ρ²)
	threshold float64
	nEvents   int
	members   []memberPlan
	// supportWithoutEvents: Result.SupportWithoutEventsShare, fixed by the model.
	supportWithoutEvents float64
}

type memberPlan struct {
	rel    betaSampler
	off    int       // index of the member's first event in the trial's occurrence flags
	thr    []float64 // per event, input order: Φ⁻¹(probability)
	factor []float64 // per event, input order
	tau    []int32   // per event: month index where a fixed event takes effect (clamped to [0, T])
	win    []window  // the events whose month is drawn per trial
	segAt  []int32   // segAt[t]: the segment containing month t
	sup    []float64 // sup[c*T+t]: support, kept only for members with events (attribution)
	// The member's delivery as differences from month to month, cut into
	// segments at the months of its events (g is constant within a segment).
	segs []segment
}

// segment is the part of a member's months from the month of some of its
// events (or month 0) up to the next event month.
type segment struct {
	first  []int32 // events of the member whose month opens this segment
	change []entry // at the opening month t: (diff index of (c, t), support s[c][t−1])
	steps  []entry // month 0 or support changes inside the segment: (diff index, s[c][t] − s[c][t−1])
}

// window is an event whose month is drawn in each trial: uniformly among n
// months from month index lo (which may be negative: before the start).
type window struct {
	j     int32 // the event's index within its member
	lo, n int
}

// entry adds g·val (or Δg·val) to diff[idx].
type entry struct {
	idx int32
	val float64
}

func newPlan(m *Model) *plan {
	T, C := m.Months, len(m.Categories)
	p := &plan{T: T, C: C, req: make([]float64, C*T), reqTot: make([]float64, T),
		rho: m.Correlation, threshold: m.ShortfallThreshold}
	p.rhoc = sqrt1m(m.Correlation)
	for c, name := range m.Categories {
		if s, ok := m.Requirements[name]; ok {
			for t := range T {
				p.req[c*T+t] = s.At(t)
			}
		}
	}
	for t := range T {
		for c := range C {
			p.reqTot[t] += p.req[c*T+t]
		}
	}
	total, without := 0.0, 0.0
	for _, mem := range m.Members {
		mp := newMemberPlan(m, mem, p.nEvents)
		p.members = append(p.members, mp)
		p.nEvents += len(mem.Events)
		sum := supportSum(m, mem)
		total += sum
		if !carriesEvent(m, mem) {
			without += sum
		}
	}
	if total > 0 {
		p.supportWithoutEvents = without / total
	}
	return p
}

// supportSum is a member's support over all categories and months.
func supportSum(m *Model, mem Member) float64 {
	sum := 0.0
	for _, name := range m.Categories {
		if s, ok := mem.Support[name]; ok {
			for t := range m.Months {
				sum += s.At(t)
			}
		}
	}
	return sum
}

// carriesEvent reports whether some event of mem can change its support in
// the horizon: not impossible, not neutral, and able to fall before its end.
func carriesEvent(m *Model, mem Member) bool {
	for _, e := range mem.Events {
		if e.Probability > 0 && e.Factor != 1 && int(e.firstMonth()-m.Start) < m.Months {
			return true
		}
	}
	return false
}

func newMemberPlan(m *Model, mem Member, off int) memberPlan {
	T := m.Months
	mp := memberPlan{rel: newBetaSampler(mem.Reliability), off: off}
	bounds := segmentBounds(m, mem)
	mp.segs = make([]segment, len(bounds))
	segOf := func(t int) int { // the segment containing month t
		i, found := slices.BinarySearch(bounds, t)
		if !found {
			i--
		}
		return i
	}
	mp.segAt = make([]int32, T)
	for t := range T {
		mp.segAt[t] = int32(segOf(t))
	}
	for j, e := range mem.Events {
		mp.thr = append(mp.thr, normalQuantile(e.Probability))
		mp.factor = append(mp.factor, e.Factor)
		t := int(e.Month - m.Start)
		mp.tau = append(mp.tau, int32(min(max(t, 0), T)))
		if e.windowed() {
			lo := int(*e.Earliest - m.Start)
			mp.win = append(mp.win, window{j: int32(j), lo: lo, n: int(*e.Latest-*e.Earliest) + 1})
			continue
		}
		// an event after the horizon changes nothing inside it
		if t < T {
			k := segOf(max(t, 0))
			mp.segs[k].first = append(mp.segs[k].first, int32(j))
		}
	}
	if len(mem.Events) > 0 {
		mp.sup = denseSupport(m, mem)
	}
	for c, name := range m.Categories {
		s, ok := mem.Support[name]
		if !ok {
			continue
		}
		for t := range T {
			idx := int32(c*T + t)
			prev := 0.0
			if t > 0 {
				prev = s.At(t - 1)
			}
			if d := s.At(t) - prev; d != 0 {
				k := segOf(t)
				mp.segs[k].steps = append(mp.segs[k].steps, entry{idx, d})
			}
			if t > 0 && prev != 0 {
				if k := segOf(t); bounds[k] == t {
					mp.segs[k].change = append(mp.segs[k].change, entry{idx, prev})
				}
			}
		}
	}
	return mp
}

// segmentBounds are where a member's delivery multiplier may change: month
// 0 and every month inside (0, T) where one of its events may take effect
// (every month of a window), sorted and distinct.
func segmentBounds(m *Model, mem Member) []int {
	bounds := []int{0}
	for _, e := range mem.Events {
		lo, hi := int(e.Month-m.Start), int(e.Month-m.Start)
		if e.windowed() {
			lo, hi = int(*e.Earliest-m.Start), int(*e.Latest-m.Start)
		}
		for t := max(lo, 1); t <= min(hi, m.Months-1); t++ {
			bounds = append(bounds, t)
		}
	}
	slices.Sort(bounds)
	return slices.Compact(bounds)
}

// denseSupport is a member's support per category and month, sup[c*T+t]:
// the counterfactuals need it cell by cell, where the delivery loop needs
// only its changes.
func denseSupport(m *Model, mem Member) []float64 {
	T := m.Months
	sup := make([]float64, len(m.Categories)*T)
	for c, name := range m.Categories {
		if s, ok := mem.Support[name]; ok {
			for t := range T {
				sup[c*T+t] = s.At(t)
			}
		}
	}
	return sup
}

// scratch is one worker's reusable memory: nothing is allocated per trial.
type scratch struct {
	r      []float64 // reliability per member
	occ    []bool    // occurrence per event
	tau    []int32   // per event: the month index it takes effect in this trial, clamped to [0, T]
	anyOcc []bool    // per member: some event occurred
	diff   []float64 // diff[c*T+t] = D[c][t] − D[c][t−1]
	d      []float64 // d[c*T+t] = D[c][t] of the trial, kept for the counterfactuals
	dOff   []float64 // Σ over members of the delivery their occurred events took away
	cov    []float64 // covered amount per month
	cat    []float64 // shortfall per category
}

func (p *plan) newScratch() *scratch {
	s := &scratch{r: make([]float64, len(p.members)), occ: make([]bool, p.nEvents), tau: make([]int32, p.nEvents),
		anyOcc: make([]bool, len(p.members)), diff: make([]float64, p.C*p.T), d: make([]float64, p.C*p.T),
		dOff: make([]float64, p.C*p.T), cov: make([]float64, p.T), cat: make([]float64, p.C)}
	for m := range p.members {
		mp := &p.members[m]
		copy(s.tau[mp.off:], mp.tau)
	}
	return s
}

// partial holds the streamed sums of one block, or of all blocks merged in
// block order.
type partial struct {
	trials    int
	sumShare  []float64
	sumS      float64
	sumCat    []float64
	nPositive int
	nOver     int
	nEvent    []int
	sumAttr   []float64 // per member: Σ (S − S with its events off)
	sumEffect float64   // Σ (S − S with every event off)
}

func (p *plan) newPartial() *partial {
	M := len(p.members)
	return &partial{sumShare: make([]float64, p.T), sumCat: make([]float64, p.C),
		nEvent: make([]int, M), sumAttr: make([]float64, M)}
}

func (a *partial) add(b *partial) {
	a.trials += b.trials
	for t := range a.sumShare {
		a.sumShare[t] += b.sumShare[t]
	}
	a.sumS += b.sumS
	for c := range a.sumCat {
		a.sumCat[c] += b.sumCat[c]
	}
	a.nPositive += b.nPositive
	a.nOver += b.nOver
	for m := range a.nEvent {
		a.nEvent[m] += b.nEvent[m]
		a.sumAttr[m] += b.sumAttr[m]
	}
	a.sumEffect += b.sumEffect
}

// runBlock simulates trials lo..hi-1 with rng, writing each trial's shares
// and shortfall into the run's arrays (n trials in all) and its sums into pt.
func (p *plan) runBlock(rng *stream, lo, hi, n int, shares, short []float64, s *scratch, pt *partial) {
	T := p.T
	for i := lo; i < hi; i++ {
		p.draw(rng, s)
		p.deliver(s)
		S := p.evaluate(s)
		for t := range T {
			share := 1.0
			if p.reqTot[t] > 0 {
				share = s.cov[t] / p.reqTot[t]
			}
			shares[t*n+i] = share
			pt.sumShare[t] += share
			s.cov[t] = 0
		}
		short[i] = S
		pt.sumS += S
		for c := range p.C {
			pt.sumCat[c] += s.cat[c]
			s.cat[c] = 0
		}
		if S > 0 {
			pt.nPositive++
		}
		if S > p.threshold {
			pt.nOver++
		}
		for m, occurred := range s.anyOcc {
			if occurred {
				pt.nEvent[m]++
			}
		}
		p.counterfactuals(s, pt)
	}
	pt.trials = hi - lo
}

// draw draws one trial's random variables, in this order: Z, then for each
// member in input order its reliability (if any) and one ε per event in input
// order. It fills s.r, s.occ and s.anyOcc.
func (p *plan) draw(rng *stream, s *scratch) {
	z := p.rho * rng.NormFloat64()
	for m := range p.members {
		mp := &p.members[m]
		s.r[m] = mp.rel.draw(rng)
		some := false
		w := 0
		for j, thr := range mp.thr {
			o := z+p.rhoc*rng.NormFloat64() < thr
			s.occ[mp.off+j] = o
			some = some || o
			if w < len(mp.win) && int(mp.win[w].j) == j {
				// the event's month in this trial, uniform in its window
				win := mp.win[w]
				t := win.lo + min(int(rng.Float64()*float64(win.n)), win.n-1)
				s.tau[mp.off+j] = int32(min(max(t, 0), p.T))
				w++
			}
		}
		s.anyOcc[m] = some
	}
}

// deliver adds every member's delivery g[m][t]·support[m][c][t] to s.diff as
// month-to-month differences, touching only month 0, the months where the
// member's support changes and the months of its occurred events:
// Δ(g·s)(t) = (g(t) − g(t−1))·s(t−1) + g(t)·(s(t) − s(t−1)).
func (p *plan) deliver(s *scratch) {
	diff := s.diff
	for m := range p.members {
		mp := &p.members[m]
		occ := s.occ[mp.off : mp.off+len(mp.thr)]
		g := s.r[m]
		for k := range mp.segs {
			seg := &mp.segs[k]
			gnew := g
			for _, j := range seg.first {
				if occ[j] {
					gnew *= mp.factor[j]
				}
			}
			for _, w := range mp.win {
				if tau := int(s.tau[mp.off+int(w.j)]); occ[w.j] && tau < p.T && int(mp.segAt[tau]) == k {
					gnew *= mp.factor[w.j]
				}
			}
			if k == 0 {
				g = gnew
			} else if gnew != g {
				dg := gnew - g
				for _, e := range seg.change {
					diff[e.idx] += dg * e.val
				}
				g = gnew
			}
			for _, e := range seg.steps {
				diff[e.idx] += g * e.val
			}
		}
	}
}

// evaluate turns s.diff into D[c][t] by a running sum (and clears it), adds
// min(D, R) to s.cov[t] and max(0, R − D) to s.cat[c], and returns S.
func (p *plan) evaluate(s *scratch) float64 {
	T := p.T
	S := 0.0
	for c := range p.C {
		diff := s.diff[c*T : (c+1)*T]
		req := p.req[c*T : (c+1)*T]
		run, sc := 0.0, 0.0
		d := s.d[c*T : (c+1)*T]
		for t := range T {
			run += diff[t]
			diff[t] = 0
			d[t] = run
			r := req[t]
			sc += max(r-run, 0)
			s.cov[t] += min(run, r)
		}
		s.cat[c] = sc
		S += sc
	}
	return S
}

// counterfactuals adds, for this trial, each member's S − S_m (S_m: the
// shortfall with the member's events switched off, all other draws the
// same) to pt.sumAttr, and S − S_0 (every event off) to pt.sumEffect. Only
// members with an occurred event inside the horizon differ from S, and only
// from the month of their first one: the work is the months and categories
// their events touched, not M × C × T.
func (p *plan) counterfactuals(s *scratch, pt *partial) {
	T := p.T
	touched := T // the earliest month any member's events changed
	for m := range p.members {
		mp := &p.members[m]
		if !s.anyOcc[m] {
			continue
		}
		t0 := T
		for j := range mp.thr {
			if s.occ[mp.off+j] {
				t0 = min(t0, int(s.tau[mp.off+j]))
			}
		}
		if t0 >= T {
			continue
		}
		touched = min(touched, t0)
		diff := 0.0
		for t := t0; t < T; t++ {
			g := s.r[m]
			for j := range mp.thr {
				if s.occ[mp.off+j] && int(s.tau[mp.off+j]) <= t {
					g *= mp.factor[j]
				}
			}
			dg := s.r[m] - g // delivery per unit of support the events took away
			if dg == 0 {
				continue
			}
			for c := range p.C {
				i := c*T + t
				delta := dg * mp.sup[i]
				if delta == 0 {
					continue
				}
				r, d := p.req[i], s.d[i]
				diff += max(r-d, 0) - max(r-d-delta, 0)
				s.dOff[i] += delta
			}
		}
		pt.sumAttr[m] += diff
	}
	if touched >= T {
		return
	}
	effect := 0.0
	for c := range p.C {
		for t := touched; t < T; t++ {
			i := c*T + t
			r, d := p.req[i], s.d[i]
			effect += max(r-d, 0) - max(r-d-s.dOff[i], 0)
			s.dOff[i] = 0
		}
	}
	pt.sumEffect += effect
}
