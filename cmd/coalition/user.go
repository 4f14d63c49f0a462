package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"coalition"

	"golang.org/x/term"
)

// readPassword reads a new password from standard input (--password-stdin,
// for scripts) or from the terminal without echo, asking twice. It never
// comes from a flag value.
func readPassword(e *env, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("no terminal to ask for the password: pipe it in with --password-stdin")
	}
	fmt.Fprint(e.stderr, "Password: ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(e.stderr, "Again: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", coalition.FieldError("password", "the two entries differ")
	}
	return string(a), nil
}

// userFlags are the flags of coalition user.
type userFlags struct {
	email, role, country, coals string
	pwStdin, revokeTokens       bool
}

func runUser(ctx context.Context, e *env, args []string) error {
	usage := "user add --email E --role admin|coordinator|delegate|analyst|observer [--country ISO3] [--coalitions COW2025,...] [--password-stdin] | user list [--json] | user disable --email E | user password --email E [--password-stdin] [--revoke-tokens]"
	c := newStoreCommand(e, "user", usage, "echo 'a long passphrase here' | coalition user add --email admin@example.org --role admin --password-stdin", "print JSON")
	var f userFlags
	c.fs.StringVar(&f.email, "email", "", "the account's e-mail address")
	c.fs.StringVar(&f.role, "role", "", "admin, coordinator, delegate, analyst or observer")
	c.fs.StringVar(&f.country, "country", "", "delegates: the ISO3 code of the country they speak for")
	c.fs.StringVar(&f.coals, "coalitions", "", "coordinators, delegates, analysts: coalition codes, comma-separated")
	c.fs.BoolVar(&f.pwStdin, "password-stdin", false, "read the password from standard input instead of a terminal prompt")
	c.fs.BoolVar(&f.revokeTokens, "revoke-tokens", false, "user password: also revoke all the user's API tokens")
	s, pos, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) != 1 {
			return usagef("user: want one of add, list, disable, password (usage: coalition %s)", usage)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	action, ok := map[string]func(context.Context, *env, coalition.Store, *storeCommand, userFlags) error{
		"add": userAdd, "list": userList, "disable": userDisable, "password": userPassword,
	}[pos[0]]
	if !ok {
		return usagef("user: unknown action %q (want add, list, disable or password)", pos[0])
	}
	return action(ctx, e, s, c, f)
}

// userAdd is coalition user add.
func userAdd(ctx context.Context, e *env, s coalition.Store, _ *storeCommand, f userFlags) error {
	if f.email == "" || f.role == "" {
		return usagef("user add: --email and --role are required")
	}
	u := &coalition.User{Email: f.email, Role: coalition.Role(f.role), Country: strings.ToUpper(f.country)}
	return addUser(ctx, e, s, u, f.coals, f.pwStdin)
}

// userList is coalition user list.
func userList(ctx context.Context, e *env, s coalition.Store, c *storeCommand, _ userFlags) error {
	return listUsers(ctx, e, s, c)
}

// userDisable is coalition user disable: the user's sessions end.
func userDisable(ctx context.Context, e *env, s coalition.Store, _ *storeCommand, f userFlags) error {
	u, err := s.FindUserByEmail(ctx, f.email)
	if err != nil {
		return err
	}
	yes := true
	if _, err := s.UpdateUser(ctx, u.ID, coalition.UserUpdate{Version: u.Version, Disabled: &yes}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "disabled %s; their sessions ended\n", u.Email)
	return nil
}

// userPassword is coalition user password: a new password, read from the
// terminal or standard input; the user's sessions end.
func userPassword(ctx context.Context, e *env, s coalition.Store, _ *storeCommand, f userFlags) error {
	if f.email == "" {
		return usagef("user password: --email is required")
	}
	u, err := s.FindUserByEmail(ctx, f.email)
	if err != nil {
		return err
	}
	pw, err := readPassword(e, f.pwStdin)
	if err != nil {
		return err
	}
	if err := s.ResetPassword(ctx, u.ID, pw, f.revokeTokens); err != nil {
		return err
	}
	msg := "their sessions ended"
	if f.revokeTokens {
		msg = "their sessions ended and their API tokens were revoked"
	}
	fmt.Fprintf(e.stdout, "set a new password for %s; %s\n", u.Email, msg)
	return nil
}

// addUser creates u, a member of the comma-separated coalition codes
// coals, with a password read from the terminal or standard input.
func addUser(ctx context.Context, e *env, s coalition.Store, u *coalition.User, coals string, pwStdin bool) error {
	for _, code := range strings.Split(coals, ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		c, err := s.FindCoalitionByCode(ctx, code)
		if err != nil {
			return coalition.FieldError("coalitions", "%q is not a coalition code", code)
		}
		u.Coalitions = append(u.Coalitions, c.ID)
	}
	if err := u.Validate(); err != nil {
		return err
	}
	pw, err := readPassword(e, pwStdin)
	if err != nil {
		return err
	}
	if err := s.CreateUser(ctx, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

// listUsers prints every user, as JSON or as a table.
func listUsers(ctx context.Context, e *env, s coalition.Store, c *storeCommand) error {
	us, err := s.FindUsers(ctx)
	if err != nil {
		return err
	}
	return c.print(e, nonNil(us), func() error {
		tw := table(e.stdout)
		fmt.Fprintln(tw, "ID\tE-MAIL\tROLE\tCOUNTRY\tCOALITIONS\tSTATE\tCREATED")
		for _, u := range us {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\t%s\n", u.ID, u.Email, u.Role, u.Country, u.Coalitions, choose(!u.Disabled, "active", "disabled"), u.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	})
}

// choose is yes if ok, else no.
func choose(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// tokenFlags are the flags of coalition token.
type tokenFlags struct {
	email, name, scope string
	expires            time.Duration
}

func runToken(ctx context.Context, e *env, args []string) error {
	usage := "token create --email E --name N [--scope read|write] [--expires 720h] | token list [--email E] | token revoke ID | token revoke --email E (all of theirs)"
	c := newStoreCommand(e, "token", usage, "coalition token create --email analyst@example.org --name nightly-export --scope read --expires 2160h", "print JSON")
	var f tokenFlags
	c.fs.StringVar(&f.email, "email", "", "whose token")
	c.fs.StringVar(&f.name, "name", "", "what the token is for")
	c.fs.StringVar(&f.scope, "scope", "read", "read or write")
	c.fs.DurationVar(&f.expires, "expires", 0, "lifetime such as 720h; 0 = never")
	s, pos, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) == 0 {
			return usagef("token: want create, list or revoke (usage: coalition %s)", usage)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	action, ok := map[string]func(context.Context, *env, coalition.Store, *storeCommand, tokenFlags, []string) error{
		"create": tokenCreate, "list": tokenList, "revoke": tokenRevoke,
	}[pos[0]]
	if !ok {
		return usagef("token: unknown action %q (want create, list or revoke)", pos[0])
	}
	return action(ctx, e, s, c, f, pos)
}

// tokenCreate is coalition token create: the token is created by its
// owner, and its secret printed once.
func tokenCreate(ctx context.Context, e *env, s coalition.Store, c *storeCommand, f tokenFlags, _ []string) error {
	if f.email == "" || f.name == "" {
		return usagef("token create: --email and --name are required")
	}
	u, err := s.FindUserByEmail(ctx, f.email)
	if err != nil {
		return err
	}
	var exp time.Time
	if f.expires > 0 {
		exp = time.Now().Add(f.expires)
	}
	secret, t, err := s.CreateToken(coalition.WithUser(ctx, u), f.name, coalition.TokenScope(f.scope), exp)
	if err != nil {
		return err
	}
	return c.print(e, map[string]any{"token": secret, "record": t}, func() error {
		fmt.Fprintf(e.stdout, "%s\n", secret)
		fmt.Fprintf(e.stderr, "token %d for %s (%s): shown once, store it now; send it as 'Authorization: Bearer <token>'\n", t.ID, u.Email, t.Scope)
		return nil
	})
}

// tokenList is coalition token list.
func tokenList(ctx context.Context, e *env, s coalition.Store, c *storeCommand, f tokenFlags, _ []string) error {
	return listTokens(ctx, e, s, c, f.email)
}

// tokenRevoke is coalition token revoke: one token by id, or with --email
// all of a user's.
func tokenRevoke(ctx context.Context, e *env, s coalition.Store, _ *storeCommand, f tokenFlags, pos []string) error {
	if len(pos) == 1 && f.email != "" {
		return revokeAllTokens(ctx, e, s, f.email)
	}
	if len(pos) != 2 {
		return usagef("token revoke: want the token id, or --email E for all of the user's tokens")
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil {
		return usagef("token revoke: %q is not a token id", pos[1])
	}
	if err := s.RevokeToken(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked token %d\n", id)
	return nil
}

// listTokens prints every token, or those of the user with email, as JSON
// or as a table.
func listTokens(ctx context.Context, e *env, s coalition.Store, c *storeCommand, email string) error {
	ts, err := userTokens(ctx, s, email)
	if err != nil {
		return err
	}
	return c.print(e, nonNil(ts), func() error {
		tw := table(e.stdout)
		fmt.Fprintln(tw, "ID\tUSER\tNAME\tSCOPE\tEXPIRES\tSTATE")
		for _, t := range ts {
			exp := "never"
			if !t.ExpiresAt.IsZero() {
				exp = t.ExpiresAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", t.ID, t.UserID, t.Name, t.Scope, exp, choose(t.RevokedAt.IsZero(), "active", "revoked"))
		}
		return tw.Flush()
	})
}

// userTokens is every token, or those of the user with email.
func userTokens(ctx context.Context, s coalition.Store, email string) ([]*coalition.Token, error) {
	ts, err := s.FindTokens(ctx)
	if err != nil || email == "" {
		return ts, err
	}
	u, err := s.FindUserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var mine []*coalition.Token
	for _, t := range ts {
		if t.UserID == u.ID {
			mine = append(mine, t)
		}
	}
	return mine, nil
}

// revokeAllTokens revokes every active token of the user with email.
func revokeAllTokens(ctx context.Context, e *env, s coalition.Store, email string) error {
	u, err := s.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	ts, err := s.FindTokens(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, t := range ts {
		if t.UserID == u.ID && t.RevokedAt.IsZero() {
			if err := s.RevokeToken(ctx, t.ID); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Fprintf(e.stdout, "revoked %d tokens of %s\n", n, u.Email)
	return nil
}

// errBrokenChain makes `audit verify` exit 1 with its message.
type errBrokenChain struct{ msg string }

func (e *errBrokenChain) Error() string { return e.msg }

func runAudit(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "audit", "audit verify | audit list [--entity pledge] [--action update] [--json]", "coalition audit verify --db coalition.db", "print JSON")
	entity := c.fs.String("entity", "", "only this kind of record")
	action := c.fs.String("action", "", "only this action")
	s, pos, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) != 1 {
			return usagef("audit: want verify or list")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "verify":
		return verifyAudit(ctx, e, s)
	case "list":
		return listAudit(ctx, e, s, c, coalition.AuditFilter{Entity: *entity, Action: *action, Limit: coalition.MaxPageSize})
	}
	return usagef("audit: unknown action %q (want verify or list)", pos[0])
}

// verifyAudit checks the audit log's hash chain; a broken chain is an
// error (exit 1) that says where.
func verifyAudit(ctx context.Context, e *env, s coalition.Store) error {
	n, broken, reason, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != 0 {
		return &errBrokenChain{fmt.Sprintf("audit chain broken at entry %d of %d: %s", broken, n, reason)}
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d entries\n", n)
	return nil
}

// listAudit prints every entry f selects, page after page.
func listAudit(ctx context.Context, e *env, s coalition.Store, c *storeCommand, f coalition.AuditFilter) error {
	var all []*coalition.AuditEntry
	for {
		page, more, err := s.FindAudit(ctx, f)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if !more {
			break
		}
		f.After = page[len(page)-1].Seq
	}
	return c.print(e, nonNil(all), func() error {
		tw := table(e.stdout)
		fmt.Fprintln(tw, "SEQ\tAT (UTC)\tWHO\tFROM\tACTION\tRECORD")
		for _, a := range all {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s %s\n", a.Seq, a.At.Format("2006-01-02 15:04:05"), choose(a.Email != "", a.Email, "anonymous"), a.Addr, a.Action, a.Entity, a.EntityID)
		}
		return tw.Flush()
	})
}
