package report

import (
	"context"

	"coalition"
)

// eachPage calls fn with every page of a keyset-paged listing of the store:
// find(after) returns the records after the key after (at most
// coalition.MaxPageSize of them) and whether more follow; key is a
// record's key. Every reader of a whole listing goes through it.
func eachPage[T any](find func(after int64) ([]T, bool, error), key func(T) int64, fn func([]T)) error {
	after := int64(0)
	for {
		page, more, err := find(after)
		if err != nil {
			return err
		}
		fn(page)
		if !more || len(page) == 0 {
			return nil
		}
		after = key(page[len(page)-1])
	}
}

// readAll is every record of a keyset-paged listing (eachPage).
func readAll[T any](find func(after int64) ([]T, bool, error), key func(T) int64) ([]T, error) {
	var out []T
	err := eachPage(find, key, func(page []T) { out = append(out, page...) })
	return out, err
}

// allDeliveries is every delivery the user may see.
func allDeliveries(ctx context.Context, s coalition.DeliveryStore) ([]*coalition.Delivery, error) {
	return readAll(func(after int64) ([]*coalition.Delivery, bool, error) {
		return s.FindDeliveries(ctx, coalition.DeliveryFilter{After: after, Limit: coalition.MaxPageSize})
	}, deliveryID)
}

// The keys of the records the store pages by.
func pledgeID(p *coalition.Pledge) int64           { return p.ID }
func requirementID(r *coalition.Requirement) int64 { return r.ID }
func deliveryID(d *coalition.Delivery) int64       { return d.ID }
func engagementID(e *coalition.Engagement) int64   { return e.ID }
