package imports

import (
	"context"
	"encoding/json"
	"errors"

	"coalition"
	"coalition/importer"
)

// asyncSink writes pledges from a goroutine of its own; the other records
// wait until the pledges before them are written (deliveries refer to them).
// Errors of the asynchronous writes come back from close, placed by the
// row in each pledge's provenance.
//
// Pledges go to the writer in batches of pledgeBatch copies, held by
// value: one allocation and one hand-over a batch, where one a pledge cost
// the parser (the critical path of a large import) an allocation, and a
// wake-up of the writer whenever it had caught up.
type asyncSink struct {
	im    coalition.Import
	ch    chan any // []coalition.Pledge, or a chan struct{} to signal "all written"
	batch []coalition.Pledge
	free  chan []coalition.Pledge // batches written, to fill again
	done  chan struct{}
	errs  importer.Errors
	// refused counts the pledges the database refused (errs has one
	// error per row)
	refused int
	// fatal is a database error while writing: the import cannot go on
	fatal error
}

func newAsyncSink(ctx context.Context, im coalition.Import, file string) *asyncSink {
	// Up to 4,096 pledges wait for the writer, as many as before batches.
	a := &asyncSink{im: im, ch: make(chan any, 4096/pledgeBatch), free: make(chan []coalition.Pledge, 4096/pledgeBatch+2), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		lastRefused := "" // the provenance of the last pledge refused
		for v := range a.ch {
			switch x := v.(type) {
			case []coalition.Pledge:
				for i := range x {
					a.write(ctx, file, &x[i], &lastRefused)
				}
				clear(x) // let go of the strings
				select {
				case a.free <- x:
				default:
				}
			case chan struct{}:
				close(x)
			}
		}
	}()
	return a
}

// pledgeBatch is how many pledges go to the writer at once.
const pledgeBatch = 64

// write writes one pledge, keeping the error of a pledge refused;
// lastRefused is the provenance of the last pledge refused.
func (a *asyncSink) write(ctx context.Context, file string, x *coalition.Pledge, lastRefused *string) {
	if a.fatal != nil {
		return
	}
	err := a.im.Pledge(ctx, x)
	if err == nil {
		return
	}
	if a.im.Err() != nil { // the database failed, not this record
		a.fatal = err
		return
	}
	a.refused++
	if x.Provenance == *lastRefused {
		return // one row, one error: a Kiel CSV row's pledges share their provenance
	}
	*lastRefused = x.Provenance
	var where struct {
		Sheet string `json:"sheet"`
		Row   int    `json:"row"`
	}
	json.Unmarshal([]byte(x.Provenance), &where)
	field := "record"
	var ce *coalition.Error
	if errors.As(err, &ce) && ce.Field != "" {
		field = ce.Field
	}
	a.errs = append(a.errs, &importer.RowError{File: file, Sheet: where.Sheet, Row: where.Row, Field: field, Err: err})
}

func (a *asyncSink) Pledge(_ context.Context, p *coalition.Pledge) error {
	if a.batch == nil {
		select {
		case b := <-a.free:
			a.batch = b[:0]
		default:
			a.batch = make([]coalition.Pledge, 0, pledgeBatch)
		}
	}
	// A copy: the parser may read its pledge on; the writer sets ID and
	// version on the copy.
	a.batch = append(a.batch, *p)
	if len(a.batch) == pledgeBatch {
		a.flush()
	}
	return nil
}

// flush hands the pledges not yet sent to the writer.
func (a *asyncSink) flush() {
	if len(a.batch) > 0 {
		a.ch <- a.batch
		a.batch = nil
	}
}

// sync waits until every pledge sent so far is written.
func (a *asyncSink) sync() {
	a.flush()
	c := make(chan struct{})
	a.ch <- c
	<-c
}

func (a *asyncSink) Delivery(ctx context.Context, ps, pr, ref, prov string, d *coalition.Delivery) error {
	a.sync()
	return a.im.Delivery(ctx, ps, pr, ref, prov, d)
}

func (a *asyncSink) Requirement(ctx context.Context, ref, prov string, r *coalition.Requirement) error {
	a.sync()
	return a.im.Requirement(ctx, ref, prov, r)
}

func (a *asyncSink) Engagement(ctx context.Context, e *coalition.Engagement) error {
	a.sync()
	return a.im.Engagement(ctx, e)
}

func (a *asyncSink) RiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	a.sync()
	return a.im.RiskEvent(ctx, r)
}

// close waits for the writer and returns the records it refused, and the
// database error that stopped it, if any.
func (a *asyncSink) close() (importer.Errors, error) {
	a.flush()
	close(a.ch)
	<-a.done
	return a.errs, a.fatal
}

// countingSink tells a Progress of every record.
type countingSink struct {
	importer.Sink
	p Progress
}

func (c *countingSink) Pledge(ctx context.Context, p *coalition.Pledge) error {
	c.p.Record()
	return c.Sink.Pledge(ctx, p)
}

func (c *countingSink) Delivery(ctx context.Context, ps, pr, ref, prov string, d *coalition.Delivery) error {
	c.p.Record()
	return c.Sink.Delivery(ctx, ps, pr, ref, prov, d)
}

func (c *countingSink) Requirement(ctx context.Context, ref, prov string, r *coalition.Requirement) error {
	c.p.Record()
	return c.Sink.Requirement(ctx, ref, prov, r)
}

func (c *countingSink) Engagement(ctx context.Context, e *coalition.Engagement) error {
	c.p.Record()
	return c.Sink.Engagement(ctx, e)
}

func (c *countingSink) RiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	c.p.Record()
	return c.Sink.RiskEvent(ctx, r)
}
