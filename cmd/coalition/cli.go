package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"coalition"
	"coalition/sqlstore"
)

// env is the world a subcommand runs in: passed in, never global.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// isTerminal reports whether w is an interactive terminal (for progress bars).
func (e *env) isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// usageError is a mistake in how the command was called: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error to the process exit code: 2 for usage and invalid
// input, 1 for everything else.
func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if coalition.ErrorKind(err) == coalition.Invalid {
		return 2
	}
	return 1
}

// newFlagSet returns a flag set that reports errors instead of exiting, and
// prints its usage (with an example) to stderr on -h.
func newFlagSet(e *env, name, usage, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: coalition %s\n\nflags:\n", usage)
		fs.PrintDefaults()
		if example != "" {
			fmt.Fprintf(e.stderr, "\nexample:\n  %s\n", example)
		}
	}
	return fs
}

// parseArgs parses flags given before, between or after positional arguments
// (people type `import kiel-csv FILE --db x.db`), then fills every flag not
// given on the command line from COALITION_<FLAG> in the environment.
// It returns the positional arguments.
func parseArgs(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	// The flag package prints the whole usage on any mistake; a mistake
	// gets one line (and -h the usage), so parse quietly.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.Usage = usage
				fs.SetOutput(out)
				usage()
				return nil, err
			}
			return nil, usagef("%s: %v (%s)", fs.Name(), err, helpHint(fs.Name()))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		key := "COALITION_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := e.getenv(key); v != "" {
			if serr := f.Value.Set(v); serr != nil {
				err = usagef("%s: environment %s=%q: %v", fs.Name(), key, v, serr)
			}
		}
	})
	return pos, err
}

// printJSON writes v as indented JSON: the output of every command's
// --json (and of burden --batch).
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nonNil is xs, or an empty list for none, so that --json prints [] and
// not null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// storeCommand is the preamble of a command that reads the store: its
// flag set with --db and --json. The command adds its own flags to fs,
// then calls open.
type storeCommand struct {
	fs     *flag.FlagSet
	db     *string
	asJSON *bool
}

// newStoreCommand makes the flag set with --db and --json (jsonHelp says
// what --json prints).
func newStoreCommand(e *env, name, usage, example, jsonHelp string) *storeCommand {
	fs := newFlagSet(e, name, usage, example)
	return &storeCommand{fs: fs, db: dbFlag(fs), asJSON: fs.Bool("json", false, jsonHelp)}
}

// open parses args, runs check on the positional arguments before the
// store is touched (without check, it refuses any), and opens the store
// (the caller closes it).
func (c *storeCommand) open(ctx context.Context, e *env, args []string, check func(pos []string) error) (*sqlstore.Store, []string, error) {
	pos, err := parseArgs(e, c.fs, args)
	switch {
	case err != nil:
	case check != nil:
		err = check(pos)
	default:
		err = noArgs(c.fs.Name(), pos)
	}
	if err != nil {
		return nil, nil, err
	}
	s, err := openStore(ctx, e, *c.db)
	return s, pos, err
}

// print writes v as JSON with --json, else as text for people.
func (c *storeCommand) print(e *env, v any, text func() error) error {
	if *c.asJSON {
		return printJSON(e.stdout, v)
	}
	return text()
}

// optionalMonth reads a YYYY-MM flag; empty is the zero month (not given).
// A bad value is an Invalid error naming field.
func optionalMonth(field, v string) (coalition.Month, error) {
	if v == "" {
		return 0, nil
	}
	m, err := coalition.ParseMonth(v)
	if err != nil {
		return 0, coalition.FieldError(field, "%v", err)
	}
	return m, nil
}

// optionalDate reads a YYYY-MM-DD flag; empty is the zero date (not given).
// A bad value is an Invalid error naming field.
func optionalDate(field, v string) (coalition.Date, error) {
	if v == "" {
		return coalition.Date{}, nil
	}
	d, err := coalition.ParseDate(v)
	if err != nil {
		return coalition.Date{}, coalition.FieldError(field, "%v", err)
	}
	return d, nil
}
