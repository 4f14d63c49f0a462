// Package refdata embeds Coalition's real, sourced reference data (see
// data/README.md and the *sources*.md files beside each CSV) and turns the
// simple tables into domain records. The Kiel monthly file is parsed by the
// importer's kiel-csv code path, the same one users import with.
package refdata

import (
	"crypto/sha1"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"coalition"
)

//go:embed data
var files embed.FS

// FS returns the embedded data folder (paths like "kiel/data_explorer.csv").
func FS() fs.FS {
	sub, err := fs.Sub(files, "data")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

// Open opens one embedded file.
func Open(name string) (fs.File, error) { return FS().Open(name) }

// KielFile is the Kiel tracker's monthly per-donor file bundled here.
const KielFile = "kiel/data_explorer.csv"

// KielSource is the citation carried by every record from the bundled Kiel release.
const KielSource = "Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29 (data to 04/2026), data_explorer.csv"

// KielAsOf is the last day covered by the bundled Kiel release.
var KielAsOf = coalition.Date{Y: 2026, M: 4, D: 30}

// KielRelease is the Kiel Institute's number of the bundled release
// (kiel/release_info.csv).
const KielRelease = "29"

// The bundled published datasets besides Kiel's (coalition.Release): the
// ECB's rates, the World Bank's GDP and population, NATO's defence figures.
const (
	FXDataset        = "ecb-fx"
	WorldBankDataset = "worldbank"
	NATODataset      = "nato"
)

// table reads a CSV with a header row into maps, naming the file and line on error.
type table struct {
	name string
	rows []map[string]string
	line []int
}

func readTable(name string) (*table, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", name, err)
	}
	t := &table{name: name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = strings.TrimSpace(rec[i])
		}
		t.rows = append(t.rows, m)
		t.line = append(t.line, line)
	}
	return t, nil
}

func (t *table) errorf(i int, field, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s: %s", t.name, t.line[i], field, fmt.Sprintf(format, args...))
}

func optFloat(t *table, i int, field string) (*float64, error) {
	s := t.rows[i][field]
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, t.errorf(i, field, "%q is not a number", s)
	}
	return &v, nil
}

func optInt(t *table, i int, field string) (int, error) {
	s := t.rows[i][field]
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, t.errorf(i, field, "%q is not a whole number", s)
	}
	return v, nil
}

const (
	countriesSource = "Coalition reference data: GDP and population World Bank WDI 2023; defence % of GDP NATO (report of 28 Aug 2025, 2024e) or SIPRI 2024 as noted; memberships from the attendance of the leaders' meetings"
	nato2025Source  = "NATO Defence Expenditure of NATO Countries (2014-2025), 28 Aug 2025, 2025 estimates, via the press reports named per ally"
)

// Groups and their sources (sources.md §2).
var groupDefs = []struct{ code, column, name, source string }{
	{"NATO", "nato", "North Atlantic Treaty Organization", "NATO Washington Summit Declaration, 10 Jul 2024 (32 allies; Sweden the 32nd)"},
	{"EU", "eu", "European Union", "Kiel Institute UST Release 29, eu_aid_shares.csv (all 27 EU members)"},
	{"G7", "g7", "Group of Seven", "G7 membership: Canada, France, Germany, Italy, Japan, the United Kingdom and the United States"},
	{"AUKUS", "aukus", "AUKUS security partnership", "AUKUS announced 15 Sep 2021 (Australia, United Kingdom, United States)"},
	{"FVEY", "five_eyes", "Five Eyes", "Five Eyes intelligence alliance: Australia, Canada, New Zealand, United Kingdom, United States"},
}

// Meetings of the 2025 coalition of the willing that document membership
// (sources.md §2). The codes are the shorthand of countries.csv's notes;
// pages and the API show the meeting's name instead.
var cowMeetings = map[string]struct {
	date coalition.Date
	name string
}{
	"LDN0302":  {coalition.Date{Y: 2025, M: 3, D: 2}, "London leaders' meeting of 2 Mar 2025"},
	"VIRT0315": {coalition.Date{Y: 2025, M: 3, D: 15}, "virtual leaders' meeting of 15 Mar 2025"},
	"VIRT0817": {coalition.Date{Y: 2025, M: 8, D: 17}, "virtual leaders' meeting of 17 Aug 2025"},
	"PAR0904":  {coalition.Date{Y: 2025, M: 9, D: 4}, "Paris summit of 4 Sep 2025"},
}

var cowCode = regexp.MustCompile(`[A-Z]+[0-9]{4}`)

// Load returns the reference dataset without the Kiel pledges (see
// importer.KielCSV for those): countries, groups, the 2025 coalition of the
// willing, engagements, people and FX rates.
func Load() (*coalition.Dataset, error) {
	ds := &coalition.Dataset{}
	t, err := readTable("countries.csv")
	if err != nil {
		return nil, err
	}
	members := map[string][]coalition.GroupMember{}
	cow := &coalition.Coalition{
		Code: "COW2025", Name: "Coalition of the willing (2025)",
		Purpose:   "Sustain support for Ukraine and prepare security guarantees, ready to step in if United States support wavers",
		Recipient: "UKR", Leads: []string{"GBR", "FRA"},
		Source: "Leaders' meetings of 2 Mar (London), 15 Mar (virtual), 17 Aug (virtual) and 4 Sep 2025 (Paris); participation compiled from the attendance reported for each meeting; no official membership list is published",
	}
	for i, r := range t.rows {
		c, err := countryOf(t, i)
		if err != nil {
			return nil, err
		}
		ds.Countries = append(ds.Countries, c)
		for _, g := range groupDefs {
			if r[g.column] == "1" {
				members[g.code] = append(members[g.code], coalition.GroupMember{ISO3: c.ISO3})
			}
		}
		if r["coalition_of_willing_2025"] == "1" && c.ISO3 != cow.Recipient {
			cow.Members = append(cow.Members, cowMembership(c.ISO3, r["source_notes"]))
		}
	}
	ds.Countries = append(ds.Countries, &coalition.Country{ISO3: "EUI", Name: "EU institutions (Commission and Council)", State: false,
		Source: "Kiel Institute UST Release 29 donor 'EU (Commission and Council)' (code EU in the source, EUI here); no GDP: not a state"})
	for _, g := range groupDefs {
		ds.Groups = append(ds.Groups, &coalition.Group{Code: g.code, Name: g.name, Source: g.source, Members: members[g.code]})
	}
	ds.Coalitions = []*coalition.Coalition{cow}
	if ds.Engagements, err = engagements(); err != nil {
		return nil, err
	}
	if ds.People, err = people(); err != nil {
		return nil, err
	}
	if ds.FXRates, err = rates(); err != nil {
		return nil, err
	}
	ds.Releases = releases(ds)
	return ds, nil
}

// countryOf reads row i of countries.csv into a validated country, so
// that a bad figure is reported by row and column.
func countryOf(t *table, i int) (*coalition.Country, error) {
	r := t.rows[i]
	c := &coalition.Country{ISO3: r["iso3"], Name: r["name"], State: true, Source: countriesSource + "; " + readableNotes(r["source_notes"]),
		DefenceSource: defenceSource(r["source_notes"])}
	var err error
	if c.GDPUSDBn, err = optFloat(t, i, "gdp_usd_bn"); err != nil {
		return nil, err
	}
	if c.GDPYear, err = optInt(t, i, "gdp_year"); err != nil {
		return nil, err
	}
	if c.PopulationM, err = optFloat(t, i, "population_m"); err != nil {
		return nil, err
	}
	if c.DefencePctGDP, err = optFloat(t, i, "defence_pct_gdp"); err != nil {
		return nil, err
	}
	if c.DefenceYear, err = optInt(t, i, "defence_year"); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, t.errorf(i, "iso3", "%v", err)
	}
	return c, nil
}

// defenceSource is the publisher of a country's defence share, which the
// source notes name as def=NATO or def=SIPRI ("" when neither).
func defenceSource(notes string) string {
	switch {
	case strings.Contains(notes, "def=NATO"):
		return "NATO"
	case strings.Contains(notes, "def=SIPRI"):
		return "SIPRI"
	}
	return ""
}

// cowMembership is a country's membership of the 2025 coalition: since the
// first leaders' meeting its source notes cite, with every such meeting in
// the note, as no official membership list is published.
func cowMembership(iso3, notes string) coalition.Membership {
	m := coalition.Membership{ISO3: iso3, Status: coalition.Joined}
	var names []string
	for _, code := range cowCode.FindAllString(notes, -1) {
		mt, ok := cowMeetings[code]
		if !ok {
			continue
		}
		if m.Since.IsZero() || mt.date.Before(m.Since) {
			m.Since = mt.date
		}
		names = append(names, mt.name)
	}
	if len(names) > 0 {
		m.Note = "attended the " + strings.Join(names, ", the ")
	}
	return m
}

// releases are the published datasets of ds's FX rates and countries.
func releases(ds *coalition.Dataset) []coalition.Release {
	var last coalition.Month
	for _, r := range ds.FXRates {
		last = max(last, r.Month)
	}
	fxAsOf := last.LastDay()
	wb, nato := 0, 0
	for _, c := range ds.Countries {
		if c.GDPUSDBn != nil && c.GDPYear == 2023 {
			wb++
		}
		if c.DefenceSource == "NATO" {
			nato++
		}
	}
	return []coalition.Release{
		{Dataset: FXDataset, Name: coalition.DefaultReleaseName(fxAsOf), AsOf: fxAsOf, Records: coalition.ReleaseFXRates,
			Title:  "ECB euro reference rates, monthly means (fx_eur_monthly.csv)",
			Source: "ECB euro foreign exchange reference rates, monthly means of the daily rates (refdata fx_eur_monthly.csv, fx_sources.md)"},
		{Dataset: coalition.FXHistoryDataset, Name: coalition.DefaultReleaseName(coalition.FXHistoryLast.LastDay()),
			AsOf: coalition.FXHistoryLast.LastDay(), Records: coalition.ReleaseFXHistory, Count: coalition.FXHistoryCount(),
			Title:  "ECB euro reference rates, monthly means 1999-01 to 2021-12 (embedded; used for dates before the FX table)",
			Source: coalition.FXHistorySource},
		{Dataset: WorldBankDataset, Name: "2023", AsOf: coalition.Date{Y: 2023, M: 12, D: 31}, Records: coalition.ReleaseCountries, Count: wb,
			Title:  "World Bank World Development Indicators: GDP (current US$) and population, 2023 (countries.csv)",
			Source: countriesSource},
		{Dataset: NATODataset, Name: "2025", AsOf: coalition.Date{Y: 2025, M: 8, D: 28}, Records: coalition.ReleaseCountries, Count: nato,
			Title:  "NATO, Defence Expenditure of NATO Countries (2014-2025), 28 Aug 2025: defence % of GDP (countries.csv, nato_defence_2025e.csv)",
			Source: nato2025Source},
	}
}

// NATO2025File holds NATO's 2024 and 2025 estimates per ally, each row with
// the grade of its 2025 figure's source (nato_sources.md).
const NATO2025File = "nato_defence_2025e.csv"

// NATO2025e returns the NATO 2025 estimates of defence spending, % of GDP,
// for the allies where a two-decimal figure was found, with their sources;
// each source ends with the grade of its row (primary, press or secondary).
// A row without a figure must be graded unverified, and one with a figure
// must not be.
func NATO2025e() (map[string]float64, map[string]string, error) {
	t, err := readTable(NATO2025File)
	if err != nil {
		return nil, nil, err
	}
	vals, srcs := map[string]float64{}, map[string]string{}
	for i, r := range t.rows {
		v, err := optFloat(t, i, "defence_pct_gdp_2025e")
		if err != nil {
			return nil, nil, err
		}
		g := r["grade"]
		switch {
		case g != GradePrimary && g != GradePress && g != GradeSecondary && g != GradeUnverified:
			return nil, nil, t.errorf(i, "grade", "%q is not primary, press, secondary or unverified", g)
		case v == nil && g != GradeUnverified:
			return nil, nil, t.errorf(i, "grade", "%q for a row without a 2025 figure, want unverified", g)
		case v != nil && g == GradeUnverified:
			return nil, nil, t.errorf(i, "grade", "unverified for a row with a 2025 figure: give the figure's grade or leave it blank")
		}
		if v != nil {
			vals[r["iso3"]] = *v
			srcs[r["iso3"]] = nato2025Source + ": " + r["source"] + " (grade: " + g + ")"
		}
	}
	return vals, srcs, nil
}

var topicWords = []struct{ topic, re string }{
	{"coalition", `(?i)coalition of the willing|coalition`},
	{"nato", `(?i)\bNATO\b`},
	{"loans", `(?i)\bloans?\b|ERA\b`},
	{"air-defence", `(?i)air[- ]defen[cs]e|Patriot|interceptor`},
	{"peacekeeping", `(?i)peacekeep|multinational force|reassurance force|security guarantees?`},
	{"sanctions", `(?i)sanction|immobili[sz]ed Russian|Russian (sovereign )?assets`},
	{"ceasefire", `(?i)ceasefire|peace (talks|plan|deal)`},
	{"ukraine-support", `(?i)Ukraine|Kyiv`},
}

// topicRE is compiled on first use (not at start: every command would pay
// for it).
var topicRE = sync.OnceValue(func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(topicWords))
	for i, w := range topicWords {
		out[i] = regexp.MustCompile(w.re)
	}
	return out
})

// Topics returns the topic codes whose keywords occur in text.
func Topics(text string) []string {
	out := []string{}
	for i, re := range topicRE() {
		if re.MatchString(text) {
			out = append(out, topicWords[i].topic)
		}
	}
	return out
}

func title(summary string) string {
	s := summary
	if i := strings.IndexAny(s, ":;"); i > 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:97]) + "…"
	}
	return s
}

func engagements() ([]*coalition.Engagement, error) {
	t, err := readTable("events.csv")
	if err != nil {
		return nil, err
	}
	named, err := eventParticipants()
	if err != nil {
		return nil, err
	}
	var out []*coalition.Engagement
	for i, r := range t.rows {
		d, err := coalition.ParseDate(r["date"])
		if err != nil {
			return nil, t.errorf(i, "date", "%v", err)
		}
		if err := CheckGrade(r["grade"], r["source"]); err != nil {
			return nil, t.errorf(i, "grade", "%v", err)
		}
		parts := []coalition.Participant{{ISO3: r["actor_iso3"], Role: "host or speaker"}}
		if cp := r["counterpart_iso3"]; cp != "" && cp != r["actor_iso3"] {
			parts = append(parts, coalition.Participant{ISO3: cp, Role: "counterpart"})
		}
		parts = withParticipants(parts, named[r["date"]+"|"+r["actor_iso3"]])
		h := sha1.Sum([]byte(r["date"] + "|" + r["actor_iso3"] + "|" + r["summary"]))
		e := &coalition.Engagement{
			Date: d, Kind: coalition.EngagementKind(r["kind"]), Title: title(r["summary"]), Summary: r["summary"],
			Participants: parts, Topics: Topics(r["summary"]), Visibility: coalition.Public,
			Source: r["source"], SourceRef: "events.csv:" + hex.EncodeToString(h[:6]),
		}
		if err := e.Validate(); err != nil {
			return nil, t.errorf(i, "kind", "%v", err)
		}
		out = append(out, e)
	}
	return out, nil
}

func people() ([]*coalition.Person, error) {
	t, err := readTable("officeholders.csv")
	if err != nil {
		return nil, err
	}
	byName := map[string]*coalition.Person{}
	var out []*coalition.Person
	for i, r := range t.rows {
		p := byName[r["name"]]
		if p == nil {
			p = &coalition.Person{Name: r["name"], Aliases: []string{}}
			byName[r["name"]] = p
			out = append(out, p)
		}
		for _, a := range strings.Split(r["aliases"], "|") {
			if a = strings.TrimSpace(a); a != "" && !contains(p.Aliases, a) {
				p.Aliases = append(p.Aliases, a)
			}
		}
		if err := CheckGrade(r["grade"], r["source"]); err != nil {
			return nil, t.errorf(i, "grade", "%v", err)
		}
		o := coalition.Office{ISO3: r["iso3"], Title: r["office"], Source: r["source"]}
		if o.Start, err = coalition.ParseDate(r["start"]); err != nil {
			return nil, t.errorf(i, "start", "%v", err)
		}
		if r["end"] != "" {
			if o.End, err = coalition.ParseDate(r["end"]); err != nil {
				return nil, t.errorf(i, "end", "%v", err)
			}
		}
		p.Offices = append(p.Offices, o)
	}
	for _, p := range out {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("officeholders.csv: %s: %w", p.Name, err)
		}
	}
	return out, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func rates() ([]coalition.FXRate, error) {
	t, err := readTable("fx_eur_monthly.csv")
	if err != nil {
		return nil, err
	}
	out := make([]coalition.FXRate, 0, len(t.rows))
	for i, r := range t.rows {
		m, err := coalition.ParseMonth(r["month"])
		if err != nil {
			return nil, t.errorf(i, "month", "%v", err)
		}
		v, err := strconv.ParseFloat(r["units_per_eur"], 64)
		if err != nil || v <= 0 {
			return nil, t.errorf(i, "units_per_eur", "%q is not a positive number", r["units_per_eur"])
		}
		out = append(out, coalition.FXRate{Month: m, Currency: r["currency"], UnitsPerEUR: v, Source: r["source"]})
	}
	return out, nil
}
