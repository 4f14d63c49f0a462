package storetest

import (
	"testing"

	"coalition"
)

// testCommitments: a dataset's commitments are replaced as a whole, summed
// per donor to the cent within the months asked (a negative monthly
// to-be-allocated included), and only loaders may write them.
func testCommitments(t *testing.T, s coalition.Store) {
	jan, feb := coalition.MonthOf(2025, 1), coalition.MonthOf(2025, 2)
	c := func(iso string, m coalition.Month, committed, tba int64) coalition.Commitment {
		return coalition.Commitment{ISO3: iso, Month: m, CommittedEUR: committed, ToBeAllocatedEUR: tba, Dataset: "kiel", Release: "1",
			Source: "test", AsOf: coalition.Date{Y: 2025, M: 2, D: 28}}
	}
	must(t, s.ReplaceCommitments(sys, "kiel", []coalition.Commitment{c("DEU", jan, 1_000_01, 500_00), c("DEU", feb, 200_00, -100_00), c("FRA", feb, 300_00, 0)}))
	got, err := s.CommitmentTotals(coalition.WithUser(sys, nil), coalition.DonorFilter{})
	must(t, err)
	if len(got) != 2 || got[0].ISO3 != "DEU" || got[0].CommittedEUR != 1200.01 || got[0].ToBeAllocatedEUR != 400 || got[1].CommittedEUR != 300 {
		t.Fatalf("totals %+v, want DEU 1200.01 (400 to be allocated), then FRA 300", got)
	}
	if got[0].AsOf != (coalition.Date{Y: 2025, M: 2, D: 28}) || got[0].Source != "test" {
		t.Errorf("as of %v source %q", got[0].AsOf, got[0].Source)
	}
	got, err = s.CommitmentTotals(sys, coalition.DonorFilter{Since: feb, Until: feb})
	must(t, err)
	if len(got) != 2 || got[0].ISO3 != "FRA" || got[1].CommittedEUR != 200 || got[1].ToBeAllocatedEUR != -100 {
		t.Fatalf("February: %+v, want FRA 300 then DEU 200 (−100 to be allocated)", got)
	}
	// A new release replaces the old one's rows.
	must(t, s.ReplaceCommitments(sys, "kiel", []coalition.Commitment{c("FRA", jan, 1_00, 1_00)}))
	got, err = s.CommitmentTotals(sys, coalition.DonorFilter{})
	must(t, err)
	if len(got) != 1 || got[0].ISO3 != "FRA" || got[0].CommittedEUR != 1 {
		t.Fatalf("after the replacement: %+v, want FRA 1 alone", got)
	}
	wantKind(t, s.ReplaceCommitments(coalition.WithUser(sys, nil), "kiel", nil), coalition.Unauthorized)
	got, err = s.CommitmentTotals(sys, coalition.DonorFilter{})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("a refused replacement changed the rows: %+v", got)
	}
}
