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
	fs := newFlagSet(e, "proposals", "proposals [--status pending|accepted|rejected|all] [--json] [--db ...] | proposals accept|reject ID [--record JSON] [--db ...]",
		"coalition proposals accept 12")
	db := dbFlag(fs)
	status := fs.String("status", "pending", "list proposals with this status (all: every status)")
	asJSON := fs.Bool("json", false, "print JSON")
	record := fs.String("record", "", "accept: the edited record as JSON, instead of the proposed one")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	var decision coalition.Decision
	var id int64
	switch {
	case len(pos) == 0:
	case len(pos) == 2 && (pos[0] == "accept" || pos[0] == "reject"):
		decision = coalition.Decision(pos[0])
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return usagef("proposals %s: ID must be a proposal number, not %q", pos[0], pos[1])
		}
	default:
		return usagef("proposals: give no arguments to list, or accept|reject ID (run 'coalition proposals -h')")
	}
	f := coalition.ProposalFilter{Status: coalition.ProposalStatus(*status), Limit: coalition.MaxPageSize}
	if *status == "all" {
		f.Status = ""
	} else if !f.Status.Valid() {
		return coalition.FieldError("status", "%q is not one of pending, accepted, rejected, all", *status)
	}
	if *record != "" && decision != coalition.Accept {
		return usagef("proposals: --record goes with accept")
	}
	s, err := openStore(ctx, e, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx = coalition.WithUser(ctx, coalition.System)
	if decision != "" {
		p, err := s.FindProposal(ctx, id)
		if err != nil {
			return err
		}
		p, err = s.DecideProposal(ctx, id, p.Version, decision, json.RawMessage(*record))
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, p)
		}
		fmt.Fprintf(e.stdout, "proposal %d %s", p.ID, p.Status)
		if p.RecordID != 0 {
			fmt.Fprintf(e.stdout, ": %s %d created", p.Type, p.RecordID)
		}
		fmt.Fprintln(e.stdout)
		return nil
	}
	ps, err := s.FindProposals(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, ps)
	}
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

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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
	}
	return string(p.Record)
}
