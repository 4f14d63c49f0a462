package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"coalition"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// TestAuditTamperDetected changes, deletes, reorders and truncates entries
// behind the application's back; VerifyAudit must name the first broken one.
func TestAuditTamperDetected(t *testing.T) {
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
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		for _, tm := range tampers {
			t.Run(tm.name, func(t *testing.T) {
				s := e.Open(t)
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

// TestImportWriteRules: imports follow the same write rules as single
// writes, and a finished import is audited.
func TestImportWriteRules(t *testing.T) {
	s := sqltest.Open(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	for _, c := range []string{"FRA", "GBR", "UKR"} {
		if err := s.UpsertCountry(sys, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	delegate := coalition.WithUser(context.Background(), &coalition.User{ID: 5, Role: coalition.Delegate, Country: "FRA"})
	if _, err := s.BeginImport(delegate); coalition.ErrorKind(err) != coalition.Forbidden {
		t.Fatalf("a delegate began an import: %v", err)
	}
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 6, Role: coalition.Coordinator, Coalitions: []int64{77}})
	im, err := s.BeginImport(coord)
	if err != nil {
		t.Fatal(err)
	}
	p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "humanitarian", Amount: coalition.Money{Minor: 100, Currency: "EUR"},
		Announced: coalition.Date{Y: 2025, M: 1, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "t", SourceRef: "x"}
	if err := im.Pledge(coord, p); coalition.ErrorKind(err) != coalition.Forbidden {
		t.Fatalf("a coordinator imported a pledge outside its coalitions: %v", err)
	}
	im.Abort()
	im, err = s.BeginImport(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Pledge(sys, p); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Finish(sys, sqlstore.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	entries, _, err := s.FindAudit(sys, coalition.AuditFilter{Action: "import"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"pledges":1`) {
		t.Fatalf("import audit: %v %+v", err, entries)
	}
}
