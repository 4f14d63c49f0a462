package updates

import (
	"context"
	"log/slog"
	"time"

	"coalition"
)

// Loop updates every dataset (Datasets, in order) at each tick until ctx
// ends or ticks closes: `serve --update-every`. A failed update is logged
// and leaves its dataset as it was; the others go on. req.Dataset is
// ignored. The updates run as the local operator (coalition.System).
func Loop(ctx context.Context, s Store, req Request, ticks <-chan time.Time, log *slog.Logger) {
	ctx = coalition.WithUser(ctx, coalition.System)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ticks:
			if !ok {
				return
			}
			UpdateAll(ctx, s, req, log)
		}
	}
}

// UpdateAll runs one update of every dataset and logs what each did.
func UpdateAll(ctx context.Context, s Store, req Request, log *slog.Logger) {
	for _, name := range Datasets {
		req.Dataset = name
		res, err := Run(ctx, s, req)
		switch {
		case err != nil:
			log.WarnContext(ctx, "update failed: the dataset is left as it was", "dataset", name, "err", err)
		case res.Committed:
			log.InfoContext(ctx, "update loaded a new release", "dataset", res.Dataset, "release", res.Release.Release,
				"as_of", res.Release.AsOf.String(), "action", res.Release.Action, "changes", len(res.Diff))
		default:
			log.InfoContext(ctx, "update: nothing new", "dataset", res.Dataset, "release", res.Release.Release)
		}
	}
}

// Ticks sends now, then every interval, until ctx ends: the schedule of
// Loop for `serve --update-every`.
func Ticks(ctx context.Context, every time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	out <- time.Now()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				select {
				case out <- now:
				default: // an update still running: skip this tick
				}
			}
		}
	}()
	return out
}
