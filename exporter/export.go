package exporter

import (
	"context"
	"io"
	"sort"
	"strings"
	"time"

	"coalition"
)

// What lists the exports.
var What = []string{"pledges", "deliveries", "donors", "engagements"}

// Filters are the optional filters of an export, by name: donor, category,
// type, status, from, to (dates or months) for pledges; donor for
// deliveries; type, since, until, group for donors; country, kind, topic,
// from, to for engagements.
type Filters map[string]string

func (f Filters) list() []string {
	var out []string
	for k, v := range f {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	sort.Strings(out)
	return out
}

func (f Filters) date(name string, end bool) (coalition.Date, error) {
	s := strings.TrimSpace(f[name])
	if s == "" {
		return coalition.Date{}, nil
	}
	if len(s) == 7 {
		m, err := coalition.ParseMonth(s)
		if err != nil {
			return coalition.Date{}, coalition.FieldError(name, "%v", err)
		}
		if end {
			return coalition.DateOf(m.Add(1).FirstDay().Time().AddDate(0, 0, -1)), nil
		}
		return m.FirstDay(), nil
	}
	d, err := coalition.ParseDate(s)
	if err != nil {
		return coalition.Date{}, coalition.FieldError(name, "%v", err)
	}
	return d, nil
}

func (f Filters) month(name string) (coalition.Month, error) {
	s := strings.TrimSpace(f[name])
	if s == "" {
		return 0, nil
	}
	m, err := coalition.ParseMonth(s)
	if err != nil {
		return 0, coalition.FieldError(name, "%v", err)
	}
	return m, nil
}

// Export writes what (pledges, deliveries, donors, engagements) in format
// to w. The store returns only what the user in ctx may see, so the export
// holds nothing else.
func Export(ctx context.Context, s coalition.Store, what, format string, f Filters, w io.Writer) error {
	if !contains(Formats, format) {
		return coalition.FieldError("format", "%q: want csv, xlsx or json", format)
	}
	meta := Meta{Title: what, Made: time.Now().UTC(), Filters: f.list()}
	if u := coalition.UserFrom(ctx); u != nil {
		meta.User = u.Email
	} else {
		meta.User = "anonymous (public records only)"
	}
	switch what {
	case "pledges":
		ps, err := Pledges(ctx, s, f)
		if err != nil {
			return err
		}
		meta.Sources, meta.AsOf = SourcesOf(ps, func(p *coalition.Pledge) string { return p.Source }), latest(ps, func(p *coalition.Pledge) coalition.Date { return p.AsOf })
		cols := PledgeColumns
		if format == "csv" {
			cols = PledgeCSVColumns
		}
		return Write(w, format, cols, ps, meta)
	case "deliveries":
		ds, err := Deliveries(ctx, s, f)
		if err != nil {
			return err
		}
		meta.Sources, meta.AsOf = SourcesOf(ds, func(d DeliveryRow) string { return d.Source }), latest(ds, func(d DeliveryRow) coalition.Date { return d.Date })
		return Write(w, format, DeliveryColumns, ds, meta)
	case "donors":
		df := coalition.DonorFilter{Type: coalition.SupportType(f["type"]), Group: f["group"]}
		if df.Type != "" && !coalition.ValidSupportType(string(df.Type)) {
			return coalition.FieldError("type", "%q: want military, financial, humanitarian or reconstruction", df.Type)
		}
		var err error
		if df.Since, err = f.month("since"); err != nil {
			return err
		}
		if df.Until, err = f.month("until"); err != nil {
			return err
		}
		rows, err := s.DonorTotals(ctx, df)
		if err != nil {
			return err
		}
		meta.Sources, meta.AsOf = SourcesOf(rows, func(d coalition.DonorTotal) string { return d.Source }), latest(rows, func(d coalition.DonorTotal) coalition.Date { return d.AsOf })
		return Write(w, format, DonorColumns, rows, meta)
	case "engagements":
		es, err := Engagements(ctx, s, f)
		if err != nil {
			return err
		}
		meta.Sources, meta.AsOf = SourcesOf(es, func(e *coalition.Engagement) string { return e.Source }), latest(es, func(e *coalition.Engagement) coalition.Date { return e.Date })
		return Write(w, format, EngagementColumns, es, meta)
	}
	return coalition.FieldError("what", "%q: want one of %s", what, strings.Join(What, ", "))
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func latest[T any](rows []T, d func(T) coalition.Date) coalition.Date {
	var out coalition.Date
	for _, r := range rows {
		if v := d(r); v.After(out) {
			out = v
		}
	}
	return out
}

// Pledges reads every pledge matching f, page by page.
func Pledges(ctx context.Context, s coalition.PledgeStore, f Filters) ([]*coalition.Pledge, error) {
	pf := coalition.PledgeFilter{Donor: strings.ToUpper(f["donor"]), Category: f["category"], Type: coalition.SupportType(f["type"]),
		Status: coalition.PledgeStatus(f["status"]), Limit: coalition.MaxPageSize}
	var err error
	if pf.From, err = f.date("from", false); err != nil {
		return nil, err
	}
	if pf.To, err = f.date("to", true); err != nil {
		return nil, err
	}
	var out []*coalition.Pledge
	for {
		page, more, err := s.FindPledges(ctx, pf)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if !more || len(page) == 0 {
			return out, nil
		}
		pf.After = page[len(page)-1].ID
	}
}

// Deliveries reads every delivery (of a visible pledge) matching f, with
// its pledge's natural key.
func Deliveries(ctx context.Context, s coalition.Store, f Filters) ([]DeliveryRow, error) {
	df := coalition.DeliveryFilter{Donor: strings.ToUpper(f["donor"]), Limit: coalition.MaxPageSize}
	var out []DeliveryRow
	pledges := map[int64]*coalition.Pledge{}
	for {
		page, more, err := s.FindDeliveries(ctx, df)
		if err != nil {
			return nil, err
		}
		for _, d := range page {
			p, ok := pledges[d.PledgeID]
			if !ok {
				if p, err = s.FindPledge(ctx, d.PledgeID); err != nil {
					return nil, err
				}
				pledges[d.PledgeID] = p
			}
			row := DeliveryRow{Delivery: d}
			if p.SourceRef != "" {
				row.PledgeSource, row.PledgeRef = p.Source, p.SourceRef
			}
			out = append(out, row)
		}
		if !more || len(page) == 0 {
			return out, nil
		}
		df.After = page[len(page)-1].ID
	}
}

// Engagements reads every engagement matching f.
func Engagements(ctx context.Context, s coalition.EngagementStore, f Filters) ([]*coalition.Engagement, error) {
	ef := coalition.EngagementFilter{Country: strings.ToUpper(f["country"]), Kind: coalition.EngagementKind(f["kind"]), Topic: f["topic"], Limit: coalition.MaxPageSize}
	var err error
	if ef.From, err = f.date("from", false); err != nil {
		return nil, err
	}
	if ef.To, err = f.date("to", true); err != nil {
		return nil, err
	}
	var out []*coalition.Engagement
	for {
		page, more, err := s.FindEngagements(ctx, ef)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if !more || len(page) == 0 {
			return out, nil
		}
		ef.After = page[len(page)-1].ID
	}
}
