package ingest

import (
	"strings"
	"testing"

	"coalition"
)

// TestPledgeClauses checks that a pledge verb and its subject count only for
// the amounts of their own clause, and how amounts of several donors are
// split. The sentences are written for this test (not corpus texts).
func TestPledgeClauses(t *testing.T) {
	kb := mustKB(t)
	date := coalition.Date{Y: 2025, M: 3, D: 12}
	tests := []struct {
		name  string
		text  string
		want  []string // pledges: donor value currency
		joint bool     // a joint_pledge flag is raised
	}{
		{"pledge verb in another clause", "Partners have contributed $2bn to Ukraine, and Denmark pledged €300m on Monday.",
			[]string{"DNK EUR 3e+08"}, false},
		{"two clauses, two donors", "Germany announced €500m for Ukraine and the Netherlands pledged €150m.",
			[]string{"DEU EUR 5e+08", "NLD EUR 1.5e+08"}, false},
		{"respectively", "Norway and Denmark pledged €200m and €100m respectively for Ukraine.",
			[]string{"NOR EUR 2e+08", "DNK EUR 1e+08"}, false},
		{"each", "Estonia and Latvia will each provide €50m to Ukraine.",
			[]string{"EST EUR 5e+07", "LVA EUR 5e+07"}, false},
		{"amount each", "Estonia and Latvia will provide €50m each to Ukraine.",
			[]string{"EST EUR 5e+07", "LVA EUR 5e+07"}, false},
		{"own currencies", "Norway and Sweden pledged NOK 1bn and SEK 2bn for Ukraine.",
			[]string{"NOR NOK 1e+09", "SWE SEK 2e+09"}, false},
		{"joint, not split", "Sweden and Norway will jointly fund a €400m package for Ukraine.",
			[]string{"SWE EUR 4e+08"}, true},
		{"relative clause is not the pledge's", "Denmark will provide €100m to repair power plants, which the World Bank estimates need €14bn.",
			[]string{"DNK EUR 1e+08"}, false},
		{"verb and subject across a comma", "Germany will provide, as part of a new package, €500m for Ukraine.",
			[]string{"DEU EUR 5e+08"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Extract(tt.text, kb, Options{Date: date})
			var got []string
			for _, p := range x.Proposals {
				if p.Type == ProposePledge {
					got = append(got, p.Donor+" "+money(p.Amount.Value, p.Amount.Currency))
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("pledges = %q, want %q (amounts %+v)", got, tt.want, x.Amounts)
			}
			joint := false
			for _, f := range x.Flags {
				joint = joint || f.Kind == FlagJoint
			}
			if joint != tt.joint {
				t.Errorf("joint flag = %v, want %v (flags %+v)", joint, tt.joint, x.Flags)
			}
		})
	}
}
