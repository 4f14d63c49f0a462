package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// Load applies ds in one transaction. Records are matched on their natural
// keys; with dryRun the transaction is rolled back after counting.
func (s *Store) Load(ctx context.Context, ds *coalition.Dataset, dryRun bool) (coalition.LoadReport, error) {
	rep := coalition.LoadReport{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
	tx, err := s.begin(ctx)
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()
	steps := []func(context.Context, *coalition.Dataset, *coalition.LoadReport) error{
		tx.loadCountries, tx.loadGroups, tx.loadCoalitions, tx.loadPeople, tx.loadFX,
		tx.loadPledges, tx.loadEngagements, tx.loadRiskEvents,
	}
	for _, step := range steps {
		if err := step(ctx, ds, &rep); err != nil {
			return rep, err
		}
	}
	if dryRun {
		return rep, nil
	}
	return rep, tx.Commit()
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
	have, err := tx.existing(ctx, `SELECT g.code, g.name || '|' || g.source || '|' || coalesce((SELECT count(*) FROM group_members m WHERE m.group_code = g.code), 0)
		FROM alliance_groups g`)
	if err != nil {
		return err
	}
	for i, g := range ds.Groups {
		if err := g.Validate(); err != nil {
			return fmt.Errorf("groups[%d] (%s): %w", i, g.Code, err)
		}
		sig, ok := have[g.Code]
		changed := sig != fmt.Sprintf("%s|%s|%d", g.Name, g.Source, len(g.Members))
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
	have, err := tx.existing(ctx, "SELECT currency || '/' || CAST(month AS TEXT), CAST(units_per_eur AS TEXT) || '|' || source FROM fx_rates")
	if err != nil {
		return err
	}
	for _, r := range ds.FXRates {
		key := fmt.Sprintf("%s/%d", r.Currency, r.Month)
		sig, ok := have[key]
		var oldRate float64
		var oldSrc string
		if ok {
			parts := strings.SplitN(sig, "|", 2)
			fmt.Sscan(parts[0], &oldRate)
			oldSrc = parts[1]
		}
		changed := ok && (oldRate != r.UnitsPerEUR || oldSrc != r.Source)
		count(rep, "fx_rates", ok, changed)
		if !ok || changed {
			if err := tx.upsertRate(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

func pledgeSig(p *coalition.Pledge) string {
	return fmt.Sprintf("%s|%s|%s|%d|%s|%d|%s|%s|%s|%s|%d|%d", p.Donor, p.Recipient, p.Category, p.Amount.Minor, p.Amount.Currency,
		p.AmountEUR, p.Announced, p.Status, p.Visibility, p.AsOf, p.DeliverFrom, p.DeliverTo)
}

func (tx *Tx) loadPledges(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.Pledges) == 0 {
		return nil
	}
	type row struct {
		id, version int64
		sig         string
	}
	have := map[string]row{}
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
		have[p.Source+"\x00"+p.SourceRef] = row{p.ID, p.Version, pledgeSig(p)}
	}
	rows.Close()
	for i, p := range ds.Pledges {
		if p.Amount.Currency == "EUR" {
			p.AmountEUR, p.FXRate = p.Amount.Minor, 1
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
		}
		old, ok := have[p.Source+"\x00"+p.SourceRef]
		changed := ok && old.sig != pledgeSig(p)
		count(rep, "pledges", ok, changed)
		switch {
		case !ok:
			if err := tx.createPledge(ctx, p); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
		case changed:
			upd := coalition.PledgeUpdate{Version: old.version, Category: &p.Category, Amount: &p.Amount, AmountEUR: &p.AmountEUR,
				FXRate: &p.FXRate, Announced: &p.Announced, DeliverFrom: &p.DeliverFrom, DeliverTo: &p.DeliverTo,
				Status: &p.Status, Visibility: &p.Visibility, Source: &p.Source}
			if _, err := tx.updatePledge(ctx, old.id, upd); err != nil {
				return fmt.Errorf("pledges[%d] (%s): %w", i, p.SourceRef, err)
			}
			if _, err := tx.exec(ctx, "UPDATE pledges SET donor = ?, recipient = ?, as_of = ? WHERE id = ?", p.Donor, p.Recipient, p.AsOf, old.id); err != nil {
				return tx.s.mapErr(fmt.Errorf("sqlstore: load pledges: %w", err))
			}
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
