package coalition

import (
	"bufio"
	"context"
	_ "embed"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

//go:embed data/common-passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 42000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		m[sc.Text()] = true
	}
	return m
})

// CheckPassword says why a new password is not acceptable, or nil.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return FieldError("password", "must have at least %d characters", MinPasswordLength)
	}
	if commonPasswords()[strings.ToLower(pw)] {
		return FieldError("password", "is on the list of common passwords; choose another")
	}
	return nil
}

// Validate checks a user's fields (not the password).
func (u *User) Validate() error {
	switch {
	case !strings.Contains(u.Email, "@") || len(u.Email) > 254 || strings.ContainsAny(u.Email, " \t\r\n") || CheckText("email", u.Email, 254) != nil:
		return FieldError("email", "%q is not an e-mail address", u.Email)
	case !u.Role.Valid():
		return FieldError("role", "%q is not one of admin, coordinator, delegate, analyst, observer", u.Role)
	case u.Role == Delegate && !ValidISO3(u.Country):
		return FieldError("country", "a delegate speaks for one country: give its ISO 3166-1 alpha-3 code")
	case u.Role != Delegate && u.Country != "":
		return FieldError("country", "only delegates have a country")
	}
	return nil
}

// TokenScope says what an API token may do.
type TokenScope string

const (
	ScopeRead  TokenScope = "read"
	ScopeWrite TokenScope = "write"
)

// Token is an API token for scripts. The secret is shown once at creation
// and stored only as a hash.
type Token struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Scope     TokenScope `json:"scope"`
	ExpiresAt time.Time  `json:"expires_at"` // zero: never
	RevokedAt time.Time  `json:"revoked_at"` // zero: active
	LastUsed  time.Time  `json:"last_used"`
	CreatedAt time.Time  `json:"created_at"`
}

// UserUpdate changes a user; nil fields stay.
type UserUpdate struct {
	Version    int64    `json:"version"`
	Role       *Role    `json:"role"`
	Country    *string  `json:"country"`
	Coalitions *[]int64 `json:"coalitions"`
	Disabled   *bool    `json:"disabled"`
}

// PasswordChange is a user's change of their own password.
type PasswordChange struct {
	Old, New string
	// KeepSession is the session the change comes from (empty: none); it
	// stays valid, every other session of the user ends.
	KeepSession string
	// RevokeTokens also revokes every API token of the user.
	RevokeTokens bool
}

// UserStore keeps accounts, sessions and API tokens. Only admins manage
// users; everyone may manage their own password, sessions and tokens.
type UserStore interface {
	// CreateUser hashes password (argon2id) after CheckPassword. The first
	// user of an empty database may be created by System only.
	CreateUser(ctx context.Context, u *User, password string) error
	FindUser(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// ChangePassword checks c.Old against the password of the user in ctx,
	// sets c.New and ends every other session of the user (all but
	// c.KeepSession); with c.RevokeTokens it also revokes the user's tokens.
	ChangePassword(ctx context.Context, c PasswordChange) error
	// ResetPassword sets the password of user id without the old one
	// (admins and the local operator) and ends all the user's sessions; with
	// revokeTokens it also revokes the user's tokens.
	ResetPassword(ctx context.Context, id int64, password string, revokeTokens bool) error
	// Authenticate returns the user for email and password; Unauthorized
	// with one generic message on any failure. Both outcomes are audited.
	Authenticate(ctx context.Context, email, password string) (*User, error)

	// CreateSession returns a new random session id for the user.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error)
	// SessionUser returns the user of a live session; Unauthorized otherwise.
	SessionUser(ctx context.Context, sessionID string) (*User, error)
	DeleteSession(ctx context.Context, sessionID string) error

	// CreateToken returns the secret (shown once) and the token record.
	CreateToken(ctx context.Context, name string, scope TokenScope, expires time.Time) (string, *Token, error)
	// TokenUser returns the user and scope of a live token; Unauthorized otherwise.
	TokenUser(ctx context.Context, secret string) (*User, TokenScope, error)
	FindTokens(ctx context.Context) ([]*Token, error)
	RevokeToken(ctx context.Context, id int64) error
}

// AuditEntry is one append-only, hash-chained record of a mutation or an
// authentication event.
type AuditEntry struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Addr      string    `json:"addr"`
	Action    string    `json:"action"` // create, update, delete, login, login_failed, token_use, denied, ...
	Entity    string    `json:"entity"` // pledge, user, ...
	EntityID  string    `json:"entity_id"`
	Before    string    `json:"before"` // JSON, or empty
	After     string    `json:"after"`  // JSON, or empty
	Coalition *int64    `json:"coalition_id"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Entity      string
	Action      string
	UserID      int64
	CoalitionID *int64
	After       int64 // seq
	Limit       int
}

// AuditStore reads the audit log; entries are appended by the store itself.
type AuditStore interface {
	// FindAudit: admins see all; coordinators the entries of their coalitions.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, bool, error)
	// VerifyAudit recomputes the chain; it returns the number of entries and
	// the seq of the first broken one (0 when intact).
	VerifyAudit(ctx context.Context) (n int64, broken int64, reason string, err error)
	// RecordDenied appends a permission denial (the store records its own).
	// Identical denials of one principal (user, or address when anonymous)
	// within a window are summarised: the first is written at once, the
	// others as one entry with their count when the window closes; the
	// counts add up to the denials.
	RecordDenied(ctx context.Context, what string) error
	// ChangeSeq returns the audit chain's length. Every mutation appends to
	// the chain, so it changes exactly when the data changes, for every
	// server on the same database: a key for caches.
	ChangeSeq(ctx context.Context) (int64, error)
}

// RequestInfo is where a request came from, for the audit log.
type RequestInfo struct {
	Addr string
	ID   string
}

type requestKey struct{}

// WithRequest returns a context carrying the request's origin.
func WithRequest(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey{}, ri)
}

// RequestFrom returns the request info in ctx (zero outside a request).
func RequestFrom(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestKey{}).(RequestInfo)
	return ri
}
