package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

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

func (tx *Tx) loadRiskEvents(ctx context.Context, ds *coalition.Dataset, rep *coalition.LoadReport) error {
	if len(ds.RiskEvents) == 0 {
		return nil
	}
	type key struct {
		iso3        string
		date        coalition.Date
		kind, label string
	}
	rows, err := tx.query(ctx, "SELECT iso3, date, kind, label FROM risk_events")
	if err != nil {
		return fmt.Errorf("sqlstore: load risk events: %w", err)
	}
	have := map[key]bool{}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.iso3, &k.date, &k.kind, &k.label); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: load risk events: %w", err)
		}
		have[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: load risk events: %w", err)
	}
	for i, r := range ds.RiskEvents {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("risk_events[%d] (%s %s): %w", i, r.ISO3, r.Date, err)
		}
		ok := have[key{r.ISO3, r.Date, r.Kind, r.Label}]
		count(rep, "risk_events", ok, false)
		if !ok {
			if err := tx.createRiskEvent(ctx, r); err != nil {
				return err
			}
		}
	}
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
