package sqlstore

import (
	"context"
	"fmt"
	"hash/maphash"

	"coalition"
)

// Release says that the pledges that follow are the records of release r
// of a published dataset (see coalition.Import). Only administrators load
// releases.
func (im *Import) Release(ctx context.Context, r coalition.Release, force bool) error {
	if im.err != nil {
		return im.err
	}
	if im.rel != nil {
		return coalition.Errorf(coalition.Invalid, "import: one release at a time (%s is being loaded)", im.rel.r)
	}
	if n := im.rep.Created["pledges"] + im.rep.Updated["pledges"] + im.rep.Unchanged["pledges"]; n > 0 {
		return fmt.Errorf("sqlstore: import: Release after %d pledges", n)
	}
	if r.Records != "" && r.Records != coalition.ReleasePledges {
		return coalition.FieldError("kind", "an import loads releases of pledges, not %s", r.Records)
	}
	st, err := im.tx.beginRelease(ctx, r, force, false)
	if err != nil {
		return err
	}
	im.rel = st
	return nil
}

// releaseKeys loads the natural keys of one dataset's pledges (see keys).
const releaseKeys = `SELECT id, version, source_ref, '' FROM pledges WHERE dataset = ? AND source_ref <> ''`

// Pledge creates p, or updates the pledge with the same (Source, SourceRef)
// if it differs. A pledge without SourceRef is always created. New pledges
// are written in batches (p is copied); their IDs are not set on p. After
// Release, p is a record of the release, matched on (dataset, SourceRef).
func (im *Import) Pledge(ctx context.Context, p *coalition.Pledge) error {
	if im.err != nil {
		return im.err
	}
	keys, keyOf, keyQuery, err := im.pledgeKey(p)
	if err != nil {
		return err
	}
	if err := im.checkPledge(p); err != nil {
		return err
	}
	flow, old, cur, err := im.storedOf(ctx, p, keys, keyOf, keyQuery)
	if err != nil {
		return err
	}
	// A flow stored before changes only for a higher version of it.
	same := old != nil && (sameImported(cur, p) || flow && !coalition.NewerFlowVersion(p.Provenance, cur.Provenance))
	_, err = im.upsert("pledges", old, same, func() (int64, error) {
		c := new(coalition.Pledge)
		*c = *p
		im.pending = append(im.pending, c)
		if len(im.pending) == importBatch {
			return 0, im.flush(ctx)
		}
		return 0, nil
	}, func() error { return im.rewrite(ctx, old, cur, p) })
	if err == nil && old != nil { // new pledges get their ids when their batch is written
		p.ID, p.Version = old.id, old.version
	}
	return err
}

// storedOf finds the stored record p updates, if any: old is its key and
// version, cur the record (nil for a new pledge); flow says p is a flow of
// a dataset of flows (matched on its id alone, knownFlow). A record of a
// published dataset cannot be changed outside a release of it.
func (im *Import) storedOf(ctx context.Context, p *coalition.Pledge, keys map[string]map[string]*keyed, keyOf, keyQuery string) (flow bool, old *keyed, cur *coalition.Pledge, err error) {
	flow = im.rel == nil && coalition.FlowDataset(p.Dataset)
	if flow {
		old, err = im.knownFlow(ctx, p)
	} else {
		old, err = im.known(ctx, keys, keyOf, p.SourceRef, keyQuery)
	}
	if err != nil {
		return flow, nil, nil, err
	}
	if old != nil && old.dataset != "" && im.rel == nil {
		return flow, nil, nil, coalition.FieldError("source_ref", "%q of %q is a record of the published dataset %s: load a release of it instead",
			p.SourceRef, p.Source, old.dataset)
	}
	if flow && old != nil {
		cur, err = im.tx.findPledgeAny(ctx, old.id)
	} else if !flow {
		cur, err = im.storedPledge(ctx, p, old)
	}
	return flow, old, cur, err
}

// rewrite updates the stored pledge cur (key old) to p. As updatePledge:
// the user must be able to write the pledge as it is, not only as it will
// be (checkPledge checked the latter).
func (im *Import) rewrite(ctx context.Context, old *keyed, cur, p *coalition.Pledge) error {
	tx := im.tx
	if !coalition.CanWrite(tx.user, cur.Donor, cur.CoalitionID) {
		return tx.refuse("import pledge", "you may not change pledge %q of %s", p.SourceRef, cur.Donor)
	}
	if err := im.indexesBack(ctx); err != nil { // the rollup's update trigger reads pledges by donor and month
		return err
	}
	if err := tx.rewritePledge(ctx, old.id, p); err != nil {
		im.err = err
		return err
	}
	p.ID, p.Version = old.id, old.version+1
	if err := tx.recordRewrite(ctx, cur, p); err != nil {
		im.err = err
		return err
	}
	return nil
}

// pledgeKey says where p's natural key is looked up: (Source, SourceRef)
// outside a release, (dataset, SourceRef) for a record of one or of a
// dataset of flows (coalition.FlowDataset: knownFlow).
func (im *Import) pledgeKey(p *coalition.Pledge) (keys map[string]map[string]*keyed, keyOf, query string, err error) {
	if im.rel == nil && coalition.FlowDataset(p.Dataset) {
		if p.SourceRef == "" {
			return nil, "", "", coalition.FieldError("source_ref", "a flow of %s needs its id", p.Dataset)
		}
		p.Release = ""
		return im.relPledges, p.Dataset, releaseKeys, nil
	}
	if im.rel == nil {
		p.Dataset, p.Release = "", ""
		return im.pledges, p.Source, pledgeKeys, nil
	}
	if p.SourceRef == "" {
		return nil, "", "", coalition.FieldError("source_ref", "a record of %s needs its key", im.rel.r.Dataset)
	}
	im.rel.claim(p)
	return im.relPledges, p.Dataset, releaseKeys, nil
}

// knownFlow returns the stored record of flow p (matched on its dataset
// and SourceRef, whatever its source and file), or the one this import
// created from an earlier copy of it (another file of the same command:
// pages of the FTS API overlap); nil for a new flow. A flow may come any
// number of times: Pledge keeps its highest version.
func (im *Import) knownFlow(ctx context.Context, p *coalition.Pledge) (*keyed, error) {
	have, err := im.keys(ctx, im.relPledges, p.Dataset, releaseKeys)
	if err != nil {
		return nil, err
	}
	if old := have[p.SourceRef]; old != nil {
		return old, nil
	}
	if !im.newFlows[p.SourceRef] {
		im.newFlows[p.SourceRef] = true
		return nil, nil
	}
	if err := im.settle(ctx); err != nil { // the earlier copy may be pending
		return nil, err
	}
	// It may be rewritten: pledge_rollup must hold it first.
	if err := im.rollupCatchUp(ctx); err != nil {
		return nil, err
	}
	k := &keyed{}
	if err := im.tx.queryRow(ctx, "SELECT id, version FROM pledges WHERE dataset = ? AND source_ref = ?", p.Dataset, p.SourceRef).
		Scan(&k.id, &k.version); err != nil {
		return nil, fmt.Errorf("sqlstore: import: flow %s: %w", p.SourceRef, err)
	}
	have[p.SourceRef] = k
	return k, nil
}

// checkPledge checks before p is buffered everything the database would
// refuse, so that a batch of new pledges cannot fail for one row's sake.
func (im *Import) checkPledge(p *coalition.Pledge) error {
	if p.Amount.Currency == "EUR" {
		p.AmountEUR, p.FXRate = p.Amount.Minor, 1
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if !coalition.CanWrite(im.tx.user, p.Donor, p.CoalitionID) {
		return im.tx.refuse("import pledge", "you may not import pledges of %s (coordinators: only into their coalitions)", p.Donor)
	}
	for _, c := range []struct{ field, iso string }{{"donor", p.Donor}, {"recipient", p.Recipient}} {
		if !im.countries[c.iso] {
			return coalition.FieldError(c.field, "%s is not a country in this database", c.iso)
		}
	}
	if p.CoalitionID != nil && !im.coalitions[*p.CoalitionID] {
		return coalition.FieldError("coalition_id", "no coalition %d", *p.CoalitionID)
	}
	return nil
}

// storedPledge reads the stored pledge with p's key (old), on demand: most
// imports touch few existing rows. A new pledge with a key is claimed, so
// that the same key cannot come twice.
func (im *Import) storedPledge(ctx context.Context, p *coalition.Pledge, old *keyed) (*coalition.Pledge, error) {
	switch {
	case old != nil:
		return im.tx.findPledgeAny(ctx, old.id)
	case p.SourceRef != "":
		return nil, im.claim(ctx, p.Source, p.SourceRef)
	}
	return nil, nil
}

// claim records that this import creates the pledge (source, ref), or
// says that it already did.
func (im *Import) claim(ctx context.Context, source, ref string) error {
	set := im.created[source]
	if set == nil {
		set = map[uint32]struct{}{}
		im.created[source] = set
	}
	h := uint32(maphash.String(im.seed, ref))
	if _, hit := set[h]; hit { // the same key, or another with the same hash
		dup, err := im.createdBefore(ctx, source, ref)
		if err != nil {
			return err
		}
		if dup {
			return coalition.FieldError("source_ref", "%q appears twice in this import", ref)
		}
	}
	set[h] = struct{}{}
	return nil
}

// createdBefore says whether this import has created the pledge (source,
// ref) already: among the pledges not yet written, or in the database.
func (im *Import) createdBefore(ctx context.Context, source, ref string) (bool, error) {
	for _, p := range im.pending {
		if p.Source == source && p.SourceRef == ref {
			return true, nil
		}
	}
	var n int
	if err := im.tx.queryRow(ctx, keyCountSQL, source, ref).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlstore: import pledge: %w", err)
	}
	return n > 0, nil
}

// keyCountSQL counts the pledges with a natural key (source, source_ref),
// never empty: source_ref <> ” lets SQLite use the partial unique index on
// (source, source_ref) instead of reading every pledge.
const keyCountSQL = "SELECT count(*) FROM pledges WHERE source = ? AND source_ref = ? AND source_ref <> ''"

// findPledgeAny reads a pledge whatever the user may see (imports match
// natural keys across the whole table).
func (tx *Tx) findPledgeAny(ctx context.Context, id int64) (*coalition.Pledge, error) {
	p, err := scanPledge(tx.queryRow(ctx, "SELECT "+pledgeCols+" FROM pledges WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: import: read pledge %d: %w", id, err)
	}
	return p, nil
}
