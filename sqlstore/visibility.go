package sqlstore

import (
	"strings"

	"coalition"
)

// visible returns a SQL condition that mirrors coalition.CanSee for user u
// over rows with columns visibility and coalition_id, whose owner country is
// the SQL expression owner (empty: records without an owner country).
func visible(u *coalition.User, prefix, owner string) (string, []any) {
	vis := prefix + "visibility"
	if u == nil || u.Disabled {
		return vis + " = 'public'", nil
	}
	in, args := inCoalitions(u, prefix)
	switch u.Role {
	case coalition.Admin:
		return "1=1", nil
	case coalition.Coordinator:
		return "(" + vis + " = 'public' OR " + in + ")", args
	case coalition.Delegate:
		if owner == "" || u.Country == "" {
			return "(" + vis + " = 'public' OR (" + vis + " = 'coalition' AND " + in + "))", args
		}
		args = append(args, u.Country, u.Country)
		return "(" + vis + " = 'public' OR (" + vis + " = 'coalition' AND (" + in + " OR " + owner + " = ?))" +
			" OR (" + vis + " = 'confidential' AND " + owner + " = ?))", args
	case coalition.Analyst:
		return "(" + vis + " = 'public' OR (" + vis + " = 'coalition' AND " + in + "))", args
	}
	return vis + " = 'public'", nil
}

func inCoalitions(u *coalition.User, prefix string) (string, []any) {
	if len(u.Coalitions) == 0 {
		return "1=0", nil
	}
	args := make([]any, len(u.Coalitions))
	for i, id := range u.Coalitions {
		args[i] = id
	}
	return prefix + "coalition_id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(args)), ",") + ")", args
}

// visibleShare says which share of pledge_monthly (migration 0017) u sees:
// "all" pledges (an administrator), the "public" ones (an anonymous or
// disabled user, an observer), or "" when what u sees depends on a
// pledge's coalition or donor, which pledge_monthly does not keep (read
// pledge_rollup). It is read off visible's own condition, so that the two
// cannot disagree: a rule visible does not state so plainly gets "".
func visibleShare(u *coalition.User) string {
	switch cond, args := visible(u, "p.", "p.donor"); {
	case len(args) > 0:
		return ""
	case cond == "1=1":
		return "all"
	case cond == "p.visibility = 'public'":
		return "public"
	}
	return ""
}
