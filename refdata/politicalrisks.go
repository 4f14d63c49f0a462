package refdata

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"coalition"
)

// PoliticalRisksFile lists political risks other than elections (issue 15
// §3): budget deadlines with the law that sets their date, and government
// risks (a minority cabinet's fall, a confidence vote, a budget vote) with
// the press reports that show the risk exists. Probability and Factor are
// user assumptions, labelled as such, with their reasoning in Assumption;
// Effect says what the law or the source says can happen.
const PoliticalRisksFile = "political_risks.csv"

// Kinds of non-election political risk.
const RiskBudgetDeadline = "budget-deadline" // a budget or appropriations law due by a date set in law

// PoliticalRisk is one scheduled non-election risk event with its date or
// window (Earliest == Latest for a fixed date).
type PoliticalRisk struct {
	ISO3, Kind       string
	Earliest, Latest coalition.Date
	Label, Effect    string
	Grade            string // primary or press
	Rule, Source     string
	// Probability (of the adverse outcome, 0..1) and Factor (support is
	// multiplied by it from the drawn month on) are user assumptions;
	// Assumption says so and why.
	Probability, Factor float64
	Assumption          string
}

var politicalRisks struct {
	once sync.Once
	rows []PoliticalRisk
	err  error
}

// PoliticalRisks returns the bundled non-election risks in file order,
// parsed once; an unknown kind, a window that ends before it starts or a
// row without its rule and source is an error naming the line.
func PoliticalRisks() ([]PoliticalRisk, error) {
	politicalRisks.once.Do(func() { politicalRisks.rows, politicalRisks.err = readPoliticalRisks() })
	return politicalRisks.rows, politicalRisks.err
}

func readPoliticalRisks() ([]PoliticalRisk, error) {
	t, err := readTable(PoliticalRisksFile)
	if err != nil {
		return nil, err
	}
	out := make([]PoliticalRisk, 0, len(t.rows))
	for i, row := range t.rows {
		r := PoliticalRisk{ISO3: row["iso3"], Kind: row["kind"], Label: row["label"], Effect: row["effect"], Grade: row["grade"],
			Rule: row["rule"], Source: row["source"]}
		if r.Earliest, err = coalition.ParseDate(row["earliest"]); err != nil {
			return nil, t.errorf(i, "earliest", "%v", err)
		}
		if r.Latest, err = coalition.ParseDate(row["latest"]); err != nil {
			return nil, t.errorf(i, "latest", "%v", err)
		}
		if r.Probability, r.Factor, err = riskAssumption(row); err != nil {
			return nil, t.errorf(i, "probability", "%v", err)
		}
		r.Assumption = row["assumption"]
		switch {
		case !iso3Pattern.MatchString(r.ISO3):
			return nil, t.errorf(i, "iso3", "%q is not an ISO3 code", r.ISO3)
		case r.Kind == "election" || !slices.Contains(coalition.RiskEventKinds, r.Kind):
			return nil, t.errorf(i, "kind", "%q is not a non-election kind (%s)", r.Kind, strings.Join(coalition.RiskEventKinds[1:], ", "))
		case !strings.HasPrefix(r.Assumption, "User assumption, not an estimate"):
			return nil, t.errorf(i, "assumption", "must open with \"User assumption, not an estimate\" and give the reasoning")
		case r.Latest.Before(r.Earliest):
			return nil, t.errorf(i, "latest", "%s is before %s", r.Latest, r.Earliest)
		case r.Label == "" || r.Effect == "" || r.Rule == "" || r.Source == "" || (r.Grade != GradePrimary && r.Grade != GradePress):
			return nil, t.errorf(i, "source", "a risk needs its label, effect, rule, source and a grade (primary or press)")
		}
		out = append(out, r)
	}
	return out, nil
}

// riskAssumption reads a row's probability (0..1) and factor (0..1: a risk
// here only cuts support).
func riskAssumption(row map[string]string) (p, f float64, err error) {
	p, err = strconv.ParseFloat(row["probability"], 64)
	if err != nil || p < 0 || p > 1 {
		return 0, 0, fmt.Errorf("probability %q: want a number in [0, 1]", row["probability"])
	}
	f, err = strconv.ParseFloat(row["factor"], 64)
	if err != nil || f < 0 || f > 1 {
		return 0, 0, fmt.Errorf("factor %q: want a number in [0, 1]", row["factor"])
	}
	return p, f, nil
}
