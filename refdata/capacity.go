package refdata

import (
	"strconv"

	"coalition"
)

// CapacityFile is the dataset of annual production capacity
// (production_capacity_sources.md).
const CapacityFile = "production_capacity.csv"

// Capacity bases: the rate reached on AsOf, or a stated plan.
const (
	CapacityOutput = "output"
	CapacityTarget = "target"
)

// Capacity is one public statement of how many units of a system a
// producer makes, or plans to make, in a year.
type Capacity struct {
	Role         string         // the class of equivalent systems (systems.csv role)
	System       string         // the catalogue's system
	Producer     string         // the company or industry
	Countries    []string       // ISO3 codes, or "EU" for the EU-wide figure
	UnitsPerYear float64        // units a year
	Basis        string         // CapacityOutput or CapacityTarget
	AsOf         coalition.Date // the date of the statement
	Source       string
	Grade        string // official or press
	Note         string
}

// ProductionCapacity reads the bundled capacity dataset: every row has a
// role, system, producer, country, a positive rate, a basis, a date and a
// source.
func ProductionCapacity() ([]Capacity, error) {
	t, err := readTable(CapacityFile)
	if err != nil {
		return nil, err
	}
	out := make([]Capacity, 0, len(t.rows))
	for i, row := range t.rows {
		c := Capacity{Role: row["role"], System: row["system"], Producer: row["producer"], Countries: splitSemi(row["countries"]),
			Basis: row["basis"], Source: row["source"], Grade: row["grade"], Note: row["note"]}
		for _, f := range []string{"role", "system", "producer", "source"} {
			if row[f] == "" {
				return nil, t.errorf(i, f, "is required")
			}
		}
		if len(c.Countries) == 0 {
			return nil, t.errorf(i, "countries", "is required")
		}
		for _, iso := range c.Countries {
			if iso != "EU" && !coalition.ValidISO3(iso) {
				return nil, t.errorf(i, "countries", "%q is neither an ISO3 code nor EU", iso)
			}
		}
		if c.Basis != CapacityOutput && c.Basis != CapacityTarget {
			return nil, t.errorf(i, "basis", "%q is not %s or %s", c.Basis, CapacityOutput, CapacityTarget)
		}
		if c.Grade != "official" && c.Grade != "press" {
			return nil, t.errorf(i, "grade", "%q is not official or press", c.Grade)
		}
		if c.UnitsPerYear, err = strconv.ParseFloat(row["units_per_year"], 64); err != nil || c.UnitsPerYear <= 0 {
			return nil, t.errorf(i, "units_per_year", "%q is not a positive number", row["units_per_year"])
		}
		if c.AsOf, err = coalition.ParseDate(row["as_of"]); err != nil {
			return nil, t.errorf(i, "as_of", "%q is not a date (YYYY-MM-DD)", row["as_of"])
		}
		out = append(out, c)
	}
	return out, nil
}

// SystemRoles maps each catalogued system's name to its role: the class
// of systems another producer's system can stand in for.
func SystemRoles() (map[string]string, error) {
	t, err := readTable(SystemsFile)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, row := range t.rows {
		if row["role"] == "" {
			return nil, t.errorf(i, "role", "is required")
		}
		out[row["name"]] = row["role"]
	}
	return out, nil
}
