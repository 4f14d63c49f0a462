package seed

import (
	"fmt"

	"coalition"
	"coalition/refdata"
)

// PoliticalRiskEvents turns every row of the bundled non-election risks
// (refdata/data/political_risks.csv) into a stored risk event: its kind,
// its fixed date (earliest = latest) or its window (Date is the window's
// last day, as for elections), the row's probability and factor (user
// assumptions, labelled as such in Assumption with their reasoning), and
// its source with its grade in front. Loading matches risk events on (ISO3,
// Date, Kind, Label), so users' edits survive a second seed.
func PoliticalRiskEvents() ([]*coalition.RiskEvent, error) {
	rs, err := refdata.PoliticalRisks()
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", refdata.PoliticalRisksFile, err)
	}
	out := make([]*coalition.RiskEvent, 0, len(rs))
	for _, r := range rs {
		ev := &coalition.RiskEvent{ISO3: r.ISO3, Kind: r.Kind, Date: r.Latest,
			Label:       fmt.Sprintf("%s: %s (%s)", r.ISO3, r.Label, windowText(r.Earliest, r.Latest)),
			Probability: r.Probability, Factor: r.Factor,
			Source:     gradedSource(r.Grade, r.Source),
			Assumption: fmt.Sprintf("%s Effect: %s Date: %s.", r.Assumption, r.Effect, r.Rule)}
		if r.Earliest != r.Latest {
			first, last := r.Earliest, r.Latest
			ev.Earliest, ev.Latest = &first, &last
		}
		if err := ev.Validate(); err != nil {
			return nil, fmt.Errorf("bundled %s: %s %s: %w", refdata.PoliticalRisksFile, r.ISO3, r.Label, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// windowText is "2026-10-01" for a fixed date, "window 2026-02-23..2029-10-28" for a window.
func windowText(first, last coalition.Date) string {
	if first == last {
		return first.String()
	}
	return fmt.Sprintf("window %s..%s", first, last)
}
