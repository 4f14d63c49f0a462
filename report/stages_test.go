package report_test

import (
	"encoding/csv"
	"errors"
	"math"
	"strconv"
	"testing"

	"coalition"
	"coalition/refdata"
	"coalition/report"
	"coalition/seed"
)

// TestStagesReconcileKiel: on the bundled data every donor's committed and
// pipeline figures are Kiel's, summed straight from data_explorer.csv:
// committed = Σ commitments, pipeline = Σ to_be_allocated, and committed =
// allocated + pipeline (a commitment and its allocation are stages of the
// same support, never added together).
func TestStagesReconcileKiel(t *testing.T) {
	s := seeded(t)
	var rep coalition.LoadReport
	must(t, seed.LoadCommitments(sys, s, false, &rep))
	f, err := refdata.Open(refdata.KielFile)
	must(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	must(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	committed, pipeline := map[string]float64{}, map[string]float64{}
	for _, r := range rows[1:] {
		iso := r[col["iso"]]
		if iso == "EU" {
			iso = "EUI"
		}
		c, err1 := strconv.ParseFloat(r[col["commitments"]], 64)
		p, err2 := strconv.ParseFloat(r[col["to_be_allocated"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %v: %v %v", r, err1, err2)
		}
		committed[iso] += c * 1e9
		pipeline[iso] += p * 1e9
	}
	stage := func(name string) map[string]coalition.DonorTotal {
		rows, err := report.DonorStage(sys, s, coalition.DonorFilter{}, name)
		must(t, err)
		out := map[string]coalition.DonorTotal{}
		for _, r := range rows {
			out[r.ISO3] = r
		}
		return out
	}
	com, pip, alloc := stage(report.StageCommitted), stage(report.StagePipeline), stage(report.StageAllocated)
	if len(com) != len(committed) || len(pip) != len(pipeline) {
		t.Fatalf("%d committed and %d pipeline rows, want %d donors", len(com), len(pip), len(committed))
	}
	var sumC, sumP float64
	for iso, want := range committed {
		// Kiel writes EUR bn with six decimals: EUR 1,000 a row.
		if got := com[iso].TotalEUR; math.Abs(got-want) > 1000 {
			t.Errorf("%s committed %.2f, Kiel %.2f", iso, got, want)
		}
		if got := pip[iso].TotalEUR; math.Abs(got-pipeline[iso]) > 0.01 {
			t.Errorf("%s pipeline %.2f, Kiel %.2f", iso, got, pipeline[iso])
		}
		if got := com[iso].TotalEUR; math.Abs(got-(alloc[iso].TotalEUR+pip[iso].TotalEUR)) > 0.01 {
			t.Errorf("%s committed %.2f ≠ allocated %.2f + pipeline %.2f", iso, got, alloc[iso].TotalEUR, pip[iso].TotalEUR)
		}
		sumC += com[iso].TotalEUR
		sumP += pip[iso].TotalEUR
	}
	// Kiel release 29: EUR 547.98 bn committed, 189.58 bn to be allocated.
	if math.Abs(sumC-547.98e9) > 0.01e9 || math.Abs(sumP-189.58e9) > 0.01e9 {
		t.Errorf("committed %.2f bn, pipeline %.2f bn; want 547.98 and 189.58", sumC/1e9, sumP/1e9)
	}
	t.Run("a type leaves Kiel's untyped commitments out", func(t *testing.T) {
		rows, err := report.DonorStage(sys, s, coalition.DonorFilter{Type: coalition.Military}, report.StagePipeline)
		must(t, err)
		if len(rows) != 0 {
			t.Errorf("military pipeline: %d rows (%+v), want none (Kiel's commitments have no type; no pledge is at status committed)", len(rows), rows[0])
		}
	})
	t.Run("stage with attribution", func(t *testing.T) {
		_, err := report.Donors(sys, s, coalition.DonorFilter{}, report.StagePipeline, report.AttributeContributors)
		var e *coalition.Error
		if !asCoalitionError(err, &e) || e.Field != "attribute" {
			t.Fatalf("pipeline attributed: %v, want an error naming attribute", err)
		}
	})
}

func asCoalitionError(err error, e **coalition.Error) bool { return errors.As(err, e) }
