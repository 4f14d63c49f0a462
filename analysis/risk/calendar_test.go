package risk

import (
	"errors"
	"os"
	"strings"
	"testing"

	"coalition"
)

func readCalendar(t *testing.T, countries ...string) []CalendarEvent {
	t.Helper()
	f, err := os.Open("testdata/elections.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := CalendarEvents(f, jan2026, 36, countries, nil)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestCalendarEvents(t *testing.T) {
	// USA rows: midterm 2026-11-03 (partial) and presidential + House + Senate
	// 2028-11-07 (concurrent); both inside 2026-01 … 2028-12.
	evs := readCalendar(t, "USA")
	if len(evs) != 2 {
		t.Fatalf("got %d USA events, want 2: %+v", len(evs), evs)
	}
	tests := []struct {
		month string
		kind  ElectionKind
	}{{"2026-11", KindPartial}, {"2028-11", KindConcurrent}}
	for i, tt := range tests {
		ev := evs[i]
		a := DefaultAssumptions[tt.kind]
		eq(t, tt.month+" month", ev.Event.Month.String(), tt.month)
		eq(t, tt.month+" kind", ev.Kind, tt.kind)
		eq(t, tt.month+" probability", ev.Event.Probability, a.Probability)
		eq(t, tt.month+" factor", ev.Event.Factor, a.Factor)
		eq(t, tt.month+" assumed", ev.Assumed, true)
		if !strings.Contains(ev.Event.Source, "https://") {
			t.Errorf("event %d has no source URL: %q", i, ev.Event.Source)
		}
	}
}

func TestCalendarEventsWindowAndDates(t *testing.T) {
	byCountry := EventsByCountry(readCalendar(t))
	// year-only dates are a window of the whole year, flagged: ITA "2027"
	// latest-by → 2027-01..2027-12, date unknown; no June placeholder
	ita := byCountry["ITA"]
	if len(ita) != 1 || ita[0].Earliest == nil || *ita[0].Earliest != coalition.MonthOf(2027, 1) ||
		*ita[0].Latest != coalition.MonthOf(2027, 12) || !ita[0].DateUnknown || !strings.Contains(ita[0].Label, "date unknown") {
		t.Errorf("ITA = %+v, want one event with the window 2027-01..2027-12, date unknown", ita)
	}
	// 2029 elections are outside 2026-01 + 36 months; postponed UKR has no date
	for _, iso3 := range []string{"GBR", "DEU", "UKR"} {
		if len(byCountry[iso3]) != 0 {
			t.Errorf("%s = %+v, want no event in the window", iso3, byCountry[iso3])
		}
	}
	// FRA presidential 2027-04-18: presidential kind, month 2027-04
	fra := byCountry["FRA"]
	if len(fra) != 1 || fra[0].Month != coalition.MonthOf(2027, 4) || fra[0].Probability != DefaultAssumptions[KindPresidential].Probability {
		t.Errorf("FRA = %+v, want one presidential event in 2027-04", fra)
	}
	// the events make a valid model
	m := simple(36, 100, 10)
	for iso3, evs := range byCountry {
		m.Members = append(m.Members, Member{ISO3: iso3, Events: evs})
	}
	if err := m.Validate(); err != nil {
		t.Errorf("calendar events do not validate: %v", err)
	}
}

func TestClassifyElection(t *testing.T) {
	tests := []struct {
		election string
		want     ElectionKind
	}{
		{"Midterm: all 435 House seats + 1/3 of Senate", KindPartial},
		{"Presidential + all House seats + 1/3 of Senate", KindConcurrent},
		{"Presidential and parliamentary (concurrent)", KindConcurrent},
		{"Presidential (two rounds)", KindPresidential},
		{"House of Councillors (half of the seats)", KindPartial},
		{"European Parliament election", KindSupranational},
		{"General election (House of Commons)", KindLegislative},
		{"Early parliamentary election (52nd National Assembly)", KindLegislative},
	}
	for _, tt := range tests {
		if got := classifyElection(tt.election); got != tt.want {
			t.Errorf("classifyElection(%q) = %s, want %s", tt.election, got, tt.want)
		}
	}
}

func TestCalendarEventsErrors(t *testing.T) {
	const head = "iso3,country,election,date,date_status,term_years,notes,source\n"
	tests := []struct{ name, csv, field string }{
		{"header", "iso3,country\nUSA,United States\n", "elections.csv:1"},
		{"bad date", head + "USA,United States,Midterm,2026-13-03,held,2,,https://x\n", "elections.csv:2: date"},
		{"short row", head + "USA,United States,Midterm\n", "elections.csv:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CalendarEvents(strings.NewReader(tt.csv), jan2026, 36, nil, nil)
			var ce *coalition.Error
			if !errors.As(err, &ce) || ce.Field != tt.field || ce.Kind != coalition.Invalid {
				t.Errorf("err = %v, want an Invalid error on %s", err, tt.field)
			}
		})
	}
}
