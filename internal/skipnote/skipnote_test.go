package skipnote

import (
	"os"
	"strings"
	"testing"
)

// Say is quiet without a terminal and says each reason once; the package
// it names is the test binary's.
func TestSay(t *testing.T) {
	if got := binary(); got != "skipnote" {
		t.Errorf("binary() = %q, want skipnote (from %s)", got, os.Args[0])
	}
	Say("the test reason (no terminal needed)")
	Say("the test reason (no terminal needed)")
	n := 0
	said.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), "the test reason") {
			n++
		}
		return true
	})
	if n != 1 {
		t.Errorf("%d entries for one reason said twice, want 1", n)
	}
}
