package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
	"coalition/sqlstore/storetest"
)

// writerExempt are the Store methods that change data without a
// permission rule of access.go, and why.
var writerExempt = map[string]string{
	"ChangePassword": "self-service: the user in ctx changes its own password",
	"CreateToken":    "self-service: the user in ctx creates its own token",
	"CreateSession":  "sign-in: the session of a user Authenticate returned",
	"DeleteSession":  "sign-out: ends the caller's own session",
	"RecordDenied":   "appends the denial itself",
	"Migrate":        "the operator, before any user exists",
	"Backup":         "the operator's command line; reads only",
	"ChangeSeq":      "reads the audit chain's length",
}

// isWriter says whether a Store method changes data, by its name.
func isWriter(name string) bool {
	for _, p := range []string{"Create", "Update", "Delete", "Upsert", "Decide", "Revoke", "Reset", "Rebuild", "Load", "Begin", "Bulk", "Change", "Record", "Migrate", "Backup", "Restore", "Set", "Add", "Remove", "Replace"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// TestEveryWriterAuditsRefusals calls every writer of the store as an
// observer (anonymous where an observer may act on its own account) and
// checks that each refusal left its own denied entry in the audit log. A
// new writer must be added here (or to writerExempt with a reason): the
// test lists the Store's methods and fails on one it does not know.
func TestEveryWriterAuditsRefusals(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { testEveryWriterAuditsRefusals(t, e.Open(t)) })
}

func testEveryWriterAuditsRefusals(t *testing.T, s *sqlstore.Store) {
	sys := coalition.WithUser(context.Background(), coalition.System)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, iso := range []string{"UKR", "FRA", "GBR"} {
		must(s.UpsertCountry(sys, &coalition.Country{ISO3: iso, Name: iso, Source: "t"}))
	}
	c := &coalition.Coalition{Code: "T1", Name: "Test", Recipient: "UKR", Members: []coalition.Membership{{ISO3: "FRA", Status: coalition.Joined}}}
	must(s.CreateCoalition(sys, c))
	pl := &coalition.Pledge{Donor: "FRA", Recipient: "UKR", Category: "air-defence", Amount: coalition.Money{Minor: 100, Currency: "EUR"},
		Announced: coalition.Date{Y: 2025, M: 1, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "t"}
	must(s.CreatePledge(sys, pl))
	dl := &coalition.Delivery{PledgeID: pl.ID, Date: coalition.Date{Y: 2025, M: 2, D: 1}, AmountEUR: 10, Source: "t"}
	must(s.CreateDelivery(sys, dl))
	eng := func() *coalition.Engagement {
		return &coalition.Engagement{Date: coalition.Date{Y: 2025, M: 3, D: 2}, Kind: "summit", Title: "London summit",
			Participants: []coalition.Participant{{Name: "A", ISO3: "FRA"}}, Visibility: coalition.Public, Source: "t"}
	}
	en := eng()
	must(s.CreateEngagement(sys, en))
	month, _ := coalition.ParseMonth("2026-01")
	req := func() *coalition.Requirement {
		return &coalition.Requirement{CoalitionID: &c.ID, Recipient: "UKR", Category: "ammunition", AmountEUR: 1, From: month, To: month,
			Visibility: coalition.Public, Source: "t"}
	}
	rq := req()
	must(s.CreateRequirement(sys, rq))
	fl := &coalition.ForceLine{CoalitionID: c.ID, Capability: coalition.ForceLand, UnitType: "battalion", Visibility: coalition.Public, Source: "t"}
	must(s.CreateForceLine(sys, fl))
	fo := &coalition.ForceOffer{LineID: fl.ID, Country: "FRA", Unit: "battalion", Visibility: coalition.Public, Source: "t"}
	must(s.CreateForceOffer(sys, fo))
	channel := func(code string) *coalition.Channel {
		return &coalition.Channel{Code: code, Name: "x", Key: "k", Source: "t", Contributors: []coalition.ChannelContributor{{ISO3: "FRA", Share: 1, Source: "t"}}}
	}
	ch := channel("CH")
	must(s.CreateChannel(sys, ch))
	risk := func() *coalition.RiskEvent {
		return &coalition.RiskEvent{ISO3: "FRA", Date: coalition.Date{Y: 2027, M: 4, D: 10}, Kind: "election", Label: "x",
			Probability: 0.3, Factor: 0.5, Source: "t", Assumption: "a"}
	}
	rk := risk()
	must(s.CreateRiskEvent(sys, rk))
	scen := func() *coalition.Scenario {
		return &coalition.Scenario{Name: "s", Spec: json.RawMessage(`{}`), Visibility: coalition.Public, CoalitionID: &c.ID}
	}
	sc := scen()
	must(s.CreateScenario(sys, sc))
	text := func() *coalition.IngestText {
		return &coalition.IngestText{Title: "t", Text: "France will provide €5 to Ukraine.", Date: coalition.Date{Y: 2025, M: 3, D: 4}, Source: "https://example.org/x"}
	}
	rec, _ := json.Marshal(coalition.Pledge{Donor: "FRA", Recipient: "UKR", Category: "air-defence", Amount: coalition.Money{Minor: 500, Currency: "EUR"}, Status: coalition.Announced})
	prop := func() []*coalition.Proposal {
		return []*coalition.Proposal{{Type: coalition.ProposePledge, Record: rec, Owner: "FRA", Confidence: 0.8}}
	}
	admin := coalition.WithUser(context.Background(), &coalition.User{ID: 90, Email: "admin@x", Role: coalition.Admin})
	ps := prop()
	must(s.CreateIngest(admin, text(), ps))
	user := &coalition.User{Email: "someone@example.org", Role: coalition.Analyst}
	must(s.CreateUser(sys, user, "a long enough passphrase 42"))
	_, tok, err := s.CreateToken(coalition.WithUser(context.Background(), user), "t", coalition.ScopeRead, time.Time{})
	must(err)

	observer := coalition.WithUser(context.Background(), &coalition.User{ID: 77, Email: "observer@x", Role: coalition.Observer})
	anonymous := context.Background()
	role := coalition.Analyst
	name := "x"
	prob := 0.9
	amt := coalition.Money{Minor: 1, Currency: "EUR"}
	writers := map[string]func() error{
		"UpsertCountry": func() error {
			return s.UpsertCountry(observer, &coalition.Country{ISO3: "DEU", Name: "Germany", Source: "t"})
		},
		"UpsertGroup": func() error {
			return s.UpsertGroup(observer, &coalition.Group{Code: "G", Name: "G", Source: "t", Members: []coalition.GroupMember{{ISO3: "FRA"}}})
		},
		"ResetPassword": func() error {
			return s.ResetPassword(observer, 1, "a long enough new passphrase", false)
		},
		"UpsertPerson": func() error {
			return s.UpsertPerson(observer, &coalition.Person{Name: "A B", Offices: []coalition.Office{{ISO3: "FRA", Title: "t", Start: coalition.Date{Y: 2025, M: 1, D: 1}, Source: "t"}}})
		},
		"CreateCoalition": func() error {
			return s.CreateCoalition(observer, &coalition.Coalition{Code: "T2", Name: "x", Recipient: "UKR"})
		},
		"UpdateCoalition": func() error {
			_, err := s.UpdateCoalition(observer, c.ID, coalition.CoalitionUpdate{Version: c.Version, Name: &name})
			return err
		},
		"CreateEquipment": func() error {
			return s.CreateEquipment(observer, &coalition.Equipment{Donor: "FRA", System: "Caesar", Category: coalition.CapArtillery,
				Pledged: 1, Visibility: coalition.Public, Source: "t"})
		},
		"LoadEquipment": func() error {
			_, err := s.LoadEquipment(observer, coalition.EquipmentRelease{Release: coalition.Release{Dataset: "w", Name: "1",
				AsOf: coalition.Date{Y: 2026, M: 1, D: 1}}})
			return err
		},
		"CreatePledge": func() error {
			p := *pl
			p.ID, p.Source = 0, "other"
			return s.CreatePledge(observer, &p)
		},
		"UpdatePledge": func() error {
			_, err := s.UpdatePledge(observer, pl.ID, coalition.PledgeUpdate{Version: pl.Version, Amount: &amt})
			return err
		},
		"DeletePledge":   func() error { return s.DeletePledge(observer, pl.ID, pl.Version) },
		"CreateDelivery": func() error { d := *dl; d.ID = 0; return s.CreateDelivery(observer, &d) },
		"UpdateDelivery": func() error {
			src := "corrected"
			_, err := s.UpdateDelivery(observer, dl.ID, coalition.DeliveryUpdate{Version: dl.Version, Source: &src})
			return err
		},
		"DeleteDelivery": func() error { return s.DeleteDelivery(observer, dl.ID, dl.Version) },
		"RecordStage": func() error {
			_, err := s.RecordStage(observer, &coalition.StageEntry{PledgeID: pl.ID, Stage: coalition.Committed,
				Date: coalition.Date{Y: 2025, M: 2, D: 2}, Amount: coalition.Money{Minor: 50, Currency: "EUR"}, Source: "t"})
			return err
		},
		"CreateEngagement": func() error {
			return s.CreateEngagement(observer, eng())
		},
		"DeleteEngagement": func() error { return s.DeleteEngagement(observer, en.ID, en.Version) },
		"UpdateEngagement": func() error {
			_, err := s.UpdateEngagement(observer, en.ID, coalition.EngagementUpdate{Version: en.Version, Title: &name})
			return err
		},
		"CreateRequirement": func() error { return s.CreateRequirement(observer, req()) },
		"DeleteRequirement": func() error { return s.DeleteRequirement(observer, rq.ID, rq.Version) },
		"UpdateRequirement": func() error {
			_, err := s.UpdateRequirement(observer, rq.ID, coalition.RequirementUpdate{Version: rq.Version, Note: &name})
			return err
		},
		"CreateForceLine": func() error {
			l := *fl
			l.ID = 0
			return s.CreateForceLine(observer, &l)
		},
		"UpdateForceLine": func() error {
			_, err := s.UpdateForceLine(observer, fl.ID, coalition.ForceLineUpdate{Version: fl.Version, Note: &name})
			return err
		},
		"DeleteForceLine": func() error { return s.DeleteForceLine(observer, fl.ID, fl.Version) },
		"CreateForceOffer": func() error {
			o := *fo
			o.ID = 0
			return s.CreateForceOffer(observer, &o)
		},
		"UpdateForceOffer": func() error {
			_, err := s.UpdateForceOffer(observer, fo.ID, coalition.ForceOfferUpdate{Version: fo.Version, Note: &name})
			return err
		},
		"DeleteForceOffer":   func() error { return s.DeleteForceOffer(observer, fo.ID, fo.Version) },
		"CreateChannel":      func() error { return s.CreateChannel(observer, channel("CH2")) },
		"DeleteChannel":      func() error { return s.DeleteChannel(observer, ch.ID, ch.Version) },
		"ReplaceCommitments": func() error { return s.ReplaceCommitments(observer, "kiel", nil) },
		"CreateRiskEvent":    func() error { r := risk(); r.Label = "y"; return s.CreateRiskEvent(observer, r) },
		"DeleteRiskEvent":    func() error { return s.DeleteRiskEvent(observer, rk.ID, rk.Version) },
		"UpdateRiskEvent": func() error {
			_, err := s.UpdateRiskEvent(observer, rk.ID, coalition.RiskEventUpdate{Version: rk.Version, Probability: &prob})
			return err
		},
		"CreateScenario": func() error { return s.CreateScenario(observer, scen()) },
		"DeleteScenario": func() error { return s.DeleteScenario(observer, sc.ID, sc.Version) },
		"CreateIngest":   func() error { return s.CreateIngest(observer, text(), prop()) },
		"DecideProposal": func() error {
			_, err := s.DecideProposal(observer, ps[0].ID, ps[0].Version, coalition.Accept, nil)
			return err
		},
		"CreateUser": func() error {
			return s.CreateUser(observer, &coalition.User{Email: "new@example.org", Role: coalition.Observer}, "another long passphrase 7")
		},
		"UpdateUser": func() error {
			_, err := s.UpdateUser(observer, user.ID, coalition.UserUpdate{Version: user.Version, Role: &role})
			return err
		},
		"RevokeToken": func() error { return s.RevokeToken(anonymous, tok.ID) },
		"Load": func() error {
			_, err := s.Load(observer, &coalition.Dataset{}, false)
			return err
		},
		"BeginImport": func() error {
			im, err := s.BeginImport(observer)
			if err == nil {
				im.Abort()
			}
			return err
		},
		"BulkInsert": func() error {
			p := *pl
			p.ID, p.Source, p.SourceRef = 0, "bulk", "b1"
			_, err := s.BulkInsert(observer, []*coalition.Pledge{&p}, nil)
			return err
		},
		"RebuildRollup": func() error { return s.RebuildRollup(observer) },
	}

	t.Run("every writer is listed", func(t *testing.T) {
		typ := reflect.TypeOf(s)
		for i := 0; i < typ.NumMethod(); i++ {
			n := typ.Method(i).Name
			_, listed := writers[n]
			_, exempt := writerExempt[n]
			if isWriter(n) && !listed && !exempt {
				t.Errorf("Store.%s looks like a writer: add it to the writers of this test, or to writerExempt with a reason", n)
			}
		}
		for n := range writers {
			if _, ok := typ.MethodByName(n); !ok {
				t.Errorf("writers lists %s, which Store does not have", n)
			}
		}
	})

	for n, call := range writers {
		t.Run(n, func(t *testing.T) {
			before := len(storetest.Denials(t, s))
			err := call()
			if k := coalition.ErrorKind(err); k != coalition.Forbidden && k != coalition.Unauthorized {
				t.Fatalf("error = %v (kind %q), want forbidden or unauthorized", err, k)
			}
			ds := storetest.Denials(t, s)
			if got := len(ds) - before; got != 1 {
				t.Fatalf("%d new denied entries, want 1", got)
			}
			last := ds[len(ds)-1]
			if !strings.Contains(last.What, coalition.ErrorMessage(err)) {
				t.Errorf("denied entry says %q, want it to name the refusal %q", last.What, coalition.ErrorMessage(err))
			}
		})
	}
	t.Run("chain intact", func(t *testing.T) {
		n, broken, reason, err := s.VerifyAudit(sys)
		if err != nil || broken != 0 {
			t.Fatalf("VerifyAudit: %d entries, broken at %d (%s), %v", n, broken, reason, err)
		}
	})
}

// TestImportRowRefusalsAudited: an import reports a row it may not write
// and goes on; the refusal is audited when the import ends (the audit
// needs the writer the import holds).
func TestImportRowRefusalsAudited(t *testing.T) {
	s := sqltest.Open(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	for _, c := range []string{"FRA", "GBR", "UKR"} {
		if err := s.UpsertCountry(sys, &coalition.Country{ISO3: c, Name: c, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	coord := coalition.WithUser(context.Background(), &coalition.User{ID: 6, Email: "co@x", Role: coalition.Coordinator, Coalitions: []int64{77}})
	im, err := s.BeginImport(coord)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "humanitarian", Amount: coalition.Money{Minor: 100, Currency: "EUR"},
			Announced: coalition.Date{Y: 2025, M: 1, D: 1}, Status: coalition.Allocated, Visibility: coalition.Public, Source: "t", SourceRef: "x" + strconv.Itoa(i)}
		if err := im.Pledge(coord, p); coalition.ErrorKind(err) != coalition.Forbidden {
			t.Fatalf("row %d: %v, want forbidden", i, err)
		}
	}
	if got := len(storetest.Denials(t, s)); got != 0 {
		t.Fatalf("%d denied entries while the import runs, want 0 (written when it ends)", got)
	}
	im.Abort()
	if err := s.FlushDenials(); err != nil {
		t.Fatal(err)
	}
	ds := storetest.Denials(t, s)
	var sum int64
	for _, d := range ds {
		want := "import pledge: you may not import pledges of GBR (coordinators: only into their coalitions)"
		if d.What != want || d.Email != "co@x" {
			t.Errorf("denied entry %+v, want %q by co@x", d, want)
		}
		sum += d.Count
	}
	if len(ds) != 2 || sum != 3 {
		t.Errorf("%d entries counting %d, want 2 entries (the first, then a summary) counting 3", len(ds), sum)
	}
}
