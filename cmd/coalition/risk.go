package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"coalition"
	"coalition/analysis/risk"
	"coalition/report"
)

const riskUsage = "risk (--input model.json | --coalition CODE [--horizon N] [--start YYYY-MM] [--records-as-of YYYY-MM-DD] [--print-model] [--db ...]) [--trials N] [--seed S] [--workers W] [--json]"

// optionalInt is an integer flag that knows whether it was given (on the
// command line or through COALITION_<FLAG>).
type optionalInt struct {
	v   int64
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatInt(o.v, 10)
}

func (o *optionalInt) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want a whole number")
	}
	o.v, o.set = v, true
	return nil
}

type optionalUint struct {
	v   uint64
	set bool
}

func (o *optionalUint) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatUint(o.v, 10)
}

func (o *optionalUint) Set(s string) error {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want a whole number from 0 to 2^64-1")
	}
	o.v, o.set = v, true
	return nil
}

// riskFlags are the flags of coalition risk.
type riskFlags struct {
	input, coal, start, db string
	records                string // --records-as-of
	workers                int
	printModel, asJSON     bool
	trials, horizon        optionalInt
	seed                   optionalUint
}

func runRisk(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "risk", riskUsage, "coalition risk --coalition COW2025 --horizon 36 --trials 100000 --seed 7 --json")
	var f riskFlags
	fs.StringVar(&f.input, "input", "", "model JSON file (docs/risk-model.md), - for stdin")
	fs.StringVar(&f.coal, "coalition", "", "build the model from this stored coalition (its members and the United States, pledges, requirements, risk events)")
	fs.Var(&f.horizon, "horizon", "with --coalition: months in the model (default: to the last month of the stored requirements, at most 36)")
	fs.StringVar(&f.start, "start", "", "with --coalition: first month (YYYY-MM); default the month after the last month of recorded support")
	fs.StringVar(&f.records, "records-as-of", "", "with --coalition: the pledges, requirements, deliveries and monthly allocations as they stood on this day (as the brief for that day uses them); default: as they are")
	fs.BoolVar(&f.printModel, "print-model", false, "with --coalition: print the model JSON (for --input) instead of running it")
	db := dbFlag(fs)
	fs.Var(&f.trials, "trials", "number of trials (default: the model's, else 10000; 20000 with --coalition)")
	fs.Var(&f.seed, "seed", "random seed (default: the model's, else 1)")
	fs.IntVar(&f.workers, "workers", 0, "goroutines (default: one per CPU); the result does not depend on it")
	fs.BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	f.db = *db
	if err := f.check(pos); err != nil {
		return err
	}
	var in *report.RiskInput
	var model risk.Model
	if f.coal != "" {
		if in, err = riskFromStore(ctx, e, f); err != nil {
			return err
		}
		model = in.Model
		if f.printModel {
			return printJSON(e.stdout, model)
		}
	} else if model, err = f.inputModel(e); err != nil {
		return err
	}
	res, err := runRiskModel(ctx, e, model, f.workers)
	if err != nil {
		return err
	}
	return printRiskResult(e, f.asJSON, in, model, res)
}

// check checks the flags before anything is read.
func (f *riskFlags) check(pos []string) error {
	switch {
	case len(pos) > 0:
		return usagef("risk: unexpected argument %q", pos[0])
	case f.trials.set && (f.trials.v <= 0 || f.trials.v > risk.MaxTrials):
		return coalition.FieldError("--trials", "want 1 to %d, got %d", risk.MaxTrials, f.trials.v)
	case f.workers < 0:
		return usagef("risk: --workers: want a number >= 0, got %d", f.workers)
	case f.input != "" && f.coal != "":
		return usagef("risk: give --input or --coalition, not both")
	case f.printModel && f.coal == "":
		return usagef("risk: --print-model needs --coalition")
	case f.records != "" && f.coal == "":
		return usagef("risk: --records-as-of needs --coalition")
	}
	return nil
}

// inputModel is the model of --input, with --trials and --seed if given.
func (f *riskFlags) inputModel(e *env) (risk.Model, error) {
	model, err := riskModel(e, f.input)
	if err != nil {
		return model, err
	}
	if f.trials.set {
		model.Trials = int(f.trials.v)
	}
	if f.seed.set {
		model.Seed = f.seed.v
	}
	return model, nil
}

// runRiskModel runs the model, with a progress bar on a terminal.
func runRiskModel(ctx context.Context, e *env, model risk.Model, workers int) (risk.Result, error) {
	opts := risk.Options{Workers: workers}
	if e.isTerminal(e.stderr) {
		bar := newProgressBar(e.stderr, time.Now())
		opts.Progress = bar.update
		defer bar.finish()
	}
	return risk.Run(ctx, model, opts)
}

// printRiskResult prints the result; a stored coalition's with where its
// model came from (in).
func printRiskResult(e *env, asJSON bool, in *report.RiskInput, model risk.Model, res risk.Result) error {
	switch {
	case in != nil && asJSON:
		return printJSON(e.stdout, report.RiskReport{RiskInput: in, Result: res})
	case in != nil:
		return printStoredRisk(e.stdout, in, res)
	case asJSON:
		return printJSON(e.stdout, res)
	}
	return printRisk(e.stdout, model, res)
}

// riskFromStore builds the model of a stored coalition, as the local
// operator (the CLI sees every record).
func riskFromStore(ctx context.Context, e *env, f riskFlags) (*report.RiskInput, error) {
	var start coalition.Month
	if f.start != "" {
		var err error
		if start, err = coalition.ParseMonth(f.start); err != nil {
			return nil, coalition.FieldError("--start", "%v", err)
		}
	}
	if f.horizon.set && (f.horizon.v < 1 || f.horizon.v > report.MaxRiskHorizon) {
		return nil, coalition.FieldError("--horizon", "want 1 to %d months, got %d", report.MaxRiskHorizon, f.horizon.v)
	}
	records, err := optionalDate("records-as-of", f.records)
	if err != nil {
		return nil, err
	}
	s, err := openStore(ctx, e, f.db)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	warnStale(ctx, e, s, "risk")
	opts := report.RiskOptions{Trials: int(f.trials.v)}
	if f.seed.set {
		opts.Seed = &f.seed.v
	}
	var store coalition.Store = s
	if !records.IsZero() {
		store = report.RecordsAsOf(s, records)
	}
	return report.RiskModel(ctx, store, f.coal, start, int(f.horizon.v), opts)
}

// riskModel reads the model to run from --input.
func riskModel(e *env, input string) (risk.Model, error) {
	if input == "" {
		return risk.Model{}, usagef("risk: give --input (a model JSON file, or - for stdin) or --coalition CODE")
	}
	var r io.Reader = e.stdin
	if input != "-" {
		f, err := os.Open(input)
		if err != nil {
			return risk.Model{}, coalition.FieldError("--input", "cannot open %s: %v", input, err)
		}
		defer f.Close()
		r = f
	}
	m, err := risk.Decode(r)
	if err != nil {
		return risk.Model{}, fmt.Errorf("%s: %w", input, err)
	}
	return m, nil
}

// printStoredRisk prints where a stored coalition's model came from, then
// the result and the sources.
func printStoredRisk(w io.Writer, in *report.RiskInput, res risk.Result) error {
	m := in.Model
	fmt.Fprintf(w, "%s (recipient %s): political risk over %s..%s, data as of %s\nNeed: %s.\n", in.Coalition, in.Recipient,
		m.Start, m.Start.Add(m.Months-1), in.AsOf, in.RequirementBasis)
	for _, n := range in.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintln(tw, "MEMBER\tROLE\tSUPPORT BASIS\tSUPPORT IN HORIZON\tRISK EVENTS")
	for _, rm := range in.Members {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", rm.ISO3, rm.Role, rm.SupportBasis, eur(rm.SupportEUR), len(rm.Events))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := printRisk(w, m, res); err != nil {
		return err
	}
	anSources(w, in.Sources)
	return nil
}

// progressBar draws a bar on a terminal once a run has lasted half a second,
// at most ten times a second.
type progressBar struct {
	w       io.Writer
	began   time.Time
	last    time.Time
	started bool
}

func newProgressBar(w io.Writer, now time.Time) *progressBar {
	return &progressBar{w: w, began: now}
}

func (b *progressBar) update(done, total int) {
	now := time.Now()
	if now.Sub(b.began) < 500*time.Millisecond || now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last, b.started = now, true
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(b.w, "\rrisk [%s%s] %3d%% %d/%d trials", strings.Repeat("#", filled),
		strings.Repeat(".", width-filled), 100*done/max(total, 1), done, total)
}

func (b *progressBar) finish() {
	if b.started {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

func printRisk(w io.Writer, m risk.Model, res risk.Result) error {
	fmt.Fprintf(w, "covered share of requirements per month (mean and nearest-rank percentiles over %d trials, seed %d)\n\n",
		res.Trials, res.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "month\tmean\tp05\tp50\tp95\t\n")
	for _, ms := range res.Months {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", ms.Month, pct(ms.Mean), pct(ms.P05), pct(ms.P50), pct(ms.P95))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := res.Shortfall
	fmt.Fprintf(w, "\nshortfall S: mean %s, p50 %s, p95 %s\n", amount(s.Mean), amount(s.P50), amount(s.P95))
	fmt.Fprintf(w, "P(S > 0) = %s, P(S > %s) = %s\n", pct(s.PPositive), amount(m.ShortfallThreshold), pct(s.POverThreshold))
	fmt.Fprintf(w, "shortfall threshold %s: the total shortfall over the horizon (Σ over categories and months of required − delivered, where short) above which a run counts as over the threshold\n",
		amount(m.ShortfallThreshold))
	fmt.Fprintf(w, "support without risk events in the horizon: %s of the modelled support (no event can change it: a blind spot, not safety)\n\n",
		pct(res.SupportWithoutEventsShare))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "category\texpected shortfall\t\n")
	for _, c := range m.Categories {
		fmt.Fprintf(tw, "%s\t%s\t\n", c, amount(res.ByCategory[c]))
	}
	fmt.Fprintf(tw, "\t\t\n")
	fmt.Fprintf(tw, "member\tP(event)\tattribution\t\n")
	for _, ms := range res.Members {
		attr := "n/a"
		if ms.Attribution != nil {
			attr = amount(*ms.Attribution)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", ms.ISO3, pct(ms.PEvent), attr)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nattribution = E[S] − E[S with the member's events switched off], on the same random draws; "+
		"all events together: %s, of which %s from events of several members coinciding (interaction: the total minus the sum of attributions)\n",
		amount(res.EventsEffect), amount(res.Interaction))
	_, err := fmt.Fprintf(w, "%.0f ms\n", res.ElapsedMS)
	return err
}

func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }

// amount prints a model amount (EUR in the product) with a readable scale.
func amount(v float64) string {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 1e9:
		return coalition.FormatNumber(v/1e9, 2) + " bn"
	case a >= 1e6:
		return coalition.FormatNumber(v/1e6, 2) + " m"
	}
	return coalition.FormatNumber(v, 0)
}
