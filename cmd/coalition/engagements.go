package main

import (
	"context"
	"fmt"

	"coalition"
)

// runEngagements lists engagements, or edits or deletes one as the local
// System operator, at the version it reads (audited, as through the API
// and the dashboard). The participants are changed through the API.
func runEngagements(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "engagements", "engagements [--country ISO3] [--json] [--db ...] | engagements edit ID [--date YYYY-MM-DD] [--kind K] [--title T] [--summary T] [--asks T] [--outcomes T] [--source S] | engagements delete ID",
		"coalition engagements edit 7 --outcomes 'agreed on air defence deliveries'", "print JSON (the same as GET /api/v1/engagements)")
	country := c.fs.String("country", "", "list: only engagements with this participant (ISO3)")
	f := engagementFlags{date: c.fs.String("date", "", "edit: the new date (YYYY-MM-DD)"),
		kind:     c.fs.String("kind", "", "edit: the new kind (call, meeting, summit, letter, statement, pledge)"),
		title:    c.fs.String("title", "", "edit: the new title"),
		summary:  c.fs.String("summary", "", "edit: the new summary"),
		asks:     c.fs.String("asks", "", "edit: what was asked"),
		outcomes: c.fs.String("outcomes", "", "edit: what came of it"),
		source:   c.fs.String("source", "", "edit: the new source")}
	var id int64
	s, pos, err := c.open(ctx, e, args, func(pos []string) (err error) {
		id, err = recordID("engagements", "engagement", pos, false)
		return err
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(pos) == 0 {
		es, _, err := s.FindEngagements(ctx, coalition.EngagementFilter{Country: *country, Limit: coalition.MaxPageSize})
		if err != nil {
			return err
		}
		return c.print(e, es, func() error {
			tw := table(e.stdout)
			fmt.Fprintln(tw, "ID\tDATE\tKIND\tTITLE\tSOURCE")
			for _, g := range es {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", g.ID, g.Date, g.Kind, g.Title, g.Source)
			}
			return tw.Flush()
		})
	}
	g, err := s.FindEngagement(ctx, id)
	if err != nil {
		return err
	}
	if pos[0] == "delete" {
		if err := s.DeleteEngagement(ctx, id, g.Version); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "engagement %d (%s, %s) deleted\n", id, g.Date, g.Title)
		return nil
	}
	upd, err := f.update()
	if err != nil {
		return err
	}
	upd.Version = g.Version
	if g, err = s.UpdateEngagement(ctx, id, upd); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "engagement %d (%s, %s): version %d\n", id, g.Date, g.Title, g.Version)
	return nil
}

// engagementFlags are the flags that change an engagement's fields.
type engagementFlags struct{ date, kind, title, summary, asks, outcomes, source *string }

// update is the change the flags ask for; flags not given change nothing.
func (f engagementFlags) update() (coalition.EngagementUpdate, error) {
	var upd coalition.EngagementUpdate
	if *f.date != "" {
		d, err := optionalDate("date", *f.date)
		if err != nil {
			return upd, err
		}
		upd.Date = &d
	}
	if *f.kind != "" {
		k := coalition.EngagementKind(*f.kind)
		upd.Kind = &k
	}
	for _, p := range []struct {
		dst **string
		v   *string
	}{{&upd.Title, f.title}, {&upd.Summary, f.summary}, {&upd.Asks, f.asks}, {&upd.Outcomes, f.outcomes}, {&upd.Source, f.source}} {
		if *p.v != "" {
			*p.dst = p.v
		}
	}
	if upd == (coalition.EngagementUpdate{}) {
		return upd, usagef("engagements edit: say what changes (--date, --kind, --title, --summary, --asks, --outcomes, --source)")
	}
	return upd, nil
}
