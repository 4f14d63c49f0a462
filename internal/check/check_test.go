package check

import "testing"

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, format)
}

func TestFacts(t *testing.T) {
	r := &recorder{TB: t}
	all := Facts(r, Eq("same", 1, 1), Eq("differs", "a", "b"), AtLeast("enough", 3, 2), AtLeast("too few", 1, 2),
		Holds("set", true, "x", "non-empty"), Holds("unset", false, "", "non-empty"))
	if all {
		t.Error("Facts says all held although three did not")
	}
	if len(r.errs) != 3 {
		t.Errorf("%d messages, want one per failed fact (3)", len(r.errs))
	}
	if !Facts(&recorder{TB: t}, Eq("same", 2, 2)) {
		t.Error("Facts says a true fact failed")
	}
}
