package report

import (
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
)

func n(v int64) *int64 { return &v }

// forceFixture is a requirement of three lines, worked by hand below:
//
//	land, 8 battalions, 6,000 people:
//	  GBR 3 bn, 2,400 (ceasefire, parliament), lead; FRA 2 bn, 1,500 (ceasefire), lead;
//	  DEU 2 bn, 1,600 (us-backstop, outside-ukraine); POL 1 bn, people not stated, no condition
//	air, 4 squadrons, people not stated:
//	  NLD 1 sqn (us-backstop); SWE quantity not stated, no condition
//	command, 1 headquarters... quantity not stated: GBR 1 HQ, no condition, lead
func forceFixture() ([]*coalition.ForceLine, []*coalition.ForceOffer) {
	lines := []*coalition.ForceLine{
		{ID: 1, Capability: coalition.ForceCommand, UnitType: "headquarters"},
		{ID: 2, Capability: coalition.ForceLand, UnitType: "battalion", Quantity: n(8), Personnel: n(6000), Priority: 1},
		{ID: 3, Capability: coalition.ForceAir, UnitType: "squadron", Quantity: n(4)},
	}
	offers := []*coalition.ForceOffer{
		{ID: 10, LineID: 2, Country: "GBR", Unit: "battlegroup", Quantity: n(3), Personnel: n(2400), Conditions: []string{"ceasefire", "parliament"}, Lead: true},
		{ID: 11, LineID: 2, Country: "FRA", Unit: "battlegroup", Quantity: n(2), Personnel: n(1500), Conditions: []string{"ceasefire"}, Lead: true},
		{ID: 12, LineID: 2, Country: "DEU", Unit: "brigade element", Quantity: n(2), Personnel: n(1600), Conditions: []string{"us-backstop", "outside-ukraine"}},
		{ID: 13, LineID: 2, Country: "POL", Unit: "battalion", Quantity: n(1)},
		{ID: 14, LineID: 3, Country: "NLD", Unit: "F-35 squadron", Quantity: n(1), Conditions: []string{"us-backstop"}},
		{ID: 15, LineID: 3, Country: "SWE", Unit: "Gripen detachment"},
		{ID: 16, LineID: 1, Country: "GBR", Unit: "MNF-U HQ", Quantity: n(1), Lead: true},
	}
	return lines, offers
}

func unfilled(p *int64) string {
	if p == nil {
		return "unknown"
	}
	return strconv.FormatInt(*p, 10)
}

// TestForceViewByHand checks the sourcing view of forceFixture, and the
// "no US backstop" scenario, against figures worked by hand.
func TestForceViewByHand(t *testing.T) {
	lines, offers := forceFixture()
	base := ForceView(lines, offers, nil)
	check.Facts(t,
		check.Eq("lines", len(base), 3),
		// Capability order: land, air, command (ids 2, 3, 1).
		check.Eq("order", base[0].Capability+","+base[1].Capability+","+base[2].Capability, "land,air,command"),
		// Land: offered 1 (POL); conditional 3+2+2 = 7; unfilled 8-1-7 = 0.
		check.Eq("land offered", base[0].Offered, int64(1)),
		check.Eq("land conditional", base[0].Conditional, int64(7)),
		check.Eq("land unfilled", unfilled(base[0].Unfilled), "0"),
		// People: none firm (POL states none); 2400+1500+1600 = 5500 conditional; 6000-5500 = 500.
		check.Eq("land offered personnel", base[0].OfferedPersonnel, int64(0)),
		check.Eq("land conditional personnel", base[0].ConditionalPersonnel, int64(5500)),
		check.Eq("land unfilled personnel", unfilled(base[0].UnfilledPersonnel), "500"),
		check.Eq("land leads", strings.Join(base[0].Leads, ","), "FRA,GBR"),
		check.Eq("land lapsed", len(base[0].Lapsed), 0),
		// Air: 0 firm units (SWE states none), 1 conditional, 4-1 = 3 unfilled; SWE unquantified.
		check.Eq("air offered", base[1].Offered, int64(0)),
		check.Eq("air conditional", base[1].Conditional, int64(1)),
		check.Eq("air unfilled", unfilled(base[1].Unfilled), "3"),
		check.Eq("air unquantified", base[1].Unquantified, 1),
		check.Eq("air personnel unfilled", unfilled(base[1].UnfilledPersonnel), "unknown"),
		// Command: quantity not stated, so unfilled is unknown, not zero.
		check.Eq("command offered", base[2].Offered, int64(1)),
		check.Eq("command unfilled", unfilled(base[2].Unfilled), "unknown"),
		check.Eq("command leads", strings.Join(base[2].Leads, ","), "GBR"),
		check.Eq("status GBR land", base[0].Offers[0].Status, OfferConditional),
		check.Eq("status POL land", base[0].Offers[3].Status, OfferFirm),
	)

	// No US backstop: DEU's 2 battalions (1,600 people) and NLD's squadron lapse.
	no := ForceView(lines, offers, []string{"us-backstop"})
	check.Facts(t,
		check.Eq("land conditional without backstop", no[0].Conditional, int64(5)),        // 3+2
		check.Eq("land unfilled without backstop", unfilled(no[0].Unfilled), "2"),         // 8-1-5
		check.Eq("land people without backstop", no[0].ConditionalPersonnel, int64(3900)), // 2400+1500
		check.Eq("land people unfilled without backstop", unfilled(no[0].UnfilledPersonnel), "2100"),
		check.Eq("land lapsed", len(no[0].Lapsed), 1),
		check.Eq("land lapsed country", no[0].Lapsed[0].Country, "DEU"),
		check.Eq("land lapsed status", no[0].Lapsed[0].Status, OfferLapsed),
		check.Eq("air conditional without backstop", no[1].Conditional, int64(0)),
		check.Eq("air unfilled without backstop", unfilled(no[1].Unfilled), "4"),
		check.Eq("air offers left", len(no[1].Offers), 1), // SWE, unquantified
		check.Eq("command unchanged", no[2].Offered, int64(1)),
	)

	// Without a ceasefire as well, only the unconditional offers stand.
	none := ForceView(lines, offers, []string{"us-backstop", "ceasefire"})
	check.Facts(t,
		check.Eq("land unfilled, no ceasefire", unfilled(none[0].Unfilled), "7"), // 8-1
		check.Eq("land leads, no ceasefire", len(none[0].Leads), 0),
		check.Eq("land lapsed, no ceasefire", len(none[0].Lapsed), 3),
	)
}

func TestParseConditions(t *testing.T) {
	got, err := ParseConditions([]string{"us-backstop, ceasefire", "us-backstop"})
	if err != nil {
		t.Fatal(err)
	}
	check.Facts(t, check.Eq("parsed", strings.Join(got, ","), "ceasefire,us-backstop"))
	_, err = ParseConditions([]string{"no-such"})
	check.Facts(t,
		check.Eq("kind", coalition.ErrorKind(err), coalition.Invalid),
		check.Holds("names the field", err != nil && strings.Contains(err.Error(), "without-condition"), err, "an error naming without-condition"),
	)
}
