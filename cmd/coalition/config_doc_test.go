package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// flagDoc is one flag as its subcommand's -h prints it.
type flagDoc struct{ name, def string }

var (
	flagLine    = regexp.MustCompile(`^  -([a-z0-9-]+)`)
	defaultPart = regexp.MustCompile(`\(default "?([^")]*)"?\)$`)
)

// subcommandFlags runs `coalition NAME -h` and reads its flags and defaults.
func subcommandFlags(t *testing.T, name string) []flagDoc {
	t.Helper()
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{name, "-h"}, func(string) string { return "" }, strings.NewReader(""), &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("coalition %s -h: %v", name, err)
	}
	var out []flagDoc
	lines := strings.Split(stderr.String(), "\n")
	for i, l := range lines {
		m := flagLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		f := flagDoc{name: m[1]}
		if i+1 < len(lines) {
			if d := defaultPart.FindStringSubmatch(strings.TrimSpace(lines[i+1])); d != nil {
				f.def = d[1]
			}
		}
		if strings.HasSuffix(strings.TrimSpace(l), "-"+m[1]) {
			f.def = "false" // a bool flag prints no type and no default when false
		}
		out = append(out, f)
	}
	return out
}

// TestReadmeConfigurationTable walks every subcommand's flag set (each must
// answer -h) and fails when README.md's configuration table misses a flag
// of serve, names the wrong environment variable or the wrong default.
func TestReadmeConfigurationTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{} // flag → cells
	section := string(readme)
	if i := strings.Index(section, "## Configuration"); i >= 0 {
		section = section[i:]
	}
	for _, l := range strings.Split(section, "\n") {
		if !strings.HasPrefix(l, "| `--") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), "|")
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		rows[strings.TrimPrefix(cells[0], "--")] = cells
	}
	names := make([]string, 0)
	for n := range commands() {
		names = append(names, n)
	}
	sort.Strings(names)
	total := 0
	for _, n := range names {
		fl := subcommandFlags(t, n)
		total += len(fl)
		if n != "serve" {
			continue
		}
		if len(fl) < 10 {
			t.Fatalf("serve -h lists %d flags; the parser is broken", len(fl))
		}
		for _, f := range fl {
			cells, ok := rows[f.name]
			if !ok {
				t.Errorf("README.md's configuration table lacks serve's --%s (default %q)", f.name, f.def)
				continue
			}
			env := "COALITION_" + strings.ToUpper(strings.ReplaceAll(f.name, "-", "_"))
			if len(cells) < 3 || cells[1] != env {
				t.Errorf("README.md: --%s: environment %q, want %s", f.name, cells[1], env)
			}
			if len(cells) >= 3 && f.def != "" && cells[2] != f.def {
				t.Errorf("README.md: --%s: default %q, the code says %q", f.name, cells[2], f.def)
			}
		}
	}
	t.Logf("%d subcommands, %d flags; serve's all in README.md", len(names), total)
}
