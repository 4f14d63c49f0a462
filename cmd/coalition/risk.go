package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"coalition"
	"coalition/analysis/risk"
)

const riskUsage = "risk --input model.json [--trials N] [--seed S] [--workers W] [--json]"

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

func runRisk(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "risk", riskUsage, "coalition risk --input model.json --trials 100000 --seed 7 --json")
	input := fs.String("input", "", "model JSON file (docs/risk-model.md), - for stdin")
	var trials optionalInt
	var seed optionalUint
	fs.Var(&trials, "trials", "number of trials (default: the model's, else 10000)")
	fs.Var(&seed, "seed", "random seed (default: the model's, else 1)")
	workers := fs.Int("workers", 0, "goroutines (default: one per CPU); the result does not depend on it")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("risk: unexpected argument %q", pos[0])
	}
	model, err := riskModel(e, *input)
	if err != nil {
		return err
	}
	if trials.set {
		if trials.v <= 0 || trials.v > risk.MaxTrials {
			return coalition.FieldError("--trials", "want 1 to %d, got %d", risk.MaxTrials, trials.v)
		}
		model.Trials = int(trials.v)
	}
	if seed.set {
		model.Seed = seed.v
	}
	if *workers < 0 {
		return usagef("risk: --workers: want a number >= 0, got %d", *workers)
	}
	opts := risk.Options{Workers: *workers}
	if e.isTerminal(e.stderr) {
		bar := newProgressBar(e.stderr, time.Now())
		opts.Progress = bar.update
		defer bar.finish()
	}
	res, err := risk.Run(ctx, model, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return printRisk(e.stdout, model, res)
}

// riskModel builds the model to run. Today it comes from --input; a
// --coalition flag can build it from the store here.
func riskModel(e *env, input string) (risk.Model, error) {
	if input == "" {
		return risk.Model{}, usagef("risk: --input is required (a model JSON file, or - for stdin)")
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
	fmt.Fprintf(w, "P(S > 0) = %s, P(S > %s) = %s\n\n", pct(s.PPositive), amount(m.ShortfallThreshold), pct(s.POverThreshold))
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
	_, err := fmt.Fprintf(w, "\nattribution = E[S | an event of the member occurred] − E[S | none occurred]; %.0f ms\n", res.ElapsedMS)
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
		return strconv.FormatFloat(v/1e9, 'f', 2, 64) + " bn"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + " m"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
