package risk

import (
	"math"
	"math/rand/v2"
)

// blockRand returns the random stream of one block of trials. It depends only
// on the seed and the block index (never on the worker), so a run gives the
// same numbers whatever the number of workers. The two PCG seeds are drawn
// from SplitMix64 started at seed ⊕ (block+1)·φ, so that neighbouring blocks
// and seeds get unrelated streams.
func blockRand(seed uint64, block int) *stream {
	x := seed ^ (uint64(block)+1)*0x9E3779B97F4A7C15
	a := splitmix64(&x)
	b := splitmix64(&x)
	return &stream{pcg: rand.NewPCG(a, b)}
}

// stream is a PCG generator (math/rand/v2) with the two distributions the
// model needs, called directly rather than through rand.Rand's Source
// interface: normal draws are most of a trial's random numbers.
type stream struct {
	pcg *rand.PCG
}

// Float64 is uniform in [0, 1), with 53 random bits.
func (s *stream) Float64() float64 {
	return float64(s.pcg.Uint64()>>11) * 0x1p-53
}

// NormFloat64 is standard normal, by the 128-layer ziggurat of Marsaglia and
// Tsang (2000), the method of math/rand's NormFloat64, with its tables in
// float64 and built at start-up.
func (s *stream) NormFloat64() float64 {
	for {
		u := s.pcg.Uint64()
		j := int32(u)
		i := (u >> 32) & 0x7F
		x := float64(j) * zigW[i]
		a := j
		if a < 0 {
			a = -a
		}
		if uint32(a) < zigK[i] {
			return x
		}
		if i == 0 { // the tail beyond zigR
			for {
				x = -math.Log(s.Float64()) / zigR
				y := -math.Log(s.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+s.Float64()*(zigF[i-1]-zigF[i]) < math.Exp(-0.5*x*x) {
			return x
		}
	}
}

// The ziggurat's tables: zigR is the start of the tail, zigV the area of
// each layer (Marsaglia and Tsang's values for 128 layers).
const (
	zigR = 3.442619855899
	zigV = 9.91256303526217e-3
)

var (
	zigK [128]uint32
	zigW [128]float64
	zigF [128]float64
)

func init() {
	const m1 = 1 << 31
	dn, tn := zigR, zigR
	q := zigV / math.Exp(-0.5*dn*dn)
	zigK[0] = uint32((dn / q) * m1)
	zigK[1] = 0
	zigW[0] = q / m1
	zigW[127] = dn / m1
	zigF[0] = 1
	zigF[127] = math.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigV/dn+math.Exp(-0.5*dn*dn)))
		zigK[i+1] = uint32((dn / tn) * m1)
		tn = dn
		zigF[i] = math.Exp(-0.5 * dn * dn)
		zigW[i] = dn / m1
	}
}

func splitmix64(x *uint64) uint64 {
	*x += 0x9E3779B97F4A7C15
	z := *x
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// normalQuantile is Φ⁻¹(p), the inverse of the standard normal distribution
// function, by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3),
// 1988), accurate to about 1e-16. Φ⁻¹(0) = -Inf and Φ⁻¹(1) = +Inf.
func normalQuantile(p float64) float64 {
	switch {
	case p <= 0:
		return math.Inf(-1)
	case p >= 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * (((((((2.5090809287301226727e+3*r+3.3430575583588128105e+4)*r+6.7265770927008700853e+4)*r+
			4.5921953931549871457e+4)*r+1.3731693765509461125e+4)*r+1.9715909503065514427e+3)*r+
			1.3314166789178437745e+2)*r + 3.3871328727963666080e+0) /
			(((((((5.2264952788528545610e+3*r+2.8729085735721942674e+4)*r+3.9307895800092710610e+4)*r+
				2.1213794301586595867e+4)*r+5.3941960214247511077e+3)*r+6.8718700749205790830e+2)*r+
				4.2313330701600911252e+1)*r + 1.0)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var x float64
	if r <= 5 {
		r -= 1.6
		x = (((((((7.74545014278341407640e-4*r+2.27238449892691845833e-2)*r+2.41780725177450611770e-1)*r+
			1.27045825245236838258e+0)*r+3.64784832476320460504e+0)*r+5.76949722146069140550e+0)*r+
			4.63033784615654529590e+0)*r + 1.42343711074968357734e+0) /
			(((((((1.05075007164441684324e-9*r+5.47593808499534494600e-4)*r+1.51986665636164571966e-2)*r+
				1.48103976427480074590e-1)*r+6.89767334985100004550e-1)*r+1.67638483018380384940e+0)*r+
				2.05319162663775882187e+0)*r + 1.0)
	} else {
		r -= 5
		x = (((((((2.01033439929228813265e-7*r+2.71155556874348757815e-5)*r+1.24266094738807843860e-3)*r+
			2.65321895265761230930e-2)*r+2.96560571828504891230e-1)*r+1.78482653991729133580e+0)*r+
			5.46378491116411436990e+0)*r + 6.65790464350110377720e+0) /
			(((((((2.04426310338993978564e-15*r+1.42151175831644588870e-7)*r+1.84631831751005468180e-5)*r+
				7.86869131145613259100e-4)*r+1.48753612908506148525e-2)*r+1.36929880922735805310e-1)*r+
				5.99832206555887937690e-1)*r + 1.0)
	}
	if q < 0 {
		x = -x
	}
	return x
}

// How a member's reliability is drawn.
const (
	relOne     = iota // no reliability given: exactly 1, no draw
	relUniform        // Beta(1, 1) = U
	relPowA           // Beta(α, 1) = U^(1/α)
	relPowB           // Beta(1, β) = 1 − U^(1/β)
	relGamma          // Beta(α, β) = X/(X+Y), X ~ Γ(α), Y ~ Γ(β)
)

// betaSampler draws Beta(α, β). Each kind uses exactly the draws documented
// in docs/risk-model.md, so a seed gives the same stream on every machine.
type betaSampler struct {
	kind   int
	inv    float64 // 1/α for relPowA, 1/β for relPowB
	ga, gb gammaSampler
	useLog bool // a shape below 1: combine the gammas in log space
}

func newBetaSampler(r *Reliability) betaSampler {
	switch {
	case r == nil:
		return betaSampler{kind: relOne}
	case r.Alpha == 1 && r.Beta == 1:
		return betaSampler{kind: relUniform}
	case r.Beta == 1:
		return betaSampler{kind: relPowA, inv: 1 / r.Alpha}
	case r.Alpha == 1:
		return betaSampler{kind: relPowB, inv: 1 / r.Beta}
	}
	return betaSampler{kind: relGamma, ga: newGammaSampler(r.Alpha), gb: newGammaSampler(r.Beta),
		useLog: min(r.Alpha, r.Beta) < tinyShape}
}

func (s *betaSampler) draw(rng *stream) float64 {
	switch s.kind {
	case relOne:
		return 1
	case relUniform:
		return rng.Float64()
	case relPowA:
		return powU(rng.Float64(), s.inv)
	case relPowB:
		return 1 - powU(rng.Float64(), s.inv)
	}
	if s.useLog {
		lx := s.ga.logDraw(rng)
		ly := s.gb.logDraw(rng)
		return 1 / (1 + math.Exp(ly-lx))
	}
	x := s.ga.draw(rng)
	y := s.gb.draw(rng)
	return x / (x + y)
}

// tinyShape is the shape below which U^(1/shape) can underflow to 0 for a
// uniform U ≥ 2⁻⁵³ (53·ln 2/745 ≈ 0.049); Beta draws then work in log space.
const tinyShape = 0.05

// powU is u^e for a uniform u in [0, 1) and e > 0, as exp(e·ln u): half the
// time of math.Pow, which handles every special case of its arguments.
func powU(u, e float64) float64 {
	return math.Exp(math.Log(u) * e)
}

// gammaSampler draws Γ(shape, 1) by Marsaglia and Tsang (2000); a shape
// below 1 draws Γ(shape+1) and multiplies by U^(1/shape).
type gammaSampler struct {
	d, c     float64
	boost    bool
	invShape float64
}

func newGammaSampler(shape float64) gammaSampler {
	g := gammaSampler{}
	if shape < 1 {
		g.boost = true
		g.invShape = 1 / shape
		shape++
	}
	g.d = shape - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

// core draws Γ(shape) for shape >= 1 (the boosted shape when boost is set).
func (g *gammaSampler) core(rng *stream) float64 {
	for {
		x := rng.NormFloat64()
		v := 1 + g.c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 {
			return g.d * v
		}
		if math.Log(u) < 0.5*x2+g.d*(1-v+math.Log(v)) {
			return g.d * v
		}
	}
}

func (g *gammaSampler) draw(rng *stream) float64 {
	x := g.core(rng)
	if g.boost {
		x *= powU(rng.Float64(), g.invShape)
	}
	return x
}

// logDraw returns the logarithm of a Γ(shape) draw, so that tiny shapes do not
// underflow to 0.
func (g *gammaSampler) logDraw(rng *stream) float64 {
	lx := math.Log(g.core(rng))
	if g.boost {
		lx += math.Log(rng.Float64()) * g.invShape
	}
	return lx
}
