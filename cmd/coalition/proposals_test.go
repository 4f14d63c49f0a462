package main

import (
	"coalition/internal/check"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// TestIngestQueueAndReview: ingest --queue stores the text's proposals,
// proposals lists them, accept creates the pledge, reject creates nothing,
// and a second decision is refused.
func TestIngestQueueAndReview(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	file := filepath.Join(dir, "berlin.txt")
	// One call (Albanese–Trump) and one new pledge (Germany, €1.9 billion).
	if err := os.WriteFile(file, []byte(ingestText), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "", "ingest", file, "--date", "2025-03-01", "--queue", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var queued []struct {
		Text      coalition.IngestText  `json:"text"`
		Proposals []*coalition.Proposal `json:"proposals"`
	}
	if err := json.Unmarshal([]byte(out), &queued); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(queued) != 1 || queued[0].Text.ID == 0 || queued[0].Text.Source != "file:berlin.txt" {
		t.Fatalf("queued = %+v", queued)
	}
	var pledgeID, otherID int64
	for _, p := range queued[0].Proposals {
		if p.Type == coalition.ProposePledge && p.Owner == "DEU" {
			pledgeID = p.ID
		} else if otherID == 0 {
			otherID = p.ID
		}
	}
	if pledgeID == 0 || otherID == 0 {
		t.Fatalf("want a DEU pledge and another proposal, got %+v", queued[0].Proposals)
	}
	list, _, err := runCLI(t, "", "proposals", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(list, "DEU → UKR") {
		t.Errorf("proposals table lacks the DEU pledge:\n%s", list)
	}
	out, _, err = runCLI(t, "", "proposals", "accept", strconv.FormatInt(pledgeID, 10), "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var acc coalition.Proposal
	if err := json.Unmarshal([]byte(out), &acc); err != nil {
		t.Fatal(err)
	}
	var pl coalition.Pledge
	if err := json.Unmarshal(acc.Record, &pl); err != nil {
		t.Fatal(err)
	}
	// €1.9 billion = 1.9e9 euros = 190e9 cents, announced on the given date
	check.Facts(t,
		check.Eq("status", acc.Status, coalition.ProposalAccepted),
		check.Holds("record", acc.RecordID != 0, acc.RecordID, "the id of the pledge created"),
		check.Eq("amount (cents)", pl.Amount.Minor, 190e9),
		check.Eq("source", pl.Source, "file:berlin.txt"),
		check.Eq("announced", pl.Announced.String(), "2025-03-01"),
	)
	exported, _, err := runCLI(t, "", "proposals", "reject", strconv.FormatInt(otherID, 10), "--db", db)
	if err != nil || !strings.Contains(exported, "rejected") {
		t.Errorf("reject: %q %v", exported, err)
	}
	_, _, err = runCLI(t, "", "proposals", "reject", strconv.FormatInt(pledgeID, 10), "--db", db)
	wantExit(t, err, exitCode(coalition.Errorf(coalition.Conflict, "x")))
	out, _, err = runCLI(t, "", "proposals", "--status", "all", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var all []*coalition.Proposal
	if err := json.Unmarshal([]byte(out), &all); err != nil {
		t.Fatal(err)
	}
	decided := 0
	for _, p := range all {
		if p.Status != coalition.ProposalPending {
			decided++
		}
	}
	if decided != 2 {
		t.Errorf("%d decided proposals, want 2", decided)
	}
	// usage mistakes exit 2
	_, _, err = runCLI(t, "", "proposals", "accept", "x", "--db", db)
	wantExit(t, err, 2)
	_, _, err = runCLI(t, "", "proposals", "--status", "maybe", "--db", db)
	wantExit(t, err, 2)
}
