package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"coalition"
	"coalition/sqlstore"
)

// genSource marks every generated record: it is never reference data.
func genSource(seed uint64) string { return fmt.Sprintf("SYNTHETIC (coalition gen, seed %d)", seed) }

// genRefPrefix starts every generated SourceRef.
func genRefPrefix(seed uint64) string { return fmt.Sprintf("synthetic:%d:", seed) }

// genFirst and genLast bound the generated announcement months: 10 years.
var genFirst, genLast = coalition.MonthOf(2016, time.January), coalition.MonthOf(2025, time.December)

// genReport is what gen did, printed as a table or with --json.
type genReport struct {
	sqlstore.BulkReport
	Engine   string   `json:"engine"`
	Seed     uint64   `json:"seed"`
	Source   string   `json:"source"`
	Seconds  float64  `json:"seconds"`
	PerSec   float64  `json:"pledges_per_second"`
	Verified *bool    `json:"rollup_verified,omitempty"`
	Diff     []string `json:"rollup_diff,omitempty"`
}

func runGen(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "gen", "gen [--pledges N] [--seed S] [--batch N] [--verify] [--db FILE|URL] [--json]",
		"coalition gen --pledges 1000000 --seed 1 --db /tmp/scale.db")
	db := dbFlag(fs)
	n := fs.Int("pledges", 100_000, "how many synthetic pledges to write")
	seedFlag := fs.Uint64("seed", 1, "random seed: the same seed writes the same records")
	batch := fs.Int("batch", 10_000, "pledges per transaction")
	verify := fs.Bool("verify", false, "afterwards, compare the rollup with the raw sums (reads every pledge)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlagsOnly(e, fs, args); err != nil {
		return err
	}
	if *n < 0 || *batch <= 0 {
		return usagef("gen: --pledges must be ≥ 0 and --batch > 0")
	}
	s, err := sqlstore.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	g, err := newGenerator(ctx, s, *seedFlag)
	if err != nil {
		return err
	}
	if g.seeded {
		fmt.Fprintln(e.stderr, "gen: the database had no donor totals: loaded the bundled reference data first (for the donor weights)")
	}
	if err := genUnused(ctx, s, *seedFlag, *db); err != nil {
		return err
	}
	start := time.Now()
	rep, err := g.write(ctx, e, *n, *batch)
	if err != nil {
		return err
	}
	out := genReport{BulkReport: rep, Engine: s.Engine(), Seed: *seedFlag, Source: genSource(*seedFlag)}
	out.Seconds = time.Since(start).Seconds()
	out.PerSec = float64(rep.Pledges) / max(out.Seconds, 1e-9)
	if *verify {
		diff, err := s.RollupDiff(ctx, 10)
		if err != nil {
			return err
		}
		ok := len(diff) == 0
		out.Verified, out.Diff = &ok, diff
	}
	if err := printGen(e, out, *asJSON); err != nil {
		return err
	}
	if out.Verified != nil && !*out.Verified {
		return fmt.Errorf("gen: the rollup differs from the raw sums (%d groups)", len(out.Diff))
	}
	return nil
}

// genUnused refuses a seed whose pledges are already in the database.
func genUnused(ctx context.Context, s *sqlstore.Store, seed uint64, db string) error {
	page, _, err := s.FindPledges(ctx, coalition.PledgeFilter{SourceRef: genRefPrefix(seed) + "0", Limit: 1})
	if err != nil {
		return err
	}
	if len(page) > 0 {
		return coalition.Errorf(coalition.Conflict, "gen: synthetic pledges of seed %d are already in %s: choose another --seed", seed, db)
	}
	return nil
}

// write draws and writes n pledges, batch per transaction, with a progress
// line on a terminal.
func (g *generator) write(ctx context.Context, e *env, n, batch int) (sqlstore.BulkReport, error) {
	var rep sqlstore.BulkReport
	start := time.Now()
	tty := e.isTerminal(e.stderr)
	for done := 0; done < n; {
		k := min(batch, n-done)
		ps, ds := g.batch(done, k)
		r, err := g.s.BulkInsert(ctx, ps, ds)
		if err != nil {
			return rep, fmt.Errorf("gen: pledges %d–%d: %w", done, done+k-1, err)
		}
		done += k
		rep.Pledges += r.Pledges
		rep.Deliveries += r.Deliveries
		if tty {
			el := time.Since(start).Seconds()
			fmt.Fprintf(e.stderr, "\rgen: %d/%d pledges (%.0f%%), %.0f pledges/s   ", done, n, 100*float64(done)/float64(n), float64(done)/max(el, 1e-9))
		}
	}
	if tty {
		fmt.Fprintln(e.stderr)
	}
	return rep, nil
}

func printGen(e *env, out genReport, asJSON bool) error {
	if asJSON {
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "engine      %s\nsource      %s\npledges     %d\ndeliveries  %d\nseconds     %.1f\npledges/s   %.0f\n",
		out.Engine, out.Source, out.Pledges, out.Deliveries, out.Seconds, out.PerSec)
	if out.Verified != nil {
		fmt.Fprintf(e.stdout, "rollup      equal to the raw sums: %v\n", *out.Verified)
		for _, d := range out.Diff {
			fmt.Fprintln(e.stdout, "  ", d)
		}
	}
	return nil
}

// generator draws synthetic pledges shaped like the stored reference data.
// It holds one random stream: the same seed gives the same records
// whatever the batch size.
type generator struct {
	rng        *rand.Rand
	seed       uint64
	seeded     bool
	donors     []string
	donorCum   []float64 // cumulative weights
	recipient  string
	months     []coalition.Month
	monthCum   []float64
	coalitions []int64
	rates      map[string]float64 // "USD 2023-04" → units per EUR; missing: none known
	s          *sqlstore.Store
	ctx        context.Context
}

func newGenerator(ctx context.Context, s *sqlstore.Store, seed uint64) (*generator, error) {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x5ca1e)), seed: seed, recipient: "UKR", rates: map[string]float64{}, s: s, ctx: ctx}
	totals, err := s.DonorTotals(ctx, coalition.DonorFilter{})
	if err != nil {
		return nil, err
	}
	if len(totals) == 0 {
		if _, err := seed0(ctx, s); err != nil {
			return nil, err
		}
		g.seeded = true
		if totals, err = s.DonorTotals(ctx, coalition.DonorFilter{}); err != nil {
			return nil, err
		}
	}
	sort.Slice(totals, func(i, j int) bool { return totals[i].ISO3 < totals[j].ISO3 })
	sum := 0.0
	for _, t := range totals {
		if t.ISO3 == g.recipient || t.TotalEUR <= 0 {
			continue
		}
		sum += t.TotalEUR
		g.donors = append(g.donors, t.ISO3)
		g.donorCum = append(g.donorCum, sum)
	}
	if len(g.donors) == 0 {
		return nil, coalition.Errorf(coalition.Invalid, "gen: no donor with support in the database to weight the synthetic donors by")
	}
	// Ten years of months; since the full-scale invasion four times as many.
	sum = 0
	for m := genFirst; m <= genLast; m = m.Add(1) {
		w := 1.0
		if m >= coalition.MonthOf(2022, time.February) {
			w = 4
		}
		sum += w
		g.months = append(g.months, m)
		g.monthCum = append(g.monthCum, sum)
	}
	cs, err := s.FindCoalitions(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		g.coalitions = append(g.coalitions, c.ID)
	}
	return g, nil
}

// seed0 loads the bundled reference data (gen's weights come from it).
func seed0(ctx context.Context, s *sqlstore.Store) (coalition.LoadReport, error) {
	return seed(ctx, s, false)
}

func pick(rng *rand.Rand, cum []float64) int {
	return sort.SearchFloat64s(cum, rng.Float64()*cum[len(cum)-1])
}

// genStatus: weights of announced, committed, allocated, delivered, cancelled.
var genStatus = []float64{10, 25, 65, 95, 100}

// genTypeWeight: military, financial, humanitarian, reconstruction (roughly
// Kiel's shares), spread evenly over each type's categories.
var genTypeWeight = map[coalition.SupportType]float64{coalition.Military: 45, coalition.Financial: 40, coalition.Humanitarian: 10, coalition.Reconstruction: 5}

func (g *generator) rate(cur string, m coalition.Month) float64 {
	k := cur + " " + m.String()
	if r, ok := g.rates[k]; ok {
		return r
	}
	r := 0.0
	if fx, err := g.s.FindRate(g.ctx, cur, m); err == nil {
		r = fx.UnitsPerEUR
	}
	g.rates[k] = r
	return r
}

// genCategories are the categories with their cumulative weights: each
// type's weight spread evenly over its categories.
func genCategories() ([]coalition.Category, []float64) {
	count := map[coalition.SupportType]int{}
	for _, c := range coalition.Categories {
		count[c.Type]++
	}
	var cats []coalition.Category
	var cum []float64
	sum := 0.0
	for _, c := range coalition.Categories {
		sum += genTypeWeight[c.Type] / float64(count[c.Type])
		cats = append(cats, c)
		cum = append(cum, sum)
	}
	return cats, cum
}

// batch draws pledges [from, from+n) and their deliveries.
func (g *generator) batch(from, n int) ([]*coalition.Pledge, []sqlstore.BulkDelivery) {
	cats, catCum := genCategories()
	src := genSource(g.seed)
	asOf := addDays(genLast.Add(1).FirstDay(), -1)
	ps := make([]*coalition.Pledge, 0, n)
	var ds []sqlstore.BulkDelivery
	for i := from; i < from+n; i++ {
		p, eur := g.pledge(i, cats, catCum, src, asOf)
		ps = append(ps, p)
		if d, ok := g.delivery(p, eur, src, asOf); ok {
			ds = append(ds, d)
		}
	}
	return ps, ds
}

// pledge draws pledge i and its amount in euro cents. The draws are in a
// fixed order: the same seed gives the same pledges.
func (g *generator) pledge(i int, cats []coalition.Category, catCum []float64, src string, asOf coalition.Date) (*coalition.Pledge, int64) {
	r := g.rng
	m := g.months[pick(r, g.monthCum)]
	cat := cats[pick(r, catCum)]
	// Log-normal amounts: median EUR 1.5m, a long tail, at most EUR 5bn.
	eur := int64(min(math.Exp(math.Log(1.5e8)+1.6*r.NormFloat64()), 5e11))
	p := &coalition.Pledge{
		Donor: g.donors[pick(r, g.donorCum)], Recipient: g.recipient, Category: cat.Code,
		Announced:  addDays(m.FirstDay(), r.IntN(28)),
		Status:     coalition.PledgeStatuses[pick(r, genStatus)],
		Visibility: coalition.Public, Source: src, SourceRef: fmt.Sprintf("%s%d", genRefPrefix(g.seed), i), AsOf: asOf,
		Provenance: fmt.Sprintf(`{"generator":"coalition gen","seed":%d,"row":%d}`, g.seed, i),
	}
	p.DeliverFrom = m
	p.DeliverTo = m.Add(r.IntN(25))
	g.visibility(p)
	g.currency(p, eur, m)
	if cat.Type == coalition.Military && cat.Code != "military" && cat.Code != "training" && r.IntN(4) == 0 {
		q := int64(1 + r.IntN(200))
		p.Quantity, p.Unit = &q, cat.Label
	}
	return p, eur
}

// visibility draws who may see p and the coalition it is for, if any.
func (g *generator) visibility(p *coalition.Pledge) {
	r := g.rng
	if len(g.coalitions) == 0 {
		if r.IntN(100) < 8 {
			p.Visibility = coalition.Confidential
		}
		return
	}
	switch v := r.IntN(100); {
	case v < 12:
		p.Visibility = coalition.CoalitionVis
		p.CoalitionID = &g.coalitions[r.IntN(len(g.coalitions))]
	case v < 20:
		p.Visibility = coalition.Confidential
	case v < 40:
		p.CoalitionID = &g.coalitions[r.IntN(len(g.coalitions))]
	}
}

// currency draws the currency of p's amount: euros, or dollars or pounds
// at the month's rate where one is known.
func (g *generator) currency(p *coalition.Pledge, eur int64, m coalition.Month) {
	p.Amount = coalition.Money{Minor: eur, Currency: "EUR"}
	c := g.rng.IntN(100)
	if c < 80 {
		return
	}
	cur := "USD"
	if c >= 92 {
		cur = "GBP"
	}
	if rate := g.rate(cur, m); rate > 0 {
		p.Amount = coalition.Money{Minor: int64(math.Round(float64(eur) * rate)), Currency: cur}
		p.AmountEUR, p.FXRate, p.FXMonth = eur, rate, m
	}
}

// delivery draws p's delivery: all of a delivered pledge, part of some
// allocated ones, none of the others.
func (g *generator) delivery(p *coalition.Pledge, eur int64, src string, asOf coalition.Date) (sqlstore.BulkDelivery, bool) {
	r := g.rng
	day := addDays(p.Announced, 30+r.IntN(335))
	if day.After(asOf) {
		day = asOf
	}
	switch {
	case p.Status == coalition.Delivered:
		return sqlstore.BulkDelivery{PledgeRef: p.SourceRef, Date: day, AmountEUR: eur, Source: src}, true
	case p.Status == coalition.Allocated && r.IntN(10) < 4:
		return sqlstore.BulkDelivery{PledgeRef: p.SourceRef, Date: day, AmountEUR: eur * int64(30+r.IntN(61)) / 100, Source: src}, true
	}
	return sqlstore.BulkDelivery{}, false
}

func addDays(d coalition.Date, n int) coalition.Date {
	t := d.Time().AddDate(0, 0, n)
	return coalition.Date{Y: t.Year(), M: t.Month(), D: t.Day()}
}
