// Package report holds the use cases of the analysis engine: each function
// reads what the user in ctx may see from a coalition.Store, builds the plain
// inputs of the pure analysis package, calls it, and returns the result with
// the sources and as-of dates of every figure it used.
//
// The conventions shared by all of them:
//   - GDP in EUR = GDP in USD / the ECB annual average of the GDP year, the
//     mean of that year's 12 monthly USD rates in the store's FX table;
//   - support is the Kiel-style "allocations": pledges with status allocated
//     or delivered, by announcement month (coalition.Store.MonthlySupport);
//   - the need is the coalition's stored requirements; a support type
//     without one in a month gets, for that type and month, the historical
//     model (the requirement of the replace-us scenario: the average monthly
//     support of all donors in 2022–2024, per type), and the basis says so.
package report

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"coalition"
	"coalition/analysis"
)

// Source is where a figure came from, and how current it is.
type Source struct {
	Figure string `json:"figure"` // what the figure is, e.g. "support", "gdp", "fx"
	Source string `json:"source"`
	AsOf   string `json:"as_of,omitempty"` // YYYY-MM-DD, YYYY-MM or a year
}

// DefaultCoalition is the coalition used when none is named.
const DefaultCoalition = "COW2025"

// Baseline period of the default requirement (as in replace-us).
var (
	BaselineFrom = coalition.MonthOf(2022, time.January)
	BaselineTo   = coalition.MonthOf(2024, time.December)
)

// fx holds the ECB annual averages of USD per EUR, computed on demand.
type fx struct {
	store coalition.FXStore
	rates map[int]float64
	src   map[int]string
}

func newFX(s coalition.FXStore) *fx {
	return &fx{store: s, rates: map[int]float64{}, src: map[int]string{}}
}

// usdPerEUR returns coalition.AnnualRate of USD in year: the mean of its 12
// monthly ECB rates, every one of which must be in the table (FindRate's
// fallback to an earlier month is not accepted: it would silently mix
// years).
func (f *fx) usdPerEUR(ctx context.Context, year int) (float64, error) {
	if r, ok := f.rates[year]; ok {
		return r, nil
	}
	monthly, src, err := f.yearRates(ctx, year)
	if err != nil {
		return 0, err
	}
	rate, err := coalition.AnnualRate(monthly, "USD", year)
	if err != nil {
		return 0, coalition.Errorf(coalition.NotFound, "%s: cannot convert %d GDP to EUR", coalition.ErrorMessage(err), year)
	}
	f.rates[year] = rate
	f.src[year] = src
	return rate, nil
}

// yearRates are the stored USD rates of year's months, only those stored
// for the month itself, and the source of the first; AnnualRate names any
// month that is missing.
func (f *fx) yearRates(ctx context.Context, year int) ([]coalition.FXRate, string, error) {
	var monthly []coalition.FXRate
	var src string
	for m := time.January; m <= time.December; m++ {
		month := coalition.MonthOf(year, m)
		r, err := f.store.FindRate(ctx, "USD", month)
		if coalition.ErrorKind(err) == coalition.NotFound || (err == nil && r.Month != month) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("report: usd rate %s: %w", month, err)
		}
		monthly = append(monthly, *r)
		if src == "" {
			src = r.Source
		}
	}
	return monthly, src, nil
}

// sources lists the FX averages used, one per year.
func (f *fx) sources() []Source {
	years := make([]int, 0, len(f.rates))
	for y := range f.rates {
		years = append(years, y)
	}
	sort.Ints(years)
	var out []Source
	for _, y := range years {
		out = append(out, Source{Figure: "fx", AsOf: fmt.Sprint(y),
			Source: fmt.Sprintf("USD per EUR %d = %.4f: mean of the 12 monthly ECB averages in the FX table (%s)", y, f.rates[y], f.src[y])})
	}
	return out
}

// gdpEUR converts a country's GDP to EUR at its GDP year's average; ok is
// false when the country has no GDP.
func (f *fx) gdpEUR(ctx context.Context, c *coalition.Country) (eur float64, ok bool, err error) {
	if !hasGDP(c) {
		return 0, false, nil
	}
	r, err := f.usdPerEUR(ctx, c.GDPYear)
	if err != nil {
		return 0, false, err
	}
	eur, ok = c.GDPEUR(r)
	return eur, ok, nil
}

// refYear is the most common GDP year among countries (ties: the latest).
func refYear(cs []*coalition.Country) int {
	n := map[int]int{}
	best := 0
	for _, c := range cs {
		if c.GDPUSDBn == nil || c.GDPYear == 0 {
			continue
		}
		n[c.GDPYear]++
		if y := c.GDPYear; n[y] > n[best] || (n[y] == n[best] && y > best) {
			best = y
		}
	}
	return best
}

// withGDP returns the countries that have a GDP figure.
func withGDP(cs []*coalition.Country) []*coalition.Country {
	var out []*coalition.Country
	for _, c := range cs {
		if hasGDP(c) {
			out = append(out, c)
		}
	}
	return out
}

// hasGDP reports whether c has a GDP figure that can be converted: a
// positive amount and its year.
func hasGDP(c *coalition.Country) bool {
	return c.GDPUSDBn != nil && *c.GDPUSDBn > 0 && c.GDPYear != 0
}

// membersSource cites a coalition's membership, as of its latest joining
// date.
func membersSource(c *coalition.Coalition) Source {
	last := latestJoin(c)
	s := Source{Figure: "members", Source: c.Code + ": " + c.Source}
	if !last.IsZero() {
		s.AsOf = last.String()
	}
	return s
}

// latestJoin is the latest date a member joined c (zero when none is
// dated): the membership is as current as that.
func latestJoin(c *coalition.Coalition) coalition.Date {
	var last coalition.Date
	for _, m := range c.Members {
		if m.Since.After(last) {
			last = m.Since
		}
	}
	return last
}

// countrySources summarises the countries' sources: their common part (the
// dataset citation), without the per-country notes.
func countrySources(cs []*coalition.Country, figure, asOf string) []Source {
	var srcs []string
	for _, c := range cs {
		if c.Source != "" && !slices.Contains(srcs, c.Source) {
			srcs = append(srcs, c.Source)
		}
	}
	if len(srcs) == 0 {
		return nil
	}
	if len(srcs) == 1 {
		return []Source{{Figure: figure, Source: srcs[0], AsOf: asOf}}
	}
	return []Source{{Figure: figure, Source: commonCitation(srcs), AsOf: asOf}}
}

// commonCitation is the part that two or more country sources share, cut
// at the last "; " so that no note is cut in half, with a pointer to the
// per-country notes.
func commonCitation(srcs []string) string {
	prefix := srcs[0]
	for _, s := range srcs[1:] {
		for !strings.HasPrefix(s, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if i := strings.LastIndex(prefix, "; "); i > 0 {
		prefix = prefix[:i]
	}
	prefix = strings.TrimSpace(prefix)
	if prefix == "" {
		return fmt.Sprintf("%d different country sources (see /api/v1/countries)", len(srcs))
	}
	return prefix + " (per-country notes: /api/v1/countries)"
}

// supportSources returns the sources and the latest as-of date of the
// support the user may see (allocated and delivered pledges).
func supportSources(ctx context.Context, s coalition.DonorStore) ([]Source, error) {
	rows, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	var asOf coalition.Date
	var srcs []string
	for _, r := range rows {
		if r.AsOf.After(asOf) {
			asOf = r.AsOf
		}
		srcs = appendSources(srcs, r.Source)
	}
	sort.Strings(srcs)
	var out []Source
	for _, src := range srcs {
		s := Source{Figure: "support", Source: src}
		if !asOf.IsZero() {
			s.AsOf = asOf.String()
		}
		out = append(out, s)
	}
	return out, nil
}

// appendSources adds the sources of a donor total (joined by " ; " in the
// store) that srcs does not have yet.
func appendSources(srcs []string, joined string) []string {
	for _, p := range strings.Split(joined, " ; ") {
		if p != "" && !slices.Contains(srcs, p) {
			srcs = append(srcs, p)
		}
	}
	return srcs
}

// monthlySupport returns the allocations the user may see, per donor and
// month, in the analysis shape (reconstruction, not a Kiel type, is left out
// of the built-in scenarios: they are defined on the Kiel types).
func monthlySupport(ctx context.Context, s coalition.DonorStore) ([]analysis.DonorMonth, error) {
	rows, err := s.MonthlySupport(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	return toDonorMonths(rows), nil
}

// toDonorMonths puts support per donor, month and type in the analysis
// shape: one row per donor and month, in the order they first appear.
func toDonorMonths(rows []coalition.DonorMonth) []analysis.DonorMonth {
	type key struct {
		iso string
		m   coalition.Month
	}
	idx := map[key]int{}
	var out []analysis.DonorMonth
	for _, r := range rows {
		k := key{r.ISO3, r.Month}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, analysis.DonorMonth{ISO3: r.ISO3, Month: r.Month})
		}
		switch r.Type {
		case coalition.Military:
			out[i].Military += r.EUR
		case coalition.Financial:
			out[i].Financial += r.EUR
		case coalition.Humanitarian:
			out[i].Humanitarian += r.EUR
		}
	}
	return out
}

// findCoalition returns the coalition with code (default COW2025); an
// unknown code is Invalid, naming the parameter.
func findCoalition(ctx context.Context, s coalition.CoalitionStore, code string) (*coalition.Coalition, error) {
	if code == "" {
		code = DefaultCoalition
	}
	c, err := s.FindCoalitionByCode(ctx, code)
	if coalition.ErrorKind(err) == coalition.NotFound {
		return nil, coalition.FieldError("coalition", "%q is not a coalition code", code)
	}
	return c, err
}

// The need basis of coverage: one parameter for the CLI (--need), the API
// and the pages (need=).
const (
	// NeedStored uses the coalition's stored requirements; a support type
	// without any in a month falls back, for that type and month only, to
	// the historical model, and the basis says so.
	NeedStored = "stored"
	// NeedHistorical uses only the historical model: the 2022–2024 average
	// monthly support of all donors per type, labelled as a model.
	NeedHistorical = "historical"
	// DefaultNeed is the need basis when nobody says.
	DefaultNeed = NeedStored
)

// requirement is the monthly need per category over the analysed months,
// with how it was obtained.
type requirement struct {
	basis string
	// bases says, per support type, which basis its need has.
	bases   map[string]string
	monthly map[string]float64 // the historical model per type, for the types that use it (nil: none)
	needs   []analysis.Need
	cats    map[string]bool // the categories needed
	sources []Source
}

// loadRequirement is loadNeed with the default basis (NeedStored).
func loadRequirement(ctx context.Context, s coalition.Store, c *coalition.Coalition, from, to coalition.Month) (*requirement, error) {
	return loadNeed(ctx, s, c, from, to, NeedStored)
}

// historicalBasis names the historical model.
func historicalBasis() string {
	return fmt.Sprintf("historical model (the average monthly support of all donors in %s..%s, as in replace-us; not an assessed need)", BaselineFrom, BaselineTo)
}

// loadNeed returns the need in from..to. With NeedStored: the coalition's
// stored requirements visible to the user; for each support type of the
// historical model (military, financial, humanitarian), the months that no
// stored requirement of that type covers take the historical model's
// figure for that type, never €0 in silence. With NeedHistorical: the
// historical model for every type.
func loadNeed(ctx context.Context, s coalition.Store, c *coalition.Coalition, from, to coalition.Month, need string) (*requirement, error) {
	out := &requirement{cats: map[string]bool{}, bases: map[string]string{}}
	var reqs []*coalition.Requirement
	if need != NeedHistorical {
		var err error
		if reqs, err = storedRequirements(ctx, s, c); err != nil {
			return nil, err
		}
	}
	st := out.addStored(reqs, from, to)
	if err := out.fillHistorical(ctx, s, c, st, from, to, need); err != nil {
		return nil, err
	}
	parts := make([]string, 0, len(out.bases))
	for _, t := range coalition.SupportTypes {
		parts = append(parts, fmt.Sprintf("%s: %s", t, out.bases[string(t)]))
	}
	out.basis = strings.Join(parts, "; ")
	if len(reqs) == 0 && need != NeedHistorical {
		out.basis = fmt.Sprintf("%s has no stored requirements: %s", c.Code, out.basis)
	}
	return out, nil
}

// storedRequirements reads all of c's requirements the user may see.
func storedRequirements(ctx context.Context, s coalition.RequirementStore, c *coalition.Coalition) ([]*coalition.Requirement, error) {
	return coalitionRequirements(ctx, s, c.ID)
}

// storedCover is what the stored requirements cover: per support type, the
// months with a requirement, and how many requirements there are.
type storedCover struct {
	months map[string]map[coalition.Month]bool
	rows   map[string]int
}

// addStored adds the stored requirements' needs in from..to and their
// sources (one per source, dated by the figure's as-of date or else the
// day it was stored), and returns what they cover.
func (out *requirement) addStored(reqs []*coalition.Requirement, from, to coalition.Month) storedCover {
	st := storedCover{months: map[string]map[coalition.Month]bool{}, rows: map[string]int{}}
	srcs := map[string]bool{}
	for _, r := range reqs {
		t := supportType(r.Category)
		st.rows[t]++
		out.cats[r.Category] = true
		for m := max(r.From, from); m <= min(r.To, to); m++ {
			out.needs = append(out.needs, analysis.Need{Category: r.Category, Month: m, Amount: r.MonthlyEUR()})
			if st.months[t] == nil {
				st.months[t] = map[coalition.Month]bool{}
			}
			st.months[t][m] = true
		}
		if !srcs[r.Source] && r.To >= from && r.From <= to { // cite what the period uses
			srcs[r.Source] = true
			asOf := r.AsOf
			if asOf == "" {
				asOf = r.CreatedAt.Format("2006-01-02")
			}
			out.sources = append(out.sources, Source{Figure: "requirement", Source: r.Source, AsOf: asOf})
		}
	}
	return st
}

// fillHistorical gives every support type's months without a stored
// requirement the historical model's figure for that type, and says per
// type which basis its need has (out.bases).
func (out *requirement) fillHistorical(ctx context.Context, s coalition.Store, c *coalition.Coalition, st storedCover, from, to coalition.Month, need string) error {
	var hist map[string]float64
	types := make([]string, 0, len(coalition.SupportTypes))
	for _, t := range coalition.SupportTypes {
		types = append(types, string(t))
	}
	sort.Strings(types) // the order the needs were always appended in
	for _, typ := range types {
		var missing []coalition.Month
		for m := from; m <= to; m++ {
			if !st.months[typ][m] {
				missing = append(missing, m)
			}
		}
		stored := fmt.Sprintf("stored requirements of %s (%d visible to you)", c.Code, st.rows[typ])
		if len(missing) == 0 {
			out.bases[typ] = stored
			continue
		}
		if hist == nil {
			sup, err := monthlySupport(ctx, s)
			if err != nil {
				return err
			}
			hist = baselineMonthly(s, sup)
		}
		v, ok := hist[typ]
		out.bases[typ] = fallbackBasis(c, stored, missing, from, to, ok, need)
		if !ok {
			continue
		}
		if out.monthly == nil {
			out.monthly = map[string]float64{}
		}
		out.monthly[typ] = v
		out.cats[typ] = true
		for _, m := range missing {
			out.needs = append(out.needs, analysis.Need{Category: typ, Month: m, Amount: v})
		}
	}
	return nil
}

// fallbackBasis says what a support type's need is when some of its
// months (missing) have no stored requirement: the historical model (hist:
// the model has a figure for the type), or not measured.
func fallbackBasis(c *coalition.Coalition, stored string, missing []coalition.Month, from, to coalition.Month, hist bool, need string) string {
	all := len(missing) == int(to-from)+1
	switch {
	case !hist && all:
		return "no stored requirement and no historical model for this type: not measured"
	case !hist:
		return fmt.Sprintf("%s in %d of %d months; the other months have no stored requirement and no historical model: not measured", stored, int(to-from)+1-len(missing), int(to-from)+1)
	case need == NeedHistorical:
		return historicalBasis() + " (need=historical)"
	case all:
		return historicalBasis() + fmt.Sprintf(" (%s has no stored requirement of this type for %s..%s)", c.Code, from, to)
	}
	return fmt.Sprintf("%s for %d months; %s for the %d months without one (%s)", stored, int(to-from)+1-len(missing), historicalBasis(), len(missing), monthRanges(missing))
}

// monthRanges writes sorted months as ranges: "2026-01..2026-06, 2026-09".
func monthRanges(ms []coalition.Month) string {
	var parts []string
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && ms[j+1] == ms[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, ms[i].String())
		} else {
			parts = append(parts, ms[i].String()+".."+ms[j].String())
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// baselineMonthly is Σ allocations 2022-01..2024-12 / 36 per type; with
// the records of a past day before 2024-12 (RecordsAsOf), the average of
// the baseline's months up to that day's month.
func baselineMonthly(s coalition.Store, sup []analysis.DonorMonth) map[string]float64 {
	to := BaselineTo
	if ra, ok := s.(*recordsAsOf); ok && ra.day.Month() < to {
		to = max(ra.day.Month(), BaselineFrom)
	}
	n := float64(to-BaselineFrom) + 1
	out := map[string]float64{analysis.TypeMilitary: 0, analysis.TypeFinancial: 0, analysis.TypeHumanitarian: 0}
	for _, d := range sup {
		if d.Month < BaselineFrom || d.Month > BaselineTo {
			continue
		}
		out[analysis.TypeMilitary] += d.Military / n
		out[analysis.TypeFinancial] += d.Financial / n
		out[analysis.TypeHumanitarian] += d.Humanitarian / n
	}
	return out
}

// donorBaseline is each donor's own 2022–2024 monthly average per type.
func donorBaseline(sup []analysis.DonorMonth) map[string]map[string]float64 {
	n := float64(BaselineTo-BaselineFrom) + 1
	out := map[string]map[string]float64{}
	for _, d := range sup {
		if d.Month < BaselineFrom || d.Month > BaselineTo {
			continue
		}
		if out[d.ISO3] == nil {
			out[d.ISO3] = map[string]float64{}
		}
		out[d.ISO3][analysis.TypeMilitary] += d.Military / n
		out[d.ISO3][analysis.TypeFinancial] += d.Financial / n
		out[d.ISO3][analysis.TypeHumanitarian] += d.Humanitarian / n
	}
	return out
}

// mapCategory files a pledge's category under a needed one: itself if
// needed, else its support type if that is needed (an "air-defence" pledge
// covers a "military" requirement).
func mapCategory(cat string, needed map[string]bool) string {
	if needed[cat] {
		return cat
	}
	if c, ok := coalition.CategoryByCode(cat); ok && needed[string(c.Type)] {
		return string(c.Type)
	}
	return cat
}

// pledgeFlows returns the flows of the visible, not cancelled pledges to
// recipient whose delivery window meets from..to (categories mapped onto
// the needed ones), each weighted by weight (0: left out; nil: all of
// every pledge), with their delivered amounts: the recorded deliveries, or
// the whole amount for a pledge marked delivered without any.
func pledgeFlows(ctx context.Context, s coalition.Store, recipient string, from, to coalition.Month, needed map[string]bool,
	weight func(*coalition.Pledge) float64) ([]analysis.Flow, []Source, error) {
	delivered, err := deliveredByPledge(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	var flows []analysis.Flow
	asOf := map[string]coalition.Date{}
	err = eachPledge(ctx, s, recipient, func(p *coalition.Pledge) {
		w := 1.0
		if weight != nil {
			w = weight(p)
		}
		wf, wt := p.Window()
		if p.Status == coalition.Cancelled || w == 0 || wt < from || wf > to {
			return
		}
		f := analysis.Flow{Donor: p.Donor, Category: mapCategory(p.Category, needed), From: wf, To: wt, Amount: p.EUR() * w, Delivered: delivered[p.ID] * w}
		if p.Status == coalition.Delivered && f.Delivered == 0 {
			f.Delivered = f.Amount
		}
		flows = append(flows, f)
		latestAsOf(asOf, p)
	})
	if err != nil {
		return nil, nil, err
	}
	return flows, datedSources("pledges", asOf), nil
}

// latestAsOf keeps, per source, the latest as-of date of its pledges: a
// figure drawn from a source is as current as its newest record.
func latestAsOf(asOf map[string]coalition.Date, p *coalition.Pledge) {
	if d, ok := asOf[p.Source]; !ok || p.AsOf.After(d) {
		asOf[p.Source] = p.AsOf
	}
}

// datedSources cites each source of figure with its as-of date (none when
// unknown), in source order.
func datedSources(figure string, asOf map[string]coalition.Date) []Source {
	var srcs []Source
	for _, src := range sortedKeys(asOf) {
		s := Source{Figure: figure, Source: src}
		if d := asOf[src]; !d.IsZero() {
			s.AsOf = d.String()
		}
		srcs = append(srcs, s)
	}
	return srcs
}

// deliveredByPledge sums the recorded deliveries the user may see, per
// pledge, in EUR.
func deliveredByPledge(ctx context.Context, s coalition.DeliveryStore) (map[int64]float64, error) {
	delivered := map[int64]float64{}
	err := eachPage(func(after int64) ([]*coalition.Delivery, bool, error) {
		return s.FindDeliveries(ctx, coalition.DeliveryFilter{After: after, Limit: coalition.MaxPageSize})
	}, deliveryID, func(page []*coalition.Delivery) {
		for _, d := range page {
			delivered[d.PledgeID] += float64(d.AmountEUR) / 100
		}
	})
	return delivered, err
}

// eachPledge calls fn with every visible pledge to recipient, page by
// page.
func eachPledge(ctx context.Context, s coalition.PledgeStore, recipient string, fn func(*coalition.Pledge)) error {
	return eachPage(func(after int64) ([]*coalition.Pledge, bool, error) {
		return s.FindPledges(ctx, coalition.PledgeFilter{Recipient: recipient, After: after, Limit: coalition.MaxPageSize})
	}, pledgeID, func(page []*coalition.Pledge) {
		for _, p := range page {
			fn(p)
		}
	})
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
