package http

import (
	"context"
	"math"
	"net/url"
	"sort"
	"strings"

	"coalition"
	"coalition/analysis/risk"
	"coalition/report"
)

// homeTopRisks is how many members' risk attributions the coalition's page
// names (the /risk page charts them all).
const homeTopRisks = 3

// coalitionHome is what the coalition's page adds to its members and
// coverage: the brief's headline, the recent records and the risk run of
// /risk, each from the report function that computes it elsewhere.
type coalitionHome struct {
	AsOf coalition.Date // today: the headline's records and the lists end here

	Headline        *report.BriefHeadline
	HeadlineEmpty   string // why there is no headline
	Gaps            []homeGap
	HeadlineSources []string
	HeadlineAsOf    coalition.Date
	CoverageAPI     string // the same question asked of GET /api/v1/coverage

	Pledges         []homePledge
	PledgeCount     int
	Deliveries      []homeDelivery
	DeliveryCount   int
	Engagements     []engagementRow
	EngagementCount int

	Risk      *riskView
	RiskTop   []homeRisk
	RiskQuery string // the /risk address of the same run
	// RiskSources are the run's sources but the risk events, which the
	// risk page lists one by one with theirs.
	RiskSources []string
	RiskEmpty   string // why there is no risk summary
}

type homeGap struct {
	Label                 string
	Need, Pledged, NetGap float64
}

type homePledge struct {
	ID                          int64
	Announced                   coalition.Date
	ISO3, Donor, Category       string
	EUR                         float64
	Original                    string // the announced amount where it is not in euros
	Status, Visibility, Source  string
	SourceAsOf                  coalition.Date
	DeliverFrom, DeliverTo      coalition.Month
	HasWindow, Public, Imported bool
}

type homeDelivery struct {
	Date                  coalition.Date
	PledgeID              int64
	ISO3, Donor, Category string
	EUR                   float64
	Quantity              string
	Source                string
}

type homeRisk struct {
	ISO3, Country string
	PEvent        float64
	Attribution   float64
}

// defaultRiskQuery is the run /risk makes of a coalition when nothing else
// is asked: its trials, its seed, the start after the data and the horizon
// to the last requirement.
func defaultRiskQuery(code string) riskQuery {
	return riskQuery{Coalition: code, Trials: pageRiskTrials, Seed: risk.DefaultSeed}
}

// coalitionHomeView computes the home page's sections for c as the user in
// ctx may see them.
func (s *server) coalitionHomeView(ctx context.Context, c *coalition.Coalition, names map[string]string) (*coalitionHome, error) {
	h := &coalitionHome{AsOf: coalition.DateOf(s.now().UTC())}
	name := func(iso string) string {
		if n := names[iso]; n != "" {
			return n
		}
		return iso
	}
	hl, gaps, srcs, err := report.CoalitionHeadline(ctx, s.store, c.Code, h.AsOf)
	switch k := coalition.ErrorKind(err); {
	case k == coalition.NotFound || k == coalition.Invalid:
		h.HeadlineEmpty = "No need or gap to show: " + coalition.ErrorMessage(err) + "."
	case err != nil:
		return nil, err
	default:
		h.Headline = hl
		h.HeadlineSources, h.HeadlineAsOf = reportSources(srcs)
		h.CoverageAPI = "/api/v1/coverage?" + url.Values{"coalition": {c.Code}, "from": {hl.From.String()}, "to": {hl.To.String()},
			"records_as_of": {h.AsOf.String()}}.Encode()
		for _, g := range gaps {
			h.Gaps = append(h.Gaps, homeGap{Label: categoryLabel(g.Category), Need: g.NeedEUR, Pledged: g.PledgedEUR, NetGap: g.NetGapEUR})
		}
	}
	act, err := report.RecentActivity(ctx, s.store, c.Code, h.AsOf)
	if err != nil {
		return nil, err
	}
	h.PledgeCount, h.DeliveryCount, h.EngagementCount = act.PledgeCount, act.DeliveryCount, act.EngagementCount
	for _, p := range act.Pledges {
		h.Pledges = append(h.Pledges, homePledgeOf(p, name(p.Donor)))
	}
	for _, d := range act.Deliveries {
		hd := homeDelivery{Date: d.Date, PledgeID: d.PledgeID, ISO3: d.Pledge.Donor, Donor: name(d.Pledge.Donor),
			Category: categoryLabel(d.Pledge.Category), EUR: float64(d.AmountEUR) / 100, Source: d.Source}
		if d.Quantity != nil {
			hd.Quantity = coalition.FormatNumber(float64(*d.Quantity), 0) + " " + d.Pledge.Unit
		}
		h.Deliveries = append(h.Deliveries, hd)
	}
	h.Engagements = markEditable(engagementRows(act.Engagements, names), act.Engagements, coalition.UserFrom(ctx))
	if err := s.homeRisk(ctx, c, h, name); err != nil {
		return nil, err
	}
	return h, nil
}

// homeRisk is the risk summary: the run /risk makes by default for the
// coalition (the same function, parameters and cache), its shortfall and
// the members whose events matter most.
func (s *server) homeRisk(ctx context.Context, c *coalition.Coalition, h *coalitionHome, name func(string) string) error {
	q := defaultRiskQuery(c.Code)
	h.RiskQuery = "/risk" + q.encode()
	v, err := s.riskRun(ctx, q)
	if k := coalition.ErrorKind(err); k == coalition.Invalid || k == coalition.NotFound {
		h.RiskEmpty = "No risk run: " + coalition.ErrorMessage(err) + "."
		return nil
	} else if err != nil {
		return err
	}
	h.Risk = v
	for _, src := range v.Fan.Sources {
		if strings.HasPrefix(src, "risk events: ") {
			src = "risk events: each with its source in the risk page's table of events"
		}
		h.RiskSources = append(h.RiskSources, src)
	}
	for _, m := range v.Result.Members {
		if m.Attribution != nil && *m.Attribution > 0 {
			h.RiskTop = append(h.RiskTop, homeRisk{ISO3: m.ISO3, Country: name(m.ISO3), PEvent: m.PEvent, Attribution: *m.Attribution})
		}
	}
	sort.SliceStable(h.RiskTop, func(i, j int) bool { return h.RiskTop[i].Attribution > h.RiskTop[j].Attribution })
	h.RiskTop = h.RiskTop[:min(len(h.RiskTop), homeTopRisks)]
	return nil
}

func homePledgeOf(p *coalition.Pledge, donor string) homePledge {
	hp := homePledge{ID: p.ID, Announced: p.Announced, ISO3: p.Donor, Donor: donor, Category: categoryLabel(p.Category),
		EUR: p.EUR(), Status: string(p.Status), Visibility: string(p.Visibility), Source: p.Source, SourceAsOf: p.AsOf,
		DeliverFrom: p.DeliverFrom, DeliverTo: p.DeliverTo, HasWindow: p.DeliverFrom != 0,
		Public: p.Visibility == coalition.Public, Imported: p.Dataset != ""}
	if p.Amount.Currency != "" && p.Amount.Currency != "EUR" {
		hp.Original = coalition.FormatNumber(float64(p.Amount.Minor)/math.Pow10(coalition.MinorDigits(p.Amount.Currency)), 0) + " " + p.Amount.Currency
	}
	return hp
}
