package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"coalition"
)

const channelCols = `id, code, name, donor, attribution_key, source, as_of, note, version, created_at`

func scanChannel(sc interface{ Scan(...any) error }) (*coalition.Channel, error) {
	var c coalition.Channel
	var created timestamp
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Donor, &c.Key, &c.Source, &c.AsOf, &c.Note, &c.Version, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = created.Time
	c.Contributors = []coalition.ChannelContributor{}
	return &c, nil
}

// FindChannels returns every channel with its contributors, by code.
// Channels are public reference data: every reader sees them all.
func (s *Store) FindChannels(ctx context.Context) ([]*coalition.Channel, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, "SELECT "+channelCols+" FROM channels ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find channels: %w", err)
	}
	var out []*coalition.Channel
	byID := map[int64]*coalition.Channel{}
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlstore: find channels: %w", err)
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: find channels: %w", err)
	}
	if err := tx.addContributors(ctx, byID, "1 = 1"); err != nil {
		return nil, err
	}
	return out, nil
}

// FindChannelByCode returns NotFound if code is unknown.
func (s *Store) FindChannelByCode(ctx context.Context, code string) (*coalition.Channel, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.findChannel(ctx, "code = ?", code)
}

func (tx *Tx) findChannel(ctx context.Context, cond string, arg any) (*coalition.Channel, error) {
	c, err := scanChannel(tx.queryRow(ctx, "SELECT "+channelCols+" FROM channels WHERE "+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "channel %v not found", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find channel: %w", err)
	}
	if err := tx.addContributors(ctx, map[int64]*coalition.Channel{c.ID: c}, "channel_id = ?", c.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// addContributors reads the contributors of the channels in byID that
// cond selects, in the order they were written.
func (tx *Tx) addContributors(ctx context.Context, byID map[int64]*coalition.Channel, cond string, args ...any) error {
	rows, err := tx.query(ctx, `SELECT channel_id, iso3, share, amount_eur_minor, source, as_of FROM channel_contributors
		WHERE `+cond+` ORDER BY channel_id, position`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: channel contributors: %w", err)
	}
	for rows.Next() {
		var id int64
		var k coalition.ChannelContributor
		if err := rows.Scan(&id, &k.ISO3, &k.Share, &k.AmountEUR, &k.Source, &k.AsOf); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: channel contributors: %w", err)
		}
		if c := byID[id]; c != nil {
			c.Contributors = append(c.Contributors, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: channel contributors: %w", err)
	}
	return nil
}

// CreateChannel inserts c and its contributors, audited; nothing is
// written when c does not validate.
func (s *Store) CreateChannel(ctx context.Context, c *coalition.Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.write(ctx, "create channel", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanEditChannels(tx.user), "only admins and coordinators change channels"); err != nil {
			return err
		}
		c.Version, c.CreatedAt = 1, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO channels (code, name, donor, attribution_key, source, as_of, note, version, created_at)
			VALUES (?,?,?,?,?,?,?,?,?)`, c.Code, c.Name, c.Donor, c.Key, c.Source, c.AsOf, c.Note, c.Version, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create channel: %w", err))
		}
		c.ID = id
		for i, k := range c.Contributors {
			if _, err := tx.exec(ctx, `INSERT INTO channel_contributors (channel_id, position, iso3, share, amount_eur_minor, source, as_of)
				VALUES (?,?,?,?,?,?,?)`, id, i, k.ISO3, k.Share, k.AmountEUR, k.Source, k.AsOf); err != nil {
				return tx.s.mapErr(fmt.Errorf("sqlstore: create channel %s: contributor %s: %w", c.Code, k.ISO3, err))
			}
		}
		if c.Contributors == nil {
			c.Contributors = []coalition.ChannelContributor{}
		}
		return tx.audit(ctx, "create", "channel", id, nil, c, nil)
	})
}

// DeleteChannel deletes a channel (and its contributors) at the given
// version.
func (s *Store) DeleteChannel(ctx context.Context, id, version int64) error {
	return s.write(ctx, "delete channel", func(tx *Tx) error {
		c, err := tx.findChannel(ctx, "id = ?", id)
		if err != nil {
			return err
		}
		if err := tx.requireWrite(coalition.CanEditChannels(tx.user), "only admins and coordinators change channels"); err != nil {
			return err
		}
		if err := checkVersion("channel", id, c.Version, version, c); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM channel_contributors WHERE channel_id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete channel: %w", err))
		}
		if _, err := tx.exec(ctx, "DELETE FROM channels WHERE id = ?", id); err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: delete channel: %w", err))
		}
		return tx.audit(ctx, "delete", "channel", id, c, nil, nil)
	})
}
