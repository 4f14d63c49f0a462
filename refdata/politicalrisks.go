package refdata

import (
	"sync"

	"coalition"
)

// PoliticalRisksFile lists scheduled political risks other than elections
// (issue 15 §3): budget deadlines so far, each with the law that sets its
// date. Probability and effect size are the analyst's assumptions and are
// not in the file; Effect says what the law lets happen.
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
		switch {
		case !iso3Pattern.MatchString(r.ISO3):
			return nil, t.errorf(i, "iso3", "%q is not an ISO3 code", r.ISO3)
		case r.Kind != RiskBudgetDeadline:
			return nil, t.errorf(i, "kind", "%q is not a known kind (%s)", r.Kind, RiskBudgetDeadline)
		case r.Latest.Before(r.Earliest):
			return nil, t.errorf(i, "latest", "%s is before %s", r.Latest, r.Earliest)
		case r.Label == "" || r.Effect == "" || r.Rule == "" || r.Source == "" || (r.Grade != GradePrimary && r.Grade != GradePress):
			return nil, t.errorf(i, "source", "a risk needs its label, effect, rule, source and a grade (primary or press)")
		}
		out = append(out, r)
	}
	return out, nil
}
