package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"coalition"
	"coalition/sqlstore"
)

// `coalition pledges stage` records a step and `coalition pledges history`
// shows it, with the figures GET /api/v1/pledges/{id}/history gives.
func TestPledgesStageCLI(t *testing.T) {
	db := tempDB(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, iso := range []string{"GBR", "UKR"} {
		if err := s.UpsertCountry(ctx, &coalition.Country{ISO3: iso, Name: iso, Source: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", Category: "air-defence", Amount: coalition.Money{Minor: 100_000_000_000, Currency: "EUR"},
		Announced: coalition.Date{Y: 2025, M: 3, D: 2}, Status: coalition.Announced, Visibility: coalition.Public, Source: "London summit"}
	if err := s.CreatePledge(ctx, p); err != nil {
		t.Fatal(err)
	}
	s.Close()
	id := strconv.FormatInt(p.ID, 10)

	out, _, err := cli(t, nil, "pledges", "stage", id, "--stage", "committed", "--amount", "1000000000", "--date", "2025-03-20",
		"--source", "MoD statement", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "the pledge is committed, version 2") {
		t.Errorf("stage output: %q", out)
	}
	if _, _, err := cli(t, nil, "pledges", "stage", id, "--stage", "committed", "--amount", "-1", "--date", "2025-03-21",
		"--source", "x", "--db", db); coalition.ErrorKind(err) != coalition.Invalid || !strings.Contains(err.Error(), "correction") {
		t.Errorf("a lowering without --correction: %v, want an invalid correction", err)
	}
	out, _, err = cli(t, nil, "pledges", "history", id, "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Figures coalition.StageFigures `json:"figures"`
		Entries []coalition.StageEntry `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		t.Fatal(err, out)
	}
	if h.Figures.Stage != coalition.Committed {
		t.Errorf("history stage = %s, want committed", h.Figures.Stage)
	}
	if h.Figures.CommittedEUR != 100_000_000_000 {
		t.Errorf("history committed = %d cents, want 100000000000", h.Figures.CommittedEUR)
	}
	if h.Figures.AnnouncedSource != "London summit" {
		t.Errorf("history announced source = %q, want London summit", h.Figures.AnnouncedSource)
	}
	if len(h.Entries) != 2 {
		t.Errorf("history has %d entries, want 2: %+v", len(h.Entries), h.Entries)
	}
	out, _, err = cli(t, nil, "pledges", "history", id, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pledge " + id + ": committed", "MoD statement", "London summit"} {
		if !strings.Contains(out, want) {
			t.Errorf("history table lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := cli(t, nil, "pledges", "history", "x", "--db", db); err == nil {
		t.Error("pledges history x: no error")
	}
}
