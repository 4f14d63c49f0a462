package main

import (
	"strings"
	"testing"
)

// TestMistakes: each usage mistake of issue 21 gets one line that names the
// flag the user typed, with a pointer to -h or the nearest valid value;
// an empty result says why.
func TestMistakes(t *testing.T) {
	db := seededDB(t)
	for _, tt := range []struct {
		name string
		args []string
		exit int    // 0: no error
		want string // the whole error line, or (exit 0) a line of stdout
	}{
		{"mistyped flag", []string{"donors", "--typo", "x"}, 2,
			"donors: flag provided but not defined: -typo (run 'coalition donors -h')"},
		{"extra argument", []string{"donors", "extra-arg"}, 2,
			`donors: unexpected argument "extra-arg": donors takes only flags (run 'coalition donors -h')`},
		{"extra argument, no check", []string{"targets", "extra"}, 2,
			`targets: unexpected argument "extra": targets takes only flags (run 'coalition targets -h')`},
		{"extra argument, flags only", []string{"seed", "extra"}, 2,
			`seed: unexpected argument "extra": seed takes only flags (run 'coalition seed -h')`},
		{"extra argument, brief", []string{"brief", "--coalition", "COW2025", "extra"}, 2,
			`brief: unexpected argument "extra" (run 'coalition brief -h')`},
		{"extra argument, risk", []string{"risk", "extra"}, 2,
			`risk: unexpected argument "extra" (run 'coalition risk -h')`},
		{"extra argument, risk-events", []string{"risk-events", "extra"}, 2,
			`risk-events: unexpected argument "extra" (run 'coalition risk-events -h')`},
		{"unknown action", []string{"audit", "lst"}, 2,
			`audit: unknown action "lst" (want verify or list) (run 'coalition audit -h')`},
		{"missing flag", []string{"deliveries"}, 2,
			`deliveries: --pledge ID is required to list or add (the pledge's number, as in 'coalition pledges') (run 'coalition deliveries -h')`},
		{"flags that exclude each other", []string{"scenario", "--builtin", "replace-us", "--withdraw", "USA"}, 2,
			`scenario: give exactly one of --builtin, --withdraw or --file (run 'coalition scenario -h')`},
		{"mistyped type", []string{"donors", "--type", "militray"}, 2,
			`--type: "militray" is not one of military, financial, humanitarian, reconstruction; did you mean "military"?`},
		{"mistyped status", []string{"donors", "--status", "alocated"}, 2,
			`--status: "alocated" is not one of announced, committed, allocated, delivered, cancelled; did you mean "allocated"?`},
		{"unknown country", []string{"scenario", "--withdraw", "XXX", "--from", "2025-02"}, 2,
			`--withdraw: "XXX" is not a known country; 'coalition countries' lists the codes`},
		{"mistyped country", []string{"scenario", "--withdraw", "USB", "--from", "2025-02"}, 2,
			`--withdraw: "USB" is not a known country; did you mean "USA"?`},
		{"type in capitals", []string{"donors", "--type", "Military"}, 0, "United States"},
		{"status in capitals", []string{"donors", "--status", "Delivered,ALLOCATED"}, 0, "United States"},
		{"after the data", []string{"donors", "--since", "2030-01"}, 0,
			"No donors: the data end in 2026-04 (kiel release 29), before --since 2030-01."},
		{"filtered out", []string{"donors", "--type", "reconstruction", "--group", "AUKUS", "--until", "2022-02"}, 0,
			"No donors: no support matches the filters (--type, --since, --until, --group, --status); try fewer."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCLI(t, "", append(tt.args, "--db", db)...)
			if tt.exit == 0 {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				if !strings.Contains(out, tt.want) {
					t.Errorf("stdout lacks %q:\n%s", tt.want, out)
				}
				return
			}
			wantExit(t, err, tt.exit)
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %q\nwant %q", got, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q has more than one line", err)
			}
		})
	}
}

// TestMistakeQuiet: a mistyped flag prints nothing but the error (the
// usage is for -h), and -h still prints the usage.
func TestMistakeQuiet(t *testing.T) {
	_, stderr, err := runCLI(t, "", "donors", "--typo")
	wantExit(t, err, 2)
	if stderr != "" {
		t.Errorf("stderr %q, want nothing besides the error", stderr)
	}
	_, stderr, _ = runCLI(t, "", "donors", "-h")
	if !strings.Contains(stderr, "usage: coalition donors") {
		t.Errorf("-h prints %q, want the usage", stderr)
	}
}

// TestDonorsTypeColumns: with --type, the table has no columns the filter
// leaves at €0; the type's own column is the total.
func TestDonorsTypeColumns(t *testing.T) {
	db := seededDB(t)
	for _, tt := range []struct {
		args       []string
		want, lack []string
	}{
		{[]string{"donors"}, []string{"MILITARY", "FINANCIAL", "HUMANITARIAN", "TOTAL"}, nil},
		{[]string{"donors", "--type", "military"}, []string{"MILITARY"}, []string{"FINANCIAL", "HUMANITARIAN", "TOTAL"}},
		{[]string{"donors", "--type", "Humanitarian"}, []string{"HUMANITARIAN"}, []string{"MILITARY", "FINANCIAL", "TOTAL"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, _, err := runCLI(t, "", append(tt.args, "--db", db)...)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(out, "\n")
			for _, w := range tt.want {
				if !strings.Contains(head, w) {
					t.Errorf("header %q lacks %s", head, w)
				}
			}
			for _, l := range tt.lack {
				if strings.Contains(head, l) {
					t.Errorf("header %q has %s", head, l)
				}
			}
		})
	}
}
