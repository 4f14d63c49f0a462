package analysis

import (
	"math"
	"sort"
)

// flowGraph is a residual network for Dinic's max-flow algorithm with float64
// capacities (+Inf allowed). A residual at or below eps counts as saturated;
// eps is a tiny fraction of the total flow that can pass, so that rounding
// never creates phantom augmenting paths.
type flowGraph struct {
	eps   float64
	head  []int     // first edge of each node, -1 for none
	next  []int     // next edge from the same node
	to    []int     // edge head
	res   []float64 // residual capacity; edge e's reverse is e^1
	flw   []float64 // flow on forward edges (even indices)
	level []int
	iter  []int
}

func newFlowGraph(n int, eps float64) *flowGraph {
	g := &flowGraph{eps: eps, head: make([]int, n), level: make([]int, n), iter: make([]int, n)}
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

// addEdge adds u→v with capacity c and returns the edge's index.
func (g *flowGraph) addEdge(u, v int, c float64) int {
	e := len(g.to)
	g.to = append(g.to, v, u)
	g.res = append(g.res, c, 0)
	g.flw = append(g.flw, 0, 0)
	g.next = append(g.next, g.head[u], g.head[v])
	g.head[u], g.head[v] = e, e+1
	return e
}

// raise adds d to the capacity of forward edge e.
func (g *flowGraph) raise(e int, d float64) {
	if d > 0 {
		g.res[e] += d
	}
}

// flow is the flow on forward edge e.
func (g *flowGraph) flow(e int) float64 { return g.flw[e] }

func (g *flowGraph) push(e int, d float64) {
	g.res[e] -= d
	g.res[e^1] += d
	if e&1 == 0 {
		g.flw[e] += d
	} else {
		g.flw[e^1] -= d
	}
}

// maxFlow augments the current flow to a maximum one and returns the amount
// added.
func (g *flowGraph) maxFlow(s, t int) float64 {
	var total float64
	queue := make([]int, 0, len(g.head))
	for {
		for i := range g.level {
			g.level[i] = -1
		}
		g.level[s] = 0
		queue = append(queue[:0], s)
		for k := 0; k < len(queue); k++ {
			u := queue[k]
			for e := g.head[u]; e >= 0; e = g.next[e] {
				if v := g.to[e]; g.res[e] > g.eps && g.level[v] < 0 {
					g.level[v] = g.level[u] + 1
					queue = append(queue, v)
				}
			}
		}
		if g.level[t] < 0 {
			return total
		}
		copy(g.iter, g.head)
		for {
			d := g.augment(s, t, math.Inf(1))
			if d <= 0 {
				break
			}
			total += d
		}
	}
}

// augment pushes one blocking path's worth of flow from u towards t.
func (g *flowGraph) augment(u, t int, limit float64) float64 {
	if u == t {
		return limit
	}
	for ; g.iter[u] >= 0; g.iter[u] = g.next[g.iter[u]] {
		e := g.iter[u]
		v := g.to[e]
		if g.res[e] <= g.eps || g.level[v] != g.level[u]+1 {
			continue
		}
		d := g.augment(v, t, math.Min(limit, g.res[e]))
		if d > 0 {
			g.push(e, d)
			return d
		}
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
