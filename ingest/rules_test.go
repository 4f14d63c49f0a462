package ingest

import (
	"strings"
	"testing"

	"coalition"
)

// TestPledgeRules: the general rules of issue 20, each on sentences that
// are not in the corpus: pledges not phrased as pledges, several donors in
// one sentence, converted equivalents, earlier contributions and running
// totals, and funds for Ukraine.
func TestPledgeRules(t *testing.T) {
	kb := mustKB(t)
	date := coalition.Date{Y: 2025, M: 6, D: 2}
	for _, c := range []struct {
		name, text string
		want       []string // donor, recipient and amount of each pledge, in text order
	}{
		{"progressive", "Finland is sending Ukraine a package worth €90 million.", []string{"FIN UKR EUR 9e+07"}},
		{"reported would", "Healey said Britain would provide £75 million for Ukraine's navy.", []string{"GBR UKR GBP 7.5e+07"}},
		{"supply under a contract", "Germany will supply Ukraine with radars under a €300 million contract with Hensoldt.", []string{"DEU UKR EUR 3e+08"}},
		{"gapped donors", "Germany announced €500 million for Ukraine, the Netherlands €150 million and Belgium €100 million.", []string{"DEU UKR EUR 5e+08", "NLD UKR EUR 1.5e+08", "BEL UKR EUR 1e+08"}},
		{"bracketed equivalent", "Sweden will provide SEK 16.1 billion (about €1.4 billion) to Ukraine.", []string{"SWE UKR SEK 1.61e+10"}},
		{"bracketed equivalent, pounds", "Britain will give Ukraine 450 million pounds ($590 million) in drones.", []string{"GBR UKR GBP 4.5e+08"}},
		{"appositive equivalent", "Japan will provide 45 billion yen, about $290 million, to Ukraine.", []string{"JPN UKR JPY 4.5e+10"}},
		{"in addition to", "Norway will give Ukraine NOK 2 billion, in addition to the NOK 5 billion it gave in April.", []string{"NOR UKR NOK 2e+09"}},
		{"on top of", "On top of the €1 billion it announced in March, Spain will send €200 million to Ukraine.", []string{"ESP UKR EUR 2e+08"}},
		{"in addition to, no date", "In addition to the €500 million announced at the summit, Germany will provide €200 million to Ukraine.", []string{"DEU UKR EUR 2e+08"}},
		{"on top of, no date", "Poland will send €80 million to Ukraine on top of the €300 million it has pledged.", []string{"POL UKR EUR 8e+07"}},
		{"previously announced", "The Netherlands will deliver the €350 million package previously announced for Ukraine.", nil},
		{"fund for Ukraine, PURL", "Canada will contribute $200 million to NATO's PURL mechanism.", []string{"CAN UKR CAD 2e+08"}},
		{"fund for Ukraine, Energy Support Fund", "Italy will contribute €30 million to the Ukraine Energy Support Fund.", []string{"ITA UKR EUR 3e+07"}},
		{"fund for Ukraine, Drone Coalition", "Denmark is sending DKK 500 million to the Drone Coalition.", []string{"DNK UKR DKK 5e+08"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := Extract(c.text, kb, Options{Date: date})
			var got []string
			for _, p := range x.Proposals {
				if p.Type == ProposePledge {
					got = append(got, p.Donor+" "+p.Recipient+" "+money(p.Amount.Value, p.Amount.Currency))
				}
			}
			if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
				t.Errorf("pledges %q, want %q", got, c.want)
				for _, a := range x.Amounts {
					t.Logf("%s %g: %s (%s)", a.Currency, a.Value, a.Kind, a.Reason)
				}
			}
		})
	}
}
