// Package brief renders a report.BriefReport as Markdown and as printable
// HTML. It formats only: every figure comes from report.Brief.
package brief

import (
	"fmt"
	"io"
	"strings"

	"coalition"
	"coalition/report"
)

// eur formats an amount in euros as the CLI does.
func eur(v float64) string { return coalition.FormatEUR(v, 2) }

// units formats a number of units, whole.
func units(v float64) string { return coalition.FormatNumber(v, 0) }

// pct formats a share in [0, 1] as a percentage.
func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

// mdWriter writes Markdown and keeps the first error.
type mdWriter struct {
	w   io.Writer
	err error
	// charts makes the writer mark where the PDF draws its charts (a line
	// chartMark+name); the Markdown itself has none.
	charts bool
}

// chartMark starts a line that only the PDF layout reads: a NUL never
// appears in a record's text.
const chartMark = "\x00chart:"

// chart marks where chart name goes, for the PDF.
func (m *mdWriter) chart(name string) {
	if m.charts {
		m.f("%s%s\n\n", chartMark, name)
	}
}

func (m *mdWriter) f(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

// cell escapes the characters that would break a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

// Markdown writes rep as Markdown: the essentials first, the sources and
// assumptions after.
func Markdown(w io.Writer, rep *report.BriefReport) error {
	return markdown(w, rep, false)
}

// markdown writes rep as Markdown; with charts, marking where the PDF
// draws them.
func markdown(w io.Writer, rep *report.BriefReport, charts bool) error {
	m := &mdWriter{w: w, charts: charts}
	m.f("# Brief: %s (%s)\n\n", rep.Title, rep.Code)
	m.f("As of %s; changes since %s. Computed for: %s.\n\n", rep.AsOf, rep.Since, rep.ComputedFor)
	if rep.Kind == "country" {
		mdCountry(m, rep.Country)
	} else {
		mdHeadline(m, rep.Headline)
		mdGaps(m, rep)
		mdChanges(m, rep.Since, rep.Changes)
		mdRisk(m, rep.Risk)
	}
	mdEngagements(m, rep.Engagements)
	m.f("## Assumptions\n\n")
	for _, a := range rep.Assumptions {
		m.f("- %s\n", a)
	}
	m.f("\n## Sources\n\n")
	for _, s := range rep.Sources {
		asOf := ""
		if s.AsOf != "" {
			asOf = " (as of " + s.AsOf + ")"
		}
		m.f("- %s: %s%s\n", s.Figure, cell(s.Source), asOf)
	}
	return m.err
}

func mdHeadline(m *mdWriter, h *report.BriefHeadline) {
	m.f("## Headline: %s..%s\n\n", h.From, h.To)
	m.f("- Need: **%s**\n- Covered (pledged in the period): **%s** (%s)\n- Net gap: **%s** (monthly gap %s)\n", eur(h.NeedEUR), eur(h.CoveredEUR), pct(h.CoveredShare), eur(h.NetGapEUR), eur(h.MonthlyGapEUR))
	if t := h.Then; t != nil {
		m.f("- %s\n", ChangeLine(h))
	}
	if h.Note != "" {
		m.f("- Note: %s\n", h.Note)
	}
	m.f("- Source: need — %s; covered — %s. Same figures: `%s` (then: `--records-as-of %s`).\n\n", h.NeedBasis, h.SupportBasis, h.Command, thenDay(h))
}

func mdGaps(m *mdWriter, rep *report.BriefReport) {
	m.f("## Largest gaps and fair-share asks\n\n")
	m.chart("coverage")
	m.f("| category | need | pledged | net gap |\n| --- | ---: | ---: | ---: |\n")
	for _, g := range rep.Gaps {
		m.f("| %s | %s | %s | %s |\n", g.Category, eur(g.NeedEUR), eur(g.PledgedEUR), eur(g.NetGapEUR))
	}
	a := rep.Asks
	m.f("\nSource: the headline's coverage.\n\n")
	if len(rep.UnitGaps) == 0 {
		m.f("No need in the period is stated in units: the gaps are in money only.\n\n")
	} else {
		m.f("In units (the needs stated in units, against pledges in the same unit):\n\n| category | capability | unit | need | pledged | gap |\n| --- | --- | --- | ---: | ---: | ---: |\n")
		for _, u := range rep.UnitGaps {
			m.f("| %s | %s | %s | %s | %s | %s |\n", u.Category, cell(u.Capability), cell(u.Unit), units(u.NeedUnits), units(u.PledgedUnits), units(u.GapUnits))
		}
		m.f("\nSource: the stored requirements and pledges (see sources).\n\n")
	}
	m.f("%s\n\n", AsksLine(a))
	m.f("| member | fair share | ask (after cap) | ask %% GDP/yr | largest category ask | gave %s..%s |\n| --- | ---: | ---: | ---: | --- | ---: |\n", a.GaveFrom, a.GaveTo)
	for _, r := range a.Rows {
		m.f("| %s | %s | %s | %.2f%% | %s | %s |\n", r.ISO3, eur(r.FairShareEUR), eur(r.AskEUR), r.AskPctGDP, LargestCategory(r.ByCategory), eur(r.GaveEUR))
	}
	m.f("\nSource: the scenario engine's plan (see assumptions); GDP and FX as listed below; allocations: Kiel (see sources).\n\n")
}

func mdChanges(m *mdWriter, since coalition.Date, c *report.BriefChanges) {
	m.f("## Since %s: what changed\n\n", since)
	if len(c.Items) == 0 {
		m.f("No recorded change (%s).\n\n", c.Rule)
		return
	}
	refs, list := ChangeSources(c.Items)
	m.f("%d changes (%s); the largest:\n\n| date | change | who | what | source |\n| --- | --- | --- | --- | --- |\n", c.Count, c.Rule)
	for i, it := range c.Items {
		m.f("| %s | %s | %s | %s | %s |\n", it.Date, it.Kind, it.Who, cell(it.What), refs[i])
	}
	m.f("\n")
	for i, src := range list {
		m.f("S%d: %s\n", i+1, src)
	}
	m.f("\n")
}

func mdRisk(m *mdWriter, r *report.BriefRisk) {
	m.f("## Risks, %s..%s\n\n", r.From, r.To)
	m.f("- Probability of any shortfall: **%s**; expected shortfall %s (%d trials, seed %d).\n", pct(r.PShortfall), eur(r.MeanShortfallEUR), r.Trials, r.Seed)
	m.f("- Support carrying no modelled risk event: **%s** (%s of %s modelled).\n\n", pct(r.ShareWithoutRisk), eur(r.SupportWithoutEUR), eur(r.SupportEUR))
	if len(r.Members) == 0 && len(r.NoEffect) == 0 {
		m.f("No member has a risk event in the period.\n\n")
	}
	if len(r.NoEffect) > 0 {
		m.f("Events of %s are modelled in the period but change no trial's shortfall (attribution €0).\n\n", strings.Join(r.NoEffect, ", "))
	}
	if len(r.Members) > 0 {
		m.chart("risk")
		m.f("| member | event probability | attribution | noise (±) | events |\n| --- | ---: | ---: | ---: | --- |\n")
		for _, mem := range r.Members {
			m.f("| %s | %s | %s | %s%s | %s |\n", mem.ISO3, pct(mem.PEvent), signed(*mem.Attribution), eur(mem.NoiseEUR), Noise(mem), cell(strings.Join(mem.Events, "; ")))
		}
		m.f("\n")
	}
	m.f("Source: the risk run (see assumptions); risk events as stored (their sources below).\n\n")
}

func mdEngagements(m *mdWriter, e *report.BriefEngagements) {
	m.f("## Engagements\n\n")
	for _, part := range []struct {
		title string
		list  []report.BriefEngagement
	}{{"Since the last meeting (from the since date)", e.Past}, {"Scheduled", e.Scheduled}} {
		if len(part.list) == 0 {
			m.f("%s: none recorded.\n\n", part.title)
			continue
		}
		m.f("%s:\n\n", part.title)
		for _, g := range part.list {
			m.f("- %s\n", cell(EngagementLine(g)))
		}
		m.f("\n")
	}
}

func mdCountry(m *mdWriter, c *report.BriefCountry) {
	m.f("## Support\n\n")
	if s := c.Support; s != nil {
		m.f("- Total: **%s** (military %s, financial %s, humanitarian %s)\n", eur(s.TotalEUR), eur(s.MilitaryEUR), eur(s.FinancialEUR), eur(s.HumanitarianEUR))
		if s.PctGDP != nil {
			m.f("- Share of GDP: **%.3f%%** (%s); rank %d of %d donors by share of GDP%s\n", *s.PctGDP, c.GDPNote, c.RankPctGDP, c.Donors, peers(c))
		}
		m.f("- Source: %s (as of %s)\n", cell(s.Source), s.AsOf)
	} else {
		m.f("- No allocations recorded.\n")
	}
	if len(c.ByStage) > 0 {
		m.f("- By stage: %s\n", StageLine(c.ByStage))
	}
	if len(c.ByYear) > 0 {
		m.f("\n| year | allocations |\n| --- | ---: |\n")
		for _, y := range c.ByYear {
			m.f("| %d | %s |\n", y.Year, eur(y.EUR))
		}
	}
	m.f("\n## NATO target\n\n")
	if n := c.NATO; n != nil {
		status := "below 2%"
		if n.Meets2 {
			status = "meets 2%"
		}
		m.f("- Defence spending %.2f%% of GDP (%d, %s definition): %s; %.2f points from 3.5%% core. Source: %s\n", n.CurrentPct, n.Year, n.Definition, status, n.Gap35Pts, cell(n.SourceDetail))
	} else {
		m.f("- Not a NATO member.\n")
	}
	m.f("\n## Fair share in the built-in scenarios\n\n")
	if len(c.FairShares) == 0 {
		m.f("- Not a sharing member of either built-in scenario.\n")
	}
	for _, f := range c.FairShares {
		m.f("- %s (%s..%s): fair share %s, plan %s, actual %s (%s). Source: built-in scenario.\n", f.Scenario, f.From, f.To, eur(f.Row.FairShareEUR), eur(f.Row.PlanEUR), eur(f.Row.ActualEUR), f.Row.Verdict)
	}
	mdEquipment(m, c.Equipment)
	m.f("\n## Risk events in the next 12 months\n\n")
	if len(c.RiskEvents) == 0 {
		m.f("- none stored\n")
	}
	for _, r := range c.RiskEvents {
		m.f("- %s\n", cell(r))
	}
	m.f("\n")
}

func mdEquipment(m *mdWriter, e *report.BriefEquipment) {
	m.f("\n## Equipment\n\n")
	if e == nil {
		m.f("- none recorded\n")
		return
	}
	m.f("| capability | units pledged | units delivered |\n| --- | ---: | ---: |\n")
	for _, t := range e.Totals {
		m.f("| %s | %s | %s |\n", t.Category, units(float64(t.Pledged)), units(float64(t.Delivered)))
	}
	m.f("\nLargest systems (of %d records): %s. Source: the equipment records (see sources).\n", e.Records, cell(SystemsLine(e.Systems)))
}
