package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner = interface{ Scan(...any) error }

// queryPage runs "SELECT cols FROM from WHERE where ORDER BY order" for one
// keyset page of at most limit rows (capped by pageSize) and says whether
// more follow. what names the list in errors.
func queryPage[T any](ctx context.Context, tx *Tx, what, cols, from string, where []string, order string, args []any,
	limit int, scan func(rowScanner) (T, error)) ([]T, bool, error) {
	n := pageSize(limit)
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d", cols, from, strings.Join(where, " AND "), order, n+1)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("sqlstore: find %s: %w", what, err)
	}
	defer rows.Close()
	out := make([]T, 0, min(n, 64))
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, false, fmt.Errorf("sqlstore: find %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("sqlstore: find %s: %w", what, err)
	}
	more := len(out) > n
	if more {
		out = out[:n]
	}
	return out, more, nil
}
