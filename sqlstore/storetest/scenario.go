package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"coalition"
)

// testScenarios: round trip, validation, pagination, versions and the
// visibility rule on saved scenarios.
func testScenarios(t *testing.T, s coalition.Store) {
	c := base(t, s)
	spec := json.RawMessage(`{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"key":"gdp"}`)
	result := json.RawMessage(`{"covered":1.5e9}`)
	sc := &coalition.Scenario{Name: "US out", Spec: spec, Result: result, Visibility: coalition.Public}
	must(t, s.CreateScenario(sys, sc))
	if sc.ID == 0 || sc.Version != 1 || sc.CreatedAt.IsZero() {
		t.Fatalf("created: %+v", sc)
	}
	if sc.CreatedBy != nil { // System has id 0: no user to name
		t.Fatalf("created_by = %d, want null for the system user", *sc.CreatedBy)
	}
	got, err := s.FindScenario(context.Background(), sc.ID)
	must(t, err)
	var gotSpec, wantSpec any
	must(t, json.Unmarshal(got.Spec, &gotSpec))
	must(t, json.Unmarshal(spec, &wantSpec))
	if got.Name != "US out" || string(got.Result) != string(result) || got.Visibility != coalition.Public || got.Version != 1 {
		t.Fatalf("round trip: %+v", got)
	}
	if b1, _ := json.Marshal(gotSpec); string(b1) != func() string { b, _ := json.Marshal(wantSpec); return string(b) }() {
		t.Fatalf("spec round trip: got %s, want %s", got.Spec, spec)
	}
	// A scenario saved without a result keeps an empty one.
	noRes := &coalition.Scenario{Name: "draft", Spec: spec, Visibility: coalition.Public}
	must(t, s.CreateScenario(sys, noRes))
	got, err = s.FindScenario(sys, noRes.ID)
	must(t, err)
	if len(got.Result) != 0 {
		t.Fatalf("result of a draft = %q, want empty", got.Result)
	}

	// Validation names the field; nothing is written.
	bad := []struct {
		field string
		sc    coalition.Scenario
	}{
		{"name", coalition.Scenario{Spec: spec, Visibility: coalition.Public}},
		{"spec", coalition.Scenario{Name: "x", Visibility: coalition.Public}},
		{"spec", coalition.Scenario{Name: "x", Spec: json.RawMessage(`{"a":`), Visibility: coalition.Public}},
		{"result", coalition.Scenario{Name: "x", Spec: spec, Result: json.RawMessage(`nope`), Visibility: coalition.Public}},
		{"visibility", coalition.Scenario{Name: "x", Spec: spec, Visibility: "secret"}},
		{"coalition_id", coalition.Scenario{Name: "x", Spec: spec, Visibility: coalition.CoalitionVis}},
		{"owner", coalition.Scenario{Name: "x", Spec: spec, Visibility: coalition.Confidential, Owner: "gb"}},
	}
	for _, b := range bad {
		err := s.CreateScenario(sys, &b.sc)
		wantKind(t, err, coalition.Invalid)
		var ce *coalition.Error
		if !errors.As(err, &ce) || ce.Field != b.field {
			t.Errorf("%+v: error %v, want field %q", b.sc, err, b.field)
		}
	}
	missing := int64(999999)
	wantKind(t, s.CreateScenario(sys, &coalition.Scenario{Name: "x", Spec: spec, Visibility: coalition.CoalitionVis, CoalitionID: &missing}), coalition.Invalid)
	list, _, err := s.FindScenarios(sys, coalition.ScenarioFilter{})
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("%d scenarios after refused creates, want 2", len(list))
	}

	// Versions: a stale delete is a Conflict with the current record.
	err = s.DeleteScenario(sys, sc.ID, 2)
	wantKind(t, err, coalition.Conflict)
	var se *coalition.StaleError
	if !errors.As(err, &se) || se.Current.(*coalition.Scenario).ID != sc.ID {
		t.Fatalf("stale delete: %v does not carry the current scenario", err)
	}
	must(t, s.DeleteScenario(sys, sc.ID, 1))
	_, err = s.FindScenario(sys, sc.ID)
	wantKind(t, err, coalition.NotFound)
	wantKind(t, s.DeleteScenario(sys, sc.ID, 1), coalition.NotFound)

	// Pagination: 5 more, pages of 2 → 2 + 2 + 2 (draft and the 5), in id order.
	for i := 0; i < 5; i++ {
		must(t, s.CreateScenario(sys, &coalition.Scenario{Name: "p", Spec: spec, Visibility: coalition.Public, CoalitionID: &c.ID}))
	}
	var ids []int64
	after := int64(0)
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		page, more, err := s.FindScenarios(sys, coalition.ScenarioFilter{After: after, Limit: 2})
		must(t, err)
		for _, p := range page {
			ids = append(ids, p.ID)
		}
		if !more {
			break
		}
		after = page[len(page)-1].ID
	}
	if len(ids) != 6 {
		t.Fatalf("paged %d scenarios, want 6", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("ids not increasing: %v", ids)
		}
	}
	inCoal, _, err := s.FindScenarios(sys, coalition.ScenarioFilter{CoalitionID: &c.ID})
	must(t, err)
	if len(inCoal) != 5 {
		t.Fatalf("coalition filter: %d, want 5", len(inCoal))
	}
}

// testScenarioVisibility checks list and detail against coalition.CanSee for
// every role, and that a delegate's confidential scenario is owned by its
// country.
func testScenarioVisibility(t *testing.T, s coalition.Store) {
	c := base(t, s)
	spec := json.RawMessage(`{}`)
	pub := &coalition.Scenario{Name: "public", Spec: spec, Visibility: coalition.Public}
	coal := &coalition.Scenario{Name: "coalition", Spec: spec, Visibility: coalition.CoalitionVis, CoalitionID: &c.ID}
	conf := &coalition.Scenario{Name: "confidential", Spec: spec, Visibility: coalition.Confidential, CoalitionID: &c.ID, Owner: "GBR"}
	for _, sc := range []*coalition.Scenario{pub, coal, conf} {
		must(t, s.CreateScenario(sys, sc))
	}
	// A delegate's own confidential scenario: the owner is its country and
	// created_by its id.
	del := &coalition.User{ID: 41, Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{c.ID}}
	own := &coalition.Scenario{Name: "french", Spec: spec, Visibility: coalition.Confidential}
	must(t, s.CreateScenario(coalition.WithUser(context.Background(), del), own))
	if own.Owner != "FRA" || own.CreatedBy == nil || *own.CreatedBy != 41 {
		t.Fatalf("delegate's scenario: owner %q created_by %v, want FRA and 41", own.Owner, own.CreatedBy)
	}
	all := []*coalition.Scenario{pub, coal, conf, own}
	users := []struct {
		name string
		u    *coalition.User
		want []string // written out, not derived
	}{
		{"anonymous", nil, []string{"public"}},
		{"observer", &coalition.User{ID: 1, Role: coalition.Observer}, []string{"public"}},
		{"analyst", &coalition.User{ID: 2, Role: coalition.Analyst, Coalitions: []int64{c.ID}}, []string{"public", "coalition"}},
		{"analyst-other", &coalition.User{ID: 3, Role: coalition.Analyst, Coalitions: []int64{c.ID + 100}}, []string{"public"}},
		{"delegate-gbr", &coalition.User{ID: 4, Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{c.ID}}, []string{"public", "coalition", "confidential"}},
		{"delegate-fra", del, []string{"public", "coalition", "french"}},
		{"coordinator", &coalition.User{ID: 6, Role: coalition.Coordinator, Coalitions: []int64{c.ID}}, []string{"public", "coalition", "confidential"}},
		{"admin", &coalition.User{ID: 7, Role: coalition.Admin}, []string{"public", "coalition", "confidential", "french"}},
		{"disabled-admin", &coalition.User{ID: 8, Role: coalition.Admin, Disabled: true}, []string{"public"}},
	}
	for _, u := range users {
		ctx := coalition.WithUser(context.Background(), u.u)
		list, _, err := s.FindScenarios(ctx, coalition.ScenarioFilter{})
		must(t, err)
		var names []string
		for _, sc := range list {
			names = append(names, sc.Name)
		}
		if len(names) != len(u.want) {
			t.Errorf("%s sees %v, want %v", u.name, names, u.want)
		} else {
			for i := range names {
				if names[i] != u.want[i] {
					t.Errorf("%s sees %v, want %v", u.name, names, u.want)
					break
				}
			}
		}
		for _, sc := range all {
			_, err := s.FindScenario(ctx, sc.ID)
			if see := coalition.CanSee(u.u, sc.Visibility, sc.Owner, sc.CoalitionID); see != (err == nil) {
				t.Errorf("%s: FindScenario(%s) err=%v, the rule says visible=%v", u.name, sc.Name, err, see)
			}
		}
	}
	// A hidden scenario cannot be deleted: NotFound, and it stays.
	anon := context.Background()
	wantKind(t, s.DeleteScenario(anon, conf.ID, 1), coalition.NotFound)
	if _, err := s.FindScenario(sys, conf.ID); err != nil {
		t.Fatalf("hidden scenario was deleted: %v", err)
	}
}
