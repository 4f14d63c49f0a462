package report

import (
	"fmt"
	"strings"

	"coalition"
)

// groupBases writes coverage's need basis per support type with the
// types that share a basis named together ("military, financial: …"), so
// that the brief's one page says it once; basis when there are none.
func groupBases(bases map[string]string, basis string) string {
	if len(bases) == 0 {
		return basis
	}
	var order []string
	types := map[string][]string{}
	for _, t := range coalition.SupportTypes {
		b, ok := bases[string(t)]
		if !ok {
			continue
		}
		if _, seen := types[b]; !seen {
			order = append(order, b)
		}
		types[b] = append(types[b], string(t))
	}
	parts := make([]string, 0, len(order))
	short := strings.NewReplacer(historicalBasis(), fmt.Sprintf("historical model (%s..%s average support; not an assessed need)", BaselineFrom, BaselineTo))
	for _, b := range order {
		parts = append(parts, strings.Join(types[b], ", ")+": "+short.Replace(b))
	}
	return strings.Join(parts, "; ")
}

// riskEventLine is a risk event as the brief's risk table shows it: its
// date, kind and label with the user's probability and factor; its source
// is in the brief's sources, and a date no primary source confirms is
// marked.
func riskEventLine(ev *coalition.RiskEvent) string {
	mark := ""
	if strings.HasPrefix(ev.Source, "UNVERIFIED") {
		mark = " [date unverified]"
	}
	label := strings.TrimPrefix(ev.Label, ev.ISO3+": ") // the table's row names the member
	if r := []rune(label); len(r) > briefEventLabel {
		label = strings.TrimSpace(string(r[:briefEventLabel-1])) + "…" // in full on /risk and the country page
	}
	return fmt.Sprintf("%s %s: %s (p %.2f, support × %.2f)%s", ev.Date, ev.Kind, label, ev.Probability, ev.Factor, mark)
}

// briefEventLabel is the longest event label the brief's risk table shows
// (runes), so that each event fits a line or two of the two-page brief.
const briefEventLabel = 40

// cutEngagementSources cuts each engagement's source to a line of the
// brief (briefSource) and cites the whole of a cut one in the sources.
func cutEngagementSources(rep *BriefReport) {
	if rep.Engagements == nil {
		return
	}
	for _, list := range [][]BriefEngagement{rep.Engagements.Past, rep.Engagements.Scheduled} {
		for i := range list {
			e := &list[i]
			if cut := briefSource(e.Source); cut != e.Source {
				rep.Sources = append(rep.Sources, Source{Figure: fmt.Sprintf("engagement (%s %s)", e.Date, e.Kind), Source: e.Source})
				e.Source = cut
			}
		}
	}
}
