package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"coalition"
	"coalition/analysis"
)

const burdenUsage = `burden --input problem.json [--json] [--batch]

Solves one burden-sharing linear programme: first cover as much of the gap
as possible, then share it so that members' totals deviate as little as
possible from their fair shares weight/Σweight × covered. --input - reads
stdin. With --batch the input is a JSON array of problems and the output a
JSON array of {"result", "error", "solve_ns"} (used by the HiGHS cross-check).`

func runBurden(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "burden", burdenUsage, "coalition burden --input problem.json --json")
	input := fs.String("input", "", "problem as JSON (see docs/analysis.md); - reads stdin")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	batch := fs.Bool("batch", false, "input is a JSON array of problems; output a JSON array of results with solve times")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("burden: unexpected argument %q (give the file with --input)", pos[0])
	}
	if *input == "" {
		return usagef("burden: --input is required (a JSON file, or - for stdin)")
	}
	data, err := readBurdenInput(e, *input)
	if err != nil {
		return err
	}
	if *batch {
		return runBurdenBatch(e, data)
	}
	p, err := analysis.ParseBurdenProblem(data)
	if err != nil {
		return err
	}
	res, err := analysis.SolveBurden(p)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, res)
	}
	return printBurden(e.stdout, p, res)
}

func readBurdenInput(e *env, name string) ([]byte, error) {
	if name == "-" {
		data, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, fmt.Errorf("burden: read stdin: %w", err)
		}
		return data, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "burden: cannot read --input: %v", err)
	}
	return data, nil
}

// burdenBatchItem is one entry of --batch output.
type burdenBatchItem struct {
	Result  *analysis.BurdenResult `json:"result,omitempty"`
	Error   string                 `json:"error,omitempty"`
	SolveNS int64                  `json:"solve_ns"` // validation and solve, not JSON parsing
}

func runBurdenBatch(e *env, data []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return coalition.Errorf(coalition.Invalid, "burden --batch: want a JSON array of problems: %v", err)
	}
	out := make([]burdenBatchItem, len(raw))
	for i, r := range raw {
		p, err := analysis.ParseBurdenProblem(r)
		if err != nil {
			out[i].Error = fmt.Sprintf("problem %d: %s", i, coalition.ErrorMessage(err))
			continue
		}
		start := time.Now()
		res, err := analysis.SolveBurden(p)
		out[i].SolveNS = time.Since(start).Nanoseconds()
		if err != nil {
			out[i].Error = fmt.Sprintf("problem %d: %s", i, coalition.ErrorMessage(err))
			continue
		}
		out[i].Result = &res
	}
	return printJSON(e.stdout, out)
}

// printBurden writes the allocations as a table: one row per member and
// category, then the member's total next to its fair share.
func printBurden(w io.Writer, p analysis.BurdenProblem, res analysis.BurdenResult) error {
	mw, cw := len("member"), len("category")
	for _, m := range res.Members {
		mw = max(mw, len(m.ISO3))
	}
	for _, c := range p.Categories {
		cw = max(cw, len(c))
	}
	row := func(m, c, amount, fair string) {
		fmt.Fprintf(w, "%-*s  %-*s  %20s  %20s\n", mw, m, cw, c, amount, fair)
	}
	row("member", "category", "amount", "fair share")
	byMember := map[string][]analysis.Allocation{}
	for _, a := range res.Allocations {
		byMember[a.ISO3] = append(byMember[a.ISO3], a)
	}
	for _, m := range res.Members {
		for _, a := range byMember[m.ISO3] {
			row(m.ISO3, a.Category, burdenAmount(a.Amount), "")
		}
		row(m.ISO3, "total", burdenAmount(m.Total), burdenAmount(m.FairShare))
	}
	var gap float64
	for _, c := range p.Categories {
		gap += p.Gap[c]
	}
	fmt.Fprintf(w, "\ncovered %s of %s; deviation from fair shares %s; status %s\n",
		burdenAmount(res.Covered), burdenAmount(gap), burdenAmount(res.Deviation), res.Status)
	var un []string
	for _, c := range p.Categories {
		if res.Unfilled[c] > 0 {
			un = append(un, c+" "+burdenAmount(res.Unfilled[c]))
		}
	}
	if len(un) > 0 {
		_, err := fmt.Fprintf(w, "unfilled (nobody can cover): %s\n", strings.Join(un, ", "))
		return err
	}
	_, err := fmt.Fprintln(w, "unfilled: nothing")
	return err
}

// burdenAmount formats v with two decimals and thousands separators.
func burdenAmount(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}
