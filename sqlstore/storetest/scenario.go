package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"coalition"
)

// scenarios is the state the stages of testScenarios hand on.
type scenarios struct {
	s    coalition.Store
	c    *coalition.Coalition
	spec json.RawMessage
	sc   *coalition.Scenario // the first one saved
}

// testScenarios: round trip, validation, pagination, versions and the
// visibility rule on saved scenarios.
func testScenarios(t *testing.T, s coalition.Store) {
	sc := &scenarios{s: s, c: base(t, s), spec: json.RawMessage(`{"withdrawals":[{"countries":["USA"],"from":"2025-02"}],"key":"gdp"}`)}
	steps(t,
		step{"round trip", sc.roundTrip},
		step{"draft", sc.draft},
		step{"validation", sc.validation},
		step{"versions", sc.versions},
		step{"pages", sc.pages},
	)
}

func (c *scenarios) roundTrip(t *testing.T) {
	result := json.RawMessage(`{"covered":1.5e9}`)
	c.sc = &coalition.Scenario{Name: "US out", Spec: c.spec, Result: result, Visibility: coalition.Public}
	must(t, c.s.CreateScenario(sys, c.sc))
	holds(t, "an id", c.sc.ID != 0)
	eq(t, "version", c.sc.Version, 1)
	holds(t, "a creation time", !c.sc.CreatedAt.IsZero())
	eq(t, "created by, for the system user (id 0: no user to name)", c.sc.CreatedBy, (*int64)(nil))
	got, err := c.s.FindScenario(context.Background(), c.sc.ID)
	must(t, err)
	eq(t, "name", got.Name, "US out")
	eq(t, "result", string(got.Result), string(result))
	eq(t, "visibility", got.Visibility, coalition.Public)
	eq(t, "version read", got.Version, 1)
	eq(t, "spec", compactJSON(t, got.Spec), compactJSON(t, c.spec))
}

// compactJSON is raw re-encoded with sorted keys and no spaces, as the
// engines may store JSON in another form.
func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var v any
	must(t, json.Unmarshal(raw, &v))
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

// draft: a scenario saved without a result keeps an empty one.
func (c *scenarios) draft(t *testing.T) {
	noRes := &coalition.Scenario{Name: "draft", Spec: c.spec, Visibility: coalition.Public}
	must(t, c.s.CreateScenario(sys, noRes))
	got, err := c.s.FindScenario(sys, noRes.ID)
	must(t, err)
	eq(t, "result of a draft", string(got.Result), "")
}

// validation names the field; nothing is written.
func (c *scenarios) validation(t *testing.T) {
	spec := c.spec
	for _, b := range []struct {
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
	} {
		wantInvalidField(t, c.s.CreateScenario(sys, &b.sc), b.field)
	}
	missing := int64(999999)
	wantKind(t, c.s.CreateScenario(sys, &coalition.Scenario{Name: "x", Spec: spec, Visibility: coalition.CoalitionVis, CoalitionID: &missing}), coalition.Invalid)
	list, _, err := c.s.FindScenarios(sys, coalition.ScenarioFilter{})
	must(t, err)
	eq(t, "scenarios after refused creates", len(list), 2)
}

// versions: a stale delete is a Conflict with the current record.
func (c *scenarios) versions(t *testing.T) {
	eq(t, "version the stale delete carries", staleVersion(t, c.s.DeleteScenario(sys, c.sc.ID, 2)), 1)
	must(t, c.s.DeleteScenario(sys, c.sc.ID, 1))
	_, err := c.s.FindScenario(sys, c.sc.ID)
	wantKind(t, err, coalition.NotFound)
	wantKind(t, c.s.DeleteScenario(sys, c.sc.ID, 1), coalition.NotFound)
}

// pages: 5 more, pages of 2 → 2 + 2 + 2 (draft and the 5), in id order.
func (c *scenarios) pages(t *testing.T) {
	for i := 0; i < 5; i++ {
		must(t, c.s.CreateScenario(sys, &coalition.Scenario{Name: "p", Spec: c.spec, Visibility: coalition.Public, CoalitionID: &c.c.ID}))
	}
	ids := pagedScenarioIDs(t, c.s)
	eq(t, "scenarios paged", len(ids), 6)
	holds(t, fmt.Sprintf("increasing ids, got %v", ids), slices.IsSorted(ids) && len(slices.Compact(slices.Clone(ids))) == len(ids))
	inCoal, _, err := c.s.FindScenarios(sys, coalition.ScenarioFilter{CoalitionID: &c.c.ID})
	must(t, err)
	eq(t, "scenarios in the coalition", len(inCoal), 5)
}

// pagedScenarioIDs lists every scenario in pages of 2 (at most 10 pages).
func pagedScenarioIDs(t *testing.T, s coalition.Store) []int64 {
	t.Helper()
	var ids []int64
	after := int64(0)
	for pages := 0; pages <= 10; pages++ {
		page, more, err := s.FindScenarios(sys, coalition.ScenarioFilter{After: after, Limit: 2})
		must(t, err)
		for _, p := range page {
			ids = append(ids, p.ID)
		}
		if !more {
			return ids
		}
		after = page[len(page)-1].ID
	}
	t.Fatal("pagination does not end")
	return nil
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
	eq(t, "owner of a delegate's scenario", own.Owner, "FRA")
	need(t, "created_by is set", own.CreatedBy != nil, true)
	eq(t, "created_by", *own.CreatedBy, 41)
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
		same(t, u.name+" sees", names, u.want)
		for _, sc := range all {
			_, err := s.FindScenario(ctx, sc.ID)
			eq(t, fmt.Sprintf("%s reads %s (err %v)", u.name, sc.Name, err), err == nil, coalition.CanSee(u.u, sc.Visibility, sc.Owner, sc.CoalitionID))
		}
	}
	// A hidden scenario cannot be deleted: NotFound, and it stays.
	anon := context.Background()
	wantKind(t, s.DeleteScenario(anon, conf.ID, 1), coalition.NotFound)
	_, err := s.FindScenario(sys, conf.ID)
	must(t, err)
}
