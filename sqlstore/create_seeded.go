package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// seedingPragmas are the settings of the connections that build a new
// SQLite file (CreateSeeded): no write-ahead log (every page is written
// once, into the file, instead of into the log and then the file) and no
// fsync per commit. Neither is safe for a database in use, and neither
// needs to be here: the file gets its final name only once it is complete
// and synced, so a crash leaves a temporary file that no command opens.
// Without a write-ahead log a commit waits for readers of other
// connections to finish: a fill must not hold a read open across a write
// (it would fail on the busy timeout, not corrupt anything).
var seedingPragmas = []string{"journal_mode(MEMORY)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(OFF)"}

// ErrCannotStage is returned by CreateSeeded when it cannot create its
// temporary file beside path (a read-only folder, a full disk): the caller
// may open path as usual, which reports the cause in its own terms.
var ErrCannotStage = errors.New("sqlstore: cannot create a temporary database file")

// CreateSeeded creates the SQLite database file path, migrated and filled
// by fill, all or nothing: the database is built in a temporary file in
// the same folder (".NAME.seeding-*", written without a write-ahead log or
// fsyncs per commit), synced, and only then linked to path. A crash or a
// failure of fill before that leaves path absent (and at most the
// temporary file, which nothing opens and a later call removes once it is
// abandonedAfter old), so the next start builds it again
// instead of taking a half-filled database for a complete one. created is
// false, and nothing is changed, when path exists already or another
// process created it meanwhile.
func CreateSeeded(ctx context.Context, path string, fill func(*Store) error) (created bool, err error) {
	return createAtomically(ctx, path, func(tmp string) error {
		return fillFile(ctx, tmp, fill, time.Time{}, false)
	})
}

// fillFile opens the new SQLite file path with the seeding pragmas,
// migrates it and fills it, with its clock at at (the real clock when at
// is zero), then compacts it when vacuum is true.
func fillFile(ctx context.Context, path string, fill func(*Store) error, at time.Time, vacuum bool) error {
	s, err := openNoMigrate(ctx, "sqlite:"+path, seedingPragmas)
	if err != nil {
		return err
	}
	if !at.IsZero() {
		s.now = func() time.Time { return at }
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return err
	}
	if err := fill(s); err != nil {
		s.Close()
		return err
	}
	if vacuum {
		if _, err := s.w.ExecContext(ctx, "VACUUM"); err != nil {
			s.Close()
			return fmt.Errorf("sqlstore: vacuum %s: %w", path, err)
		}
	}
	return s.Close()
}

// createAtomically creates the file path, made complete by build in a
// temporary file beside it (".NAME.seeding-*"), then synced and linked
// to path: CreateSeeded and CreateFromImage. created is false, and nothing
// is changed, when path exists already or another process created it
// meanwhile.
func createAtomically(ctx context.Context, path string, build func(tmp string) error) (created bool, err error) {
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	dir := filepath.Dir(path)
	prefix := "." + filepath.Base(path) + ".seeding-"
	removeAbandoned(dir, prefix)
	tmp, err := createTemp(dir, prefix)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrCannotStage, err)
	}
	defer func() {
		for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}()
	if err := build(tmp); err != nil {
		return false, err
	}
	if err := syncFile(tmp); err != nil {
		return false, fmt.Errorf("sqlstore: create %s: %w", path, err)
	}
	// A link, not a rename: it fails instead of replacing a database that
	// another process created (and may be using) meanwhile.
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return false, nil
	} else if err != nil {
		// A file system without hard links: a rename, after one more look.
		if _, serr := os.Lstat(path); !errors.Is(serr, fs.ErrNotExist) {
			return false, nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return false, fmt.Errorf("sqlstore: create %s: %w", path, err)
		}
	}
	if err := syncFile(dir); err != nil {
		return true, fmt.Errorf("sqlstore: create %s: %w", path, err)
	}
	return true, nil
}

// syncFile flushes a file or a folder (its entries) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// createTemp creates a new empty file dir/prefixNNNN with the mode SQLite
// gives a database it creates (0644 less the umask; os.CreateTemp's is
// 0600) and returns its name.
func createTemp(dir, prefix string) (string, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, f.Close()
	}
	return "", fmt.Errorf("no free name %s* in %s", prefix, dir)
}

// abandonedAfter is the age (since its last write) at which a temporary
// seeding file is taken as left by a crash: a seed writes its file all
// the time and takes seconds.
const abandonedAfter = 10 * time.Minute

// removeAbandoned removes the temporary files of seeds that crashed
// (dir/prefix*, unchanged for abandonedAfter), with their journals.
func removeAbandoned(dir, prefix string) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range es {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > abandonedAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
