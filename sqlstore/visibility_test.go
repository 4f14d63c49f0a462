package sqlstore

import (
	"slices"
	"testing"

	"coalition"
)

// TestVisibleShare: pledge_monthly serves the administrator (every pledge)
// and the readers who see public pledges only; everyone whose view depends
// on a pledge's coalition or donor is sent to pledge_rollup.
func TestVisibleShare(t *testing.T) {
	for _, c := range []struct {
		name string
		u    *coalition.User
		want string
	}{
		{"anonymous", nil, "public"},
		{"administrator", &coalition.User{ID: 1, Role: coalition.Admin}, "all"},
		{"disabled administrator", &coalition.User{ID: 1, Role: coalition.Admin, Disabled: true}, "public"},
		{"observer", &coalition.User{ID: 2, Role: coalition.Observer}, "public"},
		{"coordinator of a coalition", &coalition.User{ID: 3, Role: coalition.Coordinator, Coalitions: []int64{4}}, ""},
		{"coordinator of none", &coalition.User{ID: 3, Role: coalition.Coordinator}, ""},
		{"analyst of a coalition", &coalition.User{ID: 5, Role: coalition.Analyst, Coalitions: []int64{4}}, ""},
		{"delegate of a country", &coalition.User{ID: 6, Role: coalition.Delegate, Country: "DEU"}, ""},
	} {
		if got := visibleShare(c.u); got != c.want {
			t.Errorf("%s: visibleShare = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMonthlyStatuses: pledge_monthly (migration 0017) has columns for
// every pledge status. A new status needs a migration that adds its
// columns (until then its filters read pledge_rollup).
func TestMonthlyStatuses(t *testing.T) {
	if !slices.Equal(monthlyStatuses, coalition.PledgeStatuses) {
		t.Errorf("pledge_monthly has columns for %v; the statuses are %v", monthlyStatuses, coalition.PledgeStatuses)
	}
}
