// Package risk is the political-risk Monte Carlo of Coalition: it turns
// requirements, members' support and a calendar of risk events into the
// probability of a shortfall, and tells which members' risks matter most.
//
// The model is defined in docs/risk-model.md. The package is pure: no store,
// no global random source; the only clock read measures Result.ElapsedMS.
package risk

import (
	"encoding/json"
	"fmt"
	"math"

	"coalition"
)

// Limits that keep a single run's memory bounded.
const (
	MaxMonths = 1200 // 100 years
	MaxTrials = 10_000_000
	// MaxCells bounds trials × months: the exact percentiles keep one float64
	// per trial and month (800 MB at the bound).
	MaxCells = 100_000_000
)

// Defaults for fields the JSON leaves out.
const (
	DefaultTrials = 10_000
	DefaultSeed   = 1
)

// Model is the input of a run: the JSON accepted by `coalition risk --input`.
type Model struct {
	Start        coalition.Month   `json:"start"`
	Months       int               `json:"months"`
	Categories   []string          `json:"categories"`
	Requirements map[string]Series `json:"requirements"` // category → amount per month; absent means 0
	Members      []Member          `json:"members"`
	// Correlation ρ of the events through one common factor, in [-1, 1].
	Correlation        float64 `json:"correlation"`
	ShortfallThreshold float64 `json:"shortfall_threshold"`
	Trials             int     `json:"trials"`
	Seed               uint64  `json:"seed"`
}

// Member is one supporting country (or institution).
type Member struct {
	ISO3        string            `json:"iso3"`
	Support     map[string]Series `json:"support"`               // category → amount per month; absent means 0
	Reliability *Reliability      `json:"reliability,omitempty"` // nil means a reliability of exactly 1
	Events      []Event           `json:"events"`
}

// Reliability is the Beta(Alpha, Beta) distribution of the share of its
// support that a member delivers.
type Reliability struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// Event is a political risk event of a member: with the given probability it
// occurs, and from its month on the member's support is multiplied by Factor.
//
// An event whose exact month is not known has a window: Earliest and Latest
// (both set, or neither). Every trial then draws its month uniformly among
// the months Earliest … Latest, and Month is only where it is listed.
// DateUnknown says that the window is no sourced legal window but only the
// calendar year (or up to a sourced deadline), so that outputs can say so.
type Event struct {
	Month       coalition.Month  `json:"month"`
	Earliest    *coalition.Month `json:"earliest,omitempty"`
	Latest      *coalition.Month `json:"latest,omitempty"`
	DateUnknown bool             `json:"date_unknown,omitempty"`
	Probability float64          `json:"probability"`
	Factor      float64          `json:"factor"`
	Label       string           `json:"label,omitempty"`
	Source      string           `json:"source,omitempty"` // where the date comes from
}

// Series is an amount per month: one value for every month (a JSON number)
// or one value per month (a JSON list).
type Series struct {
	Value   float64   // every month's value, when Monthly is nil
	Monthly []float64 // one value per month of the model
}

// Const returns the series that is v every month.
func Const(v float64) Series { return Series{Value: v} }

// PerMonth returns the series with one value per month.
func PerMonth(v ...float64) Series { return Series{Monthly: v} }

// At returns the value of month index t (0 = the model's start).
func (s Series) At(t int) float64 {
	if s.Monthly == nil {
		return s.Value
	}
	return s.Monthly[t]
}

func (s Series) MarshalJSON() ([]byte, error) {
	if s.Monthly == nil {
		return json.Marshal(s.Value)
	}
	return json.Marshal(s.Monthly)
}

func (s *Series) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	got, err := series(v, "")
	if err != nil {
		return err
	}
	*s = got
	return nil
}

// Validate reports the first problem of m as an Invalid *coalition.Error that
// names the JSON path of the field, e.g. members[2].events[0].probability.
func (m *Model) Validate() error {
	if err := m.validateSize(); err != nil {
		return err
	}
	known, err := m.validateCategories()
	if err != nil {
		return err
	}
	if err := validateAmounts(m.Requirements, known, m.Months, "requirements"); err != nil {
		return err
	}
	seen := make(map[string]int, len(m.Members))
	for i, mem := range m.Members {
		path := fmt.Sprintf("members[%d]", i)
		if mem.ISO3 == "" {
			return coalition.FieldError(path+".iso3", "required")
		}
		if j, dup := seen[mem.ISO3]; dup {
			return coalition.FieldError(path+".iso3", "duplicate member %q (also members[%d])", mem.ISO3, j)
		}
		seen[mem.ISO3] = i
		if err := mem.validate(path, known, m.Months); err != nil {
			return err
		}
	}
	if !(math.Abs(m.Correlation) <= 1) {
		return coalition.FieldError("correlation", "must be in [-1, 1], got %v", m.Correlation)
	}
	if !(m.ShortfallThreshold >= 0) || math.IsInf(m.ShortfallThreshold, 0) {
		return coalition.FieldError("shortfall_threshold", "must be a finite number >= 0, got %v", m.ShortfallThreshold)
	}
	return nil
}

// validateSize bounds months and trials, and their product, since one
// number per trial and month is held in memory.
func (m *Model) validateSize() error {
	if m.Months <= 0 || m.Months > MaxMonths {
		return coalition.FieldError("months", "want 1 to %d months, got %d", MaxMonths, m.Months)
	}
	if m.Trials <= 0 || m.Trials > MaxTrials {
		return coalition.FieldError("trials", "want 1 to %d trials, got %d", MaxTrials, m.Trials)
	}
	if m.Trials*m.Months > MaxCells {
		return coalition.FieldError("trials", "trials × months = %d × %d is over %d (one number per trial and month is kept)",
			m.Trials, m.Months, MaxCells)
	}
	return nil
}

// validateCategories checks the category list and returns it as the set
// that requirements and support are checked against.
func (m *Model) validateCategories() (map[string]bool, error) {
	if len(m.Categories) == 0 {
		return nil, coalition.FieldError("categories", "want at least one category")
	}
	known := make(map[string]bool, len(m.Categories))
	for i, c := range m.Categories {
		path := fmt.Sprintf("categories[%d]", i)
		if c == "" {
			return nil, coalition.FieldError(path, "empty category name")
		}
		if known[c] {
			return nil, coalition.FieldError(path, "duplicate category %q", c)
		}
		known[c] = true
	}
	return known, nil
}

// validate checks a member's support, reliability and events; path is
// the member's, e.g. members[2].
func (mem *Member) validate(path string, known map[string]bool, months int) error {
	if err := validateAmounts(mem.Support, known, months, path+".support"); err != nil {
		return err
	}
	if r := mem.Reliability; r != nil {
		if err := r.validate(path + ".reliability"); err != nil {
			return err
		}
	}
	for j, e := range mem.Events {
		if err := e.validate(fmt.Sprintf("%s.events[%d]", path, j)); err != nil {
			return err
		}
	}
	return nil
}

// validate checks a Beta prior: both parameters finite and positive, or
// the distribution does not exist.
func (r *Reliability) validate(path string) error {
	if !(r.Alpha > 0) || math.IsInf(r.Alpha, 0) {
		return coalition.FieldError(path+".alpha", "must be a finite number > 0, got %v", r.Alpha)
	}
	if !(r.Beta > 0) || math.IsInf(r.Beta, 0) {
		return coalition.FieldError(path+".beta", "must be a finite number > 0, got %v", r.Beta)
	}
	return nil
}

// validate checks an event: a probability, and a factor that scales
// support (so finite and not negative).
func (e Event) validate(path string) error {
	if !(e.Probability >= 0 && e.Probability <= 1) {
		return coalition.FieldError(path+".probability", "must be in [0, 1], got %v", e.Probability)
	}
	if !(e.Factor >= 0) || math.IsInf(e.Factor, 0) {
		return coalition.FieldError(path+".factor", "must be a finite number >= 0, got %v", e.Factor)
	}
	switch {
	case (e.Earliest == nil) != (e.Latest == nil):
		return coalition.FieldError(path+".latest", "a window needs both earliest and latest")
	case e.Earliest != nil && *e.Latest < *e.Earliest:
		return coalition.FieldError(path+".latest", "%s is before earliest %s", *e.Latest, *e.Earliest)
	case e.Earliest != nil && int(*e.Latest-*e.Earliest) >= MaxMonths:
		return coalition.FieldError(path+".latest", "a window of at most %d months", MaxMonths)
	}
	return nil
}

// windowed reports whether e's month is drawn in every trial.
func (e Event) windowed() bool { return e.Earliest != nil && *e.Latest > *e.Earliest }

// firstMonth is the earliest month e can take effect.
func (e Event) firstMonth() coalition.Month {
	if e.Earliest != nil {
		return *e.Earliest
	}
	return e.Month
}

func validateAmounts(amounts map[string]Series, known map[string]bool, months int, path string) error {
	for _, c := range sortedKeys(amounts) {
		s := amounts[c]
		p := path + "." + c
		if !known[c] {
			return coalition.FieldError(p, "unknown category %q (not in categories)", c)
		}
		if s.Monthly == nil {
			if err := checkAmount(s.Value, p); err != nil {
				return err
			}
			continue
		}
		if len(s.Monthly) != months {
			return coalition.FieldError(p, "want %d values (one per month) or one number, got a list of %d", months, len(s.Monthly))
		}
		for t, v := range s.Monthly {
			if err := checkAmount(v, fmt.Sprintf("%s[%d]", p, t)); err != nil {
				return err
			}
		}
	}
	return nil
}

// MaxAmount bounds an amount per month (EUR): ten times world output in a
// year, so sums over members, categories and 1,200 months stay finite and
// no result can be Inf or NaN (issue 21: 1.7e308 printed "mean +Inf bn").
const MaxAmount = 1e15

func checkAmount(v float64, path string) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return coalition.FieldError(path, "must be a finite amount >= 0, got %v", v)
	}
	if v > MaxAmount {
		return coalition.FieldError(path, "must be at most %g EUR a month, got %g", MaxAmount, v)
	}
	return nil
}
