package risk

import (
	"errors"
	"math"
	"testing"

	"coalition"
)

// TestNonFiniteAmountsRefused: an amount that is not finite, or so large
// that sums over the horizon would overflow (1.7e308, issue 21), is refused
// naming its field, so no result is ever Inf or NaN.
func TestNonFiniteAmountsRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(m *Model)
		field string
	}{
		{"huge requirement", func(m *Model) { m.Requirements["military"] = Const(1.7e308) }, "requirements.military"},
		{"just above the bound", func(m *Model) { m.Requirements["military"] = Const(MaxAmount * 1.0001) }, "requirements.military"},
		{"infinite month", func(m *Model) { m.Requirements["military"] = PerMonth(1, math.Inf(1)) }, "requirements.military[1]"},
		{"NaN support", func(m *Model) { m.Members[0].Support["military"] = Const(math.NaN()) }, "members[0].support.military"},
		{"huge support", func(m *Model) { m.Members[0].Support["military"] = PerMonth(1, 1.7e308) }, "members[0].support.military[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &Model{Start: coalition.Month(2026*12 + 0), Months: 2, Categories: []string{"military"},
				Requirements: map[string]Series{"military": Const(100)},
				Members:      []Member{{ISO3: "FRA", Support: map[string]Series{"military": Const(50)}}}, Trials: 10, Seed: 1}
			if err := m.Validate(); err != nil {
				t.Fatalf("the unedited model is refused: %v", err)
			}
			c.edit(m)
			err := m.Validate()
			var ce *coalition.Error
			if !errors.As(err, &ce) || ce.Kind != coalition.Invalid || ce.Field != c.field {
				t.Fatalf("got %v, want Invalid naming %s", err, c.field)
			}
		})
	}
	m := &Model{Start: coalition.Month(2026 * 12), Months: 1, Categories: []string{"military"},
		Requirements: map[string]Series{"military": Const(MaxAmount)}, Trials: 10, Seed: 1}
	if err := m.Validate(); err != nil {
		t.Errorf("the bound itself is refused: %v", err)
	}
}
