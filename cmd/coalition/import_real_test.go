package main

import (
	"strings"
	"testing"

	"coalition/internal/check"
)

// TestImportRealFileSummary: the CLI says how many records were skipped
// and why, in the text summary and in the JSON report alike, on IATI's
// own example file, whose one transaction goes to Turkmenistan (issue 24:
// an error, exit 2, before).
func TestImportRealFileSummary(t *testing.T) {
	db := tempDB(t)
	file := "../../importer/testdata/real/iati-activity-standard-example-annotated.xml"
	out, errOut, err := cli(t, nil, "import", "iati", file, "--recipient", "UA", "--db", db)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if want := "skipped: iati-activity-standard-example-annotated.xml: another recipient: 1"; !strings.Contains(out, want) {
		t.Errorf("summary %q lacks %q", out, want)
	}
	rep := importJSON(t, "iati", file, "--recipient", "UA", "--db", db)
	check.Facts(t,
		check.Eq("rows", rep.Files[0].Stats.Rows, 1),
		check.Eq("skipped: another recipient", rep.Files[0].Stats.SkippedBy["another recipient"], 1),
		check.Eq("invalid", rep.Files[0].Stats.Invalid, 0),
		check.Eq("committed", rep.Committed, true),
	)
}
