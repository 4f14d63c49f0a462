package sqlstore

import (
	"context"
	"fmt"

	"coalition"
)

// write is the one way the store changes data (the shape of GoatCounter's
// zdb.TX): it begins a write transaction as the user in ctx, runs fn, and
// commits. fn checks the permission with tx.requireWrite (a rule of
// coalition's access.go) and appends its audit entry with tx.audit.
//
// Refusals are audited by construction: whatever check refused (a
// requireWrite, or any other Forbidden or Unauthorized error from fn), the
// transaction is rolled back and the refusal is recorded as a "denied"
// entry naming what. A fn that would commit without a permission check or
// without an audit entry is a programming error: nothing is committed.
func (s *Store) write(ctx context.Context, what string, fn func(tx *Tx) error) (err error) {
	defer func() { s.noteDenied(ctx, err, what) }()
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	switch {
	case tx.discard:
		return nil
	case !tx.checked:
		return fmt.Errorf("sqlstore: %s: no permission check before commit", what)
	case !tx.audited:
		return fmt.Errorf("sqlstore: %s: no audit entry before commit", what)
	}
	return tx.Commit()
}

// writeValue is write for writers that return what they wrote.
func writeValue[T any](s *Store, ctx context.Context, what string, fn func(tx *Tx) (T, error)) (T, error) {
	var v T
	err := s.write(ctx, what, func(tx *Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// requireWrite is the permission check of a write: Unauthorized for
// anonymous writers, Forbidden for disabled accounts and when allowed (a
// rule of access.go) is false.
func (tx *Tx) requireWrite(allowed bool, format string, args ...any) error {
	tx.checked = true
	if tx.user == nil {
		return coalition.Errorf(coalition.Unauthorized, "sign in to make changes")
	}
	if tx.user.Disabled {
		return coalition.Errorf(coalition.Forbidden, "this account is disabled")
	}
	if !allowed {
		return coalition.Errorf(coalition.Forbidden, format, args...)
	}
	return nil
}

// refuse is the refusal of one row inside a long transaction (an import,
// which reports it and goes on): a Forbidden error, audited as a denial
// when the transaction ends.
func (tx *Tx) refuse(what, format string, args ...any) error {
	err := coalition.Errorf(coalition.Forbidden, format, args...)
	tx.refusals = append(tx.refusals, what+": "+coalition.ErrorMessage(err))
	return err
}

// auditRefusals records the refusals of a transaction that has ended.
func (tx *Tx) auditRefusals() {
	if len(tx.refusals) == 0 {
		return
	}
	ctx := coalition.WithRequest(coalition.WithUser(context.Background(), tx.user), tx.req)
	for _, what := range tx.refusals {
		tx.s.RecordDenied(ctx, what)
	}
	tx.refusals = nil
}

// checkVersion is the one optimistic-locking check: nil when the record is
// at the version the caller read, else a Conflict that carries the record
// as it is now (the API answers 409 with it).
func checkVersion(entity string, id, have, want int64, current any) error {
	if have == want {
		return nil
	}
	return &coalition.StaleError{Err: coalition.Errorf(coalition.Conflict,
		"%s %d is at version %d, not %d: reload and try again", entity, id, have, want), Current: current}
}

// noteDenied records a Forbidden or Unauthorized outcome of a write.
func (s *Store) noteDenied(ctx context.Context, err error, what string) {
	if k := coalition.ErrorKind(err); err != nil && (k == coalition.Forbidden || k == coalition.Unauthorized) {
		s.RecordDenied(ctx, what+": "+coalition.ErrorMessage(err))
	}
}
