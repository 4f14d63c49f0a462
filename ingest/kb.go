package ingest

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"coalition"
)

//go:embed kb/*.csv
var embedded embed.FS

// KB is the knowledge base the extractor reads text against: plain data, so
// that the store can be seeded from the same files (see kb/SOURCES.md).
type KB struct {
	People     []Person
	Countries  []Country
	Orgs       []Org
	Currencies []Currency
	Topics     []Topic
	Offices    []OfficeTerm // title phrases ("defence minister") and their group

	index *index // built once by LoadKB
}

// Person is someone with one or more terms of office.
type Person struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"` // other spellings and the surname
	Terms   []Term   `json:"terms"`
}

// Term is one office held from Start until End (zero End: still in office).
// "In office on D" means Start <= D < End.
type Term struct {
	Country string         `json:"country"` // ISO3, or NATO, EUI, UNO
	Office  string         `json:"office"`  // as in officeholders.csv: "Prime Minister"
	Start   coalition.Date `json:"start"`
	End     coalition.Date `json:"end"`
	Source  string         `json:"source"`
}

// HeldOn reports whether the term covers d.
func (t Term) HeldOn(d coalition.Date) bool {
	if d.Before(t.Start) {
		return false
	}
	return t.End.IsZero() || d.Before(t.End)
}

// Unverified reports whether the term rests on no verified source: its
// source says UNVERIFIED, as every row graded unverified in
// officeholders.csv does (refdata's tests keep the grade and the word in
// step, so the mark survives the store, which keeps the source).
func (t Term) Unverified() bool { return strings.Contains(t.Source, UnverifiedMark) }

// UnverifiedMark is the word that marks an unverified office-holder source.
const UnverifiedMark = "UNVERIFIED"

// Country is a country with the words that refer to it.
type Country struct {
	ISO3       string   `json:"iso3"`
	Name       string   `json:"name"`
	Names      []string `json:"names"`
	Adjectives []string `json:"adjectives"`
	Demonyms   []string `json:"demonyms"`
	Metonyms   []string `json:"metonyms"` // capitals and seats: "Canberra", "Downing Street"
}

// Org is an international organisation, institution, pact or coalition.
type Org struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Donor   string   `json:"donor"` // the donor code a pledge by it is recorded under (EUI for EU bodies)
	Aliases []string `json:"aliases"`
}

// Currency is an ISO 4217 currency with its names and symbols.
type Currency struct {
	Code    string   `json:"code"`
	Names   []string `json:"names"`
	Symbols []string `json:"symbols"`
}

// Topic is a subject of an engagement, recognised by keywords.
type Topic struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Keywords []string `json:"keywords"`
}

// OfficeTerm maps a title phrase in text to a group of offices.
type OfficeTerm struct {
	Phrase string `json:"phrase"`
	Group  string `json:"group"`
}

var (
	defaultOnce sync.Once
	defaultKB   *KB
	defaultErr  error
)

// DefaultKB returns the knowledge base bundled in the binary (ingest/kb).
// It is loaded once; callers must not modify it.
func DefaultKB() (*KB, error) {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(embedded, "kb")
		if err != nil {
			defaultErr = err
			return
		}
		defaultKB, defaultErr = LoadKB(sub)
	})
	return defaultKB, defaultErr
}

// LoadKB reads countries.csv, organisations.csv, currencies.csv, topics.csv,
// offices.csv and officeholders.csv from the root of fsys. Errors name the
// file, line and field.
func LoadKB(fsys fs.FS) (*KB, error) {
	kb := &KB{}
	for _, read := range []func(fs.FS) error{kb.readCountries, kb.readOrgs, kb.readCurrencies, kb.readTopics, kb.readOffices, kb.readOfficeholders} {
		if err := read(fsys); err != nil {
			return nil, err
		}
	}
	for i := range kb.People {
		ts := kb.People[i].Terms
		sort.SliceStable(ts, func(a, b int) bool { return ts[a].Start.Before(ts[b].Start) })
	}
	kb.index = buildIndex(kb)
	return kb, nil
}

// readCountries reads countries.csv.
func (kb *KB) readCountries(fsys fs.FS) error {
	return readCSV(fsys, "countries.csv", []string{"iso3", "name", "names", "adjectives", "demonyms", "metonyms"}, func(r row) error {
		c := Country{ISO3: r.get("iso3"), Name: r.get("name"), Names: r.list("names"),
			Adjectives: r.list("adjectives"), Demonyms: r.list("demonyms"), Metonyms: r.list("metonyms")}
		if len(c.ISO3) != 3 {
			return r.errf("iso3", "%q is not an ISO 3166-1 alpha-3 code", c.ISO3)
		}
		kb.Countries = append(kb.Countries, c)
		return nil
	})
}

// readOrgs reads organisations.csv.
func (kb *KB) readOrgs(fsys fs.FS) error {
	return readCSV(fsys, "organisations.csv", []string{"id", "name", "kind", "donor", "aliases"}, func(r row) error {
		o := Org{ID: r.get("id"), Name: r.get("name"), Kind: r.get("kind"), Donor: r.get("donor"), Aliases: r.list("aliases")}
		if o.ID == "" {
			return r.errf("id", "is required")
		}
		kb.Orgs = append(kb.Orgs, o)
		return nil
	})
}

// readCurrencies reads currencies.csv.
func (kb *KB) readCurrencies(fsys fs.FS) error {
	return readCSV(fsys, "currencies.csv", []string{"code", "names", "symbols"}, func(r row) error {
		c := Currency{Code: r.get("code"), Names: r.list("names"), Symbols: r.list("symbols")}
		if len(c.Code) != 3 {
			return r.errf("code", "%q is not an ISO 4217 code", c.Code)
		}
		kb.Currencies = append(kb.Currencies, c)
		return nil
	})
}

// readTopics reads topics.csv.
func (kb *KB) readTopics(fsys fs.FS) error {
	return readCSV(fsys, "topics.csv", []string{"id", "name", "keywords"}, func(r row) error {
		t := Topic{ID: r.get("id"), Name: r.get("name"), Keywords: r.list("keywords")}
		if t.ID == "" || len(t.Keywords) == 0 {
			return r.errf("keywords", "a topic needs an id and keywords")
		}
		kb.Topics = append(kb.Topics, t)
		return nil
	})
}

// readOffices reads offices.csv.
func (kb *KB) readOffices(fsys fs.FS) error {
	return readCSV(fsys, "offices.csv", []string{"phrase", "group"}, func(r row) error {
		kb.Offices = append(kb.Offices, OfficeTerm{Phrase: r.get("phrase"), Group: r.get("group")})
		return nil
	})
}

// readOfficeholders reads officeholders.csv, one term a line: the lines of
// one name make one person with all their aliases and terms.
func (kb *KB) readOfficeholders(fsys fs.FS) error {
	byName := map[string]int{}
	return readCSV(fsys, "officeholders.csv", []string{"name", "aliases", "iso3", "office", "start", "end", "source"}, func(r row) error {
		name := r.get("name")
		if name == "" {
			return r.errf("name", "is required")
		}
		t, err := termOf(r)
		if err != nil {
			return err
		}
		i, ok := byName[name]
		if !ok {
			i = len(kb.People)
			byName[name] = i
			kb.People = append(kb.People, Person{Name: name})
		}
		p := &kb.People[i]
		for _, a := range r.list("aliases") {
			if !contains(p.Aliases, a) {
				p.Aliases = append(p.Aliases, a)
			}
		}
		p.Terms = append(p.Terms, t)
		return nil
	})
}

// termOf reads the term of an officeholders.csv line; an end before the
// start is an error.
func termOf(r row) (Term, error) {
	start, err := coalition.ParseDate(r.get("start"))
	if err != nil {
		return Term{}, r.errf("start", "%v", err)
	}
	var end coalition.Date
	if s := r.get("end"); s != "" {
		if end, err = coalition.ParseDate(s); err != nil {
			return Term{}, r.errf("end", "%v", err)
		}
		if end.Before(start) {
			return Term{}, r.errf("end", "%s is before start %s", end, start)
		}
	}
	return Term{Country: r.get("iso3"), Office: r.get("office"), Start: start, End: end, Source: r.get("source")}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// row is one CSV record with its header, for errors that name file, line and field.
type row struct {
	file string
	line int
	cols map[string]int
	rec  []string
}

func (r row) get(field string) string { return strings.TrimSpace(r.rec[r.cols[field]]) }

func (r row) list(field string) []string {
	var out []string
	for _, s := range strings.Split(r.get(field), "|") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r row) errf(field, format string, args ...any) error {
	return coalition.FieldError(field, "%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// readCSV reads the CSV file name of fsys, whose header must have the
// columns want, and calls each with every record.
func readCSV(fsys fs.FS, name string, want []string, each func(row) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("ingest: knowledge base: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return coalition.Errorf(coalition.Invalid, "%s: header: %v", name, err)
	}
	cols, err := columns(name, head, want)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return coalition.Errorf(coalition.Invalid, "%s:%d: %v", name, line, err)
		}
		if len(rec) != len(head) {
			return coalition.Errorf(coalition.Invalid, "%s:%d: %d fields, want %d", name, line, len(rec), len(head))
		}
		if err := each(row{file: name, line: line, cols: cols, rec: rec}); err != nil {
			return err
		}
	}
}

// columns maps the header's column names to their indexes; a column of
// want missing from it is an error.
func columns(name string, head, want []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range head {
		cols[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := cols[w]; !ok {
			return nil, coalition.FieldError(w, "%s: column missing from header", name)
		}
	}
	return cols, nil
}

// officeGroup maps an office of officeholders.csv to the group its title
// phrases use (offices.csv), so "defence minister" in text matches
// "Defence Secretary" and "Secretary of Defense" in the table; an office
// of its own is its own group, in lower case.
func officeGroup(office string) string {
	if g, ok := officeGroups[office]; ok {
		return g
	}
	return strings.ToLower(office)
}

// officeGroups are the offices that share a group with others or whose
// group is not their name in lower case.
var officeGroups = map[string]string{
	"President": "president", "Acting President": "president", "President of the Confederation": "president",
	"Prime Minister": "head-of-government", "Acting Prime Minister": "head-of-government", "Chancellor": "head-of-government",
	"Acting Chancellor": "head-of-government", "Taoiseach": "head-of-government", "Premier": "head-of-government",
	"Foreign Minister": "foreign", "Acting Foreign Minister": "foreign", "Foreign Secretary": "foreign", "Secretary of State": "foreign",
	"Defence Minister": "defence", "Defence Secretary": "defence", "Secretary of Defense": "defence", "Secretary of Defense/War": "defence",
	"Vice President": "vice-president", "Leader of the Opposition": "opposition",
	"Secretary General": "secretary-general", "Secretary-General": "secretary-general",
	"President of the European Commission": "commission-president", "President of the European Council": "council-president",
	"High Representative for Foreign Affairs and Security Policy": "high-representative", "Monarch": "monarch", "Emperor": "monarch",
	"Finance Minister": "finance", "Chancellor of the Exchequer": "finance", "Secretary of the Treasury": "finance",
}

// officeRank orders offices when a person holds several at once: the one
// shown is the highest (0); an office not ranked here comes last (5).
func officeRank(office string) int {
	if r, ok := groupRanks[officeGroup(office)]; ok {
		return r
	}
	return 5
}

// groupRanks rank the office groups, highest first.
var groupRanks = map[string]int{
	"president": 0, "monarch": 0, "head-of-government": 1,
	"commission-president": 2, "council-president": 2, "secretary-general": 2, "high-representative": 2,
	"foreign": 3, "defence": 3, "finance": 3, "vice-president": 4,
}

// Role describes a person's position on date d: the office held ("Prime
// Minister"), "former X" for the latest office left before d, or "" when
// the person holds no office yet. The country is that term's.
func (p *Person) Role(d coalition.Date) (role, country string, term *Term) {
	if d.IsZero() {
		// No date: the latest term, as the table knows it.
		t := &p.Terms[len(p.Terms)-1]
		if t.End.IsZero() {
			return t.Office, t.Country, t
		}
		return "former " + t.Office, t.Country, t
	}
	if t := p.highestHeld(d); t != nil {
		return t.Office, t.Country, t
	}
	if t := p.highestLeft(d); t != nil {
		return "former " + t.Office, t.Country, t
	}
	return "", p.Terms[0].Country, nil
}

// highestHeld is the highest-ranking term p holds on d, or nil.
func (p *Person) highestHeld(d coalition.Date) *Term {
	var best *Term
	for i := range p.Terms {
		t := &p.Terms[i]
		if t.HeldOn(d) && (best == nil || officeRank(t.Office) < officeRank(best.Office)) {
			best = t
		}
	}
	return best
}

// highestLeft is the highest-ranking term p left by d, the latest of
// equal rank, or nil.
func (p *Person) highestLeft(d coalition.Date) *Term {
	var last *Term
	for i := range p.Terms {
		t := &p.Terms[i]
		if !t.End.IsZero() && !d.Before(t.End) && (last == nil || outranks(t, last)) {
			last = t
		}
	}
	return last
}

// outranks: t is a higher office than last, or one of equal rank left
// later.
func outranks(t, last *Term) bool {
	rt, rl := officeRank(t.Office), officeRank(last.Office)
	return rt < rl || last.End.Before(t.End) && rt == rl
}

// country returns the ISO3 code for a country code or an org's donor code.
func (kb *KB) countryName(iso3 string) string {
	for _, c := range kb.Countries {
		if c.ISO3 == iso3 {
			return c.Name
		}
	}
	switch iso3 {
	case "EUI":
		return "EU institutions"
	case "NATO":
		return "NATO"
	case "UNO":
		return "United Nations"
	}
	return iso3
}
