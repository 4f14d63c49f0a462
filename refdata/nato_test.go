package refdata_test

import (
	"strings"
	"testing"

	"coalition/internal/reftest"
	"coalition/refdata"
)

// Every ally's row in the NATO table carries a grade; a figure is never
// unverified and a blank is always so; TASS and defence-ua carry no row
// above secondary; the counts are those nato_sources.md
// reports, so an edit of the table must update the notes.
func TestNATO2025eGrades(t *testing.T) {
	vals, srcs, err := refdata.NATO2025e()
	if err != nil {
		t.Fatal(err)
	}
	recs := reftest.Refdata(t, refdata.NATO2025File)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if len(recs)-1 != 32 {
		t.Fatalf("%d allies, want 32", len(recs)-1)
	}
	n := map[string]int{}
	for _, r := range recs[1:] {
		iso, g := r[col["iso3"]], r[col["grade"]]
		n[g]++
		_, has := vals[iso]
		if has != (g != refdata.GradeUnverified) {
			t.Errorf("%s: grade %s, figure present %v", iso, g, has)
		}
		if has && !strings.HasSuffix(srcs[iso], "(grade: "+g+")") {
			t.Errorf("%s: source %q does not end with its grade %s", iso, srcs[iso], g)
		}
		weak := strings.Contains(srcs[iso], "tass.com") || strings.Contains(srcs[iso], "defence-ua.com")
		if weak && g != refdata.GradeSecondary {
			t.Errorf("%s rests on TASS or defence-ua but is graded %s: %s", iso, g, srcs[iso])
		}
	}
	want := map[string]int{refdata.GradePress: 11, refdata.GradeSecondary: 14, refdata.GradeUnverified: 7}
	for g, w := range want {
		if n[g] != w {
			t.Errorf("%d rows graded %s, want %d (nato_sources.md)", n[g], g, w)
		}
	}
	if vals["BGR"] != 2.06 {
		t.Errorf("BGR 2025e = %v, want 2.06 (Table 3 as transcribed)", vals["BGR"])
	}
	for _, iso := range []string{"HRV", "GRC", "HUN", "MNE", "SVK", "SVN", "ISL"} {
		if _, ok := vals[iso]; ok {
			t.Errorf("%s has a 2025e figure but no source for it was found", iso)
		}
	}
}
