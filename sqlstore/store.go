// Package sqlstore is Coalition's only SQL: a coalition.Store on
// database/sql over embedded SQLite (modernc.org/sqlite, pure Go) or
// PostgreSQL (jackc/pgx/v5), with one set of migrations.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"coalition"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store implements coalition.Store.
type Store struct {
	db      *sql.DB
	dialect dialect
	// wmu serialises SQLite writers inside this process (one writer path);
	// other processes wait on SQLite's busy timeout.
	wmu sync.Mutex
	// w is the handle writes go through. On SQLite it is a pool of one
	// connection whose transactions BEGIN IMMEDIATE, so that a writer takes
	// the database's write lock at once (waiting out other processes on the
	// busy timeout) and never queues behind readers for a connection. On
	// PostgreSQL it is db.
	w   *sql.DB
	now func() time.Time
	// stop ends the SQLite checkpointer (checkpoints), which closes
	// stopped when it has.
	stop, stopped chan struct{}
	// denials summarises repeated permission denials (denials.go).
	denials denials
	// perRowRollup keeps the rollup triggers on during a Load into an
	// empty database (tests compare both ways); bulkRollups counts the
	// Loads that computed the rollup once instead (load_rollup.go).
	perRowRollup bool
	bulkRollups  atomic.Int64
	// exclusive says OpenExclusive opened the database: Close puts it
	// back into WAL mode.
	exclusive bool
}

var _ coalition.Store = (*Store)(nil)

// Open connects to dsn, "sqlite:FILE" (a bare file path means the same) or
// "postgres://…", and migrates the schema. Errors are Invalid for a
// malformed dsn and Unavailable for a database that cannot be reached.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := OpenNoMigrate(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenNoMigrate connects without migrating.
func OpenNoMigrate(ctx context.Context, dsn string) (*Store, error) {
	return openNoMigrate(ctx, dsn, servingPragmas)
}

// servingPragmas are the settings of every SQLite connection of a database
// in use: write-ahead log, every commit durable (CreateSeeded builds a new
// file with others).
var servingPragmas = []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)"}

func openNoMigrate(ctx context.Context, dsn string, pragmas []string) (*Store, error) {
	s := &Store{now: func() time.Time { return time.Now().UTC() }}
	var err error
	switch {
	case isPostgres(dsn):
		if _, perr := pgconn.ParseConfig(dsn); perr != nil {
			return nil, coalition.Errorf(coalition.Invalid, "--db: malformed PostgreSQL URL: %v", perr)
		}
		s.dialect = postgres
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(16)
			s.db.SetMaxIdleConns(16)
			s.w = s.db
		}
	case strings.Contains(dsn, "://"):
		return nil, coalition.Errorf(coalition.Invalid, "--db %q: want sqlite:FILE, a file path, or postgres://…", dsn)
	default:
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, coalition.Errorf(coalition.Invalid, "--db: empty SQLite file name")
		}
		if dir := filepath.Dir(path); dir != "" {
			if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
				return nil, coalition.Errorf(coalition.Unavailable, "--db %q: folder %s does not exist", dsn, dir)
			}
		}
		s.dialect = sqlite
		q := url.Values{}
		for _, p := range pragmas {
			q.Add("_pragma", p)
		}
		s.db, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err == nil {
			s.db.SetMaxOpenConns(8)
			q.Set("_txlock", "immediate")
			// Statement journals (every INSERT into pledges has one: triggers
			// and a unique index) in memory. SQLite decides where they go
			// when a transaction begins, so this must be the connection's
			// setting, not a PRAGMA inside the transaction.
			q.Add("_pragma", "temp_store(2)")
			// Commits do not copy the WAL into the database file
			// (checkpoints does, in the background), so that no write
			// waits for that copy and its fsync.
			q.Add("_pragma", "wal_autocheckpoint(0)")
			s.w, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		}
		if err == nil {
			s.w.SetMaxOpenConns(1)
			s.w.SetMaxIdleConns(1)
			s.w.SetConnMaxIdleTime(0)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.db.PingContext(pctx); err != nil {
		s.Close()
		return nil, openError(dsn, err)
	}
	if s.dialect == sqlite {
		// A file that is not a database fails here, not later.
		if _, err := s.db.ExecContext(ctx, "SELECT count(*) FROM sqlite_master"); err != nil {
			s.Close()
			return nil, coalition.Errorf(coalition.Unavailable, "database %s: %v", redact(dsn), err)
		}
		if slices.Contains(pragmas, "journal_mode(WAL)") {
			s.stop, s.stopped = make(chan struct{}), make(chan struct{})
			go s.checkpoints(checkpointEvery)
		}
	}
	return s, nil
}

// checkpointEvery is how often checkpoints copies the WAL.
const checkpointEvery = 250 * time.Millisecond

// checkpoints copies committed pages from SQLite's WAL into the database
// file every interval, until Close. PASSIVE: it neither waits for nor
// blocks readers and the writer, and copies what no reader still needs;
// SQLite starts the WAL file over once everything is copied. A failure (a
// full disk) is tried again at the next interval; nothing is lost, the
// pages stay in the WAL.
func (s *Store) checkpoints(interval time.Duration) {
	defer close(s.stopped)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var busy, frames, copied int
		s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		cancel()
	}
}

// redact hides a password in a URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close writes the summaries of open denial windows and closes the
// database.
func (s *Store) Close() error {
	s.FlushDenials()
	if s.stop != nil {
		close(s.stop)
		<-s.stopped
		s.stop = nil
	}
	s.leaveExclusive()
	if s.w != nil && s.w != s.db {
		s.w.Close()
	}
	return s.db.Close()
}

// DB exposes the handle for tests and benchmarks in this module.
func (s *Store) DB() *sql.DB { return s.db }

// Engine returns "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name }

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations(d dialect) ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]migration{}
	for _, f := range files {
		base := filepath.Base(f)
		// NNNN_name.sql, or NNNN_name.sqlite.sql / .postgres.sql for one dialect.
		parts := strings.Split(strings.TrimSuffix(base, ".sql"), ".")
		if len(parts) == 2 && parts[1] != d.name {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(parts[0], "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migration %s: no version number", base)
		}
		b, err := migrationFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, dup := byVersion[v]; dup {
			return nil, fmt.Errorf("sqlstore: two migrations numbered %d", v)
		}
		byVersion[v] = migration{v, parts[0], strings.ReplaceAll(string(b), "{{ID}}", d.idColumn)}
	}
	out := make([]migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion returns the newest migration applied (0 for an empty database).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, nil // no table yet
	}
	return int(v.Int64), nil
}

// LatestVersion is the newest migration this binary knows.
func (s *Store) LatestVersion() int {
	ms, _ := migrations(s.dialect)
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns how many it applied. A database at a newer
// version than this binary knows is an error.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	ms, err := migrations(s.dialect)
	if err != nil {
		return 0, err
	}
	if s.dialect == sqlite {
		s.wmu.Lock()
		defer s.wmu.Unlock()
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, s.mapErr(fmt.Errorf("sqlstore: migrate: %w", err))
	}
	cur, _ := s.SchemaVersion(ctx)
	if latest := ms[len(ms)-1].version; cur > latest {
		return 0, coalition.Errorf(coalition.Unavailable,
			"the database is at schema version %d, newer than this binary knows (%d): upgrade coalition", cur, latest)
	}
	// Apply every migration not yet recorded, in order, even one numbered
	// below the newest applied (migrations written in parallel land so).
	applied := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return 0, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, fmt.Errorf("sqlstore: migrate: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	var pending []migration
	for _, m := range ms {
		if !applied[m.version] {
			pending = append(pending, m)
		}
	}
	// On SQLite all pending migrations share one transaction (SQLite's DDL
	// is transactional): a fresh database has a dozen, and each commit
	// waited for its own fsync, a fifth of serve's cold start. On
	// PostgreSQL each has its own, as some DDL may not share one.
	batch := 1
	if s.dialect == sqlite {
		batch = max(len(pending), 1)
	}
	n := 0
	for len(pending) > 0 {
		group := pending[:min(batch, len(pending))]
		pending = pending[len(group):]
		if err := s.applyMigrations(ctx, group); err != nil {
			return n, err
		}
		n += len(group)
	}
	return n, nil
}

// applyMigrations applies ms and records them, in one transaction.
func (s *Store) applyMigrations(ctx context.Context, ms []migration) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer tx.Rollback()
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			m.version, m.name, s.now().Format(time.RFC3339Nano)); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", ms[len(ms)-1].name, err)
	}
	return nil
}

// Ready checks that the database answers and is fully migrated.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return coalition.Errorf(coalition.Unavailable, "database unreachable: %v", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return coalition.Errorf(coalition.Unavailable, "database not migrated: %v", err)
	}
	ms, _ := migrations(s.dialect)
	if n != len(ms) {
		return coalition.Errorf(coalition.Unavailable, "database has %d of %d migrations applied", n, len(ms))
	}
	return nil
}

// Tx is a transaction with its fixed time and user.
type Tx struct {
	*sql.Tx
	s        *Store
	now      time.Time
	user     *coalition.User
	readOnly bool
	released bool
	// checked, audited and discard are for write: a permission check ran,
	// an audit entry was appended, the transaction is to be rolled back
	// although fn succeeded (a dry run).
	checked, audited, discard bool
	// refusals are the denials of a long transaction (an import's rows),
	// audited when it ends: the audit needs the writer it holds. req is
	// where the transaction's request came from, for those entries.
	refusals []string
	req      coalition.RequestInfo
	// conn is the SQLite writer connection of a transaction begun with
	// foreign keys off (beginUnchecked); release turns them on again.
	conn *sql.Conn
	// stmts, when not nil, keeps the statements exec and queryRow prepared
	// in this transaction, by query text (see reuseStatements).
	stmts map[string]*sql.Stmt
}

// reuseStatements makes exec and queryRow prepare each distinct query once
// in this transaction and run the prepared statement after: seeding a
// fresh database ran the same few upserts ~1,500 times, and SQLite spent
// most of its time compiling them again. Only on SQLite: pgx already keeps
// prepared statements per connection. query is left alone: two open Rows
// of one statement would reset each other. The statements are closed
// with the transaction.
func (tx *Tx) reuseStatements() {
	if tx.s.dialect == sqlite && tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
}

// prepared returns the statement for q (already rebound), prepared once.
func (tx *Tx) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[q]; ok {
		return st, nil
	}
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	tx.stmts[q] = st
	return st, nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	q = tx.s.dialect.rebind(q)
	if tx.stmts != nil {
		st, err := tx.prepared(ctx, q)
		if err != nil {
			return nil, err
		}
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	return tx.QueryContext(ctx, tx.s.dialect.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	if err := checkArgs(args); err != nil {
		return errRow{err}
	}
	q = tx.s.dialect.rebind(q)
	if tx.stmts != nil {
		st, err := tx.prepared(ctx, q)
		if err != nil {
			return errRow{err}
		}
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// queryRow is Tx.queryRow outside a transaction.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	if err := checkArgs(args); err != nil {
		return errRow{err}
	}
	return s.db.QueryRowContext(ctx, s.dialect.rebind(q), args...)
}

// checkArgs refuses a text parameter that PostgreSQL cannot hold (a NUL
// byte, invalid UTF-8: "invalid byte sequence for encoding UTF8") before it
// reaches either engine, so that such a filter or key (?topic=%00,
// /risk/coalition/%FF, a login name) is a 400 on both engines, not a 500 on
// one. Records never get this far: their Validate refuses such text by field.
func checkArgs(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && (!utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0) {
			return coalition.Errorf(coalition.Invalid, "a parameter is not valid UTF-8 or contains a NUL character")
		}
	}
	return nil
}

// errRow is a row that fails to scan with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// insertID runs an INSERT … RETURNING id.
func (tx *Tx) insertID(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// begin starts a write transaction. On SQLite writers are serialised.
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	if s.dialect == sqlite {
		s.wmu.Lock()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		if s.dialect == sqlite {
			s.wmu.Unlock()
		}
		return nil, s.mapErr(fmt.Errorf("sqlstore: begin: %w", err))
	}
	return &Tx{Tx: tx, s: s, now: s.now(), user: coalition.UserFrom(ctx), req: coalition.RequestFrom(ctx)}, nil
}

// beginUnchecked starts a write transaction that SQLite runs without
// enforcing foreign keys, for imports that check every reference
// themselves: with them off (and no row trigger) a multi-row INSERT needs
// no statement journal. On PostgreSQL it is begin.
func (s *Store) beginUnchecked(ctx context.Context) (*Tx, error) {
	if s.dialect != sqlite {
		return s.begin(ctx)
	}
	s.wmu.Lock()
	conn, err := s.w.Conn(ctx)
	if err == nil {
		// The pragma is a no-op inside a transaction, so it goes first.
		if _, err = conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			conn.Close()
		}
	}
	var tx *sql.Tx
	if err == nil {
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			restoreForeignKeys(conn)
		}
	}
	if err != nil {
		s.wmu.Unlock()
		return nil, s.mapErr(fmt.Errorf("sqlstore: begin: %w", err))
	}
	return &Tx{Tx: tx, s: s, now: s.now(), user: coalition.UserFrom(ctx), req: coalition.RequestFrom(ctx), conn: conn}, nil
}

// restoreForeignKeys turns foreign keys on again and gives the connection
// back to the pool; a connection where that fails is discarded, never
// reused without them.
func restoreForeignKeys(conn *sql.Conn) {
	if _, err := conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON"); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}

// readTx starts a read-only transaction (a consistent snapshot).
func (s *Store) readTx(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: s.dialect == postgres})
	if err != nil {
		return nil, s.mapErr(fmt.Errorf("sqlstore: begin: %w", err))
	}
	return &Tx{Tx: tx, s: s, now: s.now(), user: coalition.UserFrom(ctx), readOnly: true}, nil
}

// Commit commits and releases the writer lock.
func (tx *Tx) Commit() error {
	err := tx.Tx.Commit()
	tx.release()
	tx.auditRefusals()
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: commit: %w", err))
	}
	return nil
}

// Rollback rolls back (a no-op after Commit) and releases the writer lock.
func (tx *Tx) Rollback() {
	tx.Tx.Rollback()
	tx.release()
	tx.auditRefusals()
}

func (tx *Tx) release() {
	if tx.s.dialect == sqlite && !tx.readOnly && !tx.released {
		tx.released = true
		if tx.conn != nil {
			restoreForeignKeys(tx.conn)
		}
		tx.s.wmu.Unlock()
	}
}

// mapErr turns driver errors the user can act on into domain errors.
func (s *Store) mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ce *coalition.Error
	if errors.As(err, &ce) {
		return err
	}
	var pe *pgconn.PgError
	msg := err.Error()
	switch {
	case errors.As(err, &pe) && pe.Code == "23505", strings.Contains(msg, "UNIQUE constraint failed"):
		return &wrapped{coalition.Errorf(coalition.Conflict, "a record with the same key already exists"), err}
	case errors.As(err, &pe) && pe.Code == "23503", strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return &wrapped{coalition.Errorf(coalition.Invalid, "a referenced record (country, coalition or pledge) does not exist"), err}
	case errors.As(err, &pe) && pe.Code == "22003", strings.Contains(msg, "integer overflow"):
		// A rollup total past 64 bits (rows stored before the limits of
		// coalition.MaxAmountMinor, or more than 9,223 maximal pledges in one group).
		return &wrapped{coalition.Errorf(coalition.Invalid, "a total would exceed the largest amount the database holds (%d minor units)", int64(math.MaxInt64)), err}
	case errors.As(err, &pe) && (pe.Code == "53100" || pe.Code == "25006"),
		strings.Contains(msg, "database or disk is full"), strings.Contains(msg, "readonly database"):
		return &wrapped{coalition.Errorf(coalition.Unavailable, "storage is full or read-only: writes are refused, reads still work"), err}
	}
	return err
}

// wrapped keeps the driver error for logs while the user sees the domain one.
type wrapped struct {
	domain *coalition.Error
	cause  error
}

func (w *wrapped) Error() string   { return w.domain.Error() + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }
