package coalition

import (
	"regexp"
	"testing"
)

// TestValidISO3MatchesPattern: ValidISO3 says what the pattern ^[A-Z]{3}$
// says, on every string of up to four bytes over an alphabet of the
// letters' edges, lower case, digits, multi-byte UTF-8 and control bytes.
func TestValidISO3MatchesPattern(t *testing.T) {
	re := regexp.MustCompile(`^[A-Z]{3}$`)
	alphabet := []byte{'A', 'B', 'M', 'Z', '@', '[', 'a', 'z', '0', '9', ' ', '\n', 0, 0x7f, 0x80, 0xC3, 0xBF}
	var walk func(prefix []byte)
	n := 0
	walk = func(prefix []byte) {
		s := string(prefix)
		n++
		if got, want := ValidISO3(s), re.MatchString(s); got != want {
			t.Fatalf("ValidISO3(%q) = %v, the pattern says %v", s, got, want)
		}
		if len(prefix) == 4 {
			return
		}
		for _, b := range alphabet {
			walk(append(prefix[:len(prefix):len(prefix)], b))
		}
	}
	walk(nil)
	if n < 80000 {
		t.Fatalf("checked %d strings", n)
	}
	for _, s := range []string{"UKR", "USA", "EUI", "ukr", "UK", "UKRA", "U1R", "ÜKR", ""} {
		if ValidISO3(s) != re.MatchString(s) {
			t.Errorf("ValidISO3(%q) differs from the pattern", s)
		}
	}
}
