package sqlstore

import (
	"context"
	"errors"
	"strings"

	"coalition"

	sqlitedriver "modernc.org/sqlite"
)

// ErrInUse is what OpenExclusive says of a database that another
// connection (a server, another command) has open: it is left as it was.
var ErrInUse = errors.New("the database is open in another process")

// exclusivePragmas are the settings of a SQLite database opened by
// OpenExclusive: the rollback journal instead of the write-ahead log. The
// switch out of the WAL needs a lock that every other connection to the
// database keeps while it is open, so with no busy timeout it fails at
// once when one is; the usual busy timeout comes after, for this store's
// own connections.
var exclusivePragmas = []string{"busy_timeout(0)", "journal_mode(DELETE)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"}

// OpenExclusive opens and migrates a SQLite database for one large write
// by this process alone (a bulk import): with a rollback journal, the new
// pages are written once, into the database file, where the WAL writes
// them to the log and then copies them into the file again (a 1M-pledge
// import: ~730 MB twice; docs/benchmarks.md). The price is that nobody
// else can use the database meanwhile: once the transaction has spilled
// pages into the file, every other connection waits on its busy timeout
// and then fails (openNoMigrate says why). Hence only a database that no
// other connection has open is opened so; else the error is ErrInUse and
// nothing is changed. Close puts the database back into WAL mode, and a
// crash leaves a journal that the next connection rolls back (and Open
// sets the WAL again). PostgreSQL has no such mode: Invalid.
func OpenExclusive(ctx context.Context, dsn string) (*Store, error) {
	if isPostgres(dsn) {
		return nil, coalition.Errorf(coalition.Invalid, "--db: only a SQLite database can be opened for this process alone")
	}
	s, err := openNoMigrate(ctx, dsn, exclusivePragmas)
	if errors.Is(err, ErrInUse) {
		return nil, inUse(dsn)
	}
	if err != nil {
		return nil, err
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		s.Close()
		return nil, openError(dsn, err)
	}
	if mode != "delete" {
		s.Close()
		return nil, inUse(dsn)
	}
	s.exclusive = true
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// isBusy says err is SQLite's "database is locked" (SQLITE_BUSY, any
// extended code).
func isBusy(err error) bool {
	var se *sqlitedriver.Error
	return errors.As(err, &se) && se.Code()&0xff == 5
}

// openError is the error of a database that answered but could not be
// opened: a lock held by another process (a command that has the database
// to itself, OpenExclusive) is said as such.
func openError(dsn string, err error) error {
	if isBusy(err) {
		return &lockedError{coalition.Errorf(coalition.Unavailable,
			"database %s is locked by another process (an import that has it to itself holds it until it ends): try again when that has finished", redact(dsn))}
	}
	return coalition.Errorf(coalition.Unavailable, "database %s is not reachable: %v", redact(dsn), err)
}

// inUse is OpenExclusive's error of a database open elsewhere.
func inUse(dsn string) error {
	return &lockedError{coalition.Errorf(coalition.Unavailable,
		"database %s is open in another process (a server, another command): it cannot be had alone now", redact(dsn))}
}

// lockedError is openError's error of a database locked by another
// process: Unavailable, and ErrInUse to errors.Is.
type lockedError struct{ err error }

func (e *lockedError) Error() string        { return e.err.Error() }
func (e *lockedError) Unwrap() error        { return e.err }
func (e *lockedError) Is(target error) bool { return target == ErrInUse }

// leaveExclusive puts a database opened by OpenExclusive back into WAL
// mode, as every other connection expects it (Open would set it anyway).
func (s *Store) leaveExclusive() {
	if !s.exclusive {
		return
	}
	s.exclusive = false
	s.w.Exec("PRAGMA journal_mode = WAL")
}

// isPostgres says dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
