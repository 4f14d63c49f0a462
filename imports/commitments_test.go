package imports_test

import (
	"testing"

	"coalition"
	"coalition/imports"
)

const kielCommitHeader = "country,iso,year,month,total,financial,humanitarian,military,commitments,to_be_allocated\n"

// A kiel-csv release loads its commitments with its allocations, in the
// same transaction (issue 14 §4): a dry run writes neither, the same file
// again changes nothing, a newer release replaces them, a file of an
// early layout (no commitment columns) leaves them, and a bad commitment
// cell refuses the whole release.
func TestRunKielCSVCommitments(t *testing.T) {
	s := mustOpen(t)
	ctx := asAdmin()
	totals := func() map[string][2]float64 {
		ts, err := s.CommitmentTotals(ctx, coalition.DonorFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][2]float64{}
		for _, c := range ts {
			out[c.ISO3] = [2]float64{c.CommittedEUR, c.ToBeAllocatedEUR}
		}
		return out
	}
	run := func(name, content string, dry bool) *imports.Report {
		t.Helper()
		rep, err := imports.Run(ctx, s, imports.Request{Format: "kiel-csv", DryRun: dry}, []imports.File{file(name, content)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rep
	}
	// Norway commits EUR 1.2 bn in January 2025 and allocates 0.5 of it:
	// 0.7 bn still to be allocated; Germany allocates 1.0 bn of an earlier
	// commitment in February: -1.0 bn.
	r1 := kielCommitHeader + "Norway,NOR,2025,1,0.5,0,0,0.5,1.2,0.7\nGermany,DEU,2025,2,1.0,0,0,1.0,0,-1.0\n"
	if rep := run("r1.csv", r1, true); rep.Committed || len(totals()) != 0 {
		t.Fatalf("dry run: committed %v, commitments %v, want none written", rep.Committed, totals())
	}
	rep := run("r1.csv", r1, false)
	check := func(what string, iso string, committed, tba float64) {
		t.Helper()
		got := totals()[iso]
		if got != [2]float64{committed, tba} {
			t.Errorf("%s: %s commitments %v, want committed %.0f, to be allocated %.0f", what, iso, got, committed, tba)
		}
	}
	eq(t, "r1 commitments created", rep.Result.Created["commitments"], 2)
	check("r1", "NOR", 1.2e9, 0.7e9)
	check("r1", "DEU", 0, -1e9)

	rep = run("r1.csv", r1, false)
	eq(t, "r1 again: commitments unchanged", rep.Result.Unchanged["commitments"], 2)
	eq(t, "r1 again: commitments created", rep.Result.Created["commitments"], 0)

	// Release 2 adds March: Norway allocates 0.3 more of its commitment.
	r2 := r1 + "Norway,NOR,2025,3,0.3,0,0,0.3,0,-0.3\n"
	rep = run("r2.csv", r2, false)
	eq(t, "r2 commitments created", rep.Result.Created["commitments"], 3)
	check("r2", "NOR", 1.2e9, 0.4e9)

	// An early layout has no commitment columns: the allocations load, the
	// stored commitments stay.
	early := "country,iso,year,month,total,financial,humanitarian,military\nNorway,NOR,2025,4,0.1,0,0,0.1\n" +
		"Norway,NOR,2025,1,0.5,0,0,0.5\nGermany,DEU,2025,2,1.0,0,0,1.0\nNorway,NOR,2025,3,0.3,0,0,0.3\n"
	if rep = run("early.csv", early, false); !rep.Committed {
		t.Fatalf("early layout: not committed: %v", rep.Errors)
	}
	check("after the early layout", "NOR", 1.2e9, 0.4e9)

	// A bad commitment cell refuses the release: nothing changes.
	bad := r2 + "Germany,DEU,2025,5,0.2,0,0,0.2,lots,0\n"
	if rep = run("bad.csv", bad, false); rep.Committed || len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Field != "commitments" {
		t.Fatalf("a bad commitments cell: committed %v, errors %v, want bad.csv:5:commitments and nothing committed", rep.Committed, rep.Errors)
	}
	check("after the bad file", "NOR", 1.2e9, 0.4e9)
}
