package refdata

import (
	"strconv"
	"sync"
)

// ElectionOutcomesFile records the sourced outcome of held elections of
// elections.csv (issue 15 §3): a held election is recorded, not drawn.
const ElectionOutcomesFile = "election_outcomes.csv"

// ElectionOutcome is the outcome of one held election, keyed by its row in
// elections.csv. Cut says whether the outcome cut the country's support;
// Factor is then the cut (a user assumption, said in Assumption).
type ElectionOutcome struct {
	ISO3, Election, Date string // the row's key in elections.csv
	Outcome              string
	Cut                  bool
	Factor               float64
	Grade, Source        string
	Assumption           string
}

var electionOutcomes struct {
	once sync.Once
	rows []ElectionOutcome
	err  error
}

// ElectionOutcomes returns the recorded outcomes in file order, parsed once.
func ElectionOutcomes() ([]ElectionOutcome, error) {
	electionOutcomes.once.Do(func() { electionOutcomes.rows, electionOutcomes.err = readElectionOutcomes() })
	return electionOutcomes.rows, electionOutcomes.err
}

func readElectionOutcomes() ([]ElectionOutcome, error) {
	t, err := readTable(ElectionOutcomesFile)
	if err != nil {
		return nil, err
	}
	out := make([]ElectionOutcome, 0, len(t.rows))
	for i, row := range t.rows {
		o := ElectionOutcome{ISO3: row["iso3"], Election: row["election"], Date: row["date"], Outcome: row["outcome"],
			Cut: row["cut"] == "yes", Grade: row["grade"], Source: row["source"], Assumption: row["assumption"]}
		if row["cut"] != "yes" && row["cut"] != "no" {
			return nil, t.errorf(i, "cut", "%q: want yes or no", row["cut"])
		}
		if o.Factor, err = strconv.ParseFloat(row["factor"], 64); err != nil || o.Factor < 0 || o.Factor > 1 || (!o.Cut && o.Factor != 1) {
			return nil, t.errorf(i, "factor", "%q: want a number in [0, 1], and 1 when there is no cut", row["factor"])
		}
		if o.Outcome == "" || o.Source == "" || (o.Grade != GradePrimary && o.Grade != GradePress) {
			return nil, t.errorf(i, "source", "an outcome needs its text, its source and a grade (primary or press)")
		}
		out = append(out, o)
	}
	return out, nil
}
