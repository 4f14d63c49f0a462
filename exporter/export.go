package exporter

import (
	"context"
	"io"
	"iter"
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
// to w, streaming: records are read page by page and written as they come,
// so memory does not grow with the export. The store returns only what the
// user in ctx may see, so the export holds nothing else.
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
		seq, err := Pledges(ctx, s, f)
		if err != nil {
			return err
		}
		cols := PledgeColumns
		if format == "csv" {
			cols = PledgeCSVColumns
		}
		c := newCollector(func(p *coalition.Pledge) (string, coalition.Date) { return p.Source, p.AsOf })
		return WriteSeq(w, format, cols, c.watch(seq), c.meta(meta))
	case "deliveries":
		c := newCollector(func(d DeliveryRow) (string, coalition.Date) { return d.Source, d.Date })
		return WriteSeq(w, format, DeliveryColumns, c.watch(Deliveries(ctx, s, f)), c.meta(meta))
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
		rows, err := s.DonorTotals(ctx, df) // one row per donor: small
		if err != nil {
			return err
		}
		meta.Sources, meta.AsOf = SourcesOf(rows, func(d coalition.DonorTotal) string { return d.Source }), latest(rows, func(d coalition.DonorTotal) coalition.Date { return d.AsOf })
		return Write(w, format, DonorColumns, rows, meta)
	case "engagements":
		seq, err := Engagements(ctx, s, f)
		if err != nil {
			return err
		}
		c := newCollector(func(e *coalition.Engagement) (string, coalition.Date) { return e.Source, e.Date })
		return WriteSeq(w, format, EngagementColumns, c.watch(seq), c.meta(meta))
	}
	return coalition.FieldError("what", "%q: want one of %s", what, strings.Join(What, ", "))
}

// collector notes the distinct sources and the latest date of the rows
// that pass through it, for the Sources sheet written after them.
type collector[T any] struct {
	of      func(T) (string, coalition.Date)
	sources map[string]bool
	asOf    coalition.Date
}

func newCollector[T any](of func(T) (string, coalition.Date)) *collector[T] {
	return &collector[T]{of: of, sources: map[string]bool{}}
}

func (c *collector[T]) watch(seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for r, err := range seq {
			if err == nil {
				src, d := c.of(r)
				if src != "" {
					c.sources[src] = true
				}
				if d.After(c.asOf) {
					c.asOf = d
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

func (c *collector[T]) meta(m Meta) func() Meta {
	return func() Meta {
		m.Sources = make([]string, 0, len(c.sources))
		for s := range c.sources {
			m.Sources = append(m.Sources, s)
		}
		sort.Strings(m.Sources)
		m.AsOf = c.asOf
		return m
	}
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

// pages yields the records of every page that next returns, in order,
// until a page says no more follow; an error is yielded once and ends it.
func pages[T any](next func(after int64) (page []T, more bool, err error), id func(T) int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var after int64
		for {
			page, more, err := next(after)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
			if !more || len(page) == 0 {
				return
			}
			after = id(page[len(page)-1])
		}
	}
}

// Pledges reads every pledge matching f, page by page, as it is consumed.
func Pledges(ctx context.Context, s coalition.PledgeStore, f Filters) (iter.Seq2[*coalition.Pledge, error], error) {
	pf := coalition.PledgeFilter{Donor: strings.ToUpper(f["donor"]), Category: f["category"], Type: coalition.SupportType(f["type"]),
		Status: coalition.PledgeStatus(f["status"]), Limit: coalition.MaxPageSize}
	var err error
	if pf.From, err = f.date("from", false); err != nil {
		return nil, err
	}
	if pf.To, err = f.date("to", true); err != nil {
		return nil, err
	}
	return pages(func(after int64) ([]*coalition.Pledge, bool, error) {
		pf.After = after
		return s.FindPledges(ctx, pf)
	}, func(p *coalition.Pledge) int64 { return p.ID }), nil
}

// Deliveries reads every delivery (of a visible pledge) matching f, with
// its pledge's natural key, page by page. Pledges are looked up once per
// page of deliveries (the lookup is forgotten with the page, so memory
// stays flat however many pledges the deliveries name).
func Deliveries(ctx context.Context, s coalition.Store, f Filters) iter.Seq2[DeliveryRow, error] {
	df := coalition.DeliveryFilter{Donor: strings.ToUpper(f["donor"]), Limit: coalition.MaxPageSize}
	return func(yield func(DeliveryRow, error) bool) {
		for {
			page, more, err := s.FindDeliveries(ctx, df)
			if err != nil {
				yield(DeliveryRow{}, err)
				return
			}
			pledges := map[int64]*coalition.Pledge{}
			for _, d := range page {
				p, ok := pledges[d.PledgeID]
				if !ok {
					if p, err = s.FindPledge(ctx, d.PledgeID); err != nil {
						yield(DeliveryRow{}, err)
						return
					}
					pledges[d.PledgeID] = p
				}
				row := DeliveryRow{Delivery: d}
				if p.SourceRef != "" {
					row.PledgeSource, row.PledgeRef = p.Source, p.SourceRef
				}
				if !yield(row, nil) {
					return
				}
			}
			if !more || len(page) == 0 {
				return
			}
			df.After = page[len(page)-1].ID
		}
	}
}

// Engagements reads every engagement matching f, page by page.
func Engagements(ctx context.Context, s coalition.EngagementStore, f Filters) (iter.Seq2[*coalition.Engagement, error], error) {
	ef := coalition.EngagementFilter{Country: strings.ToUpper(f["country"]), Kind: coalition.EngagementKind(f["kind"]), Topic: f["topic"], Limit: coalition.MaxPageSize}
	var err error
	if ef.From, err = f.date("from", false); err != nil {
		return nil, err
	}
	if ef.To, err = f.date("to", true); err != nil {
		return nil, err
	}
	return pages(func(after int64) ([]*coalition.Engagement, bool, error) {
		ef.After = after
		return s.FindEngagements(ctx, ef)
	}, func(e *coalition.Engagement) int64 { return e.ID }), nil
}
