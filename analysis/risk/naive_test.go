package risk

import (
	"cmp"
	"slices"
)

// runNaive is the model written as plainly as possible, one trial at a time
// on one goroutine: D[c][t] = Σ_m g[m][t]·support[m][c][t] over all members,
// categories and months; percentiles by sorting. It shares only the random
// draws (plan.draw, block streams) with Run, so that the two can be compared
// trial by trial; it is the reference for tests and benchmarks.
func runNaive(m Model) (Result, error) {
	if err := m.Validate(); err != nil {
		return Result{}, err
	}
	p := newPlan(&m)
	s := p.newScratch()
	T, C, M, n := m.Months, len(m.Categories), len(m.Members), m.Trials
	shares := make([][]float64, T)
	for t := range shares {
		shares[t] = make([]float64, n)
	}
	short := make([]float64, n)
	sumCat := make([]float64, C)
	nEvent := make([]int, M)
	sumAttr, sumEffect := make([]float64, M), 0.0
	nPos, nOver := 0, 0
	g := make([]float64, M*T)
	// plain arrays instead of maps in the inner loop, so that the reference
	// is naive in its algorithm, not in its data structures
	req := make([]float64, C*T)
	sup := make([]float64, M*C*T)
	for c, name := range m.Categories {
		for t := range T {
			if s, ok := m.Requirements[name]; ok {
				req[c*T+t] = s.At(t)
			}
			for mi, mem := range m.Members {
				if s, ok := mem.Support[name]; ok {
					sup[(mi*C+c)*T+t] = s.At(t)
				}
			}
		}
	}
	for b := 0; b*BlockSize < n; b++ {
		rng := blockRand(m.Seed, b)
		for i := b * BlockSize; i < min((b+1)*BlockSize, n); i++ {
			p.draw(rng, s)
			for mi, mem := range m.Members {
				for t := range T {
					g[mi*T+t] = s.r[mi]
					for j, e := range mem.Events {
						month := int(e.Month - m.Start)
						if e.windowed() { // the month drawn for this trial
							month = int(s.tau[p.members[mi].off+j])
						}
						if s.occ[p.members[mi].off+j] && month <= t {
							g[mi*T+t] *= e.Factor
						}
					}
				}
			}
			S := 0.0
			for t := range T {
				covered, required := 0.0, 0.0
				for c := range C {
					D := 0.0
					for mi := range M {
						D += g[mi*T+t] * sup[(mi*C+c)*T+t]
					}
					R := req[c*T+t]
					covered += min(D, R)
					required += R
					S += max(0, R-D)
					sumCat[c] += max(0, R-D)
				}
				shares[t][i] = 1
				if required > 0 {
					shares[t][i] = covered / required
				}
			}
			short[i] = S
			if S > 0 {
				nPos++
			}
			if S > m.ShortfallThreshold {
				nOver++
			}
			// counterfactuals: the whole shortfall again with member mi's
			// multiplier at its reliability alone, then with every member's
			shortfallWith := func(off func(mi int) bool) float64 {
				S := 0.0
				for t := range T {
					for c := range C {
						D := 0.0
						for mi := range M {
							gm := g[mi*T+t]
							if off(mi) {
								gm = s.r[mi]
							}
							D += gm * sup[(mi*C+c)*T+t]
						}
						S += max(0, req[c*T+t]-D)
					}
				}
				return S
			}
			for mi := range m.Members {
				if s.anyOcc[mi] {
					nEvent[mi]++
				}
				sumAttr[mi] += S - shortfallWith(func(k int) bool { return k == mi })
			}
			sumEffect += S - shortfallWith(func(int) bool { return true })
		}
	}
	fn := float64(n)
	pick := func(v []float64, pc int) float64 {
		return v[nearestRank(pc, len(v))-1]
	}
	res := Result{ByCategory: map[string]float64{}, Trials: n, Seed: m.Seed}
	for t := range T {
		mean := 0.0
		for _, v := range shares[t] {
			mean += v
		}
		slices.Sort(shares[t])
		res.Months = append(res.Months, MonthStat{Month: m.Start.Add(t), Mean: mean / fn,
			P05: pick(shares[t], 5), P50: pick(shares[t], 50), P95: pick(shares[t], 95)})
	}
	sum := 0.0
	for _, v := range short {
		sum += v
	}
	slices.Sort(short)
	res.Shortfall = ShortfallStat{Mean: sum / fn, P50: pick(short, 50), P95: pick(short, 95),
		PPositive: float64(nPos) / fn, POverThreshold: float64(nOver) / fn}
	for c, name := range m.Categories {
		res.ByCategory[name] = sumCat[c] / fn
	}
	res.EventsEffect = sumEffect / fn
	res.Interaction = res.EventsEffect
	for mi, mem := range m.Members {
		a := sumAttr[mi] / fn
		res.Interaction -= a
		res.Members = append(res.Members, MemberStat{ISO3: mem.ISO3, PEvent: float64(nEvent[mi]) / fn, Attribution: &a})
	}
	slices.SortStableFunc(res.Members, func(a, b MemberStat) int {
		return cmp.Compare(*b.Attribution, *a.Attribution)
	})
	return res, nil
}
