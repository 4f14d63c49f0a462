package report

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"coalition"
)

// Offer statuses in the sourcing view.
const (
	OfferFirm        = "offered"     // no condition
	OfferConditional = "conditional" // subject to conditions that still hold
	OfferLapsed      = "lapsed"      // a condition it needs has fallen away (the scenario)
)

// ForceOfferRow is one offer as the sourcing view shows it.
type ForceOfferRow struct {
	ID         int64    `json:"id"`
	Country    string   `json:"country"`
	Unit       string   `json:"unit"`
	Quantity   *int64   `json:"quantity"` // in the line's unit type; null: not stated
	Personnel  *int64   `json:"personnel"`
	Equipment  string   `json:"equipment,omitempty"`
	Readiness  string   `json:"readiness,omitempty"`
	Duration   string   `json:"duration,omitempty"`
	Conditions []string `json:"conditions"`
	Lead       bool     `json:"lead"`
	Status     string   `json:"status"` // offered, conditional or lapsed
	Visibility string   `json:"visibility"`
	Source     string   `json:"source"`
	AsOf       string   `json:"as_of,omitempty"`
	Note       string   `json:"note,omitempty"`
	Version    int64    `json:"version"`
}

// ForceLineView is one line of the requirement with its sourcing: units
// offered without condition, offered under conditions that still hold, and
// unfilled (quantity − offered − conditional, never below zero; null when
// the line states no quantity), the same for personnel, and who leads.
type ForceLineView struct {
	ID                   int64           `json:"id"`
	Capability           string          `json:"capability"`
	UnitType             string          `json:"unit_type"`
	Quantity             *int64          `json:"quantity"`
	Personnel            *int64          `json:"personnel"`
	From                 coalition.Month `json:"from"`
	To                   coalition.Month `json:"to"`
	Priority             int             `json:"priority"`
	Offered              int64           `json:"offered"`
	Conditional          int64           `json:"conditional"`
	Unfilled             *int64          `json:"unfilled"`
	OfferedPersonnel     int64           `json:"offered_personnel"`
	ConditionalPersonnel int64           `json:"conditional_personnel"`
	UnfilledPersonnel    *int64          `json:"unfilled_personnel"`
	// Unquantified counts the standing offers that state no quantity:
	// they are offers, but add nothing to the sums.
	Unquantified int             `json:"unquantified"`
	Leads        []string        `json:"leads"` // ISO3 of members leading the line, from standing offers
	Offers       []ForceOfferRow `json:"offers"`
	Lapsed       []ForceOfferRow `json:"lapsed"` // offers that lapse when the conditions fall away
	Visibility   string          `json:"visibility"`
	Source       string          `json:"source"`
	AsOf         string          `json:"as_of,omitempty"`
	Note         string          `json:"note,omitempty"`
	Version      int64           `json:"version"`
}

// ForceReport is the sourcing view of a coalition's force requirement.
type ForceReport struct {
	Coalition         string            `json:"coalition"` // code
	CoalitionName     string            `json:"coalition_name"`
	WithoutConditions []string          `json:"without_conditions"` // the conditions that fall away
	Lines             []ForceLineView   `json:"lines"`
	Lapsed            int               `json:"lapsed"`     // offers that lapse in the scenario
	Conditions        map[string]string `json:"conditions"` // every condition code and its meaning
	Sources           []string          `json:"sources"`
}

// ForceReader is what Force reads.
type ForceReader interface {
	FindCoalition(ctx context.Context, id int64) (*coalition.Coalition, error)
	FindCoalitionByCode(ctx context.Context, code string) (*coalition.Coalition, error)
	FindForce(ctx context.Context, coalitionID int64) ([]*coalition.ForceLine, []*coalition.ForceOffer, error)
}

// Force is the one use case behind coalition force, GET
// /api/v1/coalitions/{id}/force and the /force page: the sourcing view of
// the coalition (its code or id) as the user in ctx may see it, with the
// offers that need any of the conditions in without lapsed. An offer the
// user may not see is in no total.
func Force(ctx context.Context, s ForceReader, coalitionRef string, without []string) (*ForceReport, error) {
	ref := strings.TrimSpace(coalitionRef)
	if ref == "" {
		return nil, coalition.FieldError("coalition", "is required (a coalition code such as COW2025, or its id)")
	}
	without, err := ParseConditions(without)
	if err != nil {
		return nil, err
	}
	var c *coalition.Coalition
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		c, err = s.FindCoalition(ctx, id)
	} else {
		c, err = s.FindCoalitionByCode(ctx, ref)
	}
	if err != nil {
		return nil, err
	}
	lines, offers, err := s.FindForce(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	rep := &ForceReport{Coalition: c.Code, CoalitionName: c.Name, WithoutConditions: without,
		Lines: ForceView(lines, offers, without), Conditions: coalition.OfferConditions}
	seen := map[string]bool{}
	for _, l := range rep.Lines {
		rep.Lapsed += len(l.Lapsed)
		addSource(&rep.Sources, seen, l.Source)
		for _, o := range l.Offers {
			addSource(&rep.Sources, seen, o.Source)
		}
	}
	if rep.Sources == nil {
		rep.Sources = []string{}
	}
	return rep, nil
}

func addSource(list *[]string, seen map[string]bool, s string) {
	if s != "" && !seen[s] {
		seen[s] = true
		*list = append(*list, s)
	}
}

// ParseConditions checks condition codes (split at commas, trimmed,
// de-duplicated, sorted): Invalid naming without-condition otherwise.
func ParseConditions(in []string) ([]string, error) {
	out := []string{}
	for _, v := range in {
		for c := range strings.SplitSeq(v, ",") {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			if !coalition.ValidCondition(c) {
				return nil, coalition.FieldError("without-condition", "%q is not a condition (%s)", c, strings.Join(coalition.ConditionCodes(), ", "))
			}
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// ForceView computes the sourcing view, pure: lines in capability order
// (then priority, then id), each with its offers classified as offered,
// conditional or, when they need a condition in without, lapsed.
func ForceView(lines []*coalition.ForceLine, offers []*coalition.ForceOffer, without []string) []ForceLineView {
	byLine := map[int64][]*coalition.ForceOffer{}
	for _, o := range offers {
		byLine[o.LineID] = append(byLine[o.LineID], o)
	}
	out := make([]ForceLineView, 0, len(lines))
	for _, l := range lines {
		out = append(out, lineView(l, byLine[l.ID], without))
	}
	slices.SortStableFunc(out, func(a, b ForceLineView) int {
		return cmp.Or(cmp.Compare(slices.Index(coalition.ForceCapabilities, a.Capability), slices.Index(coalition.ForceCapabilities, b.Capability)),
			cmp.Compare(priorityRank(a.Priority), priorityRank(b.Priority)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// priorityRank puts stated priorities (1 highest) before unstated ones (0).
func priorityRank(p int) int {
	if p == 0 {
		return 1 << 30
	}
	return p
}

func lineView(l *coalition.ForceLine, offers []*coalition.ForceOffer, without []string) ForceLineView {
	v := ForceLineView{ID: l.ID, Capability: l.Capability, UnitType: l.UnitType, Quantity: l.Quantity, Personnel: l.Personnel,
		From: l.From, To: l.To, Priority: l.Priority, Visibility: string(l.Visibility), Source: l.Source, AsOf: l.AsOf, Note: l.Note,
		Version: l.Version, Leads: []string{}, Offers: []ForceOfferRow{}, Lapsed: []ForceOfferRow{}}
	for _, o := range offers {
		row := offerRow(o, without)
		if row.Status == OfferLapsed {
			v.Lapsed = append(v.Lapsed, row)
			continue
		}
		v.Offers = append(v.Offers, row)
		qty, pers := deref(o.Quantity), deref(o.Personnel)
		if row.Status == OfferFirm {
			v.Offered += qty
			v.OfferedPersonnel += pers
		} else {
			v.Conditional += qty
			v.ConditionalPersonnel += pers
		}
		if o.Quantity == nil {
			v.Unquantified++
		}
		if o.Lead && !slices.Contains(v.Leads, o.Country) {
			v.Leads = append(v.Leads, o.Country)
		}
	}
	slices.Sort(v.Leads)
	v.Unfilled = remaining(l.Quantity, v.Offered+v.Conditional)
	v.UnfilledPersonnel = remaining(l.Personnel, v.OfferedPersonnel+v.ConditionalPersonnel)
	return v
}

func offerRow(o *coalition.ForceOffer, without []string) ForceOfferRow {
	status := OfferFirm
	if o.Conditional() {
		status = OfferConditional
	}
	for _, c := range o.Conditions {
		if slices.Contains(without, c) {
			status = OfferLapsed
		}
	}
	conds := o.Conditions
	if conds == nil {
		conds = []string{}
	}
	return ForceOfferRow{ID: o.ID, Country: o.Country, Unit: o.Unit, Quantity: o.Quantity, Personnel: o.Personnel, Equipment: o.Equipment,
		Readiness: o.Readiness, Duration: o.Duration, Conditions: conds, Lead: o.Lead, Status: status, Visibility: string(o.Visibility),
		Source: o.Source, AsOf: o.AsOf, Note: o.Note, Version: o.Version}
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// remaining is need − covered, not below zero; nil when need is not stated.
func remaining(need *int64, covered int64) *int64 {
	if need == nil {
		return nil
	}
	r := max(*need-covered, 0)
	return &r
}
