package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entry kinds in the phrase index.
const (
	eCountry = iota
	eOrg
	ePerson
	eCurrencyName
	eTopic
	eOffice
)

// Country reference forms, for entries of kind eCountry.
const (
	formName = iota
	formAdjective
	formDemonym
	formMetonym
)

type entry struct {
	kind  uint8
	form  uint8
	id    int      // index into the KB slice of that kind
	pat   []string // the alias's tokens as written, for case checks
	full  bool     // a person's full name (more than one token, or the name itself)
	weak  bool     // a surname that is also a common word or another name
	group string   // for eOffice: the office group
}

// index finds every alias of the KB in token sequences: a map from folded
// phrases (tokens joined by single spaces) to entries, plus every proper
// prefix of a phrase, so that matching extends only while a longer phrase
// may still follow.
type index struct {
	phrases  map[string][]entry
	prefixes map[string]bool
	first    map[string]bool // folded first tokens of all phrases: most tokens stop at one lookup
	maxLen   int
	currency map[string]string // folded symbol or code → ISO code ("a$" → AUD)
	codes    []string          // currency codes by KB index
}

// weakSurnames are surnames of officeholders that are also common words,
// places or first names: alone, they name the person only after the full
// name or behind a title.
var weakSurnames = map[string]bool{
	"austin": true, "little": true, "martin": true, "collins": true, "cooper": true, "taylor": true,
	"johnson": true, "wallace": true, "moon": true, "marin": true, "gram": true, "linde": true,
	"kaunas": true, "montenegro": true, "marcelo": true, "michal": true, "pavel": true, "novak": true,
	"payne": true, "peters": true, "blair": true, "cameron": true, "harris": true, "philippe": true,
	"ley": true, "rau": true, "store": true, "eide": true, "melo": true, "benko": true, "quintin": true,
	"tanner": true, "scheer": true, "magyar": true, "sandvik": true, "anand": true, "chippy": true,
	"higgins": true, "kover": true, "seguro": true, "rangel": true, "michel": true, "jonson": true,
	"bergen": true, "karis": true, "stocker": true, "young": true, "wong": true, "gerapetritis": false,
	"queen elizabeth": false, "the queen": true, "xi": false, "vance": false, "pfister": true, "carney": false,
	"marles": false, "rubio": false, "moon jae-in": false, "kishi": false, "hamada": true, "borne": true,
	"attal": false, "duda": false, "hunt": true, "suzuki": true, "franco": true, "champagne": true, "lombard": true, "armand": true, "fiala": false, "sarmas": false, "ader": true, "braze": false,
}

// titleWords start aliases like "President Trump" that the index leaves out.
var titleWords = map[string]bool{"president": true, "king": true, "queen": true, "secretary": true, "prime": true, "chancellor": true, "the": true}

// buildIndex indexes every alias of kb.
func buildIndex(kb *KB) *index {
	ix := &index{phrases: map[string][]entry{}, prefixes: map[string]bool{}, first: map[string]bool{}, currency: map[string]string{}}
	ix.addCountries(kb.Countries)
	for i, o := range kb.Orgs {
		ix.add(o.Name, entry{kind: eOrg, id: i})
		ix.addAll(o.Aliases, entry{kind: eOrg, id: i})
	}
	ix.addPeople(kb.People)
	ix.addCurrencies(kb.Currencies)
	for i, t := range kb.Topics {
		ix.addAll(t.Keywords, entry{kind: eTopic, id: i})
	}
	for i, o := range kb.Offices {
		ix.add(o.Phrase, entry{kind: eOffice, id: i, group: o.Group})
	}
	return ix
}

// addAll indexes every alias of aliases under e.
func (ix *index) addAll(aliases []string, e entry) {
	for _, a := range aliases {
		ix.add(a, e)
	}
}

// addCountries indexes each country's names, adjectives, demonyms and
// metonyms, each with its form.
func (ix *index) addCountries(countries []Country) {
	for i, c := range countries {
		ix.addAll(c.Names, entry{kind: eCountry, form: formName, id: i})
		ix.addAll(c.Adjectives, entry{kind: eCountry, form: formAdjective, id: i})
		ix.addAll(c.Demonyms, entry{kind: eCountry, form: formDemonym, id: i})
		ix.addAll(c.Metonyms, entry{kind: eCountry, form: formMetonym, id: i})
	}
}

// addPeople indexes each person's name and aliases, except aliases with a
// title ("President Biden"): the title is read as a title, the name as a
// name.
func (ix *index) addPeople(people []Person) {
	for i, p := range people {
		ix.add(p.Name, entry{kind: ePerson, id: i, full: true})
		for _, a := range p.Aliases {
			f := fold(a)
			if first, _, _ := strings.Cut(f, " "); titleWords[first] && strings.Contains(f, " ") {
				continue
			}
			ix.add(a, entry{kind: ePerson, id: i, full: strings.Contains(f, " "), weak: weakSurnames[f]})
		}
	}
}

// addCurrencies indexes currency names as phrases, and symbols and codes
// in the currency table the money reader uses.
func (ix *index) addCurrencies(currencies []Currency) {
	for i, c := range currencies {
		ix.addAll(c.Names, entry{kind: eCurrencyName, id: i})
		for _, s := range c.Symbols {
			ix.currency[fold(s)] = c.Code
		}
		ix.currency[fold(c.Code)] = c.Code
		ix.codes = append(ix.codes, c.Code)
	}
}

// add indexes alias a (tokenized like text) under e.
func (ix *index) add(a string, e entry) {
	toks := tokenize(a)
	if len(toks) == 0 {
		return
	}
	ix.first[toks[0].norm] = true
	e.pat = make([]string, len(toks))
	var key strings.Builder
	for i, t := range toks {
		e.pat[i] = t.text
		if i > 0 {
			key.WriteByte(' ')
			ix.prefixes[key.String()[:key.Len()-1]] = true
		}
		key.WriteString(t.norm)
	}
	k := key.String()
	for _, old := range ix.phrases[k] {
		if old.kind == e.kind && old.id == e.id && old.form == e.form {
			return
		}
	}
	ix.phrases[k] = append(ix.phrases[k], e)
	if len(toks) > ix.maxLen {
		ix.maxLen = len(toks)
	}
}

// match is a phrase of the index found at tokens [i, j).
type match struct {
	i, j    int
	entries []entry
}

// lookup returns the longest phrase starting at token i whose case fits, or
// ok=false. buf is scratch space.
func (ix *index) lookup(toks []token, i, limit int, buf *[]byte) (m match, ok bool) {
	if !ix.first[toks[i].norm] {
		return m, false
	}
	b := (*buf)[:0]
	for j := i; j < limit && j-i < ix.maxLen; j++ {
		if j > i {
			if toks[j].blank || toks[j].newline && toks[j].kind != tWord {
				break
			}
			b = append(b, ' ')
		}
		b = append(b, toks[j].norm...)
		if es, found := ix.phrases[string(b)]; found {
			if fit := fitting(toks[i:j+1], es); len(fit) > 0 {
				m, ok = match{i: i, j: j + 1, entries: fit}, true
			}
		}
		if !ix.prefixes[string(b)] {
			break
		}
	}
	*buf = b
	return m, ok
}

// fitting returns the entries of es whose case fits toks: es itself (the
// index's slice, which callers only read) when all do, as is usual.
func fitting(toks []token, es []entry) []entry {
	n := 0
	for _, e := range es {
		if caseFits(toks, e.pat) {
			n++
		}
	}
	if n == len(es) || n == 0 {
		return es[:n]
	}
	fit := make([]entry, 0, n)
	for _, e := range es {
		if caseFits(toks, e.pat) {
			fit = append(fit, e)
		}
	}
	return fit
}

// caseFits checks capitalisation: a capitalised alias token needs a
// capitalised text token; a short acronym ("US", "EU", "UN") must be written
// exactly; a longer one ("NATO", "AUKUS") may also be written "Nato".
func caseFits(toks []token, pat []string) bool {
	for k, p := range pat {
		t := toks[k].text
		r, _ := utf8.DecodeRuneInString(p)
		if !unicode.IsUpper(r) {
			continue
		}
		if !toks[k].upper {
			return false
		}
		if isAcronym(p) {
			if t == p {
				continue
			}
			if len(p) >= 4 && !strings.Contains(p, ".") && strings.EqualFold(t, p) && !isAllUpper(t[1:]) {
				continue // "Nato", "Aukus"
			}
			return false
		}
	}
	return true
}

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}

func isAllUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}
