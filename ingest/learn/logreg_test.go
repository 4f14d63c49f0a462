package learn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// data is separable by its first feature; the second is noise.
func data() ([][]float64, []bool) {
	var x [][]float64
	var y []bool
	for i := range 40 {
		pos := i%2 == 0
		f := 0.0
		if pos {
			f = 1
		}
		x = append(x, []float64{f, float64(i%3) / 2})
		y = append(y, pos)
	}
	return x, y
}

// TestTrainSeparates: a separable set is learnt, with the weight on the
// feature that separates it.
func TestTrainSeparates(t *testing.T) {
	x, y := data()
	m := Train(x, y, []string{"signal", "noise"}, DefaultConfig)
	for i := range x {
		if (m.Prob(x[i]) >= 0.5) != y[i] {
			t.Errorf("example %d (%v): p %.3f, want %v", i, x[i], m.Prob(x[i]), y[i])
		}
	}
	if m.Weights[0] <= 1 || m.Weights[0] <= 3*abs(m.Weights[1]) {
		t.Errorf("weights %v: the signal should dominate", m.Weights)
	}
	if m.Examples != 40 || m.Positive != 20 {
		t.Errorf("counted %d examples, %d positive", m.Examples, m.Positive)
	}
}

func abs(v float64) float64 { return max(v, -v) }

// TestTrainDeterministic: the same examples and seed give the same
// weights; another seed visits them in another order.
func TestTrainDeterministic(t *testing.T) {
	x, y := data()
	a := Train(x, y, []string{"a", "b"}, DefaultConfig)
	b := Train(x, y, []string{"a", "b"}, DefaultConfig)
	if a.Weights[0] != b.Weights[0] || a.Weights[1] != b.Weights[1] || a.Bias != b.Bias {
		t.Errorf("two runs: %v %v and %v %v", a.Weights, a.Bias, b.Weights, b.Bias)
	}
	cfg := DefaultConfig
	cfg.Seed++
	c := Train(x, y, []string{"a", "b"}, cfg)
	if c.Weights[0] == a.Weights[0] && c.Bias == a.Bias {
		t.Errorf("another seed gave the same weights %v", c.Weights)
	}
}

// TestSaveLoad: a saved model loads back; a broken file is an error that
// names it.
func TestSaveLoad(t *testing.T) {
	x, y := data()
	m := Train(x, y, []string{"a", "b"}, DefaultConfig)
	p := filepath.Join(t.TempDir(), "m.json")
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := Load(p)
	if err != nil || got.Weights[0] != m.Weights[0] || got.Bias != m.Bias || got.Config != m.Config {
		t.Errorf("loaded %+v, %v; saved %+v", got, err, m)
	}
	if err := os.WriteFile(p, []byte(`{"features": ["a"], "weights": [1, 2]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "m.json") {
		t.Errorf("two weights for one feature: %v", err)
	}
}

func TestTrainPanicsOnMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for 2 examples and 1 label")
		}
	}()
	Train([][]float64{{1}, {0}}, []bool{true}, []string{"a"}, DefaultConfig)
}
