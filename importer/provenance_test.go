package importer

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// The hand-written provenance encoder gives valid JSON that decodes to the
// same values as encoding/json's, for any strings, invalid UTF-8 included.
func TestProvenanceMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	alphabet := []string{"a", "Z", "\"", "\\", "\n", "\t", "\x01", "\x1f", "<", "&", "é", "€", "\u2028", "\xff", "\xe2\x82", "😀", " "}
	str := func() string {
		var b []byte
		for n := rng.IntN(8); n > 0; n-- {
			b = append(b, alphabet[rng.IntN(len(alphabet))]...)
		}
		return string(b)
	}
	for i := 0; i < 5000; i++ {
		o := &Options{File: str(), SHA256: str(), User: str(), ImportedAt: time.Date(2026, 11, 29, 5, 0, 0, rng.IntN(1e9), time.UTC)}
		sheet, row := str(), rng.IntN(1e6)
		var extra map[string]string
		if rng.IntN(2) == 0 {
			extra = map[string]string{str(): str(), "activity": str()}
		}
		got := o.provenance(sheet, row, extra)
		var a, b Provenance
		if err := json.Unmarshal([]byte(got), &a); err != nil {
			t.Fatalf("%q is not JSON: %v", got, err)
		}
		want, _ := json.Marshal(Provenance{File: o.File, SHA256: o.SHA256, Sheet: sheet, Row: row, ImportedAt: o.ImportedAt, User: o.User, Extra: extra})
		if err := json.Unmarshal(want, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("provenance %s\ndecodes to %+v\nencoding/json: %+v", got, a, b)
		}
	}
	// The cached parts follow the options when they change.
	o := &Options{File: "a.xml", SHA256: "1", User: "u"}
	first := o.provenance("", 1, nil)
	o.File = "b.xml"
	var p Provenance
	json.Unmarshal([]byte(o.provenance("", 1, nil)), &p)
	if p.File != "b.xml" || first == o.provenance("", 1, nil) {
		t.Fatalf("provenance kept the old file name: %s", o.provenance("", 1, nil))
	}
}
