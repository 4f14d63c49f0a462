package report

import (
	"context"

	"coalition"
)

// BriefThen is the headline's question (the same period) asked of the
// records as they stood at the end of AsOf, the day before the brief's
// since date (RecordsAsOf): what the last meeting would have been told.
type BriefThen struct {
	AsOf          coalition.Date `json:"as_of"`
	NeedEUR       float64        `json:"need_eur"`
	CoveredEUR    float64        `json:"covered_eur"`
	NetGapEUR     float64        `json:"net_gap_eur"`
	MonthlyGapEUR float64        `json:"monthly_gap_eur"`
	Command       string         `json:"command"`
}

// briefThen is Coverage over from..to on the records as they stood the
// day before since.
func briefThen(ctx context.Context, s coalition.Store, code string, from, to coalition.Month, since coalition.Date) (*BriefThen, error) {
	day := coalition.DateOf(since.Time().AddDate(0, 0, -1))
	cov, err := Coverage(ctx, RecordsAsOf(s, day), code, CoverageOptions{From: from, To: to})
	if err != nil {
		return nil, err
	}
	t := cov.Result.Total
	return &BriefThen{AsOf: day, NeedEUR: t.Required, CoveredEUR: t.Pledged, NetGapEUR: cov.NetGapEUR, MonthlyGapEUR: cov.MonthlyGapEUR,
		Command: "coalition coverage --coalition " + code + " --from " + from.String() + " --to " + to.String() + " --records-as-of " + day.String()}, nil
}
