package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"coalition"
)

// CreateIngest stores a text and its proposals, all pending, in one transaction.
func (s *Store) CreateIngest(ctx context.Context, t *coalition.IngestText, ps []*coalition.Proposal) error {
	if err := t.Validate(); err != nil {
		return err
	}
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return coalition.Errorf(coalition.Invalid, "proposal %d: %s", i, coalition.ErrorMessage(err))
		}
	}
	return s.write(ctx, "submit text", func(tx *Tx) error {
		if err := tx.requireWrite(coalition.CanSubmitText(tx.user), "you may not submit texts"); err != nil {
			return err
		}
		t.SubmittedBy, t.CreatedAt = tx.user.Email, tx.now
		id, err := tx.insertID(ctx, `INSERT INTO ingest_texts (title, body, text_date, source, submitted_by, created_at) VALUES (?,?,?,?,?,?)`,
			t.Title, t.Text, t.Date, t.Source, t.SubmittedBy, ts(tx.now))
		if err != nil {
			return tx.s.mapErr(fmt.Errorf("sqlstore: create ingest: %w", err))
		}
		t.ID = id
		for _, p := range ps {
			p.IngestID, p.Status, p.Version, p.CreatedAt = id, coalition.ProposalPending, 1, tx.now
			p.DecidedBy, p.DecidedAt, p.RecordID = "", time.Time{}, 0
			if p.Evidence == nil {
				p.Evidence = [][2]int{}
			}
			if p.Flags == nil {
				p.Flags = []coalition.ProposalFlag{}
			}
			pid, err := tx.insertID(ctx, `INSERT INTO proposals (ingest_id, type, record_json, owner, evidence, confidence, flags, status,
				version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
				id, string(p.Type), string(p.Record), p.Owner, toJSON(p.Evidence), p.Confidence, toJSON(p.Flags), string(p.Status),
				p.Version, ts(tx.now))
			if err != nil {
				return tx.s.mapErr(fmt.Errorf("sqlstore: create proposal: %w", err))
			}
			p.ID = pid
		}
		summary := map[string]any{"title": t.Title, "source": t.Source, "bytes": len(t.Text), "proposals": len(ps)}
		if err := tx.audit(ctx, "create", "ingest", id, nil, summary, nil); err != nil {
			return err
		}
		return nil
	})
}

// FindIngest returns a submitted text.
func (s *Store) FindIngest(ctx context.Context, id int64) (*coalition.IngestText, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.requireRead(); err != nil {
		return nil, err
	}
	var t coalition.IngestText
	var created timestamp
	cond, args := textVisible(tx.user)
	err = tx.queryRow(ctx, "SELECT t.id, t.title, t.body, t.text_date, t.source, t.submitted_by, t.created_at FROM ingest_texts t WHERE t.id = ? AND "+cond,
		append([]any{id}, args...)...).
		Scan(&t.ID, &t.Title, &t.Text, &t.Date, &t.Source, &t.SubmittedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "text %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find ingest: %w", err)
	}
	t.CreatedAt = created.Time
	return &t, nil
}

// proposalVisible returns a SQL condition over proposals p joined with
// their text t that says whether user u may see a proposal:
//   - an accepted pledge or engagement follows the record it became: only
//     those who may see that record now (coalition.CanSee, as visible says)
//     see the proposal, whoever submitted it;
//   - a pending or rejected proposal, or a decided membership, is seen by
//     the text's submitter and by those who may decide it
//     (coalition.CanDecide: coordinators, and a delegate for its own
//     country's pledges);
//   - administrators see every proposal.
func proposalVisible(u *coalition.User) (string, []any) {
	if u != nil && !u.Disabled && u.Role == coalition.Admin {
		return "1=1", nil
	}
	if u == nil || u.Disabled {
		return "1=0", nil
	}
	pledgeCond, pledgeArgs := visible(u, "r.", "r.donor")
	engCond, engArgs := visible(u, "r.", "r.owner")
	decider, decArgs := "1=0", []any(nil)
	switch u.Role {
	case coalition.Coordinator:
		decider = "1=1"
	case coalition.Delegate:
		if u.Country != "" {
			decider, decArgs = "(p.type = 'pledge' AND p.owner = ?)", []any{u.Country}
		}
	}
	cond := "((p.status = 'accepted' AND p.type = 'pledge' AND EXISTS (SELECT 1 FROM pledges r WHERE r.id = p.record_id AND " + pledgeCond + "))" +
		" OR (p.status = 'accepted' AND p.type = 'engagement' AND EXISTS (SELECT 1 FROM engagements r WHERE r.id = p.record_id AND " + engCond + "))" +
		" OR ((p.status <> 'accepted' OR p.type NOT IN ('pledge', 'engagement')) AND (t.submitted_by = ? OR " + decider + ")))"
	args := append(append(append(pledgeArgs, engArgs...), u.Email), decArgs...)
	return cond, args
}

// textVisible returns a SQL condition over ingest_texts t: its submitter
// and administrators see a text; anyone else sees it when they may see at
// least one of its proposals and every proposal of it that became a record
// (a text accepted as a confidential pledge is that pledge's source, and is
// hidden with it).
func textVisible(u *coalition.User) (string, []any) {
	if u != nil && !u.Disabled && u.Role == coalition.Admin {
		return "1=1", nil
	}
	if u == nil || u.Disabled {
		return "1=0", nil
	}
	pc, pa := proposalVisible(u)
	cond := "(t.submitted_by = ? OR (EXISTS (SELECT 1 FROM proposals p WHERE p.ingest_id = t.id AND " + pc + ")" +
		" AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.ingest_id = t.id AND p.status = 'accepted'" +
		" AND p.type IN ('pledge', 'engagement') AND NOT " + pc + ")))"
	args := append(append([]any{u.Email}, pa...), pa...)
	return cond, args
}

// requireRead: the review queue is for signed-in roles other than observers.
func (tx *Tx) requireRead() error {
	if tx.user == nil {
		return coalition.Errorf(coalition.Unauthorized, "sign in to see the review queue")
	}
	if !coalition.CanReadQueue(tx.user) {
		return coalition.Errorf(coalition.Forbidden, "you may not see the review queue")
	}
	return nil
}

const proposalCols = `p.id, p.ingest_id, p.type, p.record_json, p.owner, p.evidence, p.confidence, p.flags, p.status, p.decided_by,
	p.decided_at, p.record_id, p.version, p.created_at`

func scanProposal(sc interface{ Scan(...any) error }) (*coalition.Proposal, error) {
	var p coalition.Proposal
	var record, evidence, flags string
	var decided, created timestamp
	if err := sc.Scan(&p.ID, &p.IngestID, &p.Type, &record, &p.Owner, &evidence, &p.Confidence, &flags, &p.Status,
		&p.DecidedBy, &decided, &p.RecordID, &p.Version, &created); err != nil {
		return nil, err
	}
	p.Record = json.RawMessage(record)
	if err := json.Unmarshal([]byte(evidence), &p.Evidence); err != nil {
		return nil, fmt.Errorf("proposal %d evidence: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(flags), &p.Flags); err != nil {
		return nil, fmt.Errorf("proposal %d flags: %w", p.ID, err)
	}
	p.DecidedAt, p.CreatedAt = decided.Time, created.Time
	return &p, nil
}

// FindProposals returns matching proposals, oldest first.
func (s *Store) FindProposals(ctx context.Context, f coalition.ProposalFilter) ([]*coalition.Proposal, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.requireRead(); err != nil {
		return nil, err
	}
	cond, args := proposalVisible(tx.user)
	where := []string{cond}
	if f.Status != "" {
		where, args = append(where, "p.status = ?"), append(args, string(f.Status))
	}
	if f.Type != "" {
		where, args = append(where, "p.type = ?"), append(args, string(f.Type))
	}
	if f.IngestID != 0 {
		where, args = append(where, "p.ingest_id = ?"), append(args, f.IngestID)
	}
	if f.After > 0 {
		where, args = append(where, "p.id > ?"), append(args, f.After)
	}
	rows, err := tx.query(ctx, "SELECT "+proposalCols+" FROM proposals p JOIN ingest_texts t ON t.id = p.ingest_id WHERE "+
		strings.Join(where, " AND ")+fmt.Sprintf(" ORDER BY p.id LIMIT %d", pageSize(f.Limit)), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find proposals: %w", err)
	}
	defer rows.Close()
	out := []*coalition.Proposal{}
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: find proposals: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindProposal returns one proposal.
func (s *Store) FindProposal(ctx context.Context, id int64) (*coalition.Proposal, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.requireRead(); err != nil {
		return nil, err
	}
	return tx.findProposal(ctx, id)
}

// findProposal returns the proposal if the user of tx may see it
// (proposalVisible), else NotFound.
func (tx *Tx) findProposal(ctx context.Context, id int64) (*coalition.Proposal, error) {
	cond, args := proposalVisible(tx.user)
	p, err := scanProposal(tx.queryRow(ctx, "SELECT "+proposalCols+" FROM proposals p JOIN ingest_texts t ON t.id = p.ingest_id WHERE p.id = ? AND "+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, coalition.Errorf(coalition.NotFound, "proposal %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find proposal: %w", err)
	}
	return p, nil
}

// DecideProposal accepts or rejects a pending proposal; accepting creates
// its pledge or engagement in the same transaction.
func (s *Store) DecideProposal(ctx context.Context, id, version int64, d coalition.Decision, edited json.RawMessage) (*coalition.Proposal, error) {
	if d != coalition.Accept && d != coalition.Reject {
		return nil, coalition.FieldError("decision", "%q is not accept or reject", d)
	}
	if len(bytes.TrimSpace(edited)) > 0 && !json.Valid(edited) {
		return nil, coalition.FieldError("record", "is not valid JSON")
	}
	return writeValue(s, ctx, "decide proposal", func(tx *Tx) (*coalition.Proposal, error) {
		p, err := tx.decidable(ctx, id, version)
		if err != nil {
			return nil, err
		}
		before := *p
		if len(bytes.TrimSpace(edited)) > 0 {
			p.Record = append(json.RawMessage(nil), edited...)
		}
		p.Status, p.DecidedBy, p.DecidedAt = coalition.ProposalRejected, tx.user.Email, tx.now
		var created any
		if d == coalition.Accept {
			p.Status = coalition.ProposalAccepted
			if created, err = tx.acceptRecord(ctx, p); err != nil {
				return nil, err
			}
		}
		if err := tx.recordDecision(ctx, p, version); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, string(d), "proposal", id, &before, p, nil); err != nil {
			return nil, err
		}
		if created != nil {
			if err := tx.audit(ctx, "create", string(p.Type), p.RecordID, nil, created, nil); err != nil {
				return nil, err
			}
		}
		return p, nil
	})
}

// decidable returns proposal id if the user may decide it now: it is
// pending, at version, and of a kind and owner the user decides.
func (tx *Tx) decidable(ctx context.Context, id, version int64) (*coalition.Proposal, error) {
	if err := tx.requireWrite(coalition.CanSubmitText(tx.user), "you may not review proposals"); err != nil {
		return nil, err
	}
	p, err := tx.findProposal(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.requireWrite(coalition.CanDecide(tx.user, p), "you may not decide proposal %d (%s of %s)", id, p.Type, p.Owner); err != nil {
		return nil, err
	}
	if p.Status != coalition.ProposalPending {
		return nil, coalition.Errorf(coalition.Conflict, "proposal %d was already %s by %s", id, p.Status, p.DecidedBy)
	}
	if err := checkVersion("proposal", id, p.Version, version, p); err != nil {
		return nil, err
	}
	return p, nil
}

// recordDecision writes the decided proposal p over the one at version,
// which no other writer may have changed meanwhile.
func (tx *Tx) recordDecision(ctx context.Context, p *coalition.Proposal, version int64) error {
	res, err := tx.exec(ctx, `UPDATE proposals SET record_json = ?, owner = ?, status = ?, decided_by = ?, decided_at = ?, record_id = ?,
		version = version + 1 WHERE id = ? AND version = ?`,
		string(p.Record), p.Owner, string(p.Status), p.DecidedBy, ts(tx.now), p.RecordID, p.ID, version)
	if err != nil {
		return tx.s.mapErr(fmt.Errorf("sqlstore: decide proposal: %w", err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return coalition.Errorf(coalition.Conflict, "proposal %d changed meanwhile: reload and try again", p.ID)
	}
	p.Version++
	return nil
}

// acceptance is what an accepted proposal gives its record: the text as
// its source and date, the proposal as its provenance and key.
type acceptance struct {
	source   string
	date     coalition.Date
	prov     string
	ref      string
	coalUser *int64 // a coordinator's first coalition, where it records
}

// acceptRecord creates the proposal's pledge, engagement or equipment, with the text
// as its source and the proposal as its provenance.
func (tx *Tx) acceptRecord(ctx context.Context, p *coalition.Proposal) (any, error) {
	var text coalition.IngestText
	var textDate coalition.Date
	if err := tx.queryRow(ctx, "SELECT title, source, text_date FROM ingest_texts WHERE id = ?", p.IngestID).
		Scan(&text.Title, &text.Source, &textDate); err != nil {
		return nil, fmt.Errorf("sqlstore: accept proposal %d: its text: %w", p.ID, err)
	}
	a := acceptance{source: text.Label(), date: textDate,
		prov: toJSON(map[string]any{"proposal": p.ID, "ingest": p.IngestID, "user": tx.user.Email, "accepted_at": ts(tx.now)}),
		ref:  fmt.Sprintf("proposal:%d", p.ID)}
	if tx.user.Role == coalition.Coordinator && len(tx.user.Coalitions) > 0 {
		c := tx.user.Coalitions[0]
		a.coalUser = &c
	}
	switch p.Type {
	case coalition.ProposePledge:
		return tx.acceptPledge(ctx, p, a)
	case coalition.ProposeEngagement:
		return tx.acceptEngagement(ctx, p, a)
	case coalition.ProposeEquipment:
		return tx.acceptEquipment(ctx, p, a)
	}
	return nil, nil // membership: the decision is recorded; the coalition's members are edited apart
}

// decodeRecord decodes the proposal's record, refusing fields its type has not.
func decodeRecord(p *coalition.Proposal, v any) error {
	dec := json.NewDecoder(bytes.NewReader(p.Record))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return coalition.FieldError("record", "is not a %s: %v", p.Type, err)
	}
	return nil
}

// acceptPledge creates the proposed pledge, converted to euros, if the
// user may decide a pledge of its donor.
func (tx *Tx) acceptPledge(ctx context.Context, p *coalition.Proposal, a acceptance) (*coalition.Pledge, error) {
	var pl coalition.Pledge
	if err := decodeRecord(p, &pl); err != nil {
		return nil, err
	}
	pl.ID, pl.Version, pl.Provenance, pl.SourceRef = 0, 0, a.prov, a.ref
	if pl.Source == "" {
		pl.Source = a.source
	}
	if pl.Announced.IsZero() {
		pl.Announced = a.date
	}
	pl.SetDefaults()
	if pl.CoalitionID == nil {
		pl.CoalitionID = a.coalUser
	}
	if err := tx.toEUR(ctx, &pl); err != nil {
		return nil, err
	}
	pl.Dataset, pl.Release = "", "" // a reviewed proposal is entered by a person, never a dataset's record
	if err := pl.Validate(); err != nil {
		return nil, err
	}
	p.Owner = pl.Donor
	if !coalition.CanDecide(tx.user, p) {
		return nil, coalition.Errorf(coalition.Forbidden, "you may not accept pledges of %s", pl.Donor)
	}
	if err := tx.createPledge(ctx, &pl); err != nil {
		return nil, err
	}
	p.Record, p.RecordID = json.RawMessage(toJSON(&pl)), pl.ID
	return &pl, nil
}

// acceptEngagement creates the proposed engagement, public unless it says otherwise.
func (tx *Tx) acceptEngagement(ctx context.Context, p *coalition.Proposal, a acceptance) (*coalition.Engagement, error) {
	var e coalition.Engagement
	if err := decodeRecord(p, &e); err != nil {
		return nil, err
	}
	e.ID, e.Version, e.Provenance, e.SourceRef = 0, 0, a.prov, a.ref
	if e.Source == "" {
		e.Source = a.source
	}
	if e.Date.IsZero() {
		e.Date = a.date
	}
	if e.Visibility == "" {
		e.Visibility = coalition.Public
	}
	if e.CoalitionID == nil {
		e.CoalitionID = a.coalUser
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if err := tx.createEngagement(ctx, &e); err != nil {
		return nil, err
	}
	p.Owner = e.Participants[0].ISO3
	p.Record, p.RecordID = json.RawMessage(toJSON(&e)), e.ID
	return &e, nil
}

// toEUR converts the pledge at the ECB monthly rate of its announcement
// month (or the nearest earlier one): coalition.ConvertPledge, as the API
// and the imports do.
func (tx *Tx) toEUR(ctx context.Context, p *coalition.Pledge) error {
	err := coalition.ConvertPledge(p, p.Announced, func(cur string, m coalition.Month) (*coalition.FXRate, error) {
		return tx.findRate(ctx, cur, m)
	})
	if coalition.ErrorKind(err) == coalition.NotFound {
		return coalition.FieldError("amount.currency", "no ECB reference rate for %s on or before %s", p.Amount.Currency, p.Announced.Month())
	}
	return err
}
