package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"coalition"
)

// riskEventFlags are the fields of a risk event as flags; set records which
// were given, so that edit changes only those.
type riskEventFlags struct {
	country, date, earliest, latest, kind, label, source, assumption string
	probability, factor                                              float64
	dateUnknown, clearWindow                                         bool
	version                                                          int64
	set                                                              map[string]bool
}

func (f *riskEventFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.country, "country", "", "the country (ISO 3166-1 alpha-3)")
	fs.StringVar(&f.date, "date", "", "the event's date (YYYY-MM-DD); with a window, a day inside it (default: latest)")
	fs.StringVar(&f.earliest, "earliest", "", "window: the earliest date (YYYY-MM-DD); the model draws the month in earliest..latest")
	fs.StringVar(&f.latest, "latest", "", "window: the latest date (YYYY-MM-DD)")
	fs.BoolVar(&f.dateUnknown, "date-unknown", false, "the window is only the year a source gives, not a legal window")
	fs.BoolVar(&f.clearWindow, "clear-window", false, "edit: remove the window (the event keeps its date alone)")
	fs.StringVar(&f.kind, "kind", "", "one of "+strings.Join(coalition.RiskEventKinds, ", "))
	fs.Float64Var(&f.probability, "probability", 0, "probability that the event cuts support, in [0, 1]")
	fs.Float64Var(&f.factor, "factor", 1, "the share of support kept from the event on if it happens")
	fs.StringVar(&f.label, "label", "", "what the event is")
	fs.StringVar(&f.source, "source", "", "the source of the date")
	fs.StringVar(&f.assumption, "assumption", "", "who set probability and factor, and why")
	fs.Int64Var(&f.version, "version", 0, "edit, delete: the version you read (default: the current one)")
}

// runRiskEventWrite is `risk-events add|edit|delete`, as the local operator
// (audited as the API's writes are).
func runRiskEventWrite(ctx context.Context, e *env, verb string, args []string) error {
	c := newStoreCommand(e, "risk-events "+verb,
		"risk-events add --country ISO3 (--date YYYY-MM-DD | --earliest D --latest D [--date-unknown]) --kind K --probability P --factor F --source S [--label L] [--assumption A]\n"+
			"       coalition risk-events edit ID [any of the add flags] [--clear-window] [--version N]\n"+
			"       coalition risk-events delete ID [--version N]",
		"coalition risk-events edit 12 --earliest 2029-01-28 --latest 2029-03-25", "print JSON")
	f := riskEventFlags{set: map[string]bool{}}
	f.define(c.fs)
	var id int64
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		c.fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
		switch {
		case verb == "add" && len(pos) != 0:
			return usagef("risk-events add: unexpected argument %q", pos[0])
		case verb != "add" && len(pos) != 1:
			return usagef("risk-events %s: give the event's ID", verb)
		case verb != "add":
			var err error
			if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id <= 0 {
				return usagef("risk-events %s: %q is not an ID", verb, pos[0])
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	var ev *coalition.RiskEvent
	switch verb {
	case "add":
		if ev, err = f.event(); err == nil {
			err = s.CreateRiskEvent(ctx, ev)
		}
	case "edit":
		var upd coalition.RiskEventUpdate
		if upd, err = f.update(ctx, s, id); err == nil {
			ev, err = s.UpdateRiskEvent(ctx, id, upd)
		}
	case "delete":
		var v int64
		if v, err = f.currentVersion(ctx, s, id); err == nil {
			err = s.DeleteRiskEvent(ctx, id, v)
		}
		if err == nil {
			return c.print(e, map[string]any{"deleted": id}, func() error {
				_, err := fmt.Fprintf(e.stdout, "risk event %d deleted\n", id)
				return err
			})
		}
	}
	if err != nil {
		return err
	}
	return c.print(e, ev, func() error { return printRiskEvents(e.stdout, []*coalition.RiskEvent{ev}) })
}

// event is the new event the flags describe; a window without --date is
// dated at its latest day.
func (f *riskEventFlags) event() (*coalition.RiskEvent, error) {
	ev := &coalition.RiskEvent{ISO3: strings.ToUpper(f.country), Kind: f.kind, Probability: f.probability, Factor: f.factor,
		Label: f.label, Source: f.source, Assumption: f.assumption, DateUnknown: f.dateUnknown}
	var err error
	if ev.Earliest, ev.Latest, err = f.window(); err != nil {
		return nil, err
	}
	if ev.Date, err = optionalDate("--date", f.date); err != nil {
		return nil, err
	}
	if ev.Date.IsZero() && ev.Latest != nil {
		ev.Date = *ev.Latest
	}
	return ev, nil
}

// window reads --earliest and --latest (nil when not given).
func (f *riskEventFlags) window() (earliest, latest *coalition.Date, err error) {
	for _, p := range []struct {
		name, v string
		dst     **coalition.Date
	}{{"--earliest", f.earliest, &earliest}, {"--latest", f.latest, &latest}} {
		d, err := optionalDate(p.name, p.v)
		if err != nil {
			return nil, nil, err
		}
		if !d.IsZero() {
			*p.dst = &d
		}
	}
	return earliest, latest, nil
}

// update is the edit the flags given describe, at --version or the
// current version.
func (f *riskEventFlags) update(ctx context.Context, s coalition.RiskEventStore, id int64) (coalition.RiskEventUpdate, error) {
	upd := coalition.RiskEventUpdate{ClearWindow: f.clearWindow}
	var err error
	if upd.Version, err = f.currentVersion(ctx, s, id); err != nil {
		return upd, err
	}
	if upd.Earliest, upd.Latest, err = f.window(); err != nil {
		return upd, err
	}
	if f.set["date"] {
		d, err := optionalDate("--date", f.date)
		if err != nil {
			return upd, err
		}
		upd.Date = &d
	}
	if f.set["country"] {
		iso := strings.ToUpper(f.country)
		upd.ISO3 = &iso
	}
	strs := map[string]**string{"kind": &upd.Kind, "label": &upd.Label, "source": &upd.Source, "assumption": &upd.Assumption}
	vals := map[string]*string{"kind": &f.kind, "label": &f.label, "source": &f.source, "assumption": &f.assumption}
	for name, dst := range strs {
		if f.set[name] {
			*dst = vals[name]
		}
	}
	if f.set["probability"] {
		upd.Probability = &f.probability
	}
	if f.set["factor"] {
		upd.Factor = &f.factor
	}
	if f.set["date-unknown"] {
		upd.DateUnknown = &f.dateUnknown
	}
	return upd, nil
}

// currentVersion is --version, or the event's version as stored now.
func (f *riskEventFlags) currentVersion(ctx context.Context, s coalition.RiskEventStore, id int64) (int64, error) {
	if f.version > 0 {
		return f.version, nil
	}
	ev, err := s.FindRiskEvent(ctx, id)
	if err != nil {
		return 0, err
	}
	return ev.Version, nil
}
