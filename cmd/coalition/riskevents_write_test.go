package main

import (
	"encoding/json"
	"strings"
	"testing"

	"coalition"
)

// TestRiskEventsAddEditDelete: the CLI creates an event with a window,
// edits its window, date and kind (only the flags given change), and
// deletes it; a date outside its window is refused naming the field.
func TestRiskEventsAddEditDelete(t *testing.T) {
	db := analysisStoreDB(t)
	out, _, err := runCLI(t, "", "risk-events", "add", "--country", "deu", "--earliest", "2029-01-28", "--latest", "2029-03-25",
		"--kind", "election", "--probability", "0.3", "--factor", "0.7", "--source", "Basic Law Art. 39", "--label", "Bundestag", "--json", "--db", db)
	if err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	var ev coalition.RiskEvent
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Run("add", func(t *testing.T) {
		if ev.ISO3 != "DEU" || ev.Earliest == nil || ev.Earliest.String() != "2029-01-28" || ev.Date.String() != "2029-03-25" || ev.Version != 1 {
			t.Errorf("added %+v, want DEU with the window 2029-01-28..2029-03-25 dated at its end", ev)
		}
	})
	id := itoa(int(ev.ID))
	t.Run("edit", func(t *testing.T) {
		out, _, err := runCLI(t, "", "risk-events", "edit", id, "--earliest", "2028-09-01", "--latest", "2028-10-31", "--date", "2028-10-31",
			"--kind", "snap-election", "--json", "--db", db)
		if err != nil {
			t.Fatalf("edit: %v\n%s", err, out)
		}
		var got coalition.RiskEvent
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Earliest.String() != "2028-09-01" || got.Kind != "snap-election" || got.Probability != 0.3 || got.Label != "Bundestag" || got.Version != 2 {
			t.Errorf("edited %+v, want the new window and kind, the rest unchanged, version 2", got)
		}
		_, _, err = runCLI(t, "", "risk-events", "edit", id, "--date", "2029-06-01", "--db", db)
		if err == nil || !strings.Contains(err.Error(), "date") {
			t.Errorf("a date outside the window: %v, want an error on date", err)
		}
	})
	t.Run("delete", func(t *testing.T) {
		if _, _, err := runCLI(t, "", "risk-events", "delete", id, "--version", "1", "--db", db); coalition.ErrorKind(err) != coalition.Conflict {
			t.Errorf("delete at a stale version: %v, want a conflict", err)
		}
		if out, _, err := runCLI(t, "", "risk-events", "delete", id, "--db", db); err != nil || !strings.Contains(out, "deleted") {
			t.Fatalf("delete: %v %s", err, out)
		}
		out, _, _ := runCLI(t, "", "risk-events", "--country", "DEU", "--json", "--db", db)
		if strings.Contains(out, `"id": `+id+`,`) || strings.Contains(out, `"id":`+id+`,`) {
			t.Errorf("event %s still listed after delete:\n%s", id, out)
		}
	})
}
