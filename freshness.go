package coalition

import (
	"fmt"
	"time"
)

// Cycle is how a publisher releases a dataset: a new release about every
// Every months, with data to about Lag months before it appears.
type Cycle struct {
	Publisher string
	Every     int    // months between releases
	Lag       int    // months from the last day a release covers to its publication
	Update    string // the command that fetches the next release; "" when none does
}

// Cycles are the publishers' usual cycles of the published datasets:
//   - kiel: the Kiel Institute publishes a tracker release about every two
//     months; Release 29 (data to April 2026) appeared on 4 Aug 2026, three
//     months after its last month.
//   - ecb-fx: the ECB's monthly averages are published as each month ends.
//   - worldbank: the World Development Indicators add a year's GDP and
//     population about seven months after it ends (July).
//   - nato: NATO publishes its defence expenditure report once a year
//     (June to August); its as-of date is the report's.
var Cycles = map[string]Cycle{
	"kiel":      {Publisher: "the Kiel Institute", Every: 2, Lag: 3, Update: "coalition update kiel"},
	"ecb-fx":    {Publisher: "the ECB", Every: 1, Lag: 0, Update: "coalition update fx"},
	"worldbank": {Publisher: "the World Bank", Every: 12, Lag: 7, Update: "coalition update gdp"},
	"nato":      {Publisher: "NATO", Every: 12, Lag: 0},
}

// analysisDatasets names the published datasets each analysis reads, so
// that every output of it (the CLI's note on stderr, the API's
// Coalition-Data-Note header) says when one of them is stale; one table
// for both.
var analysisDatasets = map[string][]string{
	"brief":          {"kiel", "worldbank", "ecb-fx", "nato"},
	"capability-gap": {"kiel-weapons"},
	"channels":       {"kiel"},
	"countries":      {"worldbank", "nato"},
	"coverage":       {"kiel"},
	"donors":         {"kiel", "worldbank", "ecb-fx"},
	"donors-monthly": {"kiel", "ecb-fx"},
	"equipment":      {"kiel-weapons"},
	"export":         {"kiel", "ecb-fx"},
	"pledges":        {"kiel"},
	"procurement":    {"kiel"},
	"prospects":      {"kiel", "worldbank", "ecb-fx"},
	"risk":           {"kiel"},
	"scenario":       {"kiel", "worldbank", "ecb-fx"},
	"targets":        {"nato", "worldbank"},
}

// DatasetsUsedBy is the published datasets the named analysis reads. An
// unknown name is a programming error (a typo would silently drop the
// note), so it panics; the CLI and API tests run every caller.
func DatasetsUsedBy(analysis string) []string {
	ds, ok := analysisDatasets[analysis]
	if !ok {
		panic("coalition: no dataset list for analysis " + analysis)
	}
	return ds
}

// freshnessGrace allows for a publisher's release being a few days late.
const freshnessGrace = 7 * 24 * time.Hour

// Freshness is how old a loaded dataset is on a given day.
type Freshness struct {
	AgeDays int  `json:"age_days"` // days since the last day its data cover
	Due     Date `json:"next_release_due,omitzero"`
	// Stale is true when the publisher's next release was due more than a
	// week ago by its usual cycle: a newer release is likely out.
	Stale bool   `json:"stale"`
	Note  string `json:"stale_note,omitempty"`
}

// FreshnessOf says how old d is on day now, against its publisher's
// usual cycle (Cycles; a dataset without one is never stale).
func FreshnessOf(d DatasetInfo, now time.Time) Freshness {
	f := Freshness{AgeDays: int(now.Sub(d.AsOf.Time()).Hours() / 24)}
	c, ok := Cycles[d.Name]
	if !ok || d.AsOf.IsZero() {
		return f
	}
	f.Due = DateOf(d.AsOf.Time().AddDate(0, c.Lag+c.Every, 0))
	if now.After(f.Due.Time().Add(freshnessGrace)) {
		f.Stale = true
		how := "`" + c.Update + "` fetches it"
		if c.Update == "" {
			how = "no command fetches it (a new refdata release brings it)"
		}
		f.Note = fmt.Sprintf("%s release %s has data to %s (%d days ago); %s releases about every %s, so a newer release was due by %s: %s",
			d.Name, d.Release, d.AsOf, f.AgeDays, c.Publisher, months(c.Every), f.Due, how)
	}
	return f
}

func months(n int) string {
	if n == 1 {
		return "month"
	}
	if n == 12 {
		return "year"
	}
	return fmt.Sprintf("%d months", n)
}
