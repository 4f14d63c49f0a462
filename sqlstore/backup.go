package sqlstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"coalition"
)

// A backup file is three parts:
//
//	COALITION-BACKUP 1\n
//	{manifest as one JSON line}\n
//	data: Size bytes whose SHA-256 is the manifest's SHA256
//
// The data is a SQLite database file (Format "sqlite", made with VACUUM INTO,
// a consistent snapshot taken while writers go on) or JSON lines (Format
// "jsonl", PostgreSQL: every table read in one REPEATABLE READ transaction):
// for each table a line {"table":…,"columns":[…]} followed by one JSON
// array per row.
const backupMagic = "COALITION-BACKUP 1"

// Manifest describes a backup.
type Manifest struct {
	Format        string                 `json:"format"` // "sqlite" or "jsonl"
	Engine        string                 `json:"engine"`
	SchemaVersion int                    `json:"schema_version"`
	CreatedAt     time.Time              `json:"created_at"`
	AppVersion    string                 `json:"app_version,omitempty"`
	Size          int64                  `json:"size"`
	SHA256        string                 `json:"sha256"`
	Tables        map[string]TableDigest `json:"tables"` // at the snapshot
}

// TableDigest is a table's row count and the SHA-256 of its rows (each row
// a JSON array in column-name order; the lines sorted), independent of the
// engine and of row order.
type TableDigest struct {
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Backup writes a consistent backup of the whole database to path (through
// a temporary file beside it, renamed when complete). Writers are not
// blocked. appVersion is recorded in the manifest.
func (s *Store) Backup(ctx context.Context, path, appVersion string) (*Manifest, error) {
	dir := filepath.Dir(path)
	data, err := os.CreateTemp(dir, ".coalition-backup-data-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	dataPath := data.Name()
	defer os.Remove(dataPath)
	m := &Manifest{Engine: s.dialect.name, CreatedAt: s.now(), AppVersion: appVersion}
	if s.dialect == sqlite {
		data.Close()
		os.Remove(dataPath) // VACUUM INTO wants a new file
		if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", dataPath); err != nil {
			return nil, s.mapErr(fmt.Errorf("backup: VACUUM INTO: %w", err))
		}
		snap, err := sql.Open("sqlite", "file:"+dataPath+"?mode=ro")
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		defer snap.Close()
		tx, err := snap.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		m.Format = "sqlite"
		m.SchemaVersion, m.Tables, err = snapshotDigests(ctx, tx, sqlite)
		tx.Rollback()
		if err != nil {
			return nil, err
		}
	} else {
		m.Format = "jsonl"
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			data.Close()
			return nil, fmt.Errorf("backup: begin: %w", err)
		}
		bw := bufio.NewWriterSize(data, 1<<16)
		m.SchemaVersion, m.Tables, err = exportJSONL(ctx, tx, s.dialect, bw)
		tx.Rollback()
		if err == nil {
			err = bw.Flush()
		}
		if cerr := data.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	if err := writeBackupFile(path, dataPath, m); err != nil {
		return nil, err
	}
	return m, nil
}

// writeBackupFile hashes the data, writes header, manifest and data to a
// temporary file, syncs it and renames it to path.
func writeBackupFile(path, dataPath string, m *Manifest) error {
	f, err := os.Open(dataPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Size, m.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	head, err := json.Marshal(m)
	if err != nil {
		return err
	}
	out, err := os.CreateTemp(filepath.Dir(path), ".coalition-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(out.Name())
	bw := bufio.NewWriterSize(out, 1<<16)
	fmt.Fprintf(bw, "%s\n%s\n", backupMagic, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		out.Close()
		return err
	}
	if _, err := io.Copy(bw, f); err != nil {
		out.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("backup: sync %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := os.Rename(out.Name(), path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// queryer is what a snapshot is read through.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// tables returns Coalition's tables, parents before the tables that refer
// to them (so that rows can be inserted in this order), ties by name.
// schema_migrations is left out: the manifest carries the schema version.
func tables(ctx context.Context, q queryer, d dialect) ([]string, error) {
	names, err := tableNames(ctx, q, d)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for _, n := range names {
		if deps[n], err = parentTables(ctx, q, d, n); err != nil {
			return nil, err
		}
	}
	return parentsFirst(names, deps), nil
}

// tableNames lists Coalition's tables by name, without schema_migrations
// and the preflight check's table.
func tableNames(ctx context.Context, q queryer, d dialect) ([]string, error) {
	query := "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	if d == sqlite {
		query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if n != "schema_migrations" && n != "coalition_preflight" {
			names = append(names, n)
		}
	}
	return names, rows.Err()
}

// parentTables lists the tables table's foreign keys refer to, itself left out.
func parentTables(ctx context.Context, q queryer, d dialect, table string) ([]string, error) {
	query := `SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc
		JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = $1`
	if d == sqlite {
		query = `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`
	}
	refs, err := q.QueryContext(ctx, query, table)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: foreign keys of %s: %w", table, err)
	}
	defer refs.Close()
	var out []string
	for refs.Next() {
		var p string
		if err := refs.Scan(&p); err != nil {
			return nil, err
		}
		if p != table {
			out = append(out, p)
		}
	}
	return out, refs.Err()
}

// parentsFirst orders names depth first so that every table comes after
// the tables in deps it refers to; names are sorted, so the order is stable.
func parentsFirst(names []string, deps map[string][]string) []string {
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string)
	visit = func(n string) {
		if state[n] != 0 {
			return
		}
		state[n] = 1
		for _, p := range deps[n] {
			visit(p)
		}
		state[n] = 2
		out = append(out, n)
	}
	for _, n := range names {
		visit(n)
	}
	return out
}

// columns returns a table's column names in table order.
func columns(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+quoteIdent(table)+" WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// normalize turns a driver value into int64, float64, string or nil.
func normalize(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// eachRow calls fn with every row of table (columns in table order).
func eachRow(ctx context.Context, q queryer, table string, cols []string, fn func(vals []any) error) error {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+quoteIdent(table))
	if err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("sqlstore: read %s: %w", table, err)
		}
		for i := range vals {
			vals[i] = normalize(vals[i])
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// digester computes a TableDigest: rows in column-name order, sorted.
type digester struct {
	order []int // column indexes in name order
	lines []string
}

func newDigester(cols []string) *digester {
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return cols[order[a]] < cols[order[b]] })
	return &digester{order: order}
}

func (d *digester) add(vals []any) error {
	row := make([]any, len(vals))
	for i, j := range d.order {
		row[i] = vals[j]
	}
	b, err := json.Marshal(row)
	if err != nil {
		return err
	}
	d.lines = append(d.lines, string(b))
	return nil
}

func (d *digester) sum() TableDigest {
	sort.Strings(d.lines)
	h := sha256.New()
	for _, l := range d.lines {
		io.WriteString(h, l)
		h.Write([]byte{'\n'})
	}
	return TableDigest{Rows: int64(len(d.lines)), SHA256: hex.EncodeToString(h.Sum(nil))}
}

// snapshotDigests reads the schema version and every table's digest.
func snapshotDigests(ctx context.Context, q queryer, d dialect) (int, map[string]TableDigest, error) {
	return exportJSONL(ctx, q, d, nil)
}

// exportJSONL writes every table as JSON lines to w (nil: digests only) and
// returns the schema version and the digests, all read through q (one
// snapshot).
func exportJSONL(ctx context.Context, q queryer, d dialect, w io.Writer) (int, map[string]TableDigest, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, nil, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	names, err := tables(ctx, q, d)
	if err != nil {
		return 0, nil, err
	}
	out := map[string]TableDigest{}
	for _, t := range names {
		cols, err := columns(ctx, q, t)
		if err != nil {
			return 0, nil, err
		}
		if w != nil {
			head, _ := json.Marshal(map[string]any{"table": t, "columns": cols})
			if _, err := fmt.Fprintf(w, "%s\n", head); err != nil {
				return 0, nil, err
			}
		}
		dg := newDigester(cols)
		err = eachRow(ctx, q, t, cols, func(vals []any) error {
			if w != nil {
				b, err := json.Marshal(vals)
				if err != nil {
					return fmt.Errorf("sqlstore: encode a row of %s: %w", t, err)
				}
				if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
					return err
				}
			}
			return dg.add(vals)
		})
		if err != nil {
			return 0, nil, err
		}
		out[t] = dg.sum()
	}
	return int(v.Int64), out, nil
}

// TableDigests returns every table's digest in one consistent snapshot.
func (s *Store) TableDigests(ctx context.Context) (map[string]TableDigest, error) {
	opts := &sql.TxOptions{}
	if s.dialect == postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	_, ds, err := snapshotDigests(ctx, tx, s.dialect)
	return ds, err
}

// ReadManifest reads the header and manifest of a backup; r is left at
// the start of the data.
func ReadManifest(r *bufio.Reader) (*Manifest, error) {
	magic, err := r.ReadString('\n')
	if err != nil || strings.TrimSpace(magic) != backupMagic {
		return nil, coalition.Errorf(coalition.Invalid, "not a Coalition backup (the first line is not %q)", backupMagic)
	}
	line, err := r.ReadBytes('\n')
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "the backup's manifest is cut short")
	}
	var m Manifest
	if err := json.Unmarshal(line, &m); err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "the backup's manifest is not valid JSON: %v", err)
	}
	if m.Format != "sqlite" && m.Format != "jsonl" {
		return nil, coalition.Errorf(coalition.Invalid, "the backup's format %q is unknown", m.Format)
	}
	return &m, nil
}

// Restore reads the backup at file, verifies its checksum and schema
// version, and restores it into dsn, which must be empty (a new SQLite
// file, or a database with no Coalition rows). SQLite backups restore into
// SQLite; JSON-lines backups (from PostgreSQL) into either engine, at the
// same schema version. After loading, every table's digest must equal the
// manifest's.
func Restore(ctx context.Context, file, dsn string) (*Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "backup %s: %v", file, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	m, err := ReadManifest(br)
	if err != nil {
		return nil, err
	}
	if latest := (&Store{dialect: sqlite}).LatestVersion(); m.SchemaVersion > latest {
		return nil, coalition.Errorf(coalition.Invalid, "the backup is at schema version %d, newer than this binary knows (%d): restore with a newer coalition", m.SchemaVersion, latest)
	}
	sqlitePath := sqliteFile(dsn)
	if m.Format == "sqlite" && sqlitePath == "" {
		return nil, coalition.Errorf(coalition.Invalid, "backup %s is a SQLite file: restore it into a SQLite database (--db FILE)", file)
	}
	// Copy the data aside while hashing it: nothing is touched before the
	// checksum is proven. A SQLite file's copy is made beside it.
	tmpDir := os.TempDir()
	if sqlitePath != "" {
		tmpDir = filepath.Dir(sqlitePath)
	}
	tmp, err := copyChecked(br, tmpDir, file, m)
	if tmp != "" {
		defer os.Remove(tmp)
	}
	if err != nil {
		return nil, err
	}
	if m.Format == "sqlite" {
		err = restoreSQLiteFile(ctx, tmp, sqlitePath, m)
	} else {
		err = restoreJSONL(ctx, tmp, dsn, m)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// sqliteFile is the file a SQLite dsn names, or "" for PostgreSQL.
func sqliteFile(dsn string) string {
	if isPostgres(dsn) {
		return ""
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// copyChecked copies a backup's data (what follows its manifest m in r)
// to a new file in dir, and returns the file's name (to be removed by the
// caller, also after an error) once its size and SHA-256 are the
// manifest's.
func copyChecked(r io.Reader, dir, file string, m *Manifest) (string, error) {
	tmp, err := os.CreateTemp(dir, ".coalition-restore-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return tmp.Name(), fmt.Errorf("restore: %w", err)
	}
	if n != m.Size || hex.EncodeToString(h.Sum(nil)) != m.SHA256 {
		return tmp.Name(), coalition.Errorf(coalition.Invalid, "backup %s is damaged: its data (%d bytes) does not match the checksum in its manifest (%d bytes, SHA-256 %s…)",
			file, n, m.Size, m.SHA256[:min(12, len(m.SHA256))])
	}
	return tmp.Name(), nil
}

// checkEmpty returns an error naming the first table that holds rows.
// The audit head's initial row (seq 0) counts as empty.
func (s *Store) checkEmpty(ctx context.Context, what string) error {
	names, err := tables(ctx, s.db, s.dialect)
	if err != nil {
		return err
	}
	for _, t := range names {
		q := "SELECT count(*) FROM " + quoteIdent(t)
		if t == "audit_head" {
			q += " WHERE seq <> 0"
		}
		var n int64
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if n > 0 {
			return coalition.Errorf(coalition.Conflict, "the database %s is not empty (table %s has %d rows): restore only into a new, empty database", what, t, n)
		}
	}
	return nil
}

func restoreSQLiteFile(ctx context.Context, data, path string, m *Manifest) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		s, err := OpenNoMigrate(ctx, "sqlite:"+path)
		if err != nil {
			return err
		}
		err = s.checkEmpty(ctx, path)
		s.Close()
		if err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			return coalition.Errorf(coalition.Conflict, "%s%s exists: is a server still using this database?", path, suffix)
		}
	}
	// Check the version and the digests on the copy before it takes the name.
	if err := verifySQLiteCopy(ctx, data, m); err != nil {
		return err
	}
	if err := os.Rename(data, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(path))
	s, err := Open(ctx, "sqlite:"+path) // migrates an older backup forward
	if err != nil {
		return err
	}
	return s.Close()
}

func verifySQLiteCopy(ctx context.Context, data string, m *Manifest) error {
	db, err := sql.Open("sqlite", "file:"+data+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return coalition.Errorf(coalition.Invalid, "the backup's database fails SQLite's integrity check: %s %v", ok, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	v, ds, err := snapshotDigests(ctx, tx, sqlite)
	if err != nil {
		return err
	}
	if latest := (&Store{dialect: sqlite}).LatestVersion(); v > latest {
		return coalition.Errorf(coalition.Invalid, "the backup is at schema version %d, newer than this binary knows (%d): restore with a newer coalition", v, latest)
	}
	if v != m.SchemaVersion {
		return coalition.Errorf(coalition.Invalid, "the backup's manifest says schema version %d but its data is at %d", m.SchemaVersion, v)
	}
	return compareDigests(m.Tables, ds)
}

func compareDigests(want, got map[string]TableDigest) error {
	for t, w := range want {
		if g := got[t]; g != w {
			return coalition.Errorf(coalition.Invalid, "table %s after restore: %d rows (SHA-256 %.12s…), the backup recorded %d rows (%.12s…)", t, g.Rows, g.SHA256, w.Rows, w.SHA256)
		}
	}
	for t, g := range got {
		if _, ok := want[t]; !ok && g.Rows > 0 {
			return coalition.Errorf(coalition.Invalid, "table %s has %d rows after restore but is not in the backup", t, g.Rows)
		}
	}
	return nil
}

// checkBackupSchema refuses a backup of another schema version than the
// binary's: its rows would not fit the tables.
func checkBackupSchema(m *Manifest, latest int) error {
	if m.SchemaVersion > latest {
		return coalition.Errorf(coalition.Invalid, "the backup is at schema version %d, newer than this binary knows (%d): restore with a newer coalition", m.SchemaVersion, latest)
	}
	if m.SchemaVersion != latest {
		return coalition.Errorf(coalition.Invalid, "the backup is at schema version %d and this binary at %d: restore with the coalition version that made it (%s), then upgrade", m.SchemaVersion, latest, m.AppVersion)
	}
	return nil
}

// differing is the set of tables whose digest differs from the backup's.
func differing(want, got map[string]TableDigest) map[string]bool {
	out := map[string]bool{}
	for t, w := range want {
		if got[t] != w {
			out[t] = true
		}
	}
	return out
}

// resetIdentities moves each loaded PostgreSQL table's id sequence past its
// largest id, so that the next insert does not collide with a restored row.
func resetIdentities(ctx context.Context, tx *Tx, tables []string) error {
	for _, t := range tables {
		cols, err := columns(ctx, tx, t)
		if err != nil {
			return err
		}
		if len(cols) == 0 || cols[0] != "id" {
			continue
		}
		// pg_get_serial_sequence is NULL (and setval a no-op) without an identity column.
		if _, err := tx.exec(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), max(id)) FROM "+quoteIdent(t)+" HAVING max(id) IS NOT NULL"); err != nil {
			return fmt.Errorf("restore: identity of %s: %w", t, err)
		}
	}
	return nil
}

func restoreJSONL(ctx context.Context, data, dsn string, m *Manifest) error {
	s, err := OpenNoMigrate(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := checkBackupSchema(m, s.LatestVersion()); err != nil {
		return err
	}
	if cur := s.schemaVersionQuiet(ctx); cur > 0 {
		if err := s.checkEmpty(ctx, redact(dsn)); err != nil {
			return err
		}
	}
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	tx, err := s.begin(coalition.WithUser(ctx, coalition.System))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Pass 1 loads every table. Tables kept by triggers (rollups) may have
	// been changed by a later table's rows: pass 2 reloads those whose
	// digest differs from the backup's.
	loaded, err := s.loadSections(ctx, tx, data, nil)
	if err != nil {
		return err
	}
	_, ds, err := snapshotDigests(ctx, tx, s.dialect)
	if err != nil {
		return err
	}
	if again := differing(m.Tables, ds); len(again) > 0 {
		if _, err := s.loadSections(ctx, tx, data, again); err != nil {
			return err
		}
	}
	if s.dialect == postgres {
		if err := resetIdentities(ctx, tx, loaded); err != nil {
			return err
		}
	}
	_, ds, err = snapshotDigests(ctx, tx, s.dialect)
	if err != nil {
		return err
	}
	if err := compareDigests(m.Tables, ds); err != nil {
		return err
	}
	return tx.Commit()
}

// loadSections replaces the rows of the tables in the JSON-lines data
// (only those in only, when it is not nil) with the backup's rows, and
// returns the tables it loaded.
func (s *Store) loadSections(ctx context.Context, tx *Tx, data string, only map[string]bool) ([]string, error) {
	f, err := os.Open(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	l := &sectionLoader{s: s, tx: tx, only: only, skip: true}
	defer l.closeStmt()
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(b) > 0 && b[0] == '{' {
			err = l.header(ctx, line, b)
		} else {
			err = l.row(ctx, line, b)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return l.loaded, nil
}

// sectionLoader loads one JSON-lines backup: a table header line, then
// that table's rows, then the next header.
type sectionLoader struct {
	s      *Store
	tx     *Tx
	only   map[string]bool // the tables to load; nil for all
	table  string          // of the current section
	stmt   *sql.Stmt       // its INSERT
	skip   bool            // its rows are not loaded
	loaded []string
}

func (l *sectionLoader) closeStmt() {
	if l.stmt != nil {
		l.stmt.Close()
		l.stmt = nil
	}
}

// header starts a table's section: its rows are deleted and its INSERT
// prepared, unless it is not among those to load.
func (l *sectionLoader) header(ctx context.Context, line int, b []byte) error {
	var head struct {
		Table   string   `json:"table"`
		Columns []string `json:"columns"`
	}
	if err := json.Unmarshal(b, &head); err != nil || head.Table == "" {
		return coalition.Errorf(coalition.Invalid, "backup data line %d: not a table header", line)
	}
	l.closeStmt()
	l.table = head.Table
	l.skip = l.only != nil && !l.only[l.table]
	if l.skip {
		return nil
	}
	if _, err := l.tx.exec(ctx, "DELETE FROM "+quoteIdent(l.table)); err != nil {
		return fmt.Errorf("restore: table %s: %w", l.table, err)
	}
	qcols := make([]string, len(head.Columns))
	marks := make([]string, len(head.Columns))
	for i, c := range head.Columns {
		qcols[i], marks[i] = quoteIdent(c), "?"
	}
	stmt, err := l.tx.PrepareContext(ctx, l.s.dialect.rebind("INSERT INTO "+quoteIdent(l.table)+" ("+strings.Join(qcols, ", ")+") VALUES ("+strings.Join(marks, ", ")+")"))
	if err != nil {
		return fmt.Errorf("restore: table %s: %w", l.table, err)
	}
	l.stmt = stmt
	l.loaded = append(l.loaded, l.table)
	return nil
}

// row inserts one row of the current section.
func (l *sectionLoader) row(ctx context.Context, line int, b []byte) error {
	if l.table == "" {
		return coalition.Errorf(coalition.Invalid, "backup data line %d: a row before any table header", line)
	}
	if l.skip {
		return nil
	}
	vals, err := decodeBackupRow(b)
	if err != nil {
		return coalition.Errorf(coalition.Invalid, "backup data line %d: %v", line, err)
	}
	if _, err := l.stmt.ExecContext(ctx, vals...); err != nil {
		return l.s.mapErr(fmt.Errorf("restore: table %s, backup data line %d: %w", l.table, line, err))
	}
	return nil
}

// decodeBackupRow decodes a row's JSON array, numbers as int64 where they
// are whole and float64 otherwise, as the drivers want them.
func decodeBackupRow(b []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var vals []any
	if err := dec.Decode(&vals); err != nil {
		return nil, err
	}
	for i, v := range vals {
		if n, ok := v.(json.Number); ok {
			if iv, err := n.Int64(); err == nil {
				vals[i] = iv
			} else if fv, err := n.Float64(); err == nil {
				vals[i] = fv
			}
		}
	}
	return vals, nil
}
