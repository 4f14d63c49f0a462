package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/report"
)

func runScenario(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "scenario",
		"scenario --builtin replace-us|nato-40bn [--json]\n"+
			"       coalition scenario --withdraw USA[,GBR] --from YYYY-MM [--fraction 1] [--categories military,financial] [--key gdp] [--group COW2025] [--coalition COW2025] [--cap-pct-gdp 0.5] [--cap-history K] [--cap-defence-share 0.1] [--capability-limits] [--json]\n"+
			"       coalition scenario --file s.json [--json]   (- reads standard input)",
		"coalition scenario --withdraw USA --from 2025-02 --group COW2025 --cap-pct-gdp 0.5", "print JSON")
	fs := c.fs
	builtin := fs.String("builtin", "", "run a built-in scenario: "+strings.Join(analysis.BuiltinNames, " or "))
	var f scenarioFlags
	fs.StringVar(&f.withdraw, "withdraw", "", "comma-separated ISO3 codes of the countries that withdraw")
	fs.StringVar(&f.from, "from", "", "the month the withdrawal starts (YYYY-MM)")
	fs.Float64Var(&f.fraction, "fraction", 1, "the share of their support they withdraw, in (0, 1]")
	fs.StringVar(&f.categories, "categories", "", "comma-separated categories or types withdrawn (default: all)")
	fs.StringVar(&f.key, "key", "", "burden-sharing key: gdp (default), population, defence, equal")
	fs.StringVar(&f.group, "group", "", "who shares the gap: a group or coalition code (default: the coalition's members)")
	fs.StringVar(&f.coalition, "coalition", "", "the coalition whose requirements are the need (default COW2025)")
	fs.Float64Var(&f.capPct, "cap-pct-gdp", 0, "cap each member's extra support at this % of its GDP per year (0: none)")
	fs.Float64Var(&f.capHistory, "cap-history", 0, "cap each member's extra support per year at K × its best 12 months of support so far (0: none)")
	fs.Float64Var(&f.capDefence, "cap-defence-share", 0, "cap each member's extra support per year at this share (0..1) of its defence spending, NATO 2025e (0: none)")
	fs.BoolVar(&f.capability, "capability-limits", false, "apply the bundled capability limits (what a member cannot supply by law, e.g. Japan's limits on lethal aid) as category caps")
	fs.StringVar(&f.file, "file", "", "a scenario as JSON (see docs/scenarios.md); - for standard input")
	var spec report.ScenarioSpec
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if err := noArgs(c.fs.Name(), pos); err != nil {
			return err
		}
		if err := checkScenarioMode(*builtin, f.withdraw, f.file); err != nil {
			return err
		}
		var err error
		spec, err = f.spec(e)
		return scenarioFlagError(err, nil)
	})
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "scenario")
	if *builtin != "" {
		rep, err := report.BuiltinScenario(ctx, s, *builtin)
		if err != nil {
			return err
		}
		return c.print(e, rep, func() error { printBuiltin(e.stdout, rep); return nil })
	}
	rep, err := report.RunScenario(ctx, s, spec)
	if err != nil && f.file == "" {
		return scenarioFlagError(err, countryCodes(ctx, s))
	}
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error { printScenario(e.stdout, rep); return nil })
}

// checkScenarioMode checks that exactly one of --builtin, --withdraw and
// --file is given, and a built-in scenario's name.
func checkScenarioMode(builtin, withdraw, file string) error {
	modes := 0
	for _, v := range []string{builtin, withdraw, file} {
		if v != "" {
			modes++
		}
	}
	if modes != 1 {
		return usagef("scenario: give exactly one of --builtin, --withdraw or --file")
	}
	if builtin != "" && !slices.Contains(analysis.BuiltinNames, builtin) {
		return usagef("scenario: --builtin %q: want %s", builtin, strings.Join(analysis.BuiltinNames, " or "))
	}
	return nil
}

// scenarioFlags are the flags that describe a scenario other than a
// built-in one.
type scenarioFlags struct {
	withdraw, from, categories, key, group, coalition, file string
	fraction, capPct, capHistory, capDefence                float64
	capability                                              bool
}

// spec is the scenario of --file or of --withdraw; none for --builtin.
func (f scenarioFlags) spec(e *env) (report.ScenarioSpec, error) {
	switch {
	case f.file != "":
		return scenarioFile(e, f.file)
	case f.withdraw != "":
		if f.from == "" {
			return report.ScenarioSpec{}, usagef("scenario: --withdraw needs --from YYYY-MM")
		}
		m, err := coalition.ParseMonth(f.from)
		if err != nil {
			return report.ScenarioSpec{}, coalition.FieldError("from", "%v", err)
		}
		return report.ScenarioSpec{
			Withdrawals: []analysis.Withdrawal{{Countries: anList(f.withdraw), From: m, Fraction: f.fraction, Categories: anList(f.categories)}},
			Key:         f.key, Group: f.group, Coalition: f.coalition, CapPctGDP: f.capPct, CapHistory: f.capHistory,
			CapDefenceShare: f.capDefence, CapabilityLimits: f.capability,
		}, nil
	}
	return report.ScenarioSpec{}, nil
}

// scenarioFile reads a scenario as JSON from file ("-": standard input).
func scenarioFile(e *env, file string) (report.ScenarioSpec, error) {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return report.ScenarioSpec{}, coalition.Errorf(coalition.Invalid, "--file: %v", err)
	}
	spec, err := report.ParseScenarioSpec(data)
	if err != nil {
		return report.ScenarioSpec{}, coalition.Errorf(coalition.Invalid, "%s: %v", file, err)
	}
	return spec, nil
}

func anList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func anSources(w io.Writer, srcs []report.Source) {
	fmt.Fprintln(w, "\nSources:")
	for _, s := range srcs {
		asOf := ""
		if s.AsOf != "" {
			asOf = " (as of " + s.AsOf + ")"
		}
		fmt.Fprintf(w, "  %s: %s%s\n", s.Figure, s.Source, asOf)
	}
}

func anPct(v float64) string { return fmt.Sprintf("%.3f%%", v) }

func printBuiltin(w io.Writer, rep *report.BuiltinReport) {
	fmt.Fprintf(w, "%s (%s..%s)\n%s\n", rep.Name, rep.From, rep.To, rep.Description)
	if len(rep.RequirementMonthly) > 0 {
		var parts []string
		for _, t := range anKeys(rep.RequirementMonthly) {
			parts = append(parts, t+" "+eur(rep.RequirementMonthly[t]))
		}
		fmt.Fprintf(w, "Requirement per month: %s\n", strings.Join(parts, ", "))
	}
	if rep.Scenario != nil {
		for _, l := range rep.Scenario.Lost {
			fmt.Fprintf(w, "Lost: %s %s; covered by the plan %s, unfilled %s\n", l.ISO3, eur(l.Amount), eur(rep.Scenario.Covered), eur(rep.Scenario.Unfilled))
		}
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprintf(tw, "ISO3\tCOUNTRY\tGDP SHARE\tBASELINE\tEXTRA\tEXTRA %% GDP (WB %d)\tPLAN\tPLAN BY CATEGORY\tACTUAL 2025\tOF WHICH CHANNELS\tDIFFERENCE\tVERDICT\n", rep.GDPYear)
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%.2f%%\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ISO3, r.Name, r.WeightShare*100, eur(r.BaselineEUR+r.BaselineChannelsEUR), eur(r.ExtraEUR),
			anPct(r.ExtraPctGDP), eur(r.PlanEUR), byCategoryText(r.ByCategory), eur(r.ActualEUR), eur(r.ActualChannelsEUR), eur(r.DifferenceEUR), r.Verdict)
	}
	for _, c := range rep.Channels {
		fmt.Fprintf(tw, "%s\t%s (channel)\t\t\t\t\t\t\t%s\t%s to the rows\t\t\n", c.Donor, c.Name, eur(c.ActualEUR), eur(c.AttributedEUR))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nPlan %s in all, actually allocated %s; %d members above their plan, %d below.\n",
		eur(rep.PlanEUR), eur(rep.ActualEUR), anCount(rep.Rows, "more"), anCount(rep.Rows, "less"))
	if len(rep.Channels) > 0 {
		fmt.Fprintln(w, "Channel lines are not added to the total: their parts are in the members' actual (OF WHICH CHANNELS) and baseline.")
	}
	fmt.Fprintf(w, "GDP: %d, converted at %.4f USD per EUR.\n", rep.GDPYear, rep.USDPerEUR)
	anSources(w, rep.Sources)
}

// byCategoryText is "military €1.2 bn, financial €0.3 bn": what a member is
// asked for in which category, in category order; "–" when nothing.
func byCategoryText(m map[string]float64) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(m)) {
		if m[c] != 0 {
			parts = append(parts, c+" "+eur(m[c]))
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

func anCount(rows []analysis.FairVsActual, verdict string) int {
	n := 0
	for _, r := range rows {
		if r.Verdict == verdict {
			n++
		}
	}
	return n
}

func printScenario(w io.Writer, rep *report.ScenarioReport) {
	sp := rep.Spec
	for _, wd := range sp.Withdrawals {
		frac := wd.Fraction
		if frac == 0 {
			frac = 1
		}
		cats := "all categories"
		if len(wd.Categories) > 0 {
			cats = strings.Join(wd.Categories, ", ")
		}
		fmt.Fprintf(w, "Withdrawal: %s, %.0f%% of %s from %s\n", strings.Join(wd.Countries, ", "), frac*100, cats, wd.From)
	}
	sharers := sp.Coalition + " members"
	if sp.Group != "" {
		sharers = sp.Group
	}
	capTxt := "no cap"
	if sp.CapPctGDP > 0 {
		capTxt = fmt.Sprintf("capped at %g%% of GDP a year", sp.CapPctGDP)
	}
	if sp.CapHistory > 0 {
		hist := fmt.Sprintf("%g × each member's best 12 months of support so far", sp.CapHistory)
		if sp.CapPctGDP > 0 {
			capTxt += ", and at " + hist
		} else {
			capTxt = "capped at " + hist
		}
	}
	if sp.CapDefenceShare > 0 {
		capTxt += fmt.Sprintf(", at most %g × its defence spending", sp.CapDefenceShare)
	}
	if sp.CapabilityLimits {
		capTxt += ", and what it cannot supply by law (capability limits)"
	}
	fmt.Fprintf(w, "Horizon %s..%s; the gap is shared by %s among %s (%d), %s.\n", sp.Horizon.From, sp.Horizon.To, rep.Result.Key, sharers, len(rep.Members), capTxt)
	fmt.Fprintf(w, "Need: %s.\nSupport: %s.\n", rep.RequirementBasis, rep.SupportBasis)
	res := rep.Result
	fmt.Fprintf(w, "\nGap before the withdrawals %s; after %s (required %s).\n", eur(res.Before.Gap), eur(res.After.Total.Gap), eur(res.After.Total.Required))
	for _, l := range res.Lost {
		fmt.Fprintf(w, "Lost: %s %s\n", l.ISO3, eur(l.Amount))
	}
	for _, x := range rep.Excluded {
		fmt.Fprintf(w, "Not sharing: %s (%s)\n", x.ISO3, x.Reason)
	}
	for _, y := range res.Years {
		var unfilled float64
		for _, u := range y.Unfilled {
			unfilled += u
		}
		var gap float64
		for _, g := range y.Gap {
			gap += g
		}
		fmt.Fprintf(w, "\n%d (%d months): gap %s, covered %s, unfilled %s (%s)\n", y.Year, y.Months, eur(gap), eur(y.Covered), eur(unfilled), y.Method)
		rows := slices.Clone(y.Members)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].ExtraEUR > rows[j].ExtraEUR })
		tw := table(w)
		fmt.Fprintf(tw, "ISO3\tFAIR SHARE\tEXTRA\tEXTRA BY CATEGORY\tEXTRA %% GDP (WB %d)\tEXISTING\tNEW TOTAL %% GDP (WB %d)\n", rep.GDPYear, rep.GDPYear)
		for _, m := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ISO3, eur(m.FairShare), eur(m.ExtraEUR), byCategoryText(m.ByCategory),
				anPct(m.ExtraPctGDP), eur(m.ExistingEUR), anPct(m.NewTotalPctGDP))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nIn all: covered %s, unfilled %s. GDP %d at %.4f USD per EUR.\n", eur(res.Covered), eur(res.Unfilled), rep.GDPYear, rep.USDPerEUR)
	printCaps(w, rep.Caps)
	anSources(w, rep.Sources)
}

func anKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// countryCodes are the ISO3 codes of the stored countries, to suggest one
// for a mistyped --withdraw.
func countryCodes(ctx context.Context, s coalition.CountryStore) []string {
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{})
	if err != nil {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ISO3
	}
	return out
}

// scenarioFlagError names the flag behind a field of the scenario the
// flags built (--withdraw makes withdrawals[0]).
func scenarioFlagError(err error, countries []string) error {
	err = asFlag(err, "withdrawals[0].countries[", "withdraw", countries, "'coalition countries' lists the codes")
	return asFlag(err, "withdrawals[0].fraction", "fraction", nil, "")
}

// printCaps lists the caps from data that bound the asks, with their basis;
// each distinct source once, numbered.
func printCaps(w io.Writer, caps []report.CapNote) {
	if len(caps) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCaps from data on the asks (a year):")
	var srcs []string
	for _, c := range caps {
		what := c.Kind
		if c.Category != "" {
			what += " " + c.Category
		}
		if c.CapEUR < 0 {
			fmt.Fprintf(w, "  %s %s: none (%s)\n", c.ISO3, what, c.Basis)
			continue
		}
		n := slices.Index(srcs, c.Source)
		if n < 0 {
			srcs, n = append(srcs, c.Source), len(srcs)
		}
		fmt.Fprintf(w, "  %s %s: %s (%s) [%d]\n", c.ISO3, what, eur(c.CapEUR), c.Basis, n+1)
	}
	for i, src := range srcs {
		fmt.Fprintf(w, "  [%d] %s\n", i+1, src)
	}
}
