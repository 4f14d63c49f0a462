package refdata

import (
	"strconv"
	"sync"

	"coalition"
)

// CapabilityLimitsFile lists what a country cannot supply by law or policy
// (issue 15 §2): a cap on its ask per category, with the rule and source.
const CapabilityLimitsFile = "capability_limits.csv"

// CapabilityLimit caps a country's ask in a category (a category or a
// support type such as "military") at CapEUR a year.
type CapabilityLimit struct {
	ISO3, Category string
	CapEUR         float64
	Rule           string
	Grade, Source  string
}

var capabilityLimits struct {
	once sync.Once
	rows []CapabilityLimit
	err  error
}

// CapabilityLimits returns the bundled limits in file order, parsed once.
func CapabilityLimits() ([]CapabilityLimit, error) {
	capabilityLimits.once.Do(func() { capabilityLimits.rows, capabilityLimits.err = readCapabilityLimits() })
	return capabilityLimits.rows, capabilityLimits.err
}

func readCapabilityLimits() ([]CapabilityLimit, error) {
	t, err := readTable(CapabilityLimitsFile)
	if err != nil {
		return nil, err
	}
	out := make([]CapabilityLimit, 0, len(t.rows))
	for i, row := range t.rows {
		l := CapabilityLimit{ISO3: row["iso3"], Category: row["category"], Rule: row["rule"], Grade: row["grade"], Source: row["source"]}
		if l.CapEUR, err = strconv.ParseFloat(row["cap_eur_per_year"], 64); err != nil || l.CapEUR < 0 {
			return nil, t.errorf(i, "cap_eur_per_year", "%q: want an amount >= 0", row["cap_eur_per_year"])
		}
		_, isCat := coalition.CategoryByCode(l.Category)
		switch {
		case !iso3Pattern.MatchString(l.ISO3):
			return nil, t.errorf(i, "iso3", "%q is not an ISO3 code", l.ISO3)
		case !isCat && !coalition.ValidSupportType(l.Category):
			return nil, t.errorf(i, "category", "%q is not a category or support type", l.Category)
		case l.Rule == "" || l.Source == "" || (l.Grade != GradePrimary && l.Grade != GradePress):
			return nil, t.errorf(i, "source", "a limit needs its rule, its source and a grade (primary or press)")
		}
		out = append(out, l)
	}
	return out, nil
}
