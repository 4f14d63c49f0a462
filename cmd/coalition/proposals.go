package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"coalition"
)

// runProposals lists the review queue, or accepts or rejects one proposal
// as the local System operator.
func runProposals(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "proposals", "proposals [--status pending|accepted|rejected|all] [--json] [--db ...] | proposals accept|reject ID [--record JSON] [--db ...]",
		"coalition proposals accept 12", "print JSON")
	status := c.fs.String("status", "pending", "list proposals with this status (all: every status)")
	record := c.fs.String("record", "", "accept: the edited record as JSON, instead of the proposed one")
	var decision coalition.Decision
	var id int64
	var f coalition.ProposalFilter
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		var err error
		if decision, id, err = proposalDecision(pos); err != nil {
			return err
		}
		if f, err = proposalFilter(*status); err != nil {
			return err
		}
		if *record != "" && decision != coalition.Accept {
			return usagef("proposals: --record goes with accept")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if decision != "" {
		return decideProposal(ctx, e, c, s, id, decision, json.RawMessage(*record))
	}
	ps, err := s.FindProposals(ctx, f)
	if err != nil {
		return err
	}
	return c.print(e, ps, func() error { return printProposals(e, ps) })
}

// proposalDecision reads "accept|reject ID", or nothing (a listing).
func proposalDecision(pos []string) (coalition.Decision, int64, error) {
	if len(pos) == 0 {
		return "", 0, nil
	}
	if len(pos) != 2 || (pos[0] != "accept" && pos[0] != "reject") {
		return "", 0, usagef("proposals: give no arguments to list, or accept|reject ID (run 'coalition proposals -h')")
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id <= 0 {
		return "", 0, usagef("proposals %s: ID must be a proposal number, not %q", pos[0], pos[1])
	}
	return coalition.Decision(pos[0]), id, nil
}

// proposalFilter is the listing of proposals with status ("all": any).
func proposalFilter(status string) (coalition.ProposalFilter, error) {
	f := coalition.ProposalFilter{Status: coalition.ProposalStatus(status), Limit: coalition.MaxPageSize}
	if status == "all" {
		f.Status = ""
	} else if !f.Status.Valid() {
		return f, coalition.FieldError("status", "%q is not one of pending, accepted, rejected, all", status)
	}
	return f, nil
}

// decideProposal accepts or rejects proposal id at the version it reads.
func decideProposal(ctx context.Context, e *env, c *storeCommand, s coalition.Store, id int64, d coalition.Decision, record json.RawMessage) error {
	p, err := s.FindProposal(ctx, id)
	if err != nil {
		return err
	}
	if p, err = s.DecideProposal(ctx, id, p.Version, d, record); err != nil {
		return err
	}
	return c.print(e, p, func() error {
		fmt.Fprintf(e.stdout, "proposal %d %s", p.ID, p.Status)
		if p.RecordID != 0 {
			fmt.Fprintf(e.stdout, ": %s %d created", p.Type, p.RecordID)
		}
		_, err := fmt.Fprintln(e.stdout)
		return err
	})
}

func printProposals(e *env, ps []*coalition.Proposal) error {
	w := table(e.stdout)
	fmt.Fprintln(w, "ID\tTEXT\tTYPE\tSTATUS\tCONFIDENCE\tWHAT\tFLAGS")
	for _, p := range ps {
		var kinds []string
		for _, fl := range p.Flags {
			kinds = append(kinds, fl.Kind)
		}
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%.2f\t%s\t%s\n", p.ID, p.IngestID, p.Type, p.Status, p.Confidence, summarize(p), dash(strings.Join(kinds, " ")))
	}
	return w.Flush()
}

// summarize describes a proposal's record in one line.
func summarize(p *coalition.Proposal) string {
	switch p.Type {
	case coalition.ProposePledge:
		var pl coalition.Pledge
		if json.Unmarshal(p.Record, &pl) == nil {
			return fmt.Sprintf("%s → %s: %s %s", pl.Donor, dash(pl.Recipient), pl.Amount.String(), pl.Category)
		}
	case coalition.ProposeEngagement:
		var en coalition.Engagement
		if json.Unmarshal(p.Record, &en) == nil {
			return fmt.Sprintf("%s %s %s", en.Kind, dash(en.Date.String()), en.Title)
		}
	case coalition.ProposeMembership:
		var m struct{ Coalition, ISO3, Status string }
		if json.Unmarshal(p.Record, &m) == nil {
			return fmt.Sprintf("%s in %q (%s)", m.ISO3, m.Coalition, m.Status)
		}
	case coalition.ProposeEquipment:
		var e coalition.Equipment
		if json.Unmarshal(p.Record, &e) == nil {
			return fmt.Sprintf("%s: %d × %s (%s)", e.Donor, e.Pledged, e.System, e.Category)
		}
	}
	return string(p.Record)
}
