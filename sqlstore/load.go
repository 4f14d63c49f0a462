package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"

	"coalition"
)

// Load applies ds in one transaction. Records are matched on their natural
// keys; with dryRun the transaction is rolled back after counting. The
// pledges of a release in ds.Releases replace the release of their dataset
// loaded before (same or newer; an older release is skipped and reported).
func (s *Store) Load(ctx context.Context, ds *coalition.Dataset, dryRun bool) (coalition.LoadReport, error) {
	rep := coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
	return writeValue(s, ctx, "load", func(tx *Tx) (coalition.LoadReport, error) {
		if err := tx.requireWrite(coalition.CanLoad(tx.user), "only admins and coordinators load or import data"); err != nil {
			return rep, err
		}
		rels := map[string]*releaseLoad{}
		for _, r := range ds.Releases {
			if rels[r.Dataset] != nil {
				return rep, coalition.FieldError("dataset", "two releases of %s in one load", r.Dataset)
			}
			var err error
			if rels[r.Dataset], err = tx.beginRelease(ctx, r, false, true); err != nil {
				return rep, err
			}
		}
		removed := map[string][]int64{}
		steps := []func(context.Context, *coalition.Dataset, *coalition.LoadReport) error{
			tx.loadCountries, tx.loadGroups, tx.loadCoalitions, tx.loadPeople, tx.loadFX,
			func(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
				return tx.loadPledges(ctx, ds, rep, rels, removed)
			},
			tx.loadEngagements, tx.loadRiskEvents,
		}
		for _, step := range steps {
			if err := step(ctx, ds, &rep); err != nil {
				return rep, err
			}
		}
		for _, r := range ds.Releases {
			st := rels[r.Dataset]
			if st.r.Records == coalition.ReleaseFXRates && !st.skip {
				if err := tx.tagRates(ctx, st, ds.FXRates); err != nil {
					return rep, err
				}
			}
			if err := tx.finishRelease(ctx, st, removed[r.Dataset]); err != nil {
				return rep, err
			}
			rep.Releases = append(rep.Releases, st.rep)
		}
		if dryRun {
			tx.discard = true
			return rep, nil
		}
		if err := tx.audit(ctx, "load", "dataset", nil, nil, rep, nil); err != nil {
			return rep, err
		}
		return rep, nil
	})
}

func count(rep *coalition.LoadReport, kind string, existed, changed bool) {
	switch {
	case !existed:
		rep.Created[kind]++
	case changed:
		rep.Updated[kind]++
	default:
		rep.Unchanged[kind]++
	}
}

// existing runs q (two columns: key, signature) into a map.
func (tx *Tx) existing(ctx context.Context, q string) (map[string]string, error) {
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: load: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, sig string
		if err := rows.Scan(&k, &sig); err != nil {
			return nil, fmt.Errorf("sqlstore: load: %w", err)
		}
		out[k] = sig
	}
	return out, rows.Err()
}

func fptr(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%g", *p)
}

func countrySig(c *coalition.Country) string {
	return fmt.Sprintf("%s|%s|%d|%s|%s|%d|%s|%t|%s", c.Name, fptr(c.GDPUSDBn), c.GDPYear, fptr(c.PopulationM), fptr(c.DefencePctGDP),
		c.DefenceYear, c.DefenceSource, c.State, c.Source)
}

func (tx *Tx) loadCountries(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.Countries) == 0 {
		return nil
	}
	rows, err := tx.query(ctx, "SELECT "+countryCols+" FROM countries")
	if err != nil {
		return fmt.Errorf("sqlstore: load countries: %w", err)
	}
	have := map[string]string{}
	for rows.Next() {
		c, err := scanCountry(rows)
		if err != nil {
			rows.Close()
			return err
		}
		have[c.ISO3] = countrySig(c)
	}
	rows.Close()
	for i, c := range ds.Countries {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("countries[%d] (%s): %w", i, c.ISO3, err)
		}
		sig, ok := have[c.ISO3]
		changed := sig != countrySig(c)
		count(rep, "countries", ok, changed)
		if !ok || changed {
			if err := tx.upsertCountry(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) loadGroups(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.Groups) == 0 {
		return nil
	}
	stored, err := tx.findGroups(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: load groups: %w", err)
	}
	have := map[string]*coalition.Group{}
	for _, g := range stored {
		have[g.Code] = g
	}
	for i, g := range ds.Groups {
		if err := g.Validate(); err != nil {
			return fmt.Errorf("groups[%d] (%s): %w", i, g.Code, err)
		}
		old, ok := have[g.Code]
		changed := ok && !sameGroup(old, g)
		count(rep, "groups", ok, changed)
		if !ok || changed {
			if err := tx.upsertGroup(ctx, g); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) loadCoalitions(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	for i, c := range ds.Coalitions {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("coalitions[%d] (%s): %w", i, c.Code, err)
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM coalitions WHERE code = ?", strings.ToUpper(c.Code)).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: load coalitions: %w", err)
		}
		count(rep, "coalitions", n > 0, false)
		if n == 0 {
			if err := tx.createCoalition(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func personSig(p *coalition.Person) string {
	var b strings.Builder
	b.WriteString(joinTopics(p.Aliases))
	for _, o := range p.Offices {
		fmt.Fprintf(&b, ";%s|%s|%s|%s|%s", o.ISO3, o.Title, o.Start, o.End, o.Source)
	}
	return b.String()
}

func (tx *Tx) loadPeople(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.People) == 0 {
		return nil
	}
	rows, err := tx.query(ctx, `SELECT p.name, p.aliases, o.iso3, o.title, o.start_date, o.end_date, o.source
		FROM people p LEFT JOIN offices o ON o.person_id = p.id ORDER BY p.name, o.pos`)
	if err != nil {
		return fmt.Errorf("sqlstore: load people: %w", err)
	}
	have := map[string]*coalition.Person{}
	for rows.Next() {
		var name, aliases string
		var iso, title, src *string
		var start, end coalition.Date
		if err := rows.Scan(&name, &aliases, &iso, &title, &start, &end, &src); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: load people: %w", err)
		}
		p := have[name]
		if p == nil {
			p = &coalition.Person{Name: name, Aliases: splitTopics(aliases)}
			have[name] = p
		}
		if iso != nil {
			p.Offices = append(p.Offices, coalition.Office{ISO3: *iso, Title: *title, Start: start, End: end, Source: *src})
		}
	}
	rows.Close()
	for i, p := range ds.People {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("people[%d] (%s): %w", i, p.Name, err)
		}
		old, ok := have[p.Name]
		changed := ok && personSig(old) != personSig(p)
		count(rep, "people", ok, changed)
		if !ok || changed {
			if err := tx.upsertPerson(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) loadFX(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.FXRates) == 0 {
		return nil
	}
	stored, err := tx.allRates(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: load fx rates: %w", err)
	}
	type key struct {
		currency string
		month    coalition.Month
	}
	have := map[key]coalition.FXRate{}
	for _, r := range stored {
		have[key{r.Currency, r.Month}] = r
	}
	for _, r := range ds.FXRates {
		old, ok := have[key{r.Currency, r.Month}]
		changed := ok && old != r
		count(rep, "fx_rates", ok, changed)
		if !ok || changed {
			if err := tx.upsertRate(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadPledges creates or updates ds.Pledges: those of a release (Dataset
// set) matched on (dataset, source_ref), noting in removed the dataset's
// pledges the release no longer has; the others on (source, source_ref).
func (tx *Tx) loadPledges(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport, rels map[string]*releaseLoad,
	removed map[string][]int64) error {
	if len(ds.Pledges) == 0 {
		return nil
	}
	type row struct {
		cur  *coalition.Pledge // as stored
		seen bool
	}
	have := map[string]*row{}
	rows, err := tx.query(ctx, "SELECT "+pledgeCols+" FROM pledges WHERE source_ref <> ''")
	if err != nil {
		return fmt.Errorf("sqlstore: load pledges: %w", err)
	}
	for rows.Next() {
		p, err := scanPledge(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: load pledges: %w", err)
		}
		if p.Dataset != "" {
			have["d\x00"+p.Dataset+"\x00"+p.SourceRef] = &row{cur: p}
		} else {
			have["s\x00"+p.Source+"\x00"+p.SourceRef] = &row{cur: p}
		}
	}
	rows.Close()
	for i, p := range ds.Pledges {
		key := "s\x00" + p.Source + "\x00" + p.SourceRef
		if p.Dataset != "" {
			st := rels[p.Dataset]
			if st == nil || st.r.Records != coalition.ReleasePledges {
				return coalition.FieldError("dataset", "pledges[%d] (%s): no release of pledges of %q in this load", i, p.SourceRef, p.Dataset)
			}
			if st.skip {
				continue // an older release than the one loaded
			}
			if p.SourceRef == "" {
				return coalition.FieldError("source_ref", "pledges[%d]: a record of %s needs its key", i, p.Dataset)
			}
			st.claim(p)
			key = "d\x00" + p.Dataset + "\x00" + p.SourceRef
		} else {
			p.Release = ""
		}
		if p.Amount.Currency == "EUR" {
			p.AmountEUR, p.FXRate = p.Amount.Minor, 1
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
		}
		old, ok := have[key]
		if ok && old.seen {
			return coalition.FieldError("source_ref", "pledges[%d]: %q appears twice in this load", i, p.SourceRef)
		}
		changed := ok && !sameImported(old.cur, p)
		count(rep, "pledges", ok, changed)
		if st := rels[p.Dataset]; p.Dataset != "" {
			switch {
			case !ok:
				st.rep.Created++
			case changed:
				st.rep.Updated++
			default:
				st.rep.Unchanged++
			}
		}
		switch {
		case !ok:
			if err := tx.createPledge(ctx, p); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
			if p.SourceRef != "" {
				have[key] = &row{cur: p, seen: true}
			}
		case changed:
			old.seen = true
			// As updatePledge would: the user must be able to write the
			// pledge as it is and as it will be.
			if err := tx.requireWrite(coalition.CanWrite(tx.user, old.cur.Donor, old.cur.CoalitionID) &&
				coalition.CanWrite(tx.user, p.Donor, p.CoalitionID), "you may not change pledges of %s", old.cur.Donor); err != nil {
				return err
			}
			if err := tx.rewritePledge(ctx, old.cur.ID, p); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
		default:
			old.seen = true
		}
	}
	for _, r := range have {
		if d := r.cur.Dataset; d != "" && !r.seen && rels[d] != nil && !rels[d].skip {
			removed[d] = append(removed[d], r.cur.ID)
		}
	}
	return nil
}

// tagRates marks the FX rates of ds as the records of the release st.
func (tx *Tx) tagRates(ctx context.Context, st *releaseLoad, rates []coalition.FXRate) error {
	var n int
	if err := tx.queryRow(ctx, "SELECT count(*) FROM fx_rates WHERE dataset = ? AND dataset_release = ?", st.r.Dataset, st.r.Name).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: load fx rates: %w", err)
	}
	if n == len(rates) {
		return nil // tagged before (the rates are keyed on currency and month: none is twice in rates)
	}
	for _, r := range rates {
		if _, err := tx.exec(ctx, `UPDATE fx_rates SET dataset = ?, dataset_release = ? WHERE currency = ? AND month = ?
			AND (dataset <> ? OR dataset_release <> ?)`, st.r.Dataset, st.r.Name, r.Currency, r.Month, st.r.Dataset, st.r.Name); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: load fx rates: %w", err))
		}
	}
	return nil
}

func (tx *Tx) loadEngagements(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.Engagements) == 0 {
		return nil
	}
	have, err := tx.existing(ctx, "SELECT source || '|' || source_ref, '' FROM engagements WHERE source_ref <> ''")
	if err != nil {
		return err
	}
	for i, e := range ds.Engagements {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("engagements[%d] (%s): %w", i, e.SourceRef, err)
		}
		_, ok := have[e.Source+"|"+e.SourceRef]
		count(rep, "engagements", ok, false)
		if !ok {
			if err := tx.createEngagement(ctx, e); err != nil {
				return fmt.Errorf("engagements[%d] (%s): %w", i, e.SourceRef, err)
			}
		}
	}
	return nil
}

func (tx *Tx) loadRiskEvents(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.RiskEvents) == 0 {
		return nil
	}
	have, err := tx.existing(ctx, "SELECT iso3 || '|' || date || '|' || kind || '|' || label, '' FROM risk_events")
	if err != nil {
		return err
	}
	for i, r := range ds.RiskEvents {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("risk_events[%d] (%s %s): %w", i, r.ISO3, r.Date, err)
		}
		_, ok := have[r.ISO3+"|"+r.Date.String()+"|"+r.Kind+"|"+r.Label]
		count(rep, "risk_events", ok, false)
		if !ok {
			if err := tx.createRiskEvent(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

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
	// created holds a hash of every natural key of a pledge this import
	// created, by source: 8 bytes a pledge instead of the key itself. A hit
	// is confirmed in the database (hashes may collide).
	created    map[string]map[uint64]struct{}
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
	im := &Import{tx: tx, unchecked: s.dialect == sqlite, wrote: map[string]bool{}, rollup: map[rollupKey]*rollupAgg{},
		rep: ImportReport{LoadReport: coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}},
			Removed: map[string]int{}, Deleted: map[string]int{}},
		pledges: map[string]map[string]*keyed{}, deliveries: map[string]map[string]*keyed{}, reqs: map[string]map[string]*keyed{},
		engs: map[string]map[string]*keyed{}, risks: map[string]map[string]*keyed{}, relPledges: map[string]map[string]*keyed{}}
	if s.dialect == sqlite {
		// Statement journals of a long import go to memory, not to a temp
		// file (they were most of the import's time), and a larger page
		// cache keeps the indexes' pages; both for this connection only.
		for _, pragma := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536"} {
			if _, err := tx.exec(ctx, pragma); err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("sqlstore: import: %s: %w", pragma, err)
			}
		}
	}
	im.created, im.seed = map[string]map[uint64]struct{}{}, maphash.MakeSeed()
	if im.countries, err = scanSet[string](ctx, tx, "SELECT iso3 FROM countries"); err == nil {
		im.coalitions, err = scanSet[int64](ctx, tx, "SELECT id FROM coalitions")
	}
	if err == nil {
		insert := "INSERT INTO"
		if s.dialect == sqlite {
			// Pledge has checked what the database would refuse, so a
			// failing batch fails the import: OR ROLLBACK (the whole
			// transaction) spares SQLite a statement journal per batch.
			insert = "INSERT OR ROLLBACK INTO"
		}
		im.insBatch, err = tx.PrepareContext(ctx, s.dialect.rebind(insert+" pledges ("+pledgeInsertCols+") VALUES "+
			valuesList(importBatch, pledgeInsertN)))
	}
	if err != nil {
		tx.Rollback()
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
// as the trigger merges one pledge, and puts the trigger back.
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
	switch {
	case err != nil:
	case len(im.pending) == importBatch:
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

// Abort rolls the import back. It is a no-op after Finish.
func (im *Import) Abort() {
	if im.done {
		return
	}
	im.done = true
	im.insBatch.Close()
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
	if err := im.flush(ctx); err != nil {
		return im.rep, err
	}
	kinds := []struct {
		kind, table string
		m           map[string]map[string]*keyed
	}{{"pledges", "pledges", im.pledges}, {"deliveries", "deliveries", im.deliveries}, {"requirements", "requirements", im.reqs},
		{"engagements", "engagements", im.engs}, {"risk_events", "risk_events", im.risks}}
	for _, k := range kinds {
		for _, rows := range k.m {
			for _, r := range rows {
				if r.seen {
					continue
				}
				im.rep.Removed[k.kind]++
				if opt.DeleteRemoved {
					// What ON DELETE CASCADE does, done here: foreign keys
					// may be off for the import.
					switch k.table {
					case "pledges":
						_, err := im.tx.exec(ctx, "DELETE FROM deliveries WHERE pledge_id = ?", r.id)
						if err != nil {
							return im.rep, im.tx.s.mapErr(fmt.Errorf("sqlstore: import: delete removed %s: %w", k.kind, err))
						}
					case "engagements":
						_, err := im.tx.exec(ctx, "DELETE FROM engagement_participants WHERE engagement_id = ?", r.id)
						if err != nil {
							return im.rep, im.tx.s.mapErr(fmt.Errorf("sqlstore: import: delete removed %s: %w", k.kind, err))
						}
					}
					if _, err := im.tx.exec(ctx, "DELETE FROM "+k.table+" WHERE id = ?", r.id); err != nil {
						return im.rep, im.tx.s.mapErr(fmt.Errorf("sqlstore: import: delete removed %s: %w", k.kind, err))
					}
					im.rep.Deleted[k.kind]++
				}
			}
		}
	}
	if st := im.rel; st != nil {
		var removed []int64
		for _, r := range im.relPledges[st.r.Dataset] {
			if !r.seen {
				removed = append(removed, r.id)
			}
		}
		st.rep.Created, st.rep.Updated, st.rep.Unchanged = im.rep.Created["pledges"], im.rep.Updated["pledges"], im.rep.Unchanged["pledges"]
		if err := im.tx.finishRelease(ctx, st, removed); err != nil {
			return im.rep, err
		}
		im.rep.Removed["pledges"] += len(removed)
		im.rep.Deleted["pledges"] += len(removed)
		rr := st.rep
		im.rep.Release = &rr
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
	im.insBatch.Close()
	im.done = true
	return im.rep, im.tx.Commit()
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
	tx := im.tx
	if im.err != nil {
		return im.err
	}
	keys, keyOf, keyQuery := im.pledges, p.Source, pledgeKeys
	if im.rel != nil {
		if p.SourceRef == "" {
			return coalition.FieldError("source_ref", "a record of %s needs its key", im.rel.r.Dataset)
		}
		im.rel.claim(p)
		keys, keyOf, keyQuery = im.relPledges, p.Dataset, releaseKeys
	} else {
		p.Dataset, p.Release = "", ""
	}
	if p.Amount.Currency == "EUR" {
		p.AmountEUR, p.FXRate = p.Amount.Minor, 1
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if !coalition.CanWrite(tx.user, p.Donor, p.CoalitionID) {
		return tx.refuse("import pledge", "you may not import pledges of %s (coordinators: only into their coalitions)", p.Donor)
	}
	for _, c := range []struct{ field, iso string }{{"donor", p.Donor}, {"recipient", p.Recipient}} {
		if !im.countries[c.iso] {
			return coalition.FieldError(c.field, "%s is not a country in this database", c.iso)
		}
	}
	if p.CoalitionID != nil && !im.coalitions[*p.CoalitionID] {
		return coalition.FieldError("coalition_id", "no coalition %d", *p.CoalitionID)
	}
	old, err := im.known(ctx, keys, keyOf, p.SourceRef, keyQuery)
	if err != nil {
		return err
	}
	if old != nil && old.dataset != "" && im.rel == nil {
		return coalition.FieldError("source_ref", "%q of %q is a record of the published dataset %s: load a release of it instead",
			p.SourceRef, p.Source, old.dataset)
	}
	var cur *coalition.Pledge // the stored pledge, read on demand: most imports touch few existing rows
	switch {
	case old != nil:
		if cur, err = tx.findPledgeAny(ctx, old.id); err != nil {
			return err
		}
	case p.SourceRef != "":
		if err := im.claim(ctx, p.Source, p.SourceRef); err != nil {
			return err
		}
	}
	switch {
	case old == nil:
		c := new(coalition.Pledge)
		*c = *p
		im.pending = append(im.pending, c)
		im.rep.Created["pledges"]++
		if len(im.pending) == importBatch {
			return im.flush(ctx)
		}
	case !sameImported(cur, p):
		if err := tx.rewritePledge(ctx, old.id, p); err != nil {
			im.err = err
			return im.err
		}
		p.ID, p.Version = old.id, old.version+1
		old.seen, old.version = true, old.version+1
		im.rep.Updated["pledges"]++
	default:
		p.ID, p.Version = old.id, old.version
		old.seen = true
		im.rep.Unchanged["pledges"]++
	}
	return nil
}

// claim records that this import creates the pledge (source, ref), or
// says that it already did.
func (im *Import) claim(ctx context.Context, source, ref string) error {
	set := im.created[source]
	if set == nil {
		set = map[uint64]struct{}{}
		im.created[source] = set
	}
	h := maphash.String(im.seed, ref)
	if _, dup := set[h]; dup { // the same key, or another with the same hash: ask the database
		if err := im.flush(ctx); err != nil {
			return err
		}
		var n int
		if err := im.tx.queryRow(ctx, "SELECT count(*) FROM pledges WHERE source = ? AND source_ref = ?", source, ref).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: import pledge: %w", err)
		}
		if n > 0 {
			return coalition.FieldError("source_ref", "%q appears twice in this import", ref)
		}
	}
	set[h] = struct{}{}
	return nil
}

// findPledgeAny reads a pledge whatever the user may see (imports match
// natural keys across the whole table).
func (tx *Tx) findPledgeAny(ctx context.Context, id int64) (*coalition.Pledge, error) {
	p, err := scanPledge(tx.queryRow(ctx, "SELECT "+pledgeCols+" FROM pledges WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: import: read pledge %d: %w", id, err)
	}
	return p, nil
}

// Delivery records d against the pledge (pledgeSource, pledgeRef), or, when
// pledgeRef is empty, against d.PledgeID. With ref it is matched on
// (d.Source, ref).
func (im *Import) Delivery(ctx context.Context, pledgeSource, pledgeRef, ref, provenance string, d *coalition.Delivery) error {
	tx := im.tx
	if err := im.flush(ctx); err != nil {
		return err
	}
	im.wrote["deliveries"] = true
	if pledgeRef != "" {
		have, err := im.keys(ctx, im.pledges, pledgeSource, pledgeKeys)
		if err != nil {
			return err
		}
		if k := have[pledgeRef]; k != nil {
			d.PledgeID = k.id
		} else { // created in this import
			err := tx.queryRow(ctx, "SELECT id FROM pledges WHERE source = ? AND source_ref = ?", pledgeSource, pledgeRef).Scan(&d.PledgeID)
			if errors.Is(err, sql.ErrNoRows) {
				return coalition.FieldError("pledge_ref", "no pledge %q from source %q (import the pledges first, or in the same run)", pledgeRef, pledgeSource)
			}
			if err != nil {
				return fmt.Errorf("sqlstore: import delivery: %w", err)
			}
		}
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if _, err := tx.findPledge(ctx, d.PledgeID); err != nil {
		return err
	}
	old, err := im.known(ctx, im.deliveries, d.Source, ref, `SELECT id, version, source_ref, '' FROM deliveries WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Delivery // read on demand, as for pledges
	if old != nil {
		if cur, err = scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryCols+" FROM deliveries d WHERE d.id = ?", old.id)); err != nil {
			return fmt.Errorf("sqlstore: import: read delivery %d: %w", old.id, err)
		}
	}
	switch {
	case old == nil:
		d.Version, d.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO deliveries (pledge_id, date, amount_eur_minor, quantity, source, source_ref, provenance,
			version, created_at) VALUES (?,?,?,?,?,?,?,?,?)`, d.PledgeID, d.Date, d.AmountEUR, d.Quantity, d.Source, ref, provenance, 1, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import delivery: %w", err))
		}
		d.ID = id
		im.rep.Created["deliveries"]++
		remember(im.deliveries, d.Source, ref, id)
	case !sameDelivery(cur, d):
		if _, err := tx.exec(ctx, `UPDATE deliveries SET pledge_id = ?, date = ?, amount_eur_minor = ?, quantity = ?, provenance = ?,
			version = version + 1 WHERE id = ?`, d.PledgeID, d.Date, d.AmountEUR, d.Quantity, provenance, old.id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import delivery: %w", err))
		}
		d.ID = old.id
		old.seen = true
		im.rep.Updated["deliveries"]++
	default:
		d.ID = old.id
		old.seen = true
		im.rep.Unchanged["deliveries"]++
	}
	return nil
}

// Requirement creates r or updates the one with the same (Source, ref).
func (im *Import) Requirement(ctx context.Context, ref, provenance string, r *coalition.Requirement) error {
	tx := im.tx
	if err := im.flush(ctx); err != nil {
		return err
	}
	im.wrote["requirements"] = true
	if err := r.Validate(); err != nil {
		return err
	}
	if !coalition.CanManageCoalition(tx.user, r.CoalitionID) {
		return tx.refuse("import requirement", "only the coalition's coordinators set its requirements")
	}
	old, err := im.known(ctx, im.reqs, r.Source, ref, `SELECT id, version, source_ref, '' FROM requirements WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Requirement // read on demand, as for pledges
	if old != nil {
		if cur, err = scanRequirement(tx.queryRow(ctx, "SELECT "+requirementCols+" FROM requirements WHERE id = ?", old.id)); err != nil {
			return fmt.Errorf("sqlstore: import: read requirement %d: %w", old.id, err)
		}
	}
	switch {
	case old == nil:
		r.Version, r.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO requirements (coalition_id, recipient, category, amount_eur_minor, quantity,
			unit_value_eur_minor, from_month, to_month, priority, visibility, source, source_ref, provenance, version, created_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.CoalitionID, r.Recipient, r.Category, r.AmountEUR, r.Quantity, r.UnitValue,
			r.From, r.To, r.Priority, r.Visibility, r.Source, ref, provenance, 1, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import requirement: %w", err))
		}
		r.ID = id
		im.rep.Created["requirements"]++
		remember(im.reqs, r.Source, ref, id)
	case !sameRequirement(cur, r):
		if _, err := tx.exec(ctx, `UPDATE requirements SET coalition_id = ?, recipient = ?, category = ?, amount_eur_minor = ?, quantity = ?,
			unit_value_eur_minor = ?, from_month = ?, to_month = ?, priority = ?, visibility = ?, provenance = ?, version = version + 1
			WHERE id = ?`, r.CoalitionID, r.Recipient, r.Category, r.AmountEUR, r.Quantity, r.UnitValue, r.From, r.To, r.Priority,
			r.Visibility, provenance, old.id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import requirement: %w", err))
		}
		r.ID = old.id
		old.seen = true
		im.rep.Updated["requirements"]++
	default:
		r.ID = old.id
		old.seen = true
		im.rep.Unchanged["requirements"]++
	}
	return nil
}

// Engagement creates e or replaces the one with the same (Source, SourceRef).
func (im *Import) Engagement(ctx context.Context, e *coalition.Engagement) error {
	tx := im.tx
	if err := im.flush(ctx); err != nil {
		return err
	}
	im.wrote["engagements"] = true
	im.wrote["engagement_participants"] = true
	if err := e.Validate(); err != nil {
		return err
	}
	if !coalition.CanWrite(tx.user, e.Participants[0].ISO3, e.CoalitionID) {
		return tx.refuse("import engagement", "you may not record engagements of %s", e.Participants[0].ISO3)
	}
	if e.Topics == nil {
		e.Topics = []string{}
	}
	old, err := im.known(ctx, im.engs, e.Source, e.SourceRef, `SELECT id, version, source_ref, '' FROM engagements WHERE source = ? AND source_ref <> ''`)
	if err != nil {
		return err
	}
	var cur *coalition.Engagement // read on demand, as for pledges
	if old != nil {
		if cur, err = tx.findEngagement(coalition.WithUser(ctx, coalition.System), old.id); err != nil {
			return err
		}
	}
	switch {
	case old == nil:
		if err := tx.createEngagement(ctx, e); err != nil {
			return err
		}
		im.rep.Created["engagements"]++
		remember(im.engs, e.Source, e.SourceRef, e.ID)
	case !sameEngagement(cur, e):
		if _, err := tx.exec(ctx, `UPDATE engagements SET date = ?, kind = ?, title = ?, summary = ?, topics = ?, asks = ?, outcomes = ?,
			owner = ?, coalition_id = ?, visibility = ?, provenance = ?, version = version + 1 WHERE id = ?`,
			e.Date, e.Kind, e.Title, e.Summary, joinTopics(e.Topics), e.Asks, e.Outcomes, e.Participants[0].ISO3, e.CoalitionID,
			e.Visibility, e.Provenance, old.id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
		}
		if _, err := tx.exec(ctx, "DELETE FROM engagement_participants WHERE engagement_id = ?", old.id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
		}
		for i, p := range e.Participants {
			if _, err := tx.exec(ctx, "INSERT INTO engagement_participants (engagement_id, pos, name, role, iso3) VALUES (?,?,?,?,?)",
				old.id, i, p.Name, p.Role, p.ISO3); err != nil {
				return tx.s.mapErr(fmt.Errorf("sqlstore: import engagement: %w", err))
			}
		}
		e.ID = old.id
		old.seen = true
		im.rep.Updated["engagements"]++
	default:
		e.ID = old.id
		old.seen = true
		im.rep.Unchanged["engagements"]++
	}
	return nil
}

// RiskEvent creates r unless a risk event with the same (ISO3, Date, Kind,
// Label) exists; an existing one keeps the probability and factor users set.
func (im *Import) RiskEvent(ctx context.Context, r *coalition.RiskEvent) error {
	if err := im.flush(ctx); err != nil {
		return err
	}
	im.wrote["risk_events"] = true
	if err := r.Validate(); err != nil {
		return err
	}
	have, err := im.keys(ctx, im.risks, r.Source, `SELECT id, version, iso3 || '|' || date || '|' || kind || '|' || label, ''
		FROM risk_events WHERE source = ?`)
	if err != nil {
		return err
	}
	key := r.ISO3 + "|" + r.Date.String() + "|" + r.Kind + "|" + r.Label
	if old := have[key]; old != nil {
		if old.seen {
			return coalition.FieldError("label", "risk event %s appears twice in this import", key)
		}
		old.seen = true
		im.rep.Unchanged["risk_events"]++
		return nil
	}
	var n int
	if err := im.tx.queryRow(ctx, "SELECT count(*) FROM risk_events WHERE iso3 = ? AND date = ? AND kind = ? AND label = ?",
		r.ISO3, r.Date, r.Kind, r.Label).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: import risk event: %w", err)
	}
	if n > 0 { // the same event from another source
		im.rep.Unchanged["risk_events"]++
		return nil
	}
	if err := im.tx.createRiskEvent(ctx, r); err != nil {
		return err
	}
	have[key] = &keyed{id: r.ID, version: 1, seen: true}
	im.rep.Created["risk_events"]++
	return nil
}

// AllRates returns the whole FX table, ordered by currency and month.
func (s *Store) AllRates(ctx context.Context) ([]coalition.FXRate, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.allRates(ctx)
}

func (tx *Tx) allRates(ctx context.Context) ([]coalition.FXRate, error) {
	rows, err := tx.query(ctx, "SELECT month, currency, units_per_eur, source FROM fx_rates ORDER BY currency, month")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rates: %w", err)
	}
	defer rows.Close()
	var out []coalition.FXRate
	for rows.Next() {
		var r coalition.FXRate
		if err := rows.Scan(&r.Month, &r.Currency, &r.UnitsPerEUR, &r.Source); err != nil {
			return nil, fmt.Errorf("sqlstore: rates: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
