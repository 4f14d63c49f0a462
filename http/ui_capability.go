package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"coalition/analysis"
	"coalition/report"
)

// capabilityView is the /scenarios page's capability section: per
// category and per role, what the withdrawing members supplied and what
// the others could make in a year (report.CapabilityGap, the same answer
// as coalition capability-gap and GET /api/v1/capability-gap).
type capabilityView struct {
	Withdraw         string
	Categories, Role chart
	Method           string
}

// capabilityWithdraw is who withdraws in the capability section: the
// builder's choice (the United States by default), the United States in
// the replace-us scenario, nobody in a scenario without a withdrawal.
func capabilityWithdraw(q scenarioQuery) []string {
	switch q.Builtin {
	case "":
		return q.Withdraw
	case "replace-us":
		return []string{"USA"}
	}
	return nil
}

// capabilitySection builds the section for the withdrawing members.
func (s *server) capabilitySection(ctx context.Context, withdraw []string) (*capabilityView, error) {
	rep, err := report.CapabilityGap(ctx, s.store, withdraw)
	if err != nil {
		return nil, err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return nil, err
	}
	var who []string
	for _, iso := range rep.Withdraw {
		who = append(who, nameOr(names, iso))
	}
	return &capabilityView{Withdraw: strings.Join(who, ", "), Categories: capabilityCategoryChart(rep), Role: capabilityRoleChart(rep), Method: rep.Method}, nil
}

func capabilityQuery(rep *report.CapabilityGapReport) string {
	return "?" + url.Values{"withdraw": {strings.Join(rep.Withdraw, ",")}}.Encode()
}

// capabilitySources are the sources of the figures the charts show: the
// equipment records' and those of the capacity figures counted.
func capabilitySources(rep *report.CapabilityGapReport) []string {
	var out []string
	for _, s := range rep.Sources {
		if !strings.HasPrefix(s.Figure, "annual capacity") {
			out = addSource(out, s.Source)
		}
	}
	for _, c := range rep.Categories {
		for _, a := range c.Alternatives {
			if a.Source != "" {
				out = addSource(out, a.Source)
			}
		}
	}
	return out
}

func unitsCell(v float64) cell {
	return cell{Text: strconv.FormatFloat(v, 'f', 0, 64), Raw: raw(v), Num: true}
}

func optUnitsCell(v *float64) cell {
	if v == nil {
		return cell{Text: "no public figure", Num: true}
	}
	return unitsCell(*v)
}

// capabilityCategoryChart: per category, units lost, the others' pace a
// year, the others' capacity a year and the gap after one year.
func capabilityCategoryChart(rep *report.CapabilityGapReport) chart {
	ch := chart{ID: "capability-gap", Title: "Capabilities: what is lost and what others could make in a year", Kind: "bar",
		CSV: "/csv/capability-gap" + capabilityQuery(rep), AsOf: rep.AsOf, Sources: capabilitySources(rep), Open: true,
		Note: "Units are counted as the source counts them (a tank, a battery, a fire unit, a howitzer). Capacity counts only producers with a public figure: where some producers publish none the capacity is a lower bound and the gap an upper bound; lost units whose equivalents have no public figure at all are counted as unassessed, not as gap."}
	d := barData{Unit: "units", Labels: []string{}, Series: []series{{Name: "Lost", Values: []float64{}}, {Name: "Others' pace a year", Values: []float64{}},
		{Name: "Capacity a year", Values: []float64{}}, {Name: "Gap after one year", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Per capability category", Columns: []column{
		{Label: "Category", Name: "category"}, {Label: "Withdrawn share", Name: "withdrawn_share", Num: true}, {Label: "Share of", Name: "share_basis"},
		{Label: "Units lost", Name: "lost_units", Num: true}, {Label: "Value lost", Name: "lost_eur", Num: true},
		{Label: "Only they supplied", Name: "only_withdrawn_systems"}, {Label: "Others delivered", Name: "remaining_delivered", Num: true},
		{Label: "Others' pace a year", Name: "remaining_pace_per_year", Num: true}, {Label: "Capacity a year", Name: "annual_capacity", Num: true},
		{Label: "Gap after one year", Name: "gap_after_one_year", Num: true}, {Label: "Unassessed units", Name: "unassessed_units", Num: true},
	}}
	for _, c := range rep.Categories {
		d.Labels = append(d.Labels, c.Category)
		for i, v := range []float64{float64(c.LostUnits), c.RemainingPacePerYear, c.AnnualCapacity, c.GapAfterOneYear} {
			d.Series[i].Values = append(d.Series[i].Values, v)
		}
		share := 100 * c.WithdrawnShare
		ch.Table.Rows = append(ch.Table.Rows, []cell{textCell(c.Category), pctCell(&share), textCell(c.ShareBasis),
			int64Cell(c.LostUnits), eurCell(c.LostEUR), textCell(strings.Join(c.OnlyWithdrawn, "; ")), int64Cell(c.RemainingDelivered),
			{Text: fmt.Sprintf("%.1f", c.RemainingPacePerYear), Raw: raw(c.RemainingPacePerYear), Num: true},
			unitsCell(c.AnnualCapacity), unitsCell(c.GapAfterOneYear), int64Cell(c.UnassessedUnits)})
	}
	ch.Data = d
	if len(rep.Categories) == 0 {
		ch.Empty = "No equipment is recorded. Load the reference data (`coalition seed`) for Kiel's heavy weapons."
	}
	return ch
}

// capabilityRoleChart: per role with units lost, the producers outside the
// withdrawing members and their stated output a year.
func capabilityRoleChart(rep *report.CapabilityGapReport) chart {
	ch := chart{ID: "capability-roles", Title: "Per role: who else makes it, and how many a year", Kind: "bar",
		CSV: "/csv/capability-roles" + capabilityQuery(rep), AsOf: rep.AsOf, Sources: capabilitySources(rep),
		Note: "A role is a class of systems that can stand in for each other (a 155 mm howitzer, a medium-range air-defence fire unit). Capacity serves every customer, not Ukraine alone: it is an upper bound on what could reach Ukraine."}
	d := barData{Unit: "units", Labels: []string{}, Series: []series{{Name: "Lost", Values: []float64{}}, {Name: "Capacity a year", Values: []float64{}}}}
	ch.Table = dataTable{ID: ch.ID + "-table", Caption: "Roles with units lost, and the producers outside the withdrawing members", Columns: []column{
		{Label: "Category", Name: "category"}, {Label: "Role", Name: "role"}, {Label: "Systems", Name: "systems"},
		{Label: "Units lost", Name: "lost_units", Num: true}, {Label: "Others' pace a year", Name: "remaining_pace_per_year", Num: true},
		{Label: "Capacity a year", Name: "annual_capacity", Num: true}, {Label: "Gap after one year", Name: "gap_after_one_year", Num: true},
		{Label: "Producers outside the withdrawing members", Name: "alternative_producers"},
	}}
	for _, c := range rep.Categories {
		for _, r := range c.Roles {
			if r.LostUnits == 0 {
				continue
			}
			d.Labels = append(d.Labels, r.Role)
			d.Series[0].Values = append(d.Series[0].Values, float64(r.LostUnits))
			capacity := 0.0
			if r.AnnualCapacity != nil {
				capacity = *r.AnnualCapacity
			}
			d.Series[1].Values = append(d.Series[1].Values, capacity)
			ch.Table.Rows = append(ch.Table.Rows, []cell{textCell(c.Category), textCell(r.Role), textCell(strings.Join(r.Systems, "; ")),
				int64Cell(r.LostUnits), {Text: fmt.Sprintf("%.1f", r.RemainingPacePerYear), Raw: raw(r.RemainingPacePerYear), Num: true},
				optUnitsCell(r.AnnualCapacity), optUnitsCell(r.GapAfterOneYear), textCell(alternativesText(r))})
		}
	}
	ch.Data = d
	if len(d.Labels) == 0 {
		ch.Empty = "The withdrawing members supplied no recorded equipment."
	}
	return ch
}

func alternativesText(r analysis.CapabilityRole) string {
	switch {
	case len(r.Alternatives) == 0 && r.AnnualCapacity == nil:
		return "unknown (a system the catalogue does not hold)"
	case len(r.Alternatives) == 0:
		return "none outside the withdrawing members in the catalogue"
	}
	var parts []string
	for _, a := range r.Alternatives {
		if a.UnitsPerYear == nil {
			parts = append(parts, fmt.Sprintf("%s (%s): no public figure", a.Producer, a.System))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s, %s: %s a year (%s)", a.Producer, a.System, strconv.FormatFloat(*a.UnitsPerYear, 'f', 0, 64), a.AsOf))
	}
	return strings.Join(parts, "; ")
}

// capabilityCSV builds one of the section's charts for its download.
func capabilityCSV(roles bool) func(*server, *http.Request) (chart, error) {
	return func(s *server, r *http.Request) (chart, error) {
		v, err := s.capabilitySection(r.Context(), r.URL.Query()["withdraw"])
		if err != nil {
			return chart{}, err
		}
		if roles {
			return v.Role, nil
		}
		return v.Categories, nil
	}
}
