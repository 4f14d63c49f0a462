package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

// TestWriteRefusesUncheckedCommits: the wrapper commits only a writer that
// checked a permission and appended an audit entry.
func TestWriteRefusesUncheckedCommits(t *testing.T) {
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sys := coalition.WithUser(context.Background(), coalition.System)
	insert := func(tx *Tx, iso string) error {
		_, err := tx.exec(sys, "INSERT INTO countries (iso3, name, source) VALUES (?, ?, 't')", iso, iso)
		return err
	}
	cases := []struct {
		name, iso string
		fn        func(tx *Tx) error
		wantErr   string // "" for committed
	}{
		{"no permission check", "AAA", func(tx *Tx) error {
			if err := insert(tx, "AAA"); err != nil {
				return err
			}
			return tx.audit(sys, "create", "country", "AAA", nil, nil, nil)
		}, "no permission check"},
		{"no audit entry", "BBB", func(tx *Tx) error {
			if err := tx.requireWrite(true, ""); err != nil {
				return err
			}
			return insert(tx, "BBB")
		}, "no audit entry"},
		{"both", "CCC", func(tx *Tx) error {
			if err := tx.requireWrite(true, ""); err != nil {
				return err
			}
			if err := insert(tx, "CCC"); err != nil {
				return err
			}
			return tx.audit(sys, "create", "country", "CCC", nil, nil, nil)
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.write(sys, "test", tc.fn)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("write = %v, want error containing %q", err, tc.wantErr)
			}
			var n int
			if err := s.db.QueryRow("SELECT count(*) FROM countries WHERE iso3 = ?", tc.iso).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tc.wantErr == ""]; n != want {
				t.Errorf("%d rows of %s committed, want %d", n, tc.iso, want)
			}
		})
	}
}
