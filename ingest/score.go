package ingest

// Score counts what an extraction found against what a reader expected:
// true positives, false positives and false negatives, each item matched
// at most once (a multiset). The corpus gates (corpus_test.go) and the
// learned component's measurement (ingest/cmd/train) both count with it,
// so the figures they report are computed one way.
type Score struct{ TP, FP, FN int }

// Add counts one text's items found (got) against those expected (want).
func (s *Score) Add(got, want []string) {
	left := map[string]int{}
	for _, w := range want {
		left[w]++
	}
	for _, g := range got {
		if left[g] > 0 {
			left[g]--
			s.TP++
		} else {
			s.FP++
		}
	}
	for _, n := range left {
		s.FN += n
	}
}

// Merge adds the counts of o to s.
func (s *Score) Merge(o Score) { s.TP, s.FP, s.FN = s.TP+o.TP, s.FP+o.FP, s.FN+o.FN }

// Precision is TP / (TP + FP), 1 when nothing was found.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP / (TP + FN), 1 when nothing was expected.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// F1 is the harmonic mean of precision and recall, 0 when both are 0.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
