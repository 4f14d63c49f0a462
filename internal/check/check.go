// Package check holds the test helpers that tests of several packages
// share: one fact per check, each reported on its own with what was found
// and what was wanted, instead of one condition ORing several facts and
// printing a whole body (issue 23).
package check

import (
	"cmp"
	"fmt"
	"testing"
)

// Fact is one checked fact of a result: what it is, whether it holds, and
// the value found against the one wanted, for the message.
type Fact struct {
	Name      string
	OK        bool
	Got, Want any
}

// Eq is the fact that got equals want.
func Eq[T comparable](name string, got, want T) Fact {
	return Fact{Name: name, OK: got == want, Got: got, Want: want}
}

// AtLeast is the fact that got is min or more.
func AtLeast[T cmp.Ordered](name string, got, min T) Fact {
	return Fact{Name: name, OK: got >= min, Got: got, Want: fmt.Sprintf("at least %v", min)}
}

// Holds is a fact that is not a comparison (a non-empty text, a set
// pointer): whether it holds, the value found, and in words what is wanted.
func Holds(name string, ok bool, got any, want string) Fact {
	return Fact{Name: name, OK: ok, Got: got, Want: want}
}

// Facts reports every fact that does not hold, one message each, and says
// whether all held.
func Facts(t testing.TB, facts ...Fact) bool {
	t.Helper()
	all := true
	for _, f := range facts {
		if !f.OK {
			t.Errorf("%s: got %v, want %v", f.Name, f.Got, f.Want)
			all = false
		}
	}
	return all
}
