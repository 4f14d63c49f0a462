package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"coalition"
)

// Denials returns the "what" of every denied entry in the audit log, with
// the email of whoever was refused and the entry's count (1 when absent).
func Denials(t *testing.T, s coalition.Store) []Denial {
	t.Helper()
	var out []Denial
	var after int64
	for {
		page, more, err := s.FindAudit(sys, coalition.AuditFilter{Action: "denied", After: after, Limit: coalition.MaxPageSize})
		must(t, err)
		for _, e := range page {
			var v struct {
				What  string `json:"what"`
				Count int64  `json:"count"`
			}
			if err := json.Unmarshal([]byte(e.After), &v); err != nil {
				t.Fatalf("denied entry %d: after = %q: %v", e.Seq, e.After, err)
			}
			if v.Count == 0 {
				v.Count = 1
			}
			out = append(out, Denial{What: v.What, Email: e.Email, Addr: e.Addr, Count: v.Count})
			after = e.Seq
		}
		if !more {
			return out
		}
	}
}

// Denial is one denied entry of the audit log.
type Denial struct {
	What, Email, Addr string
	Count             int64
}

// testRefusedRiskUpdateAudited: a delegate may not edit risk events; the
// refusal is in the audit log (issue 23: UpdateRiskEvent forgot it).
func testRefusedRiskUpdateAudited(t *testing.T, s coalition.Store) {
	c := base(t, s)
	r := &coalition.RiskEvent{ISO3: "FRA", Date: coalition.Date{Y: 2027, M: 4, D: 10}, Kind: "election", Label: "presidential",
		Probability: 0.3, Factor: 0.5, Source: "test", Assumption: "default"}
	must(t, s.CreateRiskEvent(sys, r))
	del := coalition.WithUser(context.Background(), &coalition.User{ID: 31, Email: "fr@x", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}})
	p := 0.9
	_, err := s.UpdateRiskEvent(del, r.ID, coalition.RiskEventUpdate{Version: 1, Probability: &p})
	wantKind(t, err, coalition.Forbidden)
	t.Run("one denied entry", func(t *testing.T) {
		ds := Denials(t, s)
		if len(ds) != 1 {
			t.Fatalf("denied entries = %+v, want 1", ds)
		}
		if got, want := ds[0].Email, "fr@x"; got != want {
			t.Errorf("email = %q, want %q", got, want)
		}
		if got, want := ds[0].What, "update risk event: only admins and coordinators edit risk events"; got != want {
			t.Errorf("what = %q, want %q", got, want)
		}
	})
	t.Run("nothing changed", func(t *testing.T) {
		list, err := s.FindRiskEvents(sys, coalition.RiskEventFilter{ISO3: "FRA"})
		must(t, err)
		if len(list) != 1 || list[0].Probability != 0.3 || list[0].Version != 1 {
			t.Fatalf("risk events = %+v, want probability 0.3 at version 1", list)
		}
	})
}

// testScenarioSaveRule: the README's role table decides who saves a
// scenario for which audience (issue 17: a delegate of a country in no
// coalition could save a public one).
func testScenarioSaveRule(t *testing.T, s coalition.Store) {
	c := base(t, s)
	other := &coalition.Coalition{Code: "T9", Name: "Other", Recipient: "UKR"}
	must(t, s.CreateCoalition(sys, other))
	spec := json.RawMessage(`{}`)
	in := []int64{c.ID}
	users := map[string]*coalition.User{
		"admin":           {ID: 50, Role: coalition.Admin},
		"coordinator":     {ID: 51, Role: coalition.Coordinator, Coalitions: in},
		"delegate":        {ID: 52, Role: coalition.Delegate, Country: "FRA", Coalitions: in},
		"delegate-alone":  {ID: 53, Role: coalition.Delegate, Country: "EST"},
		"analyst":         {ID: 54, Role: coalition.Analyst, Coalitions: in},
		"analyst-alone":   {ID: 55, Role: coalition.Analyst},
		"observer":        {ID: 56, Role: coalition.Observer},
		"disabled-admin":  {ID: 57, Role: coalition.Admin, Disabled: true},
		"coordinator-oth": {ID: 58, Role: coalition.Coordinator, Coalitions: []int64{other.ID}},
	}
	cases := []struct {
		user  string
		vis   coalition.Visibility
		coal  *int64
		owner string
		want  coalition.Kind // "" for saved
	}{
		{"admin", coalition.Public, &c.ID, "", ""},
		{"coordinator", coalition.Public, &c.ID, "", ""},
		{"coordinator", coalition.CoalitionVis, &c.ID, "", ""},
		{"coordinator-oth", coalition.Public, &c.ID, "", coalition.Forbidden},
		{"delegate", coalition.Public, &c.ID, "", ""},
		{"delegate", coalition.CoalitionVis, &c.ID, "", ""},
		{"delegate", coalition.Confidential, &c.ID, "", ""}, // its country's, in its coalition
		{"delegate", coalition.Confidential, nil, "", ""},   // its country's
		{"delegate", coalition.CoalitionVis, &other.ID, "", coalition.Forbidden},
		{"delegate", coalition.Public, &other.ID, "", coalition.Forbidden},
		{"delegate-alone", coalition.Public, &c.ID, "", coalition.Forbidden}, // issue 17
		{"delegate-alone", coalition.Public, nil, "", coalition.Forbidden},
		{"delegate-alone", coalition.Confidential, nil, "", ""}, // its own country's audience
		{"analyst", coalition.Public, &c.ID, "", ""},
		{"analyst", coalition.CoalitionVis, &c.ID, "", ""},
		{"analyst", coalition.CoalitionVis, &other.ID, "", coalition.Forbidden},
		{"analyst-alone", coalition.Public, &c.ID, "", coalition.Forbidden},
		{"observer", coalition.Public, &c.ID, "", coalition.Forbidden},
		{"disabled-admin", coalition.Public, &c.ID, "", coalition.Forbidden},
	}
	for _, tc := range cases {
		coalName := "none"
		if tc.coal != nil {
			coalName = map[int64]string{c.ID: "T1", other.ID: "T9"}[*tc.coal]
		}
		t.Run(tc.user+"/"+string(tc.vis)+"/"+coalName, func(t *testing.T) {
			u := users[tc.user]
			ctx := coalition.WithUser(context.Background(), u)
			sc := &coalition.Scenario{Name: "s", Spec: spec, Visibility: tc.vis, CoalitionID: tc.coal, Owner: tc.owner}
			err := s.CreateScenario(ctx, sc)
			if tc.want == "" {
				must(t, err)
				if !coalition.CanSaveScenario(u, sc) {
					t.Errorf("saved, but coalition.CanSaveScenario says no")
				}
				return
			}
			wantKind(t, err, tc.want)
			if sc.ID != 0 {
				t.Errorf("refused scenario got id %d", sc.ID)
			}
		})
	}
	t.Run("refusals audited", func(t *testing.T) {
		// One entry per refused user: the same refusal again within the
		// summary window is counted, not written, until the window closes.
		refused := map[string]bool{}
		for _, tc := range cases {
			if tc.want != "" {
				refused[tc.user] = true
			}
		}
		n := 0
		for _, d := range Denials(t, s) {
			if strings.HasPrefix(d.What, "create scenario: ") {
				n++
			}
		}
		if n != len(refused) {
			t.Errorf("%d create-scenario denials audited, want %d (one per refused user)", n, len(refused))
		}
	})
}
