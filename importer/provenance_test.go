package importer

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"coalition"
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

// iatiExtra writes its entries in the order of their keys, so that the
// provenance of an IATI record is the one the map of the same entries
// gives (encoding/json's order), every optional entry present or not.
func TestIATIExtraInKeyOrder(t *testing.T) {
	o := &Options{File: "f.xml", SHA256: "00", User: "u", ImportedAt: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	vd := coalition.Date{Y: 2024, M: 3, D: 1}
	for mask := range 16 {
		act := &iatiActivity{id: "XM-1", defCur: "EUR"}
		tx := &iatiTx{typ: "3", value: "10", cur: "EUR"}
		share := 1.0
		if mask&1 != 0 {
			tx.net = iatiNet{minus: 5, by: []int{7, 9}}
		}
		if mask&2 != 0 {
			tx.provider.activity = "P-1"
		}
		if mask&4 != 0 {
			tx.receiver = iatiOrg{ref: "R", name: "Receiver", activity: "R-1"}
		}
		if mask&8 != 0 {
			share = 0.25
		}
		fields := iatiExtra(nil, act, tx, share, vd, iatiReceiver(tx))
		m := map[string]string{}
		for i, f := range fields {
			if i > 0 && fields[i-1].k >= f.k {
				t.Fatalf("mask %d: %q before %q", mask, fields[i-1].k, f.k)
			}
			m[f.k] = f.v
		}
		if got, want := o.provenanceFields("", 3, fields), o.provenance("", 3, m); got != want {
			t.Errorf("mask %d: %s\nwant %s", mask, got, want)
		}
	}
}
