package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/sqlstore"
)

// TestAuditTamperDetected changes, deletes, reorders and truncates entries
// behind the application's back; VerifyAudit must name the first broken one.
func TestAuditTamperDetected(t *testing.T) {
	engines := map[string]func(*testing.T) coalition.Store{"sqlite": openSQLite, "postgres": openPostgres}
	tampers := []struct {
		name string
		sql  string
		want int64 // first broken seq
	}{
		{"change action", "UPDATE audit_log SET action = 'read' WHERE seq = 3", 3},
		{"change user", "UPDATE audit_log SET email = 'someone@else' WHERE seq = 2", 2},
		{"change after", "UPDATE audit_log SET after_json = '{}' WHERE seq = 4", 4},
		{"change time", "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 1", 1},
		{"delete one", "DELETE FROM audit_log WHERE seq = 3", 3},
		{"reorder", "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2", 2},
		{"cut tail", "DELETE FROM audit_log WHERE seq >= 5", 5},
		{"rehash one", "UPDATE audit_log SET action = 'x', hash = 'abc' WHERE seq = 2", 2},
	}
	for engine, open := range engines {
		t.Run(engine, func(t *testing.T) {
			if engine == "postgres" {
				postgresURL(t)
			}
			for _, tm := range tampers {
				t.Run(tm.name, func(t *testing.T) {
					s := open(t).(*sqlstore.Store)
					ctx := coalition.WithUser(context.Background(), coalition.System)
					for _, c := range []string{"DEU", "FRA", "UKR", "GBR", "POL", "ITA"} {
						if err := s.UpsertCountry(ctx, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
							t.Fatal(err)
						}
					}
					n, broken, _, err := s.VerifyAudit(ctx)
					if err != nil || n != 6 || broken != 0 {
						t.Fatalf("before tampering: n=%d broken=%d err=%v", n, broken, err)
					}
					for _, q := range strings.Split(tm.sql, ";") {
						if _, err := s.DB().Exec(q); err != nil {
							t.Fatal(err)
						}
					}
					_, broken, reason, err := s.VerifyAudit(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if broken != tm.want || !strings.Contains(reason, "entr") {
						t.Fatalf("broken at %d (%q), want %d", broken, reason, tm.want)
					}
				})
			}
		})
	}
}
