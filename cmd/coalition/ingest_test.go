package main

import (
	"bytes"
	"coalition/internal/check"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

const ingestText = `In a bold diplomatic move, Australian Prime Minister Anthony Albanese has initiated talks with former US President Donald Trump about a 'coalition of the willing' to support Ukraine.
Germany will provide an additional air defence package worth €1.9 billion to Ukraine, Defence Minister Boris Pistorius said.`

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(file, []byte(ingestText), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := func(string) string { return "" }
	runCmd := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}

	t.Run("json", func(t *testing.T) {
		out, err := runCmd("ingest", file, "--date", "2025-03-01", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Date    string `json:"date"`
			People  []struct{ Name, Role, Country string }
			Amounts []struct {
				Value    float64
				Currency string
				Kind     string
				Span     [2]int
			}
			Proposals []struct {
				Type   string
				Donor  string
				Amount *struct{ Value float64 }
			}
			Flags []struct{ Kind, Message string }
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		if got.Date != "2025-03-01" {
			t.Errorf("date: got %q, want 2025-03-01", got.Date)
		}
		// one amount: €1.9 billion = 1.9 × 10^9 EUR, a pledge by Germany
		if !check.Facts(t, check.Eq("amounts", len(got.Amounts), 1)) {
			t.FailNow()
		}
		check.Facts(t,
			check.Eq("amount", got.Amounts[0].Value, 1.9e9),
			check.Eq("currency", got.Amounts[0].Currency, "EUR"),
			check.Eq("kind", got.Amounts[0].Kind, "pledge"),
		)
		if sp := got.Amounts[0].Span; string([]rune(ingestText)[sp[0]:sp[1]]) != "€1.9 billion" {
			t.Errorf("amount span %v is %q, want €1.9 billion", sp, string([]rune(ingestText)[sp[0]:sp[1]]))
		}
		pledges := 0
		for _, p := range got.Proposals {
			if p.Type == "pledge" {
				pledges++
				if p.Donor != "DEU" || p.Amount == nil || p.Amount.Value != 1.9e9 {
					t.Errorf("pledge: got %+v", p)
				}
			}
		}
		if pledges != 1 {
			t.Errorf("pledges: got %d, want 1", pledges)
		}
		role := false
		for _, f := range got.Flags {
			role = role || f.Kind == "role_mismatch" && strings.Contains(f.Message, "Donald Trump")
		}
		if !role {
			t.Errorf("no role_mismatch flag for Trump in 2025: %+v", got.Flags)
		}
	})

	t.Run("table", func(t *testing.T) {
		out, err := runCmd("ingest", "--date", "2024-06-15", file)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"PERSON", "Donald Trump", "former President", "1900000000 EUR", "pledge", "DEU"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			code int
		}{
			{[]string{"ingest"}, 2},
			{[]string{"ingest", file, "--date", "2025-13-45"}, 2},
			{[]string{"ingest", filepath.Join(dir, "missing.txt")}, 2},
		} {
			_, err := runCmd(tc.args...)
			if err == nil || exitCode(err) != tc.code {
				t.Errorf("%q: got error %v (exit %d), want exit %d", tc.args, err, exitCode(err), tc.code)
			}
		}
		_, err := runCmd("ingest", file, "--date", "2025-13-45")
		if coalition.ErrorKind(err) != coalition.Invalid {
			t.Errorf("bad date: got kind %v, want invalid", coalition.ErrorKind(err))
		}
	})
}
