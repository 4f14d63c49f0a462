package http

import (
	"context"
	"net/http"
)

// The three answers every record with a version gives, written once:
// GET …/{id} with its ETag, PATCH …/{id} at the version of If-Match, and
// DELETE …/{id} at the version of If-Match. version reads a record's
// version; setVersion puts the version of If-Match into an update.

// getRecord answers GET …/{id}: the record find returns, its version as
// the ETag.
func getRecord[R any](w http.ResponseWriter, r *http.Request, find func(context.Context, int64) (R, error), version func(R) int64) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := find(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, version(rec))
	return encode(w, r, http.StatusOK, rec)
}

// patchRecord answers PATCH …/{id}: the update U decoded from the body, at
// the version of If-Match (428 without it), applied by update; the record
// as it now is, with its new ETag.
func patchRecord[U, R any](w http.ResponseWriter, r *http.Request, setVersion func(*U, int64),
	update func(context.Context, int64, U) (R, error), version func(R) int64) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	upd, err := decode[U](w, r)
	if err != nil {
		return err
	}
	v, err := ifMatch(r)
	if err != nil {
		return err
	}
	setVersion(&upd, v)
	rec, err := update(r.Context(), id, upd)
	if err != nil {
		return err
	}
	setETag(w, version(rec))
	return encode(w, r, http.StatusOK, rec)
}

// deleteRecord answers DELETE …/{id} at the version of If-Match (428
// without it): 204 No Content.
func deleteRecord(w http.ResponseWriter, r *http.Request, del func(ctx context.Context, id, version int64) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := del(r.Context(), id, v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
