package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
)

type expected struct {
	GivenDate string `json:"given_date"`
	People    []struct {
		Name, Country, Role string
	} `json:"people"`
	Countries []string `json:"countries"`
	Amounts   []struct {
		Value    float64 `json:"value"`
		Currency string  `json:"currency"`
		Kind     string  `json:"kind"`
	} `json:"amounts"`
	Pledges []struct {
		Donor    string  `json:"donor"`
		Value    float64 `json:"value"`
		Currency string  `json:"currency"`
	} `json:"pledges"`
	Flags []string `json:"flags"`
}

// score counts true positives, false positives and false negatives.
type score struct{ tp, fp, fn int }

func (s *score) add(got, want []string) {
	left := map[string]int{}
	for _, w := range want {
		left[w]++
	}
	for _, g := range got {
		if left[g] > 0 {
			left[g]--
			s.tp++
		} else {
			s.fp++
		}
	}
	for _, n := range left {
		s.fn += n
	}
}

// merge adds the counts of o, one text's score, to s.
func (s *score) merge(o score) { s.tp, s.fp, s.fn = s.tp+o.tp, s.fp+o.fp, s.fn+o.fn }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func money(v float64, cur string) string {
	// 3 significant digits are enough to tell amounts apart and absorb float noise
	return fmt.Sprintf("%s %.3g", cur, v)
}

// TestCorpus reads every text of testdata/corpus and compares it with the
// analyst's expected file. People count with name, country and role (each
// must match); countries as codes; amounts as value, currency and kind;
// pledges as donor, value and currency.
func TestCorpus(t *testing.T) { scoreCorpus(t, "testdata/corpus", 26, 0.9, 0.8) }

// TestHeldOut scores texts the rules were not adjusted to, so their figures
// are the honest ones, against the bar (precision 0.9, recall 0.8 on
// people and pledges). h6–h10 were written and committed before the
// clause-scoped triggers and per-donor pledges were coded; they are also
// scored apart, as a regression alarm only (5 texts, 7 pledges: one error
// moves precision by more than 0.1).
func TestHeldOut(t *testing.T) {
	t.Run("all", func(t *testing.T) { scoreCorpus(t, "testdata/heldout/h*.txt", 10, 0.9, 0.8) })
	t.Run("h6-h10", func(t *testing.T) {
		scoreCorpus(t, "testdata/heldout/h[6-9]-*.txt testdata/heldout/h10-*.txt", 5, 0.5, 0.5)
	})
}

func scoreCorpus(t *testing.T, pattern string, least int, minPrecision, minRecall float64) {
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
	var people, countries, amounts, pledges score
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
		var gp, wp, gc, wc, ga, wa, gpl, wpl []string
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
			if p.Type == ProposePledge {
				gpl = append(gpl, p.Donor+" "+money(p.Amount.Value, p.Amount.Currency))
			}
		}
		for _, p := range want.Pledges {
			wpl = append(wpl, p.Donor+" "+money(p.Value, p.Currency))
		}
		// each text's misses are logged apart, one line per kind of fact
		for _, k := range []struct {
			name      string
			total     *score
			got, want []string
		}{{"people", &people, gp, wp}, {"countries", &countries, gc, wc}, {"amounts", &amounts, ga, wa}, {"pledges", &pledges, gpl, wpl}} {
			var one score
			one.add(k.got, k.want)
			k.total.merge(one)
			if one.fp+one.fn > 0 {
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
		if want.Flags != nil && len(want.Flags) == 0 {
			for _, k := range kinds {
				if k == FlagRole || k == FlagFutureDate {
					t.Errorf("%s: unexpected flag %s", filepath.Base(f), k)
				}
			}
		}
	}
	for _, r := range []struct {
		name string
		s    score
		gate bool
	}{{"people", people, true}, {"countries", countries, false}, {"amounts", amounts, false}, {"pledges", pledges, true}} {
		t.Logf("%-9s precision %.3f recall %.3f (tp %d fp %d fn %d)", r.name, r.s.precision(), r.s.recall(), r.s.tp, r.s.fp, r.s.fn)
		if r.gate && (r.s.precision() < minPrecision || r.s.recall() < minRecall) {
			t.Errorf("%s: precision %.3f (want ≥ %.1f), recall %.3f (want ≥ %.1f)", r.name, r.s.precision(), minPrecision, r.s.recall(), minRecall)
		}
		if math.IsNaN(r.s.precision()) {
			t.Fatal("NaN")
		}
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
