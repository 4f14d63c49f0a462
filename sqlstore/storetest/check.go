package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"coalition"
)

// The suite states one fact per line: eq(t, "what", got, want). A failed
// fact names itself and the test goes on, so that one run shows every fact
// that differs; need stops the test where later lines would index into it.

// eq reports got != want.
func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// need is eq that stops the test: later facts depend on this one.
func need[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// same compares values that are not comparable (maps, slices) by their
// printed form, which fmt prints with sorted map keys.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

// holds reports a fact that is a condition rather than a value.
func holds(t *testing.T, what string, ok bool) {
	t.Helper()
	if !ok {
		t.Errorf("want %s", what)
	}
}

// contains reports a text that lacks sub.
func contains(t *testing.T, what, text, sub string) {
	t.Helper()
	if !strings.Contains(text, sub) {
		t.Errorf("%s = %q, want it to contain %q", what, text, sub)
	}
}

// wantInvalidField asserts err is Invalid and names exactly field.
func wantInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	var ce *coalition.Error
	if !errors.As(err, &ce) {
		t.Errorf("error = %v, want Invalid naming %s", err, field)
		return
	}
	eq(t, "error kind", ce.Kind, coalition.Invalid)
	eq(t, "error field", ce.Field, field)
}

// staleVersion asserts err is a Conflict carrying the record as it is, and
// returns that record's version (0 if it carries none).
func staleVersion(t *testing.T, err error) int64 {
	t.Helper()
	wantKind(t, err, coalition.Conflict)
	var stale *coalition.StaleError
	if !errors.As(err, &stale) {
		t.Errorf("error %v carries no current record", err)
		return 0
	}
	return versionOf(stale.Current)
}

// versionOf is the version of the records a StaleError carries.
func versionOf(rec any) int64 {
	switch r := rec.(type) {
	case *coalition.Requirement:
		return r.Version
	case *coalition.Engagement:
		return r.Version
	case *coalition.RiskEvent:
		return r.Version
	case *coalition.Scenario:
		return r.Version
	case *coalition.Pledge:
		return r.Version
	}
	return 0
}

// step is one stage of a suite whose stages build on each other's records.
type step struct {
	name string
	run  func(t *testing.T)
}

// steps runs each stage as a subtest, in order, and stops at the first that
// fails: the stages after it would start from records it did not leave.
func steps(t *testing.T, ss ...step) {
	t.Helper()
	for _, s := range ss {
		if !t.Run(s.name, s.run) {
			return
		}
	}
}
