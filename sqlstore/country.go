package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"coalition"
)

const countryCols = "iso3, name, gdp_usd_bn, gdp_year, population_m, defence_pct_gdp, defence_year, defence_source, state, source"

func scanCountry(sc interface{ Scan(...any) error }) (*coalition.Country, error) {
	var c coalition.Country
	var gdp, pop, def sql.NullFloat64
	var state int
	if err := sc.Scan(&c.ISO3, &c.Name, &gdp, &c.GDPYear, &pop, &def, &c.DefenceYear, &c.DefenceSource, &state, &c.Source); err != nil {
		return nil, err
	}
	c.GDPUSDBn, c.PopulationM, c.DefencePctGDP = nullFloat(gdp), nullFloat(pop), nullFloat(def)
	c.State = state != 0
	return &c, nil
}

func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// FindCountry returns NotFound if iso3 is unknown.
func (s *Store) FindCountry(ctx context.Context, iso3 string) (*coalition.Country, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := scanCountry(tx.queryRow(ctx, "SELECT "+countryCols+" FROM countries WHERE iso3 = ?", strings.ToUpper(iso3)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "country %q not found", iso3)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find country: %w", err)
	}
	groups, err := tx.groupsOf(ctx)
	if err != nil {
		return nil, err
	}
	c.Groups = groupsOrEmpty(groups[c.ISO3])
	return c, nil
}

// groupsOf maps each country to the codes of its groups and coalitions (joined members).
func (tx *Tx) groupsOf(ctx context.Context) (map[string][]string, error) {
	rows, err := tx.query(ctx, `SELECT iso3, group_code FROM group_members
		UNION ALL SELECT m.iso3, c.code FROM coalition_members m JOIN coalitions c ON c.id = m.coalition_id WHERE m.status = 'joined'
		ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: groups: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var iso, code string
		if err := rows.Scan(&iso, &code); err != nil {
			return nil, err
		}
		out[iso] = append(out[iso], code)
	}
	return out, rows.Err()
}

// FindCountries lists countries by name, optionally those of one group or coalition.
func (s *Store) FindCountries(ctx context.Context, f coalition.CountryFilter) ([]*coalition.Country, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := "SELECT " + countryCols + " FROM countries"
	var args []any
	if f.Group != "" {
		code := strings.ToUpper(f.Group)
		var n int
		if err := tx.queryRow(ctx, "SELECT (SELECT count(*) FROM alliance_groups WHERE code = ?) + (SELECT count(*) FROM coalitions WHERE code = ?)", code, code).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlstore: find countries: %w", err)
		}
		if n == 0 {
			return nil, coalition.FieldError("group", "%q is not a group or coalition code", f.Group)
		}
		q += ` WHERE iso3 IN (SELECT iso3 FROM group_members WHERE group_code = ?
			UNION SELECT m.iso3 FROM coalition_members m JOIN coalitions c ON c.id = m.coalition_id WHERE c.code = ? AND m.status = 'joined')`
		args = append(args, code, code)
	}
	rows, err := tx.query(ctx, q+" ORDER BY name", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find countries: %w", err)
	}
	defer rows.Close()
	var out []*coalition.Country
	for rows.Next() {
		c, err := scanCountry(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: find countries: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups, err := tx.groupsOf(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Groups = groupsOrEmpty(groups[c.ISO3])
	}
	return out, nil
}

// UpsertCountry creates or replaces a country.
func (s *Store) UpsertCountry(ctx context.Context, c *coalition.Country) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "upsert country", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins edit reference data"); err != nil {
			return err
		}
		if err := tx.upsertCountry(ctx, c); err != nil {
			return err
		}
		if err := tx.audit(ctx, "upsert", "country", c.ISO3, nil, c, nil); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) upsertCountry(ctx context.Context, c *coalition.Country) error {
	state := 0
	if c.State {
		state = 1
	}
	_, err := tx.exec(ctx, `INSERT INTO countries (`+countryCols+`) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (iso3) DO UPDATE SET name = excluded.name, gdp_usd_bn = excluded.gdp_usd_bn, gdp_year = excluded.gdp_year,
		population_m = excluded.population_m, defence_pct_gdp = excluded.defence_pct_gdp, defence_year = excluded.defence_year,
		defence_source = excluded.defence_source, state = excluded.state, source = excluded.source`,
		c.ISO3, c.Name, c.GDPUSDBn, c.GDPYear, c.PopulationM, c.DefencePctGDP, c.DefenceYear, c.DefenceSource, state, c.Source)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: upsert country %s: %w", c.ISO3, err))
	}
	return nil
}

// FindGroups lists groups with their members.
func (s *Store) FindGroups(ctx context.Context) ([]*coalition.Group, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findGroups(ctx)
}

// findGroups returns every group with its members, ordered by code and ISO3.
func (tx *Tx) findGroups(ctx context.Context) ([]*coalition.Group, error) {
	rows, err := tx.query(ctx, `SELECT g.code, g.name, g.source, m.iso3, m.since, m.until
		FROM alliance_groups g LEFT JOIN group_members m ON m.group_code = g.code ORDER BY g.code, m.iso3`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find groups: %w", err)
	}
	defer rows.Close()
	var out []*coalition.Group
	for rows.Next() {
		var code, name, source string
		var iso sql.NullString
		var since, until coalition.Date
		if err := rows.Scan(&code, &name, &source, &iso, &since, &until); err != nil {
			return nil, fmt.Errorf("sqlstore: find groups: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, &coalition.Group{Code: code, Name: name, Source: source})
		}
		if iso.Valid {
			g := out[len(out)-1]
			g.Members = append(g.Members, coalition.GroupMember{ISO3: iso.String, Since: since, Until: until})
		}
	}
	return out, rows.Err()
}

// UpsertGroup creates or replaces a group and its members.
func (s *Store) UpsertGroup(ctx context.Context, g *coalition.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "upsert group", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.IsAdmin(tx.user), "only admins edit reference data"); err != nil {
			return err
		}
		if err := tx.upsertGroup(ctx, g); err != nil {
			return err
		}
		if err := tx.audit(ctx, "upsert", "group", g.Code, nil, g, nil); err != nil {
			return err
		}
		return nil
	})
}

func (tx *Tx) upsertGroup(ctx context.Context, g *coalition.Group) error {
	if _, err := tx.exec(ctx, `INSERT INTO alliance_groups (code, name, source) VALUES (?,?,?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, source = excluded.source`, g.Code, g.Name, g.Source); err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: upsert group %s: %w", g.Code, err))
	}
	if _, err := tx.exec(ctx, "DELETE FROM group_members WHERE group_code = ?", g.Code); err != nil {
		return fmt.Errorf("sqlstore: upsert group %s: %w", g.Code, err)
	}
	for _, m := range g.Members {
		if _, err := tx.exec(ctx, "INSERT INTO group_members (group_code, iso3, since, until) VALUES (?,?,?,?)",
			g.Code, m.ISO3, m.Since, m.Until); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: group %s member %s: %w", g.Code, m.ISO3, err))
		}
	}
	return nil
}

// groupsOrEmpty is gs, or an empty list for a country in no group, so that
// the API answers "groups": [] and not null.
func groupsOrEmpty(gs []string) []string {
	if gs == nil {
		return []string{}
	}
	return gs
}
