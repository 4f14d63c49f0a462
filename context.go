package coalition

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may do.
type Role string

const (
	Admin       Role = "admin"       // everything, including users
	Coordinator Role = "coordinator" // manages its coalitions; sees their confidential records
	Delegate    Role = "delegate"    // one country, in one or more coalitions
	Analyst     Role = "analyst"     // reads coalition-level data of its coalitions
	Observer    Role = "observer"    // public records only (as anonymous readers)
)

// Roles lists every role.
var Roles = []Role{Admin, Coordinator, Delegate, Analyst, Observer}

func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is an account. A nil *User is an anonymous reader.
type User struct {
	ID         int64     `json:"id"`
	Email      string    `json:"email"`
	Role       Role      `json:"role"`
	Country    string    `json:"country,omitempty"`    // delegates: the country they speak for
	Coalitions []int64   `json:"coalitions,omitempty"` // coordinators, delegates, analysts
	Disabled   bool      `json:"disabled"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
}

// System is the local operator: the CLI with direct access to the database.
var System = &User{ID: 0, Email: "system", Role: Admin}

type userKey struct{}

// WithUser returns a context that carries u.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user in ctx, or nil for an anonymous reader.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
