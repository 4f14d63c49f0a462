// Package learn is a small logistic-regression classifier in pure Go:
// trained by stochastic gradient descent with L2 regularisation, in an
// order drawn from a fixed seed, so that the same examples always give the
// same weights (issue 20's learned component; ingest/cmd/train trains it).
package learn

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
)

// Config are the training settings; they are saved with the weights.
type Config struct {
	Seed   uint64  `json:"seed"`   // the order examples are visited in each epoch
	Epochs int     `json:"epochs"` // passes over the examples
	Rate   float64 `json:"rate"`   // learning rate of the first epoch; it decays as rate/(1+epoch/10)
	L2     float64 `json:"l2"`     // weight decay on the weights (not the bias)
}

// DefaultConfig are the settings the committed weights were trained with.
var DefaultConfig = Config{Seed: 20, Epochs: 200, Rate: 0.1, L2: 1e-3}

// Model is a trained classifier: P(positive | x) = sigmoid(Bias + Weights·x).
type Model struct {
	Features  []string  `json:"features"` // the name of each weight
	Weights   []float64 `json:"weights"`
	Bias      float64   `json:"bias"`
	Config    Config    `json:"config"`
	Examples  int       `json:"examples"`   // how many it was trained on
	Positive  int       `json:"positive"`   // of which positive
	TrainedOn string    `json:"trained_on"` // what, in words
}

// Train fits a model to examples x (one row each, all of the same length)
// with labels y. It panics if the rows and labels differ in number.
func Train(x [][]float64, y []bool, names []string, cfg Config) Model {
	if len(x) != len(y) {
		panic(fmt.Sprintf("learn: %d examples, %d labels", len(x), len(y)))
	}
	m := Model{Features: append([]string(nil), names...), Weights: make([]float64, len(names)), Config: cfg, Examples: len(x)}
	for _, v := range y {
		if v {
			m.Positive++
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	for epoch := range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := cfg.Rate / (1 + float64(epoch)/10)
		for _, i := range order {
			g := m.Prob(x[i])
			if y[i] {
				g--
			}
			for k, v := range x[i] {
				m.Weights[k] -= rate * (g*v + cfg.L2*m.Weights[k])
			}
			m.Bias -= rate * g
		}
	}
	return m
}

// Prob is the probability that x is positive.
func (m Model) Prob(x []float64) float64 {
	z := m.Bias
	for k, v := range x {
		if k < len(m.Weights) {
			z += m.Weights[k] * v
		}
	}
	return 1 / (1 + math.Exp(-z))
}

// Save writes m as indented JSON to path.
func (m Model) Save(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Load reads a model saved by Save; the error names the file.
func Load(path string) (Model, error) {
	var m Model
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if len(m.Weights) != len(m.Features) {
		return m, fmt.Errorf("%s: %d weights for %d features", path, len(m.Weights), len(m.Features))
	}
	return m, nil
}
