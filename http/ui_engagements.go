package http

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"coalition"
)

// allEngagements reads every page of engagements matching f, oldest first.
func (s *server) allEngagements(ctx context.Context, f coalition.EngagementFilter) ([]*coalition.Engagement, error) {
	f.Limit = coalition.MaxPageSize
	var out []*coalition.Engagement
	for {
		items, more, err := s.store.FindEngagements(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if !more || len(items) == 0 {
			break
		}
		f.After = items[len(items)-1].ID
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// participantView is a participant with its country's name.
type participantView struct {
	Name, Role, ISO3, Country string
}

// engagementRow is one engagement as the timeline and tables show it.
type engagementRow struct {
	ID           int64
	Date         coalition.Date
	Kind         string
	Title        string
	Summary      string
	Participants []participantView
	Topics       []string
	Asks         string
	Outcomes     string
	Sources      []string
	Unverified   bool // its source says UNVERIFIED: shown with unverifiedMark
	Edit         bool // the reader may edit it (markEditable)
}

// unverifiedMark follows the title of an engagement whose source is graded
// unverified (coalition.Engagement.SourceUnverified), on the timeline, in
// its table and CSV, and in the lists of the coalition and country pages
// (issue 15 §4): never shown silently as fact.
const unverifiedMark = "(source unverified)"

// markedTitle is the row's title with unverifiedMark after it when its
// source is unverified.
func (e engagementRow) markedTitle() string {
	if e.Unverified {
		return e.Title + " " + unverifiedMark
	}
	return e.Title
}

func engagementRows(es []*coalition.Engagement, names map[string]string) []engagementRow {
	out := make([]engagementRow, 0, len(es))
	for _, e := range es {
		row := engagementRow{ID: e.ID, Date: e.Date, Kind: string(e.Kind), Title: e.Title, Summary: e.Summary,
			Topics: e.Topics, Asks: e.Asks, Outcomes: e.Outcomes, Sources: splitSources(e.Source), Unverified: e.SourceUnverified()}
		row.Title, row.Summary = titleOnce(e.Title, e.Summary)
		for _, p := range e.Participants {
			name := names[p.ISO3]
			if name == "" {
				name = p.ISO3
			}
			row.Participants = append(row.Participants, participantView{Name: p.Name, Role: p.Role, ISO3: p.ISO3, Country: name})
		}
		out = append(out, row)
	}
	return out
}

// titleOnce is an engagement's heading and the text under it, saying
// nothing twice (issue 21): a title that is the summary's beginning (cut
// at 100 characters with "…", or at its first ":" or ";") becomes the
// summary's first clause in full, and the text under it the rest of the
// summary; a clause whose brackets the cut left open is the whole summary.
func titleOnce(title, summary string) (string, string) {
	title, summary = strings.TrimSpace(title), strings.TrimSpace(summary)
	cut := strings.TrimSpace(strings.TrimSuffix(title, "…"))
	switch {
	case title == "":
		return summary, ""
	case summary == title:
		return title, ""
	case cut == "" || !strings.HasPrefix(summary, cut):
		return title, summary
	}
	head, rest := cut, summary[len(cut):]
	if strings.HasSuffix(title, "…") {
		if i := strings.IndexAny(rest, ":;"); i >= 0 {
			head, rest = head+rest[:i], rest[i:]
		} else {
			head, rest = summary, ""
		}
	}
	if strings.Count(head, "(") > strings.Count(head, ")") {
		return summary, ""
	}
	rest = strings.TrimLeft(rest, ":; ")
	if r, n := utf8.DecodeRuneInString(rest); n > 0 {
		rest = string(unicode.ToUpper(r)) + rest[n:]
	}
	return head, rest
}

// participantsText is "Australia (Prime Minister Albanese); United States".
func participantsText(ps []participantView) string {
	var parts []string
	for _, p := range ps {
		s := p.Country
		if p.Name != "" {
			s += " (" + strings.TrimSpace(p.Role+" "+p.Name) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// timelineData is engagements as points on a time axis, one lane per kind.
type timelineData struct {
	Kinds  []string        `json:"kinds"`
	Points []timelinePoint `json:"points"`
}

type timelinePoint struct {
	Date  string `json:"date"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
}

// engagementQuery is the engagements page's filter.
type engagementQuery struct {
	Country, Topic, Kind string
}

func engagementParams(r *http.Request) (engagementQuery, error) {
	p := params{r: r}
	q := engagementQuery{Country: p.iso3("country"), Topic: p.str("topic"), Kind: p.str("kind")}
	if q.Kind != "" && !coalition.EngagementKind(q.Kind).Valid() {
		p.fail("kind", "%q is not one of call, meeting, summit, letter, statement, pledge", q.Kind)
	}
	return q, p.err
}

func (q engagementQuery) encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"country": q.Country, "topic": q.Topic, "kind": q.Kind} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// engagementsChart is the timeline with the table behind it.
func engagementsChart(rows []engagementRow, q engagementQuery) chart {
	ch := chart{ID: "engagement-timeline", Title: "Timeline of engagements", Kind: "timeline", CSV: "/csv/engagements" + q.encode(),
		Note: "One dot per engagement, in the lane of its kind. Each engagement's sources are listed with it below, in the table and in the CSV."}
	d := timelineData{Points: []timelinePoint{}}
	for _, k := range coalition.EngagementKinds {
		d.Kinds = append(d.Kinds, string(k))
	}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Engagements, oldest first", Columns: []column{
		{Label: "Date", Name: "date"}, {Label: "Kind", Name: "kind"}, {Label: "What happened", Name: "title"},
		{Label: "Participants", Name: "participants"}, {Label: "Topics", Name: "topics"}, {Label: "Sources", Name: "sources"},
	}}
	for _, e := range rows {
		d.Points = append(d.Points, timelinePoint{Date: e.Date.String(), Kind: e.Kind, Title: e.markedTitle()})
		if e.Date.After(ch.AsOf) {
			ch.AsOf = e.Date
		}
		ch.Table.Rows = append(ch.Table.Rows, []cell{
			textCell(e.Date.String()), textCell(e.Kind), textCell(e.markedTitle()), textCell(participantsText(e.Participants)),
			textCell(strings.Join(e.Topics, ", ")), textCell(strings.Join(e.Sources, " ; ")),
		})
	}
	ch.Data = d
	if len(rows) == 0 {
		ch.Empty = "No engagement matches these filters. Clear the filters, add one through the API (POST /api/v1/engagements), or load the reference timeline with `coalition seed`."
	}
	return ch
}

type engagementsData struct {
	page
	Query     engagementQuery
	Rows      []engagementRow
	Timeline  chart
	Countries []option
	Topics    []option
	Kinds     []option
}

// engagementsPage is the timeline of calls, meetings, summits and
// statements, filterable by country, topic and kind.
func (s *server) engagementsPage(w http.ResponseWriter, r *http.Request) error {
	q, err := engagementParams(r)
	if err != nil {
		return err
	}
	d, err := s.engagementsView(r.Context(), q)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "engagements.html", d)
}

// engagementsView builds the page (and its CSV) for q.
func (s *server) engagementsView(ctx context.Context, q engagementQuery) (engagementsData, error) {
	d := engagementsData{page: s.newPage("Engagements", "engagements"), Query: q}
	all, err := s.allEngagements(ctx, coalition.EngagementFilter{})
	if err != nil {
		return d, err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return d, err
	}
	// The options come from every engagement; the rows are filtered in
	// memory by the same rules as the store (participant, topic, kind), so
	// the page costs one query whatever the filter.
	countries, topics := map[string]bool{}, map[string]bool{}
	var shown []*coalition.Engagement
	for _, e := range all {
		match := q.Kind == "" || string(e.Kind) == q.Kind
		hasCountry, hasTopic := q.Country == "", q.Topic == ""
		for _, p := range e.Participants {
			countries[p.ISO3] = true
			hasCountry = hasCountry || p.ISO3 == q.Country
		}
		for _, t := range e.Topics {
			topics[t] = true
			hasTopic = hasTopic || t == q.Topic
		}
		if match && hasCountry && hasTopic {
			shown = append(shown, e)
		}
	}
	d.Rows = markEditable(engagementRows(shown, names), shown, coalition.UserFrom(ctx))
	d.Timeline = engagementsChart(d.Rows, q)
	d.Countries = []option{{"", "All countries", q.Country == ""}}
	for _, iso := range sortedKeys(countries) {
		name := names[iso]
		if name == "" {
			name = iso
		}
		d.Countries = append(d.Countries, option{iso, name, q.Country == iso})
	}
	sort.SliceStable(d.Countries[1:], func(i, j int) bool { return d.Countries[1+i].Label < d.Countries[1+j].Label })
	d.Topics = []option{{"", "All topics", q.Topic == ""}}
	for _, t := range sortedKeys(topics) {
		d.Topics = append(d.Topics, option{t, t, q.Topic == t})
	}
	d.Kinds = []option{{"", "All kinds", q.Kind == ""}}
	for _, k := range coalition.EngagementKinds {
		d.Kinds = append(d.Kinds, option{string(k), string(k), q.Kind == string(k)})
	}
	return d, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
