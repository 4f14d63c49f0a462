package ingest

import (
	"testing"

	"coalition"
)

func TestDuplicateFlags(t *testing.T) {
	kb := mustKB(t)
	x := Extract("BERLIN, 12 June 2024 – Germany will provide an additional air defence package worth €1.9 billion to Ukraine, Defence Minister Boris Pistorius said.", kb, Options{})
	d := func(s string) coalition.Date { v, _ := coalition.ParseDate(s); return v }
	// a fixed rate for the test: 1 EUR = 1.08 USD, so $2.05bn = 2.05/1.08 = €1.898bn
	toEUR := func(v float64, cur string, _ coalition.Date) (float64, bool) {
		switch cur {
		case "EUR":
			return v, true
		case "USD":
			return v / 1.08, true
		}
		return 0, false
	}
	for _, tc := range []struct {
		name  string
		e     ExistingPledge
		conv  ToEUR
		flags int
	}{
		{"same amount, same donor, 5 days apart", ExistingPledge{ID: 1, Donor: "DEU", Value: 1.9e9, Currency: "EUR", Date: d("2024-06-07")}, nil, 1},
		{"within 10%: 1.75bn vs 1.9bn is 7.9% off", ExistingPledge{ID: 2, Donor: "DEU", Value: 1.75e9, Currency: "EUR", Date: d("2024-06-12")}, nil, 1},
		{"outside 10%: 1.5bn vs 1.9bn is 26.7% off", ExistingPledge{ID: 3, Donor: "DEU", Value: 1.5e9, Currency: "EUR", Date: d("2024-06-12")}, nil, 0},
		{"another donor", ExistingPledge{ID: 4, Donor: "FRA", Value: 1.9e9, Currency: "EUR", Date: d("2024-06-12")}, nil, 0},
		{"60 days apart", ExistingPledge{ID: 5, Donor: "DEU", Value: 1.9e9, Currency: "EUR", Date: d("2024-04-13")}, nil, 0},
		{"in dollars with a rate: €1.898bn vs €1.9bn", ExistingPledge{ID: 6, Donor: "DEU", Value: 2.05e9, Currency: "USD", Date: d("2024-06-12")}, toEUR, 1},
		{"in dollars without a rate", ExistingPledge{ID: 7, Donor: "DEU", Value: 2.05e9, Currency: "USD", Date: d("2024-06-12")}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DuplicateFlags(x, []ExistingPledge{tc.e}, tc.conv)
			if len(got) != tc.flags {
				t.Fatalf("got %d flags %+v, want %d", len(got), got, tc.flags)
			}
			for _, f := range got {
				if f.Kind != FlagDuplicate || f.Span == nil {
					t.Errorf("flag %+v: want kind duplicate with a span", f)
				}
			}
		})
	}
}
