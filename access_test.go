package coalition

import "testing"

// TestRolePredicates writes the role table's yes/no answers out, one row
// per kind of user, for the predicates that depend on the role alone.
func TestRolePredicates(t *testing.T) {
	type answers struct{ admin, audit, load, risk, submit, queue bool }
	cases := []struct {
		name string
		u    *User
		want answers
	}{
		{"anonymous", nil, answers{}},
		{"admin", &User{Role: Admin}, answers{true, true, true, true, true, true}},
		{"coordinator", &User{Role: Coordinator}, answers{false, true, true, true, true, true}},
		{"delegate", &User{Role: Delegate, Country: "FRA"}, answers{false, false, false, false, true, true}},
		{"analyst", &User{Role: Analyst}, answers{false, false, false, false, false, true}},
		{"observer", &User{Role: Observer}, answers{}},
		{"disabled admin", &User{Role: Admin, Disabled: true}, answers{}},
		{"disabled coordinator", &User{Role: Coordinator, Disabled: true}, answers{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := answers{IsAdmin(tc.u), CanAudit(tc.u), CanLoad(tc.u), CanEditRisk(tc.u), CanSubmitText(tc.u), CanReadQueue(tc.u)}
			if got != tc.want {
				t.Errorf("(IsAdmin, CanAudit, CanLoad, CanEditRisk, CanSubmitText, CanReadQueue) = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestAudienceKey: users who see the same records share a key; users who
// may see different records do not.
func TestAudienceKey(t *testing.T) {
	same := [][2]*User{
		{nil, {Role: Observer}},
		{nil, {Role: Admin, Disabled: true}},
		{{ID: 1, Role: Admin}, {ID: 2, Role: Admin}},
		{{ID: 1, Role: Delegate, Country: "FRA", Coalitions: []int64{1}}, {ID: 2, Role: Delegate, Country: "FRA", Coalitions: []int64{1}}},
	}
	for _, p := range same {
		if a, b := AudienceKey(p[0]), AudienceKey(p[1]); a != b {
			t.Errorf("AudienceKey(%+v) = %q, AudienceKey(%+v) = %q, want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]*User{
		{nil, {Role: Analyst, Coalitions: []int64{1}}},
		{{Role: Delegate, Country: "FRA", Coalitions: []int64{1}}, {Role: Delegate, Country: "GBR", Coalitions: []int64{1}}},
		{{Role: Coordinator, Coalitions: []int64{1}}, {Role: Coordinator, Coalitions: []int64{2}}},
		{{Role: Coordinator, Coalitions: []int64{1}}, {Role: Analyst, Coalitions: []int64{1}}},
	}
	for _, p := range differ {
		if a, b := AudienceKey(p[0]), AudienceKey(p[1]); a == b {
			t.Errorf("AudienceKey(%+v) = AudienceKey(%+v) = %q, want different", p[0], p[1], a)
		}
	}
}
