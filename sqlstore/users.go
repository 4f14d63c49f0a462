package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"coalition"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword compares pw with a PHC hash in constant time.
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash makes a failed login for an unknown e-mail cost as much as one
// with a wrong password.
// It is computed on first use (an argon2id hash costs ~40 ms and 19 MiB),
// not when the package loads, so commands that never sign anyone in do not
// pay for it.
var dummyHash = sync.OnceValue(func() string { return hashPassword("not a real password, only for timing") })

func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

const userCols = "id, email, role, country, coalitions, disabled, version, created_at"

func scanUser(sc interface{ Scan(...any) error }) (*coalition.User, error) {
	var u coalition.User
	var coals string
	var disabled int
	var created timestamp
	if err := sc.Scan(&u.ID, &u.Email, &u.Role, &u.Country, &coals, &disabled, &u.Version, &created); err != nil {
		return nil, err
	}
	u.Disabled, u.CreatedAt = disabled != 0, created.Time
	for _, c := range splitList(coals) {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			u.Coalitions = append(u.Coalitions, id)
		}
	}
	return &u, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// publicUser is what the audit log records of a user (never a password).
func publicUser(u *coalition.User) map[string]any {
	return map[string]any{"id": u.ID, "email": u.Email, "role": u.Role, "country": u.Country, "coalitions": u.Coalitions, "disabled": u.Disabled}
}

// CreateUser creates an account; only admins (or the local System operator) may.
func (s *Store) CreateUser(ctx context.Context, u *coalition.User, password string) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if err := u.Validate(); err != nil {
		return err
	}
	if err := coalition.CheckPassword(password); err != nil {
		return err
	}
	return s.write(ctx, "create user", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins manage users"); err != nil {
			return err
		}
		u.Version, u.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, "INSERT INTO users (email, password_hash, role, country, coalitions, disabled, version, created_at) VALUES (?,?,?,?,?,?,?,?)",
			u.Email, hashPassword(password), u.Role, u.Country, joinIDs(u.Coalitions), boolInt(u.Disabled), u.Version, ts(tx.now))
		if err != nil {
			if coalition.ErrorKind(tx.s.mapErr(err)) == coalition.Conflict {
				return coalition.FieldError("email", "%s already has an account", u.Email)
			}
			return tx.s.mapErr(fmt.Errorf("sqlstore: create user: %w", err))
		}
		u.ID = id
		if err := tx.audit(ctx, "create", "user", id, nil, publicUser(u), nil); err != nil {
			return err
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (tx *Tx) findUser(ctx context.Context, where string, arg any) (*coalition.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userCols+" FROM users WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "user %v not found", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find user: %w", err)
	}
	return u, nil
}

// FindUser: admins see everyone, others themselves.
func (s *Store) FindUser(ctx context.Context, id int64) (*coalition.User, error) {
	me := coalition.UserFrom(ctx)
	if !coalition.IsAdmin(me) && (me == nil || me.ID != id) {
		return nil, coalition.Errorf(coalition.NotFound, "user %d not found", id)
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findUser(ctx, "id = ?", id)
}

// FindUserByEmail is for admins and the local operator.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*coalition.User, error) {
	if !coalition.IsAdmin(coalition.UserFrom(ctx)) {
		return nil, coalition.Errorf(coalition.Forbidden, "only admins look up users")
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findUser(ctx, "email = ?", strings.ToLower(strings.TrimSpace(email)))
}

// FindUsers lists accounts (admins only).
func (s *Store) FindUsers(ctx context.Context) ([]*coalition.User, error) {
	if !coalition.IsAdmin(coalition.UserFrom(ctx)) {
		return nil, coalition.Errorf(coalition.Forbidden, "only admins list users")
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+userCols+" FROM users ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find users: %w", err)
	}
	defer rows.Close()
	var out []*coalition.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: find users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes role, country, coalitions or disabled (admins only).
// Disabling a user ends their sessions and tokens at once.
func (s *Store) UpdateUser(ctx context.Context, id int64, upd coalition.UserUpdate) (*coalition.User, error) {
	return writeValue(s, ctx, "update user", func(tx *Tx) (*coalition.User, error) {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins manage users"); err != nil {
			return nil, err
		}
		u, err := tx.findUser(ctx, "id = ?", id)
		if err != nil {
			return nil, err
		}
		if err := checkVersion("user", id, u.Version, upd.Version, u); err != nil {
			return nil, err
		}
		before := publicUser(u)
		if upd.Role != nil {
			u.Role = *upd.Role
		}
		if upd.Country != nil {
			u.Country = *upd.Country
		}
		if upd.Coalitions != nil {
			u.Coalitions = *upd.Coalitions
		}
		if upd.Disabled != nil {
			u.Disabled = *upd.Disabled
		}
		if err := u.Validate(); err != nil {
			return nil, err
		}
		if _, err := tx.exec(ctx, "UPDATE users SET role = ?, country = ?, coalitions = ?, disabled = ?, version = version + 1 WHERE id = ? AND version = ?",
			u.Role, u.Country, joinIDs(u.Coalitions), boolInt(u.Disabled), id, upd.Version); err != nil {
			return nil, tx.s.mapErr(fmt.Errorf("sqlstore: update user: %w", err))
		}
		if u.Disabled {
			if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return nil, fmt.Errorf("sqlstore: update user: %w", err)
			}
		}
		u.Version++
		if err := tx.audit(ctx, "update", "user", id, before, publicUser(u), nil); err != nil {
			return nil, err
		}
		return u, nil
	})
}

// ChangePassword changes the password of the user in ctx and ends their
// other sessions (all but c.KeepSession); c.RevokeTokens revokes their
// tokens too. A stolen session or token must not outlive the new password.
func (s *Store) ChangePassword(ctx context.Context, c coalition.PasswordChange) error {
	me := coalition.UserFrom(ctx)
	if me == nil || me.ID == 0 {
		return coalition.Errorf(coalition.Unauthorized, "sign in to change your password")
	}
	if err := coalition.CheckPassword(c.New); err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var hash string
	if err := tx.queryRow(ctx, "SELECT password_hash FROM users WHERE id = ?", me.ID).Scan(&hash); err != nil {
		return fmt.Errorf("sqlstore: change password: %w", err)
	}
	if !checkPassword(hash, c.Old) {
		return coalition.FieldError("old_password", "is not your current password")
	}
	keep := ""
	if c.KeepSession != "" {
		keep = secretHash(c.KeepSession)
	}
	if err := tx.setPassword(ctx, "password_change", me.ID, c.New, keep, c.RevokeTokens); err != nil {
		return err
	}
	return tx.Commit()
}

// ResetPassword sets the password of user id (admins and the local
// operator) and ends all of the user's sessions; revokeTokens revokes the
// user's tokens too.
func (s *Store) ResetPassword(ctx context.Context, id int64, password string, revokeTokens bool) error {
	if err := coalition.CheckPassword(password); err != nil {
		return err
	}
	return s.write(ctx, "reset password", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins reset passwords"); err != nil {
			return err
		}
		if _, err := tx.findUser(ctx, "id = ?", id); err != nil {
			return err
		}
		return tx.setPassword(ctx, "password_reset", id, password, "", revokeTokens)
	})
}

// setPassword stores a new password hash for user id, deletes the user's
// sessions except the one whose id hash is keep, optionally revokes the
// user's tokens, and audits what it ended.
func (tx *Tx) setPassword(ctx context.Context, action string, id int64, password, keep string, revokeTokens bool) error {
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, version = version + 1 WHERE id = ?", hashPassword(password), id); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: %s: %w", action, err))
	}
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", id, keep)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: %s: %w", action, err))
	}
	ended, _ := res.RowsAffected()
	after := map[string]any{"sessions_ended": ended}
	if revokeTokens {
		res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = ''", ts(tx.now), id)
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: %s: %w", action, err))
		}
		revoked, _ := res.RowsAffected()
		after["tokens_revoked"] = revoked
	}
	return tx.audit(ctx, action, "user", id, nil, after, nil)
}

// Authenticate checks email and password. Any failure is the same
// Unauthorized message (no user enumeration), and is audited.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*coalition.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var hash string
	u, err := scanUserHash(s.queryRow(ctx, "SELECT "+userCols+", password_hash FROM users WHERE email = ?", email), &hash)
	ok := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		checkPassword(dummyHash(), password)
	case err != nil:
		return nil, fmt.Errorf("sqlstore: authenticate: %w", err)
	default:
		ok = checkPassword(hash, password) && !u.Disabled
	}
	if !ok {
		s.appendAudit(ctx, "login_failed", "user", nil, map[string]string{"email": email})
		return nil, coalition.Errorf(coalition.Unauthorized, "wrong e-mail or password")
	}
	if err := s.appendAudit(coalition.WithUser(ctx, u), "login", "user", u.ID, nil); err != nil {
		return nil, err
	}
	return u, nil
}

func scanUserHash(row rowScanner, hash *string) (*coalition.User, error) {
	var u coalition.User
	var coals string
	var disabled int
	var created timestamp
	if err := row.Scan(&u.ID, &u.Email, &u.Role, &u.Country, &coals, &disabled, &u.Version, &created, hash); err != nil {
		return nil, err
	}
	u.Disabled, u.CreatedAt = disabled != 0, created.Time
	for _, c := range splitList(coals) {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			u.Coalitions = append(u.Coalitions, id)
		}
	}
	return &u, nil
}

// CreateSession stores a new session for userID and returns its secret id.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	id := newSecret("s_")
	now := s.now()
	tx, err := s.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", ts(now)); err != nil {
		return "", fmt.Errorf("sqlstore: sessions: %w", err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)",
		secretHash(id), userID, ts(now), ts(now.Add(ttl))); err != nil {
		return "", tx.s.mapErr(fmt.Errorf("sqlstore: create session: %w", err))
	}
	return id, tx.Commit()
}

// SessionUser returns the user of a live session.
func (s *Store) SessionUser(ctx context.Context, sessionID string) (*coalition.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.dialect.rebind(`SELECT u.id, u.email, u.role, u.country, u.coalitions, u.disabled, u.version, u.created_at
		FROM sessions x JOIN users u ON u.id = x.user_id WHERE x.id_hash = ? AND x.expires_at > ? AND u.disabled = 0`),
		secretHash(sessionID), ts(s.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.Unauthorized, "your session has ended: sign in again")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: session: %w", err)
	}
	return u, nil
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, sessionID string) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", secretHash(sessionID)); err != nil {
		return fmt.Errorf("sqlstore: delete session: %w", err)
	}
	if err := tx.audit(ctx, "logout", "user", userID(tx.user), nil, nil, nil); err != nil {
		return err
	}
	return tx.Commit()
}

func userID(u *coalition.User) any {
	if u == nil {
		return nil
	}
	return u.ID
}

// CreateToken creates an API token for the user in ctx.
func (s *Store) CreateToken(ctx context.Context, name string, scope coalition.TokenScope, expires time.Time) (string, *coalition.Token, error) {
	me := coalition.UserFrom(ctx)
	if me == nil || me.ID == 0 {
		return "", nil, coalition.Errorf(coalition.Unauthorized, "sign in to create a token")
	}
	if scope != coalition.ScopeRead && scope != coalition.ScopeWrite {
		return "", nil, coalition.FieldError("scope", "%q is not read or write", scope)
	}
	if strings.TrimSpace(name) == "" {
		return "", nil, coalition.FieldError("name", "is required")
	}
	secret := newSecret("coa_")
	tx, err := s.begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	t := &coalition.Token{UserID: me.ID, Name: name, Scope: scope, ExpiresAt: expires, CreatedAt: tx.now}
	exp := ""
	if !expires.IsZero() {
		exp = ts(expires)
	}
	id, err := tx.insertID(ctx, "INSERT INTO api_tokens (user_id, name, secret_hash, scope, expires_at, created_at) VALUES (?,?,?,?,?,?)",
		me.ID, name, secretHash(secret), scope, exp, ts(tx.now))
	if err != nil {
		return "", nil, tx.s.mapErr(fmt.Errorf("sqlstore: create token: %w", err))
	}
	t.ID = id
	if err := tx.audit(ctx, "create", "token", id, nil, map[string]any{"name": name, "scope": scope, "expires_at": exp}, nil); err != nil {
		return "", nil, err
	}
	return secret, t, tx.Commit()
}

// TokenUser returns the user and scope of a live token and notes its use.
func (s *Store) TokenUser(ctx context.Context, secret string) (*coalition.User, coalition.TokenScope, error) {
	now := ts(s.now())
	var scope coalition.TokenScope
	var tokenID int64
	row := s.db.QueryRowContext(ctx, s.dialect.rebind(`SELECT u.id, u.email, u.role, u.country, u.coalitions, u.disabled, u.version, u.created_at, t.scope, t.id, t.last_used
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.secret_hash = ? AND t.revoked_at = '' AND (t.expires_at = '' OR t.expires_at > ?) AND u.disabled = 0`), secretHash(secret), now)
	var u coalition.User
	var coals string
	var disabled int
	var created timestamp
	var lastUsed string
	err := row.Scan(&u.ID, &u.Email, &u.Role, &u.Country, &coals, &disabled, &u.Version, &created, &scope, &tokenID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", coalition.Errorf(coalition.Unauthorized, "the token is unknown, expired or revoked")
	}
	if err != nil {
		return nil, "", fmt.Errorf("sqlstore: token: %w", err)
	}
	for _, c := range splitList(coals) {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			u.Coalitions = append(u.Coalitions, id)
		}
	}
	u.CreatedAt = created.Time
	// Note the use at most once a minute (a write per request would cost a
	// commit per read), through the one writer path: on SQLite a write
	// outside wmu makes a concurrent writer's transaction fail with
	// SQLITE_BUSY instead of waiting.
	if lu, err := time.Parse(time.RFC3339Nano, lastUsed); err != nil || s.now().Sub(lu) > time.Minute {
		if s.dialect == sqlite {
			s.wmu.Lock()
		}
		s.w.ExecContext(ctx, s.dialect.rebind("UPDATE api_tokens SET last_used = ? WHERE id = ?"), now, tokenID)
		if s.dialect == sqlite {
			s.wmu.Unlock()
		}
	}
	return &u, scope, nil
}

// FindTokens lists the tokens of the user in ctx (admins: all).
func (s *Store) FindTokens(ctx context.Context) ([]*coalition.Token, error) {
	me := coalition.UserFrom(ctx)
	if me == nil {
		return nil, coalition.Errorf(coalition.Unauthorized, "sign in to list tokens")
	}
	q, args := "SELECT id, user_id, name, scope, expires_at, revoked_at, last_used, created_at FROM api_tokens", []any{}
	if !coalition.IsAdmin(me) {
		q, args = q+" WHERE user_id = ?", append(args, me.ID)
	}
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(q+" ORDER BY id"), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find tokens: %w", err)
	}
	defer rows.Close()
	var out []*coalition.Token
	for rows.Next() {
		var t coalition.Token
		var exp, rev, used, created timestamp
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &exp, &rev, &used, &created); err != nil {
			return nil, fmt.Errorf("sqlstore: find tokens: %w", err)
		}
		t.ExpiresAt, t.RevokedAt, t.LastUsed, t.CreatedAt = exp.Time, rev.Time, used.Time, created.Time
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeToken revokes a token of the user in ctx (admins: any); it takes
// effect at once.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	return s.write(ctx, "revoke token", func(tx *Tx) error {
		if tx.user == nil {
			return coalition.Errorf(coalition.Unauthorized, "sign in to revoke a token")
		}
		var owner int64
		if err := tx.queryRow(ctx, "SELECT user_id FROM api_tokens WHERE id = ?", id).Scan(&owner); errors.Is(err, sql.ErrNoRows) {
			return coalition.Errorf(coalition.NotFound, "token %d not found", id)
		} else if err != nil {
			return fmt.Errorf("sqlstore: revoke token: %w", err)
		}
		// Someone else's token is NotFound, not Forbidden: whether it exists
		// is not theirs to know.
		if err := tx.requireWrite(owner == tx.user.ID || coalition.IsAdmin(tx.user), "not yours"); err != nil {
			return coalition.Errorf(coalition.NotFound, "token %d not found", id)
		}
		if _, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''", ts(tx.now), id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: revoke token: %w", err))
		}
		if err := tx.audit(ctx, "revoke", "token", id, nil, nil, nil); err != nil {
			return err
		}
		return nil
	})
}
