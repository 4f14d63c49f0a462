package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"coalition"
)

// auditHash is the SHA-256 of the entry's fields and the previous hash,
// encoded as a JSON array so that no two entries share an encoding.
func auditHash(e *coalition.AuditEntry) string {
	var coal any
	if e.Coalition != nil {
		coal = *e.Coalition
	}
	b, _ := json.Marshal([]any{e.Seq, ts(e.At), e.UserID, e.Email, e.Addr, e.Action, e.Entity, e.EntityID,
		e.Before, e.After, coal, e.PrevHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// audit appends one entry to the chain inside tx: it locks the head row,
// so concurrent writers append one after the other.
func (tx *Tx) audit(ctx context.Context, action, entity string, id any, before, after any, coalitionID *int64) error {
	lock := ""
	if tx.s.dialect == postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev string
	if err := tx.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+lock).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("sqlstore: audit head: %w", err)
	}
	e := &coalition.AuditEntry{Seq: seq + 1, At: tx.now, Action: action, Entity: entity, EntityID: fmt.Sprint(id),
		Before: toJSON(before), After: toJSON(after), Coalition: coalitionID, PrevHash: prev, Addr: coalition.RequestFrom(ctx).Addr}
	if id == nil {
		e.EntityID = ""
	}
	if u := tx.user; u != nil {
		e.UserID, e.Email = u.ID, u.Email
	}
	e.Hash = auditHash(e)
	tx.audited = true
	if _, err := tx.exec(ctx, `INSERT INTO audit_log (seq, at, user_id, email, addr, action, entity, entity_id, before_json, after_json,
		coalition_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.Seq, ts(e.At), e.UserID, e.Email, e.Addr, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.Coalition, e.PrevHash, e.Hash); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: audit append: %w", err))
	}
	if _, err := tx.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", e.Seq, e.Hash); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: audit head: %w", err))
	}
	return nil
}

// appendAudit writes one entry in a transaction of its own (logins,
// denials: events that must be recorded even when the action fails).
func (s *Store) appendAudit(ctx context.Context, action, entity string, id any, after any) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.audit(ctx, action, entity, id, nil, after, nil); err != nil {
		return err
	}
	return tx.Commit()
}

const auditCols = "seq, at, user_id, email, addr, action, entity, entity_id, before_json, after_json, coalition_id, prev_hash, hash"

func scanAudit(sc interface{ Scan(...any) error }) (*coalition.AuditEntry, error) {
	var e coalition.AuditEntry
	var at timestamp
	var coal sql.NullInt64
	if err := sc.Scan(&e.Seq, &at, &e.UserID, &e.Email, &e.Addr, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After,
		&coal, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At, e.Coalition = at.Time, nullInt(coal)
	return &e, nil
}

// FindAudit lists entries: admins all, coordinators their coalitions'.
func (s *Store) FindAudit(ctx context.Context, f coalition.AuditFilter) ([]*coalition.AuditEntry, bool, error) {
	u := coalition.UserFrom(ctx)
	if u == nil {
		return nil, false, coalition.Errorf(coalition.Unauthorized, "sign in to read the audit log")
	}
	where, args := []string{"seq > ?"}, []any{f.After}
	switch {
	case !coalition.CanAudit(u):
		return nil, false, coalition.Errorf(coalition.Forbidden, "only admins and coordinators read the audit log")
	case u.Role == coalition.Coordinator:
		in, a := inCoalitions(u, "")
		where, args = append(where, in), append(args, a...)
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.UserID != 0 {
		where, args = append(where, "user_id = ?"), append(args, f.UserID)
	}
	if f.CoalitionID != nil {
		where, args = append(where, "coalition_id = ?"), append(args, *f.CoalitionID)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	return queryPage(ctx, tx, "audit entries", auditCols, "audit_log", where, "seq", args, f.Limit, scanAudit)
}

// VerifyAudit recomputes the whole chain in seq order. It detects a changed
// field (hash mismatch), a deleted or reordered entry (a gap in seq or a
// prev_hash that is not the previous hash) and a cut tail (the head row).
func (s *Store) VerifyAudit(ctx context.Context) (int64, int64, string, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return 0, 0, "", err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY seq")
	if err != nil {
		return 0, 0, "", fmt.Errorf("sqlstore: verify audit: %w", err)
	}
	var n, want int64 = 0, 1
	prev := ""
	broken, reason := int64(0), ""
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return n, want, "entry " + strconv.FormatInt(want, 10) + " is unreadable", nil
		}
		n++
		switch {
		case broken != 0:
		case e.Seq != want:
			broken, reason = want, fmt.Sprintf("entry %d is missing (next is %d): deleted or reordered", want, e.Seq)
		case e.PrevHash != prev:
			broken, reason = e.Seq, fmt.Sprintf("entry %d does not follow entry %d: deleted, inserted or reordered", e.Seq, e.Seq-1)
		case auditHash(e) != e.Hash:
			broken, reason = e.Seq, fmt.Sprintf("entry %d was changed after it was written", e.Seq)
		}
		prev, want = e.Hash, e.Seq+1
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return n, 0, "", err
	}
	if broken != 0 {
		return n, broken, reason, nil
	}
	var headSeq int64
	var headHash string
	if err := tx.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return n, 0, "", fmt.Errorf("sqlstore: verify audit: %w", err)
	}
	if headSeq != want-1 || headHash != prev {
		return n, want, fmt.Sprintf("the chain ends at entry %d but %d were written: entries were removed from the end", want-1, headSeq), nil
	}
	return n, 0, "", nil
}

// ChangeSeq returns the sequence number of the newest audit entry.
func (s *Store) ChangeSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&seq); err != nil {
		return 0, fmt.Errorf("sqlstore: change seq: %w", err)
	}
	return seq, nil
}
