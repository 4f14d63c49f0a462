package main

import (
	"bufio"
	"context"
	"encoding/json"
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

func runUser(ctx context.Context, e *env, args []string) error {
	usage := "user add --email E --role admin|coordinator|delegate|analyst|observer [--country ISO3] [--coalitions COW2025,...] [--password-stdin] | user list [--json] | user disable --email E | user password --email E [--password-stdin] [--revoke-tokens]"
	fs := newFlagSet(e, "user", usage, "echo 'a long passphrase here' | coalition user add --email admin@example.org --role admin --password-stdin")
	db := dbFlag(fs)
	email := fs.String("email", "", "the account's e-mail address")
	role := fs.String("role", "", "admin, coordinator, delegate, analyst or observer")
	country := fs.String("country", "", "delegates: the ISO3 code of the country they speak for")
	coals := fs.String("coalitions", "", "coordinators, delegates, analysts: coalition codes, comma-separated")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of a terminal prompt")
	revokeTokens := fs.Bool("revoke-tokens", false, "user password: also revoke all the user's API tokens")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("user: want one of add, list, disable, password (usage: coalition %s)", usage)
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	sys := coalition.WithUser(ctx, coalition.System)
	switch pos[0] {
	case "add":
		if *email == "" || *role == "" {
			return usagef("user add: --email and --role are required")
		}
		u := &coalition.User{Email: *email, Role: coalition.Role(*role), Country: strings.ToUpper(*country)}
		return addUser(sys, e, s, u, *coals, *pwStdin)
	case "list":
		return listUsers(sys, e, s, *asJSON)
	case "disable":
		u, err := s.FindUserByEmail(sys, *email)
		if err != nil {
			return err
		}
		yes := true
		if _, err := s.UpdateUser(sys, u.ID, coalition.UserUpdate{Version: u.Version, Disabled: &yes}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "disabled %s; their sessions ended\n", u.Email)
		return nil
	case "password":
		if *email == "" {
			return usagef("user password: --email is required")
		}
		u, err := s.FindUserByEmail(sys, *email)
		if err != nil {
			return err
		}
		pw, err := readPassword(e, *pwStdin)
		if err != nil {
			return err
		}
		if err := s.ResetPassword(sys, u.ID, pw, *revokeTokens); err != nil {
			return err
		}
		msg := "their sessions ended"
		if *revokeTokens {
			msg = "their sessions ended and their API tokens were revoked"
		}
		fmt.Fprintf(e.stdout, "set a new password for %s; %s\n", u.Email, msg)
		return nil
	}
	return usagef("user: unknown action %q (want add, list, disable or password)", pos[0])
}

// addUser creates u, a member of the comma-separated coalition codes
// coals, with a password read from the terminal or standard input.
func addUser(sys context.Context, e *env, s coalition.Store, u *coalition.User, coals string, pwStdin bool) error {
	for _, code := range strings.Split(coals, ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		c, err := s.FindCoalitionByCode(sys, code)
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
	if err := s.CreateUser(sys, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

// listUsers prints every user, as JSON or as a table.
func listUsers(sys context.Context, e *env, s coalition.Store, asJSON bool) error {
	us, err := s.FindUsers(sys)
	if err != nil {
		return err
	}
	if asJSON {
		if us == nil {
			us = []*coalition.User{}
		}
		return json.NewEncoder(e.stdout).Encode(us)
	}
	tw := table(e.stdout)
	fmt.Fprintln(tw, "ID\tE-MAIL\tROLE\tCOUNTRY\tCOALITIONS\tSTATE\tCREATED")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\t%s\n", u.ID, u.Email, u.Role, u.Country, u.Coalitions, state, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}

func runToken(ctx context.Context, e *env, args []string) error {
	usage := "token create --email E --name N [--scope read|write] [--expires 720h] | token list [--email E] | token revoke ID | token revoke --email E (all of theirs)"
	fs := newFlagSet(e, "token", usage, "coalition token create --email analyst@example.org --name nightly-export --scope read --expires 2160h")
	db := dbFlag(fs)
	email := fs.String("email", "", "whose token")
	name := fs.String("name", "", "what the token is for")
	scope := fs.String("scope", "read", "read or write")
	expires := fs.Duration("expires", 0, "lifetime such as 720h; 0 = never")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("token: want create, list or revoke (usage: coalition %s)", usage)
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	sys := coalition.WithUser(ctx, coalition.System)
	switch pos[0] {
	case "create":
		if *email == "" || *name == "" {
			return usagef("token create: --email and --name are required")
		}
		u, err := s.FindUserByEmail(sys, *email)
		if err != nil {
			return err
		}
		var exp time.Time
		if *expires > 0 {
			exp = time.Now().Add(*expires)
		}
		secret, t, err := s.CreateToken(coalition.WithUser(ctx, u), *name, coalition.TokenScope(*scope), exp)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(map[string]any{"token": secret, "record": t})
		}
		fmt.Fprintf(e.stdout, "%s\n", secret)
		fmt.Fprintf(e.stderr, "token %d for %s (%s): shown once, store it now; send it as 'Authorization: Bearer <token>'\n", t.ID, u.Email, t.Scope)
		return nil
	case "list":
		return listTokens(sys, e, s, *email, *asJSON)
	case "revoke":
		if len(pos) == 1 && *email != "" {
			return revokeAllTokens(sys, e, s, *email)
		}
		if len(pos) != 2 {
			return usagef("token revoke: want the token id, or --email E for all of the user's tokens")
		}
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return usagef("token revoke: %q is not a token id", pos[1])
		}
		if err := s.RevokeToken(sys, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %d\n", id)
		return nil
	}
	return usagef("token: unknown action %q (want create, list or revoke)", pos[0])
}

// revokeAllTokens revokes every active token of the user with email.
// listTokens prints every token, or those of the user with email, as JSON
// or as a table.
func listTokens(sys context.Context, e *env, s coalition.Store, email string, asJSON bool) error {
	ts, err := s.FindTokens(sys)
	if err != nil {
		return err
	}
	if email != "" {
		u, err := s.FindUserByEmail(sys, email)
		if err != nil {
			return err
		}
		var mine []*coalition.Token
		for _, t := range ts {
			if t.UserID == u.ID {
				mine = append(mine, t)
			}
		}
		ts = mine
	}
	if asJSON {
		if ts == nil {
			ts = []*coalition.Token{}
		}
		return json.NewEncoder(e.stdout).Encode(ts)
	}
	tw := table(e.stdout)
	fmt.Fprintln(tw, "ID\tUSER\tNAME\tSCOPE\tEXPIRES\tSTATE")
	for _, t := range ts {
		exp, state := "never", "active"
		if !t.ExpiresAt.IsZero() {
			exp = t.ExpiresAt.Format("2006-01-02")
		}
		if !t.RevokedAt.IsZero() {
			state = "revoked"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", t.ID, t.UserID, t.Name, t.Scope, exp, state)
	}
	return tw.Flush()
}

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
	fs := newFlagSet(e, "audit", "audit verify | audit list [--entity pledge] [--action update] [--json]", "coalition audit verify --db coalition.db")
	db := dbFlag(fs)
	entity := fs.String("entity", "", "only this kind of record")
	action := fs.String("action", "", "only this action")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("audit: want verify or list")
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	sys := coalition.WithUser(ctx, coalition.System)
	switch pos[0] {
	case "verify":
		n, broken, reason, err := s.VerifyAudit(sys)
		if err != nil {
			return err
		}
		if broken != 0 {
			return &errBrokenChain{fmt.Sprintf("audit chain broken at entry %d of %d: %s", broken, n, reason)}
		}
		fmt.Fprintf(e.stdout, "audit chain intact: %d entries\n", n)
		return nil
	case "list":
		var all []*coalition.AuditEntry
		f := coalition.AuditFilter{Entity: *entity, Action: *action, Limit: coalition.MaxPageSize}
		for {
			page, more, err := s.FindAudit(sys, f)
			if err != nil {
				return err
			}
			all = append(all, page...)
			if !more {
				break
			}
			f.After = page[len(page)-1].Seq
		}
		if *asJSON {
			if all == nil {
				all = []*coalition.AuditEntry{}
			}
			return json.NewEncoder(e.stdout).Encode(all)
		}
		tw := table(e.stdout)
		fmt.Fprintln(tw, "SEQ\tAT (UTC)\tWHO\tFROM\tACTION\tRECORD")
		for _, a := range all {
			who := a.Email
			if who == "" {
				who = "anonymous"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s %s\n", a.Seq, a.At.Format("2006-01-02 15:04:05"), who, a.Addr, a.Action, a.Entity, a.EntityID)
		}
		return tw.Flush()
	}
	return usagef("audit: unknown action %q (want verify or list)", pos[0])
}
