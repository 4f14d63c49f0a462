package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"hash/maphash"

	"coalition"
)

var (
	_ coalition.Import   = (*Import)(nil)
	_ coalition.Importer = (*Store)(nil)
)

// ImportOptions and ImportReport are the domain's (coalition.Import).
type (
	ImportOptions = coalition.ImportOptions
	ImportReport  = coalition.ImportReport
)

// keyed is an existing record found by its natural key.
type keyed struct {
	id, version int64
	dataset     string // of a pledge of a published dataset
	seen        bool
}

// Import is one import: a write transaction that takes records one at a
// time (so a file of any size is never held in memory), matches them on
// their natural keys, and commits all of them or nothing in Finish.
//
// New pledges are written in multi-row INSERTs of importBatch rows. So that
// a batch cannot fail for one row's sake, Pledge checks before buffering
// everything the database would refuse (the record's own rules, the
// writer's rights, donor, recipient and coalition existing, a natural key
// given twice); an error while writing a batch is the database's own (disk
// full, say) and fails the whole import (Err, Finish).
type Import struct {
	tx         *Tx
	rep        ImportReport
	pledges    map[string]map[string]*keyed // source → source_ref → row
	deliveries map[string]map[string]*keyed
	reqs       map[string]map[string]*keyed
	engs       map[string]map[string]*keyed
	risks      map[string]map[string]*keyed // source → iso3|date|kind|label
	// rel is the release of a published dataset the pledges belong to
	// (Release); its pledges are matched in relPledges, dataset →
	// source_ref → row, whatever their citation.
	rel        *releaseLoad
	relPledges map[string]map[string]*keyed
	// newFlows are the flow records (coalition.FlowDataset) this import
	// created, by source_ref: the same flow again (another file's copy)
	// is matched with the one created.
	newFlows map[string]bool
	// created holds a hash of every natural key of a pledge this import
	// created, by source: 4 bytes a pledge instead of the key itself (1M
	// new pledges: about 12 MB of heap instead of 30 with 8-byte hashes).
	// A hit is confirmed among the pending pledges and in the database:
	// hashes collide (about 120 times in 1M keys), keys never do.
	created    map[string]map[uint32]struct{}
	seed       maphash.Seed
	countries  map[string]bool // ISO3 codes in the database
	coalitions map[int64]bool
	pending    []*coalition.Pledge // new pledges not yet written
	insBatch   *sql.Stmt           // INSERT of importBatch rows
	args       []any
	err        error // the database failed: nothing more is done
	done       bool
	// On SQLite the import runs with foreign keys off (Pledge checks the
	// references of pledges; Finish checks the other tables it wrote) and
	// without the per-row rollup trigger: the import sums its new pledges
	// per rollup group (rollup) and Finish merges them into pledge_rollup
	// and puts the trigger back. Both spare every batch a statement journal.
	unchecked bool
	wrote     map[string]bool // tables written, for the foreign-key check
	trigger   string          // the CREATE TRIGGER to put back, once dropped
	rollup    map[rollupKey]*rollupAgg
	// A large import on SQLite drops the indexes of pledges by date and
	// builds them again (import_indexes.go): before is the highest
	// pledge id when it began (about how many pledges a rebuild reads),
	// indexes the CREATE INDEX statements to run again.
	before       int64
	indexesTried bool
	indexes      []string
}

// rollupKey is a group of pledge_rollup; rollupAgg what the new pledges of
// an import add to it.
type rollupKey struct {
	donor                           string
	month                           coalition.Month
	supportType, status, visibility string
	coalition                       int64
}

type rollupAgg struct {
	amount, pledges      int64
	maxAsOf              coalition.Date // zero: NULL
	minSource, maxSource string
}

func (a *rollupAgg) add(p *coalition.Pledge) {
	if a.pledges == 0 {
		a.minSource, a.maxSource = p.Source, p.Source
	}
	a.amount += p.AmountEUR
	a.pledges++
	if !p.AsOf.IsZero() && (a.maxAsOf.IsZero() || p.AsOf.After(a.maxAsOf)) {
		a.maxAsOf = p.AsOf
	}
	a.minSource, a.maxSource = min(a.minSource, p.Source), max(a.maxSource, p.Source)
}

// importBatch is how many new pledges one INSERT writes (27 parameters a
// row: 6,750 parameters, within both engines' limits).
const importBatch = 250

// BeginImport starts an import as the user in ctx. Call Finish or Abort.
func (s *Store) BeginImport(ctx context.Context) (_ coalition.Import, err error) {
	defer func() { s.noteDenied(ctx, err, "import") }()
	tx, err := s.beginUnchecked(ctx)
	if err != nil {
		return nil, err
	}
	if err := tx.requireWrite(coalition.CanLoad(tx.user), "only admins and coordinators load or import data"); err != nil {
		tx.Rollback()
		return nil, err
	}
	tx.reuseStatements() // re-imports rewrite and check row by row
	im, err := newImport(ctx, tx, s.dialect == sqlite)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return im, nil
}

// newImport starts an import in tx. unchecked says that tx was begun by
// beginUnchecked on SQLite, for this import alone (see Import.unchecked);
// Load passes false to write its pledges in its own transaction.
func newImport(ctx context.Context, tx *Tx, unchecked bool) (*Import, error) {
	im := &Import{tx: tx, unchecked: unchecked, wrote: map[string]bool{}, rollup: map[rollupKey]*rollupAgg{},
		rep: ImportReport{LoadReport: coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}},
			Removed: map[string]int{}, Deleted: map[string]int{}},
		pledges: map[string]map[string]*keyed{}, deliveries: map[string]map[string]*keyed{}, reqs: map[string]map[string]*keyed{},
		engs: map[string]map[string]*keyed{}, risks: map[string]map[string]*keyed{}, relPledges: map[string]map[string]*keyed{},
		newFlows: map[string]bool{}}
	if unchecked {
		// Statement journals of a long import go to memory, not to a temp
		// file (they were most of the import's time), and a larger page
		// cache keeps the indexes' pages; both for this connection only.
		for _, pragma := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536"} {
			if _, err := tx.exec(ctx, pragma); err != nil {
				return nil, fmt.Errorf("sqlstore: import: %s: %w", pragma, err)
			}
		}
	}
	im.created, im.seed = map[string]map[uint32]struct{}{}, maphash.MakeSeed()
	var err error
	if im.countries, err = scanSet[string](ctx, tx, "SELECT iso3 FROM countries"); err == nil {
		im.coalitions, err = scanSet[int64](ctx, tx, "SELECT id FROM coalitions")
	}
	if err == nil && unchecked {
		err = tx.queryRow(ctx, "SELECT coalesce(max(id), 0) FROM pledges").Scan(&im.before)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: import: %w", err)
	}
	im.args = make([]any, 0, importBatch*pledgeInsertN)
	return im, nil
}

// scanSet runs q (one column) into a set.
func scanSet[T comparable](ctx context.Context, tx *Tx, q string) (map[T]bool, error) {
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[T]bool{}
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// deferRollup drops SQLite's per-row rollup trigger for the rest of the
// import (inside its transaction: a rollback puts it back); the import
// sums its new pledges by rollup group instead (addToRollup).
func (im *Import) deferRollup(ctx context.Context) error {
	if !im.unchecked || im.trigger != "" {
		return nil
	}
	if err := im.tx.queryRow(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'pledge_rollup_insert'").Scan(&im.trigger); err != nil {
		return fmt.Errorf("sqlstore: import: read the rollup trigger: %w", err)
	}
	if _, err := im.tx.exec(ctx, "DROP TRIGGER pledge_rollup_insert"); err != nil {
		return fmt.Errorf("sqlstore: import: %w", err)
	}
	return nil
}

// addToRollup adds the pending pledges to their rollup groups.
func (im *Import) addToRollup() {
	if im.trigger == "" {
		return
	}
	for _, p := range im.pending {
		cat, _ := coalition.CategoryByCode(p.Category)
		k := rollupKey{donor: p.Donor, month: p.Announced.Month(), supportType: string(cat.Type), status: string(p.Status),
			visibility: string(p.Visibility)}
		if p.CoalitionID != nil {
			k.coalition = *p.CoalitionID
		}
		a := im.rollup[k]
		if a == nil {
			a = &rollupAgg{}
			im.rollup[k] = a
		}
		a.add(p)
	}
}

// rollupCatchUp writes what the new pledges add to pledge_rollup, merged
// as the trigger merges one pledge, and puts the trigger back (Finish; and
// before a pledge this import created is rewritten, which the update
// trigger subtracts from pledge_rollup: knownFlow).
func (im *Import) rollupCatchUp(ctx context.Context) error {
	if im.trigger == "" {
		return nil
	}
	for k, a := range im.rollup {
		var asOf any
		if !a.maxAsOf.IsZero() {
			asOf = a.maxAsOf.String()
		}
		if _, err := im.tx.exec(ctx, `INSERT INTO pledge_rollup (donor, month, support_type, status, visibility, coalition_id,
			amount_eur_minor, pledges, max_as_of, min_source, max_source) VALUES (?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT (donor, month, support_type, status, visibility, coalition_id) DO UPDATE SET
				amount_eur_minor = amount_eur_minor + excluded.amount_eur_minor,
				pledges = pledges + excluded.pledges,
				max_as_of = CASE WHEN excluded.max_as_of IS NULL THEN max_as_of
				                 WHEN max_as_of IS NULL OR excluded.max_as_of > max_as_of THEN excluded.max_as_of
				                 ELSE max_as_of END,
				min_source = min(min_source, excluded.min_source),
				max_source = max(max_source, excluded.max_source)`,
			k.donor, k.month.String(), k.supportType, k.status, k.visibility, k.coalition, a.amount, a.pledges, asOf,
			a.minSource, a.maxSource); err != nil {
			return im.tx.s.mapErr(fmt.Errorf("sqlstore: import: update the rollup: %w", err))
		}
	}
	if _, err := im.tx.exec(ctx, im.trigger); err != nil {
		return im.tx.s.mapErr(fmt.Errorf("sqlstore: import: restore the rollup trigger: %w", err))
	}
	im.trigger = ""
	clear(im.rollup) // merged: a later catch-up adds only what comes after
	return nil
}

// checkReferences runs SQLite's foreign-key check on the tables the import
// wrote, other than pledges (Pledge checked those references itself).
func (im *Import) checkReferences(ctx context.Context) error {
	if !im.unchecked {
		return nil
	}
	for _, t := range []string{"deliveries", "requirements", "engagements", "engagement_participants", "risk_events"} {
		if !im.wrote[t] {
			continue
		}
		rows, err := im.tx.query(ctx, "PRAGMA foreign_key_check("+t+")")
		if err != nil {
			return fmt.Errorf("sqlstore: import: check references: %w", err)
		}
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		found := rows.Next()
		if found {
			err = rows.Scan(&table, &rowid, &parent, &fk)
		}
		rows.Close()
		if err != nil {
			return fmt.Errorf("sqlstore: import: check references: %w", err)
		}
		if found {
			return coalition.Errorf(coalition.Invalid, "import: %s row %d refers to a missing %s", table, rowid.Int64, parent)
		}
	}
	return nil
}

// Err is the database error that ended the import early, if any.
func (im *Import) Err() error { return im.err }

// flush writes the pending new pledges.
func (im *Import) flush(ctx context.Context) error {
	if im.err != nil {
		return im.err
	}
	if len(im.pending) == 0 {
		return nil
	}
	im.wrote["pledges"] = true
	err := im.deferRollup(ctx)
	if err == nil {
		err = im.deferIndexes(ctx)
	}
	switch {
	case err != nil:
	case len(im.pending) == importBatch:
		if err = im.prepareBatch(ctx); err != nil {
			break
		}
		im.args = im.args[:0]
		now := ts(im.tx.now)
		for _, p := range im.pending {
			im.args = appendPledgeArgs(im.args, p, now)
		}
		im.addToRollup()
		_, err = im.insBatch.ExecContext(ctx, im.args...)
	default:
		_, err = im.tx.bulkPledges(ctx, im.pending, false)
		im.addToRollup()
	}
	clear(im.pending)
	im.pending = im.pending[:0]
	if err != nil {
		im.err = im.tx.s.mapErr(fmt.Errorf("sqlstore: import: write pledges: %w", err))
	}
	return im.err
}

// prepareBatch prepares the INSERT of importBatch new pledges on first
// use: a load or import with fewer pledges (engagements alone, the
// reference data's last batch) never compiles its 6,750 parameters.
func (im *Import) prepareBatch(ctx context.Context) error {
	if im.insBatch != nil {
		return nil
	}
	insert := "INSERT INTO"
	if im.unchecked {
		// Pledge has checked what the database would refuse, so a
		// failing batch fails the import: OR ROLLBACK (the whole
		// transaction) spares SQLite a statement journal per batch.
		insert = "INSERT OR ROLLBACK INTO"
	}
	st, err := im.tx.PrepareContext(ctx, im.tx.s.dialect.rebind(insert+" pledges ("+pledgeInsertCols+") VALUES "+
		valuesList(importBatch, pledgeInsertN)))
	if err != nil {
		return err
	}
	im.insBatch = st
	return nil
}

// closeBatch closes the batch INSERT, if it was prepared.
func (im *Import) closeBatch() {
	if im.insBatch != nil {
		im.insBatch.Close()
		im.insBatch = nil
	}
}

// Abort rolls the import back. It is a no-op after Finish.
func (im *Import) Abort() {
	if im.done {
		return
	}
	im.done = true
	im.closeBatch()
	im.tx.Rollback()
}

// Finish counts (and with DeleteRemoved deletes) the records of the
// imported sources that the import did not contain, then commits, or rolls
// back with DryRun.
func (im *Import) Finish(ctx context.Context, opt ImportOptions) (ImportReport, error) {
	if im.done {
		return im.rep, fmt.Errorf("sqlstore: import already finished")
	}
	defer im.Abort()
	if err := im.settle(ctx); err != nil {
		return im.rep, err
	}
	if err := im.settleUnseen(ctx, opt.DeleteRemoved); err != nil {
		return im.rep, err
	}
	if err := im.settleRelease(ctx); err != nil {
		return im.rep, err
	}
	if err := im.rollupCatchUp(ctx); err != nil {
		return im.rep, err
	}
	if err := im.checkReferences(ctx); err != nil {
		return im.rep, err
	}
	if opt.DryRun {
		return im.rep, nil
	}
	if err := im.tx.audit(ctx, "import", "dataset", nil, nil, im.rep, nil); err != nil {
		return im.rep, err
	}
	im.closeBatch()
	im.done = true
	return im.rep, im.tx.Commit()
}

// settleUnseen counts as removed the records of the imported sources that
// the import did not contain, and deletes them when asked.
func (im *Import) settleUnseen(ctx context.Context, deleteRemoved bool) error {
	for _, k := range []struct {
		table string
		m     map[string]map[string]*keyed
	}{{"pledges", im.pledges}, {"deliveries", im.deliveries}, {"requirements", im.reqs},
		{"engagements", im.engs}, {"risk_events", im.risks}} {
		for _, rows := range k.m {
			for _, r := range rows {
				if r.seen {
					continue
				}
				im.rep.Removed[k.table]++
				if !deleteRemoved {
					continue
				}
				if err := im.deleteRemoved(ctx, k.table, r.id); err != nil {
					return im.tx.s.mapErr(fmt.Errorf("sqlstore: import: delete removed %s: %w", k.table, err))
				}
				im.rep.Deleted[k.table]++
			}
		}
	}
	return nil
}

// deleteRemoved deletes record id of table and what depends on it: what ON
// DELETE CASCADE does, done here because foreign keys may be off for the
// import.
func (im *Import) deleteRemoved(ctx context.Context, table string, id int64) error {
	dependent := map[string]string{
		"pledges":     "DELETE FROM deliveries WHERE pledge_id = ?",
		"engagements": "DELETE FROM engagement_participants WHERE engagement_id = ?",
	}
	if q, ok := dependent[table]; ok {
		if _, err := im.tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	_, err := im.tx.exec(ctx, "DELETE FROM "+table+" WHERE id = ?", id)
	return err
}

// settleRelease finishes the release the import loads, if any: the
// release's records it did not contain are removed, and its report joins
// the import's.
func (im *Import) settleRelease(ctx context.Context) error {
	st := im.rel
	if st == nil {
		return nil
	}
	var removed []int64
	for _, r := range im.relPledges[st.r.Dataset] {
		if !r.seen {
			removed = append(removed, r.id)
		}
	}
	st.rep.Created, st.rep.Updated, st.rep.Unchanged = im.rep.Created["pledges"], im.rep.Updated["pledges"], im.rep.Unchanged["pledges"]
	if err := im.tx.finishRelease(ctx, st, removed); err != nil {
		return err
	}
	im.rep.Removed["pledges"] += len(removed)
	im.rep.Deleted["pledges"] += len(removed)
	rr := st.rep
	im.rep.Release = &rr
	return nil
}

// Report returns the counts so far.
func (im *Import) Report() ImportReport { return im.rep }

// keys loads the natural keys of one source of one table on first use.
func (im *Import) keys(ctx context.Context, m map[string]map[string]*keyed, source, q string) (map[string]*keyed, error) {
	if rows, ok := m[source]; ok {
		return rows, nil
	}
	rs, err := im.tx.query(ctx, q, source)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: import: %w", err)
	}
	defer rs.Close()
	out := map[string]*keyed{}
	for rs.Next() {
		k := &keyed{}
		var ref string
		if err := rs.Scan(&k.id, &k.version, &ref, &k.dataset); err != nil {
			return nil, fmt.Errorf("sqlstore: import: %w", err)
		}
		out[ref] = k
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: import: %w", err)
	}
	m[source] = out
	return out, nil
}

// pledgeKeys loads the natural keys of one source's pledges (see keys),
// with the dataset of a record of a published dataset (other imports may
// not change it).
const pledgeKeys = `SELECT id, version, source_ref, dataset FROM pledges WHERE source = ? AND source_ref <> ''`

// known returns the record of source with natural key ref that existed
// before the import (loaded by q, see keys), or nil for a new one or an
// empty ref; a key this import has already matched is an error.
func (im *Import) known(ctx context.Context, m map[string]map[string]*keyed, source, ref, q string) (*keyed, error) {
	if ref == "" {
		return nil, nil
	}
	have, err := im.keys(ctx, m, source, q)
	if err != nil {
		return nil, err
	}
	old := have[ref]
	if old != nil && old.seen {
		return nil, coalition.FieldError("source_ref", "%q appears twice in this import", ref)
	}
	return old, nil
}

// remember notes a record the import created under (source, ref), so that
// the same key later in the import is refused.
func remember(m map[string]map[string]*keyed, source, ref string, id int64) {
	if ref != "" {
		m[source][ref] = &keyed{id: id, version: 1, seen: true}
	}
}
