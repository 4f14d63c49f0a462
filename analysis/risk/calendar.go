package risk

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"coalition"
)

// ElectionKind classifies an election by what it can change.
type ElectionKind string

const (
	KindLegislative   ElectionKind = "legislative"   // general, parliamentary, federal: can change the government
	KindPresidential  ElectionKind = "presidential"  // a directly elected head of state
	KindConcurrent    ElectionKind = "concurrent"    // presidential and legislative on the same day
	KindPartial       ElectionKind = "partial"       // part of a legislature: US midterms, half an upper house
	KindSupranational ElectionKind = "supranational" // the European Parliament
)

// Assumption is what a user assumes of an election: the probability that it
// cuts the member's support, and the factor applied to that support from the
// election's month on.
type Assumption struct {
	Probability float64 `json:"probability"`
	Factor      float64 `json:"factor"`
}

// DefaultAssumptions are USER ASSUMPTIONS, not estimates: round numbers that
// give every scheduled election some weight, documented in
// docs/risk-model.md, meant to be edited per election. Nothing in the
// elections calendar supports them.
var DefaultAssumptions = map[ElectionKind]Assumption{
	KindLegislative:   {Probability: 0.30, Factor: 0.70},
	KindPresidential:  {Probability: 0.25, Factor: 0.75},
	KindConcurrent:    {Probability: 0.35, Factor: 0.60},
	KindPartial:       {Probability: 0.30, Factor: 0.90},
	KindSupranational: {Probability: 0.10, Factor: 0.95},
}

// CalendarEvent is a default risk event made from one row of the elections
// calendar. Event carries the month, the assumed probability and factor, a
// label and the row's sources.
type CalendarEvent struct {
	ISO3       string       `json:"iso3"`
	Country    string       `json:"country"`
	Election   string       `json:"election"`
	Kind       ElectionKind `json:"kind"`
	Date       string       `json:"date"`        // as in the calendar: YYYY-MM-DD, YYYY-MM or YYYY
	DateStatus string       `json:"date_status"` // held, fixed, announced, expected, latest-by
	Assumed    bool         `json:"assumed"`     // probability and factor are user assumptions (always true here)
	Event      Event        `json:"event"`
}

var calendarHeader = []string{"iso3", "country", "election", "date", "date_status", "term_years", "notes", "source"}

// CalendarEvents reads an elections calendar in the CSV format of
// refdata/data/elections.csv (iso3,country,election,date,date_status,
// term_years,notes,source) and returns one risk event per election whose
// month falls in the months [from, from+months), in file order. An election
// dated by its year alone gets the whole year as its window, drawn in each
// trial, and DateUnknown: no month of it is placed by assumption. If countries
// is not empty, only their rows are used. assumptions gives the probability
// and factor per kind (nil: DefaultAssumptions). Rows without a date
// (postponed elections) are left out. Errors name the line and column.
func CalendarEvents(r io.Reader, from coalition.Month, months int, countries []string,
	assumptions map[ElectionKind]Assumption) ([]CalendarEvent, error) {
	if assumptions == nil {
		assumptions = DefaultAssumptions
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(calendarHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, coalition.FieldError("elections.csv:1", "cannot read the header: %v", err)
	}
	if !slices.Equal(head, calendarHeader) {
		return nil, coalition.FieldError("elections.csv:1", "header %q, want %q",
			strings.Join(head, ","), strings.Join(calendarHeader, ","))
	}
	var out []CalendarEvent
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, coalition.FieldError(fmt.Sprintf("elections.csv:%d", line), "%v", err)
		}
		iso3, country, election, date, status, source := rec[0], rec[1], rec[2], rec[3], rec[4], rec[7]
		if len(countries) > 0 && !slices.Contains(countries, iso3) {
			continue
		}
		if date == "" {
			continue // postponed: no date to place the event at
		}
		month, err := calendarMonth(date)
		if err != nil {
			return nil, coalition.FieldError(fmt.Sprintf("elections.csv:%d: date", line), "%v", err)
		}
		last := month
		if len(date) == 4 {
			last = month.Add(11)
		}
		if last < from || month >= from.Add(months) {
			continue
		}
		kind := classifyElection(election)
		a, ok := assumptions[kind]
		if !ok {
			return nil, coalition.FieldError("assumptions", "no assumption for elections of kind %q", kind)
		}
		ev := Event{Month: month, Probability: a.Probability, Factor: a.Factor,
			Label: fmt.Sprintf("%s: %s (%s, %s)", iso3, election, date, status), Source: source}
		if len(date) == 4 {
			ev.Earliest, ev.Latest, ev.DateUnknown = &month, &last, true
			ev.Label = fmt.Sprintf("%s: %s (%s %s; date unknown: drawn within the year)", iso3, election, status, date)
		}
		out = append(out, CalendarEvent{ISO3: iso3, Country: country, Election: election, Kind: kind,
			Date: date, DateStatus: status, Assumed: true, Event: ev})
	}
	return out, nil
}

// calendarMonth reads YYYY-MM-DD, YYYY-MM or YYYY (the last as its January).
func calendarMonth(s string) (coalition.Month, error) {
	switch len(s) {
	case 10:
		d, err := coalition.ParseDate(s)
		return d.Month(), err
	case 7:
		return coalition.ParseMonth(s)
	case 4:
		y, err := strconv.Atoi(s)
		if err == nil {
			return coalition.MonthOf(y, 1), nil
		}
	}
	return 0, fmt.Errorf("%q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// classifyElection reads the kind from the election's description.
func classifyElection(election string) ElectionKind {
	e := strings.ToLower(election)
	switch {
	case strings.Contains(e, "european parliament"):
		return KindSupranational
	case strings.Contains(e, "presidential") &&
		(strings.Contains(e, "house") || strings.Contains(e, "parliament") || strings.Contains(e, "legislat")):
		return KindConcurrent
	case strings.Contains(e, "presidential"):
		return KindPresidential
	case strings.Contains(e, "midterm") || strings.Contains(e, "half of the seats"):
		return KindPartial
	}
	return KindLegislative
}

// EventsByCountry groups calendar events by ISO3, ready for Member.Events.
func EventsByCountry(events []CalendarEvent) map[string][]Event {
	out := map[string][]Event{}
	for _, ce := range events {
		out[ce.ISO3] = append(out[ce.ISO3], ce.Event)
	}
	return out
}
