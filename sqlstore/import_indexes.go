package sqlstore

import (
	"context"
	"fmt"
	"runtime"
)

// deferIndexesAt is how many pledges an import on SQLite creates before it
// drops the indexes of pledges by date (deferredIndexes) for the rest of
// its transaction and builds them again, each by one sort, before anything
// but a new pledge is written and before it commits (indexesBack). At
// least as many as half the pledges stored before: a rebuild reads the
// whole table, so it pays only when the import brings a good part of it.
// Early rather than late: from the drop on the import keeps a 16 MB page
// cache, not 64 (1M new pledges: peak RSS 146 MiB with 20,000 here, 231
// with 100,000; 50,000 new pledges: the same CPU time as without the
// drop; docs/benchmarks.md). A variable for the tests.
var deferIndexesAt = 20_000

// deferredIndexes are the indexes of pledges an import defers: those by
// date, where every new pledge lands anywhere among the others (a B-tree
// descent to a page that is seldom in the cache). The others by category
// and by donor and id take a new pledge at the end of one of a few runs,
// cheaply, and are kept up as the import goes: building them again would
// only lengthen its end. An index added later is kept up too.
var deferredIndexes = map[string]bool{"pledges_announced": true, "pledges_donor_announced": true}

// deferIndexes drops the deferred indexes of pledges, once per import,
// when enough new pledges have come (deferIndexesAt). Inside the
// transaction: a rollback puts them back. The unique indexes stay, as the
// import looks natural keys up in them (and the database's own check of
// a key given twice stays).
func (im *Import) deferIndexes(ctx context.Context) error {
	if !im.unchecked || im.indexesTried || int64(im.rep.Created["pledges"]) < max(int64(deferIndexesAt), im.before/2) {
		return nil
	}
	im.indexesTried = true
	rows, err := im.tx.query(ctx, `SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list('pledges') l ON l.name = m.name
		WHERE m.type = 'index' AND l."unique" = 0 AND l.origin = 'c' AND m.sql IS NOT NULL ORDER BY m.name`)
	if err != nil {
		return fmt.Errorf("sqlstore: import: read the indexes of pledges: %w", err)
	}
	var names, stmts []string
	for rows.Next() {
		var name, stmt string
		if err := rows.Scan(&name, &stmt); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: import: read the indexes of pledges: %w", err)
		}
		if deferredIndexes[name] {
			names, stmts = append(names, name), append(stmts, stmt)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: import: read the indexes of pledges: %w", err)
	}
	for i, name := range names {
		if _, err := im.tx.exec(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return fmt.Errorf("sqlstore: import: drop index %s: %w", name, err)
		}
		im.indexes = append(im.indexes, stmts[i])
	}
	// Appending rows to the table and to the indexes left (a few places
	// in each) needs a small page cache: the rest of the import keeps
	// 16 MB instead of 64.
	im.pragmas(ctx, "PRAGMA cache_size = -16384")
	return nil
}

// indexesBack builds the indexes deferIndexes dropped, if any: before the
// import writes anything but new pledges (an update's rollup trigger and a
// delete's cascade read pledges by donor and month), and in Finish.
func (im *Import) indexesBack(ctx context.Context) error {
	if im.err != nil {
		return im.err
	}
	if len(im.indexes) == 0 {
		return nil
	}
	// SQLite sorts in memory alone while temp_store is MEMORY (the
	// import's, for its statement journals): the sort would hold a whole
	// index. With FILE it sorts runs of up to cache_size (4 MB here) and
	// merges them from temporary files. Both settings are the
	// connection's, put back after. They only save memory: if SQLite
	// refuses one (temp_store, once a temporary table exists), the sort
	// is done in memory.
	// threads lets SQLite sort with helper threads (one per processor, at
	// most 4): the rebuild is the import's serial end (a 1M-row index on
	// the 2-core machine: 1.01-1.04 s without, 0.82-0.85 s with 1, 0.78 s
	// with 2).
	im.pragmas(ctx, "PRAGMA temp_store = FILE", "PRAGMA cache_size = -4096", fmt.Sprintf("PRAGMA threads = %d", sortThreads()))
	defer im.pragmas(ctx, "PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY", "PRAGMA threads = 0")
	for _, q := range im.indexes {
		if _, err := im.tx.exec(ctx, q); err != nil {
			im.err = im.tx.s.mapErr(fmt.Errorf("sqlstore: import: rebuild an index of pledges: %s: %w", q, err))
			return im.err
		}
	}
	im.indexes = nil
	return nil
}

// pragmas runs settings of the import's connection that only spare time
// or memory: one that fails is left as it was.
func (im *Import) pragmas(ctx context.Context, qs ...string) {
	for _, q := range qs {
		im.tx.exec(ctx, q)
	}
}

// settle writes the pending new pledges and puts back the indexes of
// pledges deferred: what comes before anything but a new pledge.
func (im *Import) settle(ctx context.Context) error {
	if err := im.flush(ctx); err != nil {
		return err
	}
	return im.indexesBack(ctx)
}

// sortThreads is the number of helper threads SQLite may use to sort an
// index being rebuilt: one per processor, at most 4.
func sortThreads() int { return min(runtime.NumCPU(), 4) }
