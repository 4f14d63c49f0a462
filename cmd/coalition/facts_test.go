package main

import (
	"cmp"
	"fmt"
	"testing"
)

// fact is one checked fact of a result: what it is, whether it holds, and
// the value found against the one wanted, for the message.
type fact struct {
	name      string
	ok        bool
	got, want any
}

// eq is the fact that got equals want.
func eq[T comparable](name string, got, want T) fact {
	return fact{name: name, ok: got == want, got: got, want: want}
}

// atLeast is the fact that got is min or more.
func atLeast[T cmp.Ordered](name string, got, min T) fact {
	return fact{name: name, ok: got >= min, got: got, want: fmt.Sprintf("at least %v", min)}
}

// holds is a fact that is not a comparison (a non-empty text, a set
// pointer): whether it holds, the value found, and in words what is wanted.
func holds(name string, ok bool, got any, want string) fact {
	return fact{name: name, ok: ok, got: got, want: want}
}

// checkFacts reports every fact that does not hold, one message each, and
// says whether all held.
func checkFacts(t testing.TB, facts ...fact) bool {
	t.Helper()
	all := true
	for _, f := range facts {
		if !f.ok {
			t.Errorf("%s: got %v, want %v", f.name, f.got, f.want)
			all = false
		}
	}
	return all
}
