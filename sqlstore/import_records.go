package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"coalition"
)

// Delivery records d against the pledge (pledgeSource, pledgeRef), or, when
// pledgeRef is empty, against d.PledgeID. With ref it is matched on
// (d.Source, ref).
func (im *Import) Delivery(ctx context.Context, pledgeSource, pledgeRef, ref, provenance string, d *coalition.Delivery) error {
	tx := im.tx
	if err := im.settle(ctx); err != nil {
		return err
	}
	im.wrote["deliveries"] = true
	if pledgeRef != "" {
		id, err := im.pledgeID(ctx, pledgeSource, pledgeRef)
		if err != nil {
			return err
		}
		d.PledgeID = id
	}
	if err := d.Validate(); err != nil {
		return err
	}
	p, err := tx.findPledge(ctx, d.PledgeID)
	if err != nil {
		return err
	}
	old, err := im.known(ctx, im.deliveries, d.Source, ref, `SELECT id, version, source_ref, '' FROM deliveries WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Delivery // read on demand, as for pledges
	if old != nil {
		if cur, err = scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryCols+" FROM deliveries d WHERE d.id = ?", old.id)); err != nil {
			return fmt.Errorf("sqlstore: import: read delivery %d: %w", old.id, err)
		}
	}
	same := old != nil && sameDelivery(cur, d)
	if !same { // the rule of every delivery write
		d.ID = 0
		if old != nil {
			d.ID = old.id // a re-import replaces the row: it is not among the others
		}
		if err := tx.checkDelivery(ctx, p, d); err != nil {
			return err
		}
	}
	d.ID, err = im.upsert("deliveries", old, same, func() (int64, error) {
		d.Version, d.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO deliveries (pledge_id, date, amount_eur_minor, quantity, source, source_ref, provenance,
			over_delivery, version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`, d.PledgeID, d.Date, d.AmountEUR, d.Quantity, d.Source, ref, provenance,
			d.OverDelivery, 1, ts(tx.now))
		if err != nil {
			return 0, tx.s.mapErr(fmt.Errorf("sqlstore: import delivery: %w", err))
		}
		remember(im.deliveries, d.Source, ref, id)
		return id, nil
	}, func() error {
		_, err := tx.exec(ctx, `UPDATE deliveries SET pledge_id = ?, date = ?, amount_eur_minor = ?, quantity = ?, provenance = ?,
			over_delivery = ?, version = version + 1 WHERE id = ?`, d.PledgeID, d.Date, d.AmountEUR, d.Quantity, provenance, d.OverDelivery, old.id)
		return tx.s.mapErr(wrapErr("sqlstore: import delivery", err))
	})
	return err
}

// pledgeID is the id of the pledge (source, ref): one stored before this
// import, or one it created.
func (im *Import) pledgeID(ctx context.Context, source, ref string) (int64, error) {
	have, err := im.keys(ctx, im.pledges, source, pledgeKeys)
	if err != nil {
		return 0, err
	}
	if k := have[ref]; k != nil {
		return k.id, nil
	}
	var id int64
	err = im.tx.queryRow(ctx, pledgeIDSQL, source, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, coalition.FieldError("pledge_ref", "no pledge %q from source %q (import the pledges first, or in the same run)", ref, source)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: import delivery: %w", err)
	}
	return id, nil
}

// pledgeIDSQL finds a pledge by its natural key, never empty (see
// keyCountSQL).
const pledgeIDSQL = "SELECT id FROM pledges WHERE source = ? AND source_ref = ? AND source_ref <> ''"

// Requirement creates r or updates the one with the same (Source, ref).
func (im *Import) Requirement(ctx context.Context, ref, provenance string, r *coalition.Requirement) error {
	tx := im.tx
	if err := im.settle(ctx); err != nil {
		return err
	}
	im.wrote["requirements"] = true
	if err := r.Validate(); err != nil {
		return err
	}
	if !coalition.CanManageCoalition(tx.user, r.CoalitionID) {
		return tx.refuse("import requirement", "only the coalition's coordinators set its requirements")
	}
	old, err := im.known(ctx, im.reqs, r.Source, ref, `SELECT id, version, source_ref, '' FROM requirements WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Requirement // read on demand, as for pledges
	if old != nil {
		if cur, err = scanRequirement(tx.queryRow(ctx, "SELECT "+requirementCols+" FROM requirements WHERE id = ?", old.id)); err != nil {
			return fmt.Errorf("sqlstore: import: read requirement %d: %w", old.id, err)
		}
	}
	r.ID, err = im.upsert("requirements", old, old != nil && sameRequirement(cur, r), func() (int64, error) {
		r.Version, r.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO requirements (coalition_id, recipient, category, amount_eur_minor, quantity,
			unit_value_eur_minor, from_month, to_month, priority, visibility, source, source_ref, provenance, version, created_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.CoalitionID, r.Recipient, r.Category, r.AmountEUR, r.Quantity, r.UnitValue,
			r.From, r.To, r.Priority, r.Visibility, r.Source, ref, provenance, 1, ts(tx.now))
		if err != nil {
			return 0, tx.s.mapErr(fmt.Errorf("sqlstore: import requirement: %w", err))
		}
		remember(im.reqs, r.Source, ref, id)
		return id, nil
	}, func() error {
		_, err := tx.exec(ctx, `UPDATE requirements SET coalition_id = ?, recipient = ?, category = ?, amount_eur_minor = ?, quantity = ?,
			unit_value_eur_minor = ?, from_month = ?, to_month = ?, priority = ?, visibility = ?, provenance = ?, version = version + 1
			WHERE id = ?`, r.CoalitionID, r.Recipient, r.Category, r.AmountEUR, r.Quantity, r.UnitValue, r.From, r.To, r.Priority,
			r.Visibility, provenance, old.id)
		return tx.s.mapErr(wrapErr("sqlstore: import requirement", err))
	})
	return err
}

// Engagement creates e or replaces the one with the same (Source, SourceRef).
func (im *Import) Engagement(ctx context.Context, e *coalition.Engagement) error {
	tx := im.tx
	if err := im.settle(ctx); err != nil {
		return err
	}
	im.wrote["engagements"] = true
	im.wrote["engagement_participants"] = true
	if err := e.Validate(); err != nil {
		return err
	}
	if !coalition.CanWrite(tx.user, e.Participants[0].ISO3, e.CoalitionID) {
		return tx.refuse("import engagement", "you may not record engagements of %s", e.Participants[0].ISO3)
	}
	if e.Topics == nil {
		e.Topics = []string{}
	}
	old, err := im.known(ctx, im.engs, e.Source, e.SourceRef, `SELECT id, version, source_ref, '' FROM engagements WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Engagement // read on demand, as for pledges
	if old != nil {
		if cur, err = tx.findEngagement(coalition.WithUser(ctx, coalition.System), old.id); err != nil {
			return err
		}
	}
	e.ID, err = im.upsert("engagements", old, old != nil && sameEngagement(cur, e), func() (int64, error) {
		if err := tx.createEngagement(ctx, e); err != nil {
			return 0, err
		}
		remember(im.engs, e.Source, e.SourceRef, e.ID)
		return e.ID, nil
	}, func() error { return im.rewriteEngagement(ctx, old.id, e) })
	return err
}

// rewriteEngagement replaces engagement id's fields and participants with e's.
func (im *Import) rewriteEngagement(ctx context.Context, id int64, e *coalition.Engagement) error {
	tx := im.tx
	if _, err := tx.exec(ctx, `UPDATE engagements SET date = ?, kind = ?, title = ?, summary = ?, topics = ?, asks = ?, outcomes = ?,
		owner = ?, coalition_id = ?, visibility = ?, provenance = ?, version = version + 1 WHERE id = ?`,
		e.Date, e.Kind, e.Title, e.Summary, joinTopics(e.Topics), e.Asks, e.Outcomes, e.Participants[0].ISO3, e.CoalitionID,
		e.Visibility, e.Provenance, id); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
	}
	if _, err := tx.exec(ctx, "DELETE FROM engagement_participants WHERE engagement_id = ?", id); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
	}
	for i, p := range e.Participants {
		if _, err := tx.exec(ctx, "INSERT INTO engagement_participants (engagement_id, pos, name, role, iso3) VALUES (?,?,?,?,?)",
			id, i, p.Name, p.Role, p.ISO3); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
		}
	}
	return nil
}

// RiskEvent creates r unless a risk event with the same (ISO3, Date, Kind,
// Label) exists; an existing one keeps the probability and factor users set.
func (im *Import) RiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	if err := im.settle(ctx); err != nil {
		return err
	}
	im.wrote["risk_events"] = true
	if err := r.Validate(); err != nil {
		return err
	}
	have, err := im.keys(ctx, im.risks, r.Source, `SELECT id, version, iso3 || '|' || date || '|' || kind || '|' || label, ''
		FROM risk_events WHERE source = ?`)
	if err != nil {
		return err
	}
	key := r.ISO3 + "|" + r.Date.String() + "|" + r.Kind + "|" + r.Label
	if old := have[key]; old != nil {
		if old.seen {
			return coalition.FieldError("label", "risk event %s appears twice in this import", key)
		}
		old.seen = true
		im.rep.Unchanged["risk_events"]++
		return nil
	}
	var n int
	if err := im.tx.queryRow(ctx, "SELECT count(*) FROM risk_events WHERE iso3 = ? AND date = ? AND kind = ? AND label = ?",
		r.ISO3, r.Date, r.Kind, r.Label).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: import risk event: %w", err)
	}
	if n > 0 { // the same event from another source
		im.rep.Unchanged["risk_events"]++
		return nil
	}
	if err := im.tx.createRiskEvent(ctx, r); err != nil {
		return err
	}
	have[key] = &keyed{id: r.ID, version: 1, seen: true}
	im.rep.Created["risk_events"]++
	return nil
}

// upsert files one imported record against the stored one with the same
// natural key (old; nil if there is none): create writes a new record and
// returns its id, update rewrites a stored one that is not the same. The
// outcome is counted in the report under table, and old is marked seen so
// that the key cannot come twice (an update also moves its version on, as
// the UPDATE does). It returns the record's id.
func (im *Import) upsert(table string, old *keyed, same bool, create func() (int64, error), update func() error) (int64, error) {
	switch {
	case old == nil:
		id, err := create()
		if err != nil {
			return 0, err
		}
		im.rep.Created[table]++
		return id, nil
	case !same:
		if err := update(); err != nil {
			return 0, err
		}
		old.version++
		im.rep.Updated[table]++
	default:
		im.rep.Unchanged[table]++
	}
	old.seen = true
	return old.id, nil
}

// wrapErr adds context to err, and is nil when err is.
func wrapErr(context string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", context, err)
}
