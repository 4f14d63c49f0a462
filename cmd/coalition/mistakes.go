package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"coalition"
)

// The README promises one line per usage mistake: what is wrong, and where
// to read the flags. These helpers keep that promise for every command.

// helpHint is the pointer a usage mistake ends with.
func helpHint(name string) string { return fmt.Sprintf("run 'coalition %s -h'", name) }

// noArgs refuses positional arguments of a command that takes none, so
// that `coalition donors extra-arg` is not silently ignored.
func noArgs(name string, pos []string) error {
	if len(pos) > 0 {
		return usagef("%s: unexpected argument %q: %s takes only flags (%s)", name, pos[0], name, helpHint(name))
	}
	return nil
}

// oneOf reads an enumeration flag case-insensitively (--type Military is
// military). A value that is none of valid names the flag and suggests the
// nearest valid value.
func oneOf(flag, v string, valid []string) (string, error) {
	for _, ok := range valid {
		if strings.EqualFold(v, ok) {
			return ok, nil
		}
	}
	return "", coalition.FieldError("--"+flag, "%q is not one of %s%s", v, strings.Join(valid, ", "), didYouMean(v, valid))
}

// didYouMean is `; did you mean "x"?` for the valid value nearest to v, or
// "" when none is near (more than half of v would have to change).
func didYouMean(v string, valid []string) string {
	best, dist := "", len(v)/2+1
	for _, ok := range valid {
		if d := editDistance(strings.ToLower(v), strings.ToLower(ok)); d < dist {
			best, dist = ok, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// asFlag renames the field of an Invalid error to the flag the user typed
// (a JSON path such as withdrawals[0].countries[0] means nothing on the
// command line) and adds a suggestion from valid, or else the hint where
// the valid values are listed.
func asFlag(err error, fieldPrefix, flag string, valid []string, listHint string) error {
	var ce *coalition.Error
	if !errors.As(err, &ce) || ce.Kind != coalition.Invalid || !strings.HasPrefix(ce.Field, fieldPrefix) {
		return err
	}
	msg := ce.Message
	if v, _, ok := strings.Cut(strings.TrimPrefix(msg, `"`), `"`); ok && strings.HasPrefix(msg, `"`) {
		if near := didYouMean(v, valid); near != "" {
			msg += near
		} else if listHint != "" {
			msg += "; " + listHint
		}
	}
	return coalition.FieldError("--"+flag, "%s", msg)
}

// dataEnds says why a query by month found nothing when it asked for months
// after the newest data of the named dataset (e.g. kiel): "" when that is
// not the reason, or the dataset is unknown.
func dataEnds(ctx context.Context, s coalition.DatasetStore, dataset string, since coalition.Month) string {
	if since == 0 {
		return ""
	}
	ds, err := s.Datasets(coalition.WithUser(ctx, coalition.System))
	if err != nil {
		return ""
	}
	for _, d := range ds {
		if d.Name == dataset && !d.AsOf.IsZero() && since > d.AsOf.Month() {
			return fmt.Sprintf("the data end in %s (%s release %s), before --since %s", d.AsOf.Month(), d.Name, d.Release, since)
		}
	}
	return ""
}

// parseFlagsOnly is parseArgs for a command that takes no arguments.
func parseFlagsOnly(e *env, fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	return noArgs(fs.Name(), pos)
}
