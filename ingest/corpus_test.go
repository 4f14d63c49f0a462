package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"coalition"
)

// expected is an analyst's expected file (ingest.Expected).
type expected = Expected

// gates are the bars a set of texts must pass (issue 20): pledge precision
// and recall, people recall.
type gates struct{ pledgeP, pledgeR, peopleR float64 }

// issueGates are issue 20's gates for the corpus and the held-out set.
var issueGates = gates{pledgeP: 0.8, pledgeR: 0.9, peopleR: 0.95}

// score is the one way the corpus and the trainer count (ingest.Score).
type score = Score

func money(v float64, cur string) string {
	// 3 significant digits are enough to tell amounts apart and absorb float noise
	return fmt.Sprintf("%s %.3g", cur, v)
}

// TestCorpus reads every text of testdata/corpus and compares it with the
// analyst's expected file. People count with name, country and role (each
// must match); countries as codes; amounts as value, currency and kind;
// pledges as donor, value and currency.
// On every text, a text with no pledge must get none, and a text with a
// planned engagement must get every engagement's status right.
func TestCorpus(t *testing.T) { scoreCorpus(t, "testdata/corpus", 42, issueGates) }

// TestGateFiguresInDocs: docs/ingestion.md shows the figures the corpus
// and the held-out set get now (the gates themselves are in TestCorpus and
// TestHeldOut).
func TestGateFiguresInDocs(t *testing.T) {
	var b strings.Builder
	b.WriteString("| set | texts | pledges P | pledges R | pledges tp/fp/fn | people P | people R | amounts P | amounts R | equipment P | equipment R |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, set := range []struct{ name, pattern string }{{"corpus (development)", "testdata/corpus"}, {"held-out", "testdata/heldout/h*.txt"}} {
		f := scoreCorpus(t, set.pattern, 17, gates{})
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %d/%d/%d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", set.name, f.texts,
			f.pledges.Precision(), f.pledges.Recall(), f.pledges.TP, f.pledges.FP, f.pledges.FN, f.people.Precision(), f.people.Recall(),
			f.amounts.Precision(), f.amounts.Recall(), f.equipment.Precision(), f.equipment.Recall())
	}
	doc, err := os.ReadFile("../docs/ingestion.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), b.String()) {
		t.Errorf("docs/ingestion.md does not show the current figures; they are:\n%s", b.String())
	}
}

// TestHeldOut scores texts the rules were not adjusted to, so their figures
// are the honest ones, against issue 20's gates (pledge precision 0.8 and
// recall 0.9, people recall 0.95). h6–h10 were written and committed before
// the clause-scoped triggers and per-donor pledges were coded, h11–h17
// before the rules of issue 20; each group is also scored apart, as a
// regression alarm only (a handful of pledges: one error moves a figure by
// more than 0.1).
func TestHeldOut(t *testing.T) {
	t.Run("all", func(t *testing.T) { scoreCorpus(t, "testdata/heldout/h*.txt", 17, issueGates) })
	loose := gates{pledgeP: 0.5, pledgeR: 0.5, peopleR: 0.5}
	t.Run("h6-h10", func(t *testing.T) {
		scoreCorpus(t, "testdata/heldout/h[6-9]-*.txt testdata/heldout/h10-*.txt", 5, loose)
	})
	t.Run("h11-h17", func(t *testing.T) { scoreCorpus(t, "testdata/heldout/h1[1-7]-*.txt", 7, loose) })
}

// TestCorpusSize: issue 20's corpus has at least 60 texts, each with its
// expected file; a third of the issue's new texts are held out; both sets
// have texts with a planned engagement (so the planned-vs-held gate is
// not vacuous) and texts without a pledge (so the "none invented" gate is
// not); and no held-out text is excused from that gate.
func TestCorpusSize(t *testing.T) {
	dev, _ := filepath.Glob("testdata/corpus/*.txt")
	held, _ := filepath.Glob("testdata/heldout/*.txt")
	if n := len(dev) + len(held); n < 60 {
		t.Errorf("%d texts (%d corpus, %d held-out), want at least 60", n, len(dev), len(held))
	}
	newHeld, _ := filepath.Glob("testdata/heldout/h1[1-7]-*.txt")
	if len(newHeld) < 7 {
		t.Errorf("%d of issue 20's texts held out, want 7 (a third of 22)", len(newHeld))
	}
	for set, files := range map[string][]string{"corpus": dev, "held-out": held} {
		planned, noPledge := 0, 0
		for _, f := range files {
			b, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".json")
			if err != nil {
				t.Fatalf("%s: no expected file: %v", f, err)
			}
			var want expected
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if slices.ContainsFunc(want.Engagements, func(e struct{ Kind, Status, Date string }) bool { return e.Status == "planned" }) {
				planned++
			}
			if len(want.Pledges) == 0 {
				noPledge++
			}
		}
		if planned == 0 || noPledge == 0 {
			t.Errorf("%s: %d texts with a planned engagement, %d without a pledge; want some of each", set, planned, noPledge)
		}
		t.Logf("%s: %d texts, %d with a planned engagement, %d without a pledge", set, len(files), planned, noPledge)
	}
	if len(knownInvented) > 0 {
		t.Errorf("held-out texts excused from 'no pledge invented': %v", knownInvented)
	}
}

// figures are one set's scores by kind of fact, and its number of texts.
type figures struct {
	texts                                          int
	people, countries, amounts, pledges, equipment score
}

func scoreCorpus(t *testing.T, pattern string, least int, g gates) figures {
	kb := mustKB(t)
	// pattern: a directory, or globs separated by spaces
	var files []string
	var err error
	for _, p := range strings.Fields(pattern) {
		if !strings.HasSuffix(p, ".txt") {
			p = filepath.Join(p, "*.txt")
		}
		more, gerr := filepath.Glob(p)
		files, err = append(files, more...), errors.Join(err, gerr)
	}
	if err != nil || len(files) < least {
		t.Fatalf("want at least %d texts in %s, found %d (%v)", least, pattern, len(files), err)
	}
	var people, countries, amounts, pledges, equipment score
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var want expected
		b, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var opt Options
		if want.GivenDate != "" {
			if opt.Date, err = coalition.ParseDate(want.GivenDate); err != nil {
				t.Fatal(err)
			}
		}
		x := Extract(string(text), kb, opt)
		var gp, wp, gc, wc, ga, wa, gpl, wpl, geq, weq []string
		for _, p := range x.People {
			gp = append(gp, p.Name+"|"+p.Country+"|"+p.Role)
		}
		for _, p := range want.People {
			wp = append(wp, p.Name+"|"+p.Country+"|"+p.Role)
		}
		for _, c := range x.Countries {
			gc = append(gc, c.Code)
		}
		wc = want.Countries
		for _, a := range x.Amounts {
			ga = append(ga, money(a.Value, a.Currency)+" "+a.Kind)
		}
		for _, a := range want.Amounts {
			wa = append(wa, money(a.Value, a.Currency)+" "+a.Kind)
		}
		for _, p := range x.Proposals {
			switch p.Type {
			case ProposePledge:
				gpl = append(gpl, p.Donor+" "+money(p.Amount.Value, p.Amount.Currency))
			case ProposeEquipment:
				geq = append(geq, fmt.Sprintf("%s %d %s", p.Donor, p.Quantity, p.System))
			}
		}
		for _, p := range want.Pledges {
			wpl = append(wpl, p.Donor+" "+money(p.Value, p.Currency))
		}
		for _, e := range want.Equipment {
			weq = append(weq, fmt.Sprintf("%s %d %s", e.Donor, e.Quantity, e.System))
		}
		// each text's misses are logged apart, one line per kind of fact
		for _, k := range []struct {
			name      string
			total     *score
			got, want []string
		}{{"people", &people, gp, wp}, {"countries", &countries, gc, wc}, {"amounts", &amounts, ga, wa}, {"pledges", &pledges, gpl, wpl}, {"equipment", &equipment, geq, weq}} {
			var one score
			one.Add(k.got, k.want)
			k.total.Merge(one)
			if one.FP+one.FN > 0 {
				t.Logf("%s: %s got %q, want %q", filepath.Base(f), k.name, k.got, k.want)
			}
		}
		var kinds []string
		for _, fl := range x.Flags {
			kinds = append(kinds, fl.Kind)
		}
		for _, k := range want.Flags {
			if !strings.Contains(strings.Join(kinds, " "), k) {
				t.Errorf("%s: flag %s not raised (flags %q)", filepath.Base(f), k, kinds)
			}
		}
		checkInvented(t, filepath.Base(f), gpl, want)
		checkEngagements(t, filepath.Base(f), x, want)
		if want.Flags != nil && len(want.Flags) == 0 {
			for _, k := range kinds {
				if k == FlagRole || k == FlagFutureDate {
					t.Errorf("%s: unexpected flag %s", filepath.Base(f), k)
				}
			}
		}
	}
	for _, r := range []struct {
		name       string
		s          score
		minP, minR float64
	}{{"people", people, 0, g.peopleR}, {"countries", countries, 0, 0}, {"amounts", amounts, 0, 0}, {"pledges", pledges, g.pledgeP, g.pledgeR}, {"equipment", equipment, 0, 0}} {
		t.Logf("%-9s precision %.3f recall %.3f (tp %d fp %d fn %d)", r.name, r.s.Precision(), r.s.Recall(), r.s.TP, r.s.FP, r.s.FN)
		if r.s.Precision() < r.minP || r.s.Recall() < r.minR {
			t.Errorf("%s: precision %.3f (want ≥ %.2f), recall %.3f (want ≥ %.2f)", r.name, r.s.Precision(), r.minP, r.s.Recall(), r.minR)
		}
		if math.IsNaN(r.s.Precision()) {
			t.Fatal("NaN")
		}
	}
	return figures{len(files), people, countries, amounts, pledges, equipment}
}

// knownInvented are the held-out texts on which the gate "no pledge on a
// text without one" is known not to be met. The rules are not adjusted to
// held-out texts, so the miss is reported, not tuned away: the test logs
// it, and fails if the text gets a different answer (fixed, or worse), so
// that this list cannot go stale.
// h9-opinion-europe.txt was listed ("USA USD 6.1e+10") until the
// commentary rule (genre.go), developed on corpus texts 43–45, met the gate.
var knownInvented = map[string]string{}

// checkInvented: a text with no pledge gets none (issue 20's gate).
func checkInvented(t *testing.T, name string, got []string, want expected) {
	t.Helper()
	if len(want.Pledges) > 0 {
		return
	}
	known, isKnown := knownInvented[name]
	switch {
	case isKnown && strings.Join(got, "; ") == known:
		t.Logf("%s: KNOWN MISS of the gate: pledges invented on a text with none: %q", name, got)
	case isKnown:
		t.Errorf("%s: pledges %q, the known miss was %q: update knownInvented", name, got, known)
	case len(got) > 0:
		t.Errorf("%s: pledges invented on a text with none: %q", name, got)
	}
}

// checkEngagements: on a text with a planned engagement, every expected
// engagement is proposed with its status (planned or held) and, where the
// text gives one, its date, and nothing else is proposed as planned.
func checkEngagements(t *testing.T, name string, x *Extraction, want expected) {
	t.Helper()
	var got []string
	for _, p := range x.Proposals {
		if p.Type != ProposeEngagement {
			continue
		}
		date := ""
		if p.Date != nil {
			date = p.Date.String()
		}
		got = append(got, p.Status+" "+date)
	}
	planned := 0
	for _, w := range want.Engagements {
		if w.Status == "planned" {
			planned++
		}
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w.Status+" "+w.Date) }) {
			t.Errorf("%s: no %s %s on %q proposed (engagements: status date %q)", name, w.Status, w.Kind, w.Date, got)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(got), func(g string) bool { return !strings.HasPrefix(g, "planned ") })); planned > 0 && n != planned {
		t.Errorf("%s: %d engagements proposed as planned, want %d (%q)", name, n, planned, got)
	}
}

func mustKB(t testing.TB) *KB {
	t.Helper()
	kb, err := DefaultKB()
	if err != nil {
		t.Fatal(err)
	}
	return kb
}
