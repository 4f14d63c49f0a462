package importer

import (
	"strings"
	"testing"

	"coalition"
)

// TestKielRealWorkbookRelease7 reads an excerpt of a real Kiel Ukraine
// Support Tracker workbook (Release 7, data from January 24 to October 3,
// 2022, with the early, human-readable headers: "countries", "Announcement Date", "Converted Value in EUR",
// "No. of Units", "Month3"; testdata/real/SOURCES.md): 20 of its 1,032
// MAIN DATA rows, cut by scripts/kielexcerpt with their values, types and
// formats (dates as serial numbers in cells of Excel's built-in format 14,
// amounts of format 3 "#,##0" holding full precision).
//
// The whole workbook, read the same way: 1,032 rows, 375 records, 600 item
// rows of packages, 55 rows without a value, 1 undated row, 1 invalid row
// (the typo below); 38 approximate dates, 22 undisclosed quantities.
func TestKielRealWorkbookRelease7(t *testing.T) {
	opt := testOptions("kiel-release-7-excerpt.xlsx")
	opt.Names = NewNames(nil)
	var c Collect
	st, err := KielXLSX(bg, open(t, "testdata/real/kiel-release-7-excerpt.xlsx"), opt, &c)
	// Row 20 (the original's row 214, Estonia's field hospital EEM3): Kiel
	// typed 373319 in a date cell; Excel shows it as a date of 2922.
	want := `kiel-release-7-excerpt.xlsx:Bilateral assistance, MAIN DATA!20:announcement_date: "373319" is not a plausible date: ` +
		`as an Excel date it is 2922-02-09 (dates from 1998-07-25 to 2064-04-07 are read)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	eq(t, "rows", st.Rows, 20)
	eq(t, "records", st.Records, 13)
	eq(t, "invalid", st.Invalid, 1)
	eq(t, "skipped", st.Skipped, 6)
	// Rows 7-10 and 13 (AUM3's and AUM5's items): the package's value is on
	// its first row (Total_value_dummy 0).
	eq(t, "skipped: package items", st.SkippedBy["item row of a package (its value is on the package's first row)"], 5)
	// Row 15 (CZM8): "unspecified", and Kiel's Month3 is 0.
	eq(t, "skipped: undated", st.SkippedBy["no date stated (Kiel: unspecified) and no tracker month"], 1)
	eq(t, "approximate dates", st.Flagged["approximate announcement date"], 5)
	eq(t, "undisclosed quantities", st.Flagged["undisclosed quantity"], 2)
	p := byRef(c.Pledges)
	// AUH1 (row 2): Australia, AUD 35,000,000 of humanitarian assistance;
	// Announcement Date <v>44621</v> in format 14 = 2022-03-01; Converted
	// Value in EUR <v>23456872.863749079</v> (Kiel's conversion at its AUD
	// rate, 35,000,000 / 23,456,872.86 = 1.4921 AUD per EUR) = €23,456,872.86,
	// not the €23,456,873 the #,##0 format displays.
	au := realPledge(t, p, "AUH1/commitment")
	eq(t, "AUH1 donor", au.Donor, "AUS")
	eq(t, "AUH1 status", au.Status, coalition.Committed)
	eq(t, "AUH1 category", au.Category, "humanitarian")
	eq(t, "AUH1 EUR", au.AmountEUR, int64(23_456_872_86))
	eq(t, "AUH1 announced", au.Announced.String(), "2022-03-01")
	// DKH1 (row 18): Denmark, DKK 8,000,000, Announcement Date "not
	// specified, 03/22" → March 2022, approximate; €1,075,731.50 (Kiel's
	// 1075731.4974182444: 7.4368 DKK per EUR).
	dk := realPledge(t, p, "DKH1/commitment")
	eq(t, "DKH1 EUR", dk.AmountEUR, int64(1_075_731_50))
	eq(t, "DKH1 announced", dk.Announced.String(), "2022-03-01")
	if !strings.Contains(dk.Provenance, `"announcement_date_text":"not specified, 03/22"`) {
		t.Errorf("DKH1 provenance %s", dk.Provenance)
	}
	// AUM3 (row 6): "undisclosed" units: no quantity, the word kept.
	aum3 := realPledge(t, p, "AUM3/commitment")
	eq(t, "AUM3 quantity", aum3.Quantity, (*int64)(nil))
	// DKM4 (row 19): "unclear, 09/2022" dates it September 2022, while
	// Kiel's tracker month (Month3 = 10) gives the window, October 2022.
	dkm := realPledge(t, p, "DKM4/commitment")
	eq(t, "DKM4 announced", dkm.Announced.String(), "2022-09-01")
	eq(t, "DKM4 window", dkm.DeliverFrom.String(), "2022-10")
}
