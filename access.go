package coalition

import (
	"fmt"
	"slices"
)

// Every permission rule of Coalition, stated once (like WTF Dial's
// CanEditDial beside Dial). The store (sqlstore) and the HTTP guard call
// these; neither writes a role comparison of its own. The role table in the
// README ("Accounts, roles and confidentiality") is what they implement.
//
// A nil *User is an anonymous reader; a disabled user may do nothing that an
// anonymous reader may not.

// InCoalition reports whether u belongs to coalition id.
func (u *User) InCoalition(id *int64) bool {
	return u != nil && id != nil && slices.Contains(u.Coalitions, *id)
}

// active reports whether u is signed in and not disabled.
func active(u *User) bool { return u != nil && !u.Disabled }

// IsAdmin: an active administrator (users, reference data, the rollup).
func IsAdmin(u *User) bool { return active(u) && u.Role == Admin }

// adminOrCoordinator is the one place "admins and coordinators" is written.
func adminOrCoordinator(u *User) bool {
	return active(u) && (u.Role == Admin || u.Role == Coordinator)
}

// CanAudit: admins and coordinators read the audit log (coordinators only
// their coalitions' entries) and use the auditors' routes.
func CanAudit(u *User) bool { return adminOrCoordinator(u) }

// CanLoad: admins and coordinators load datasets and run imports.
func CanLoad(u *User) bool { return adminOrCoordinator(u) }

// CanEditChannels: channels are reference data that every coalition reads;
// admins and coordinators keep them.
func CanEditChannels(u *User) bool { return adminOrCoordinator(u) }

// CanEditRisk: admins and coordinators create and edit risk events.
func CanEditRisk(u *User) bool { return adminOrCoordinator(u) }

// CanSee is the visibility rule, stated once in Go (the store's SQL mirrors it
// and a test checks that the two agree):
//   - public: everyone;
//   - coalition: admins, and coordinators, delegates and analysts of that coalition;
//   - confidential: admins, the owner country's delegates, and coordinators of
//     the record's coalition.
func CanSee(u *User, vis Visibility, owner string, coalitionID *int64) bool {
	if vis == Public {
		return true
	}
	if !active(u) {
		return false
	}
	switch u.Role {
	case Admin:
		return true
	case Coordinator:
		return u.InCoalition(coalitionID)
	case Delegate:
		if vis == Confidential {
			return owner != "" && owner == u.Country
		}
		return u.InCoalition(coalitionID) || owner == u.Country
	case Analyst:
		return vis == CoalitionVis && u.InCoalition(coalitionID)
	}
	return false
}

// AudienceKey names what u may see: users with the same key see the same
// records (CanSee depends on nothing else), so cached results are shared
// by key.
func AudienceKey(u *User) string {
	if !active(u) || u.Role == Observer {
		return "public"
	}
	if u.Role == Admin {
		return "admin"
	}
	return fmt.Sprintf("%s|%s|%v", u.Role, u.Country, u.Coalitions)
}

// CanWrite is the write rule for records owned by a country (pledges,
// deliveries, engagements): admins; delegates of that country; coordinators
// of the record's coalition. Analysts and observers never write.
func CanWrite(u *User, owner string, coalitionID *int64) bool {
	if !active(u) {
		return false
	}
	switch u.Role {
	case Admin:
		return true
	case Delegate:
		return owner != "" && owner == u.Country
	case Coordinator:
		return u.InCoalition(coalitionID)
	}
	return false
}

// CanManageCoalition: admins, and coordinators of that coalition (members,
// requirements, scenarios).
func CanManageCoalition(u *User, coalitionID *int64) bool {
	return IsAdmin(u) || (active(u) && u.Role == Coordinator && u.InCoalition(coalitionID))
}

// CanSaveScenario is the role table's rule for saved scenarios: admins all;
// coordinators their coalitions'; delegates and analysts only for audiences
// they belong to: a scenario of one of their coalitions that they may see,
// or (delegates) their own country's confidential one. Nobody outside a
// coalition saves for it, not even publicly.
func CanSaveScenario(u *User, sc *Scenario) bool {
	if CanManageCoalition(u, sc.CoalitionID) {
		return true
	}
	if !active(u) || (u.Role != Delegate && u.Role != Analyst) {
		return false
	}
	if !CanSee(u, sc.Visibility, sc.Owner, sc.CoalitionID) {
		return false
	}
	ownCountry := u.Role == Delegate && sc.Visibility == Confidential && sc.Owner != "" && sc.Owner == u.Country
	return u.InCoalition(sc.CoalitionID) || ownCountry
}

// CanDeleteScenario: its author, and whoever manages its coalition.
func CanDeleteScenario(u *User, sc *Scenario) bool {
	mine := active(u) && sc.CreatedBy != nil && *sc.CreatedBy == u.ID
	return mine || CanManageCoalition(u, sc.CoalitionID)
}

// CanDecide is the review rule: admins and coordinators accept or reject
// any proposal; a delegate only pledges whose donor is its own country.
func CanDecide(u *User, p *Proposal) bool {
	if adminOrCoordinator(u) {
		return true
	}
	return active(u) && u.Role == Delegate && p.Type == ProposePledge && p.Owner != "" && p.Owner == u.Country
}

// CanSubmitText: admins, coordinators and delegates submit texts.
func CanSubmitText(u *User) bool {
	return adminOrCoordinator(u) || (active(u) && u.Role == Delegate)
}

// CanReadQueue: every signed-in role but observers reads the review queue
// (proposals are not yet records, so they are not public).
func CanReadQueue(u *User) bool {
	return active(u) && u.Role != Observer && u.Role.Valid()
}
