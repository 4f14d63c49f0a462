package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"coalition"
	"coalition/refdata"
)

// Equipment in texts (issue 20): the systems of the equipment catalogue
// (refdata systems.csv, by name and alias) give a sentence its category
// (ingest/kb/SOURCES.md "Categories from a text's words"), and a quantity
// written before a system ("40 Leopard 1A5 tanks", "10 more Gepard
// anti-aircraft guns") is an equipment proposal: system, quantity and
// donor, never a money pledge.

// capabilityCategory maps the catalogue's capability categories to the
// pledge taxonomy (coalition.Categories).
var capabilityCategory = map[string]string{
	coalition.CapAirDefence: "air-defence", coalition.CapArtillery: "ammunition", coalition.CapArmour: "armour",
	coalition.CapDrones: "drones", coalition.CapAirForce: "aircraft", coalition.CapMaritime: "naval",
	coalition.CapDemining: "military-other", coalition.CapIT: "military-other",
}

// systemForm is one name or alias of a catalogue system as folded tokens.
type systemForm struct {
	toks   []string
	system int  // index into systemTable.systems
	upper  bool // a one-word name that is also an English word must be written with a capital
}

type systemTable struct {
	systems []coalition.WeaponSystem
	byFirst map[string][]systemForm // first token → forms, longest first
}

// shortForms are the names news copy uses for catalogue systems without
// their variant ("Leopard" for Leopard 1 and 2, "Abrams", "Bradley"): they
// give the category, and name the system only when one system has them.
var shortForms = map[string]string{
	"leopard": "Leopard 1", "abrams": "M1A1 Abrams", "bradley": "M2 Bradley", "iris-t": "IRIS-T SLM",
	"krab": "AHS Krab", "bayraktar": "Bayraktar TB2", "pzh": "PzH 2000",
}

// wordLike are catalogue names that are also common words: they count only
// when written with a capital ("Archer", "Avenger").
var wordLike = map[string]bool{"archer": true, "avenger": true, "hawk": true, "caesar": true, "patriot": true, "marder": true, "crotale": true}

var (
	systemsOnce sync.Once
	systemsTab  *systemTable
)

// systems returns the catalogue's names as token sequences, built once; an
// unreadable catalogue (a build defect caught by the tests) gives none.
func systems() *systemTable {
	systemsOnce.Do(func() {
		systemsTab = &systemTable{byFirst: map[string][]systemForm{}}
		cat, err := refdata.Systems()
		if err != nil {
			return
		}
		systemsTab.systems = cat.Systems
		byName := map[string]int{}
		for i, s := range cat.Systems {
			byName[s.Name] = i
		}
		for n, name := range cat.Names() {
			systemsTab.add(n, byName[name])
		}
		for short, name := range shortForms {
			if i, ok := byName[name]; ok {
				systemsTab.add(short, i)
			}
		}
	})
	return systemsTab
}

func (t *systemTable) add(name string, i int) {
	var norms []string
	for _, tk := range tokenize(name) {
		norms = append(norms, tk.norm)
	}
	if len(norms) == 0 {
		return
	}
	f := systemForm{toks: norms, system: i, upper: len(norms) == 1 && wordLike[norms[0]]}
	list := t.byFirst[norms[0]]
	for _, g := range list {
		if strings.Join(g.toks, " ") == strings.Join(norms, " ") {
			return
		}
	}
	k := 0
	for k < len(list) && len(list[k].toks) >= len(norms) {
		k++
	}
	list = append(list[:k], append([]systemForm{f}, list[k:]...)...)
	t.byFirst[norms[0]] = list
}

// systemAt returns the catalogue system named at token k (longest form
// first) and the token after its name.
func (d *doc) systemAt(k, end int) (sys int, next int, ok bool) {
	t := systems()
	for _, f := range t.byFirst[d.toks[k].norm] {
		if f.upper && !d.toks[k].upper || k+len(f.toks) > end {
			continue
		}
		match := true
		for x := 1; x < len(f.toks) && match; x++ {
			match = d.toks[k+x].norm == f.toks[x]
		}
		if match {
			return f.system, k + len(f.toks), true
		}
	}
	return 0, 0, false
}

// systemCategory is the pledge category of the first catalogue system
// named in s, or "".
func (d *doc) systemCategory(s sentence) string {
	for k := s.i; k < s.j; k++ {
		if sys, _, ok := d.systemAt(k, s.j); ok {
			return capabilityCategory[systems().systems[sys].Category]
		}
	}
	return ""
}

// equipmentNouns are the nouns a quantity of systems is counted in, with
// the capability they mean when the system is not in the catalogue.
var equipmentNouns = map[string]string{
	"tanks": coalition.CapArmour, "tank": coalition.CapArmour, "vehicles": coalition.CapArmour,
	"howitzers": coalition.CapArtillery, "howitzer": coalition.CapArtillery, "launchers": coalition.CapArtillery,
	"guns": coalition.CapArtillery, "jets": coalition.CapAirForce, "aircraft": coalition.CapAirForce,
	"helicopters": coalition.CapAirForce, "drones": coalition.CapDrones, "boats": coalition.CapMaritime,
	"ships": coalition.CapMaritime, "batteries": coalition.CapAirDefence, "systems": "",
}

// airDefenceWords turn a noun's capability into air defence ("anti-aircraft
// guns", "air defence systems").
var airDefenceWords = map[string]bool{"anti-aircraft": true, "air-defence": true, "air-defense": true, "antiaircraft": true}

// quantityWords may stand between a quantity and its system.
var quantityWords = map[string]bool{"more": true, "additional": true, "new": true, "further": true, "extra": true,
	"refurbished": true, "modernised": true, "modernized": true, "upgraded": true, "used": true, "of": false}

// equipmentAt reads equipment at token k of s: a whole number, then at most
// one quantity word, then a catalogue system, or capitalised words and an
// equipment noun within three tokens. ok is false for anything else.
func (d *doc) equipmentAt(s sentence, k int) (qty int64, system, capability string, end int, ok bool) {
	tk := d.toks[k]
	if tk.kind != tNumber {
		return 0, "", "", 0, false
	}
	qty, err := strconv.ParseInt(strings.ReplaceAll(tk.text, ",", ""), 10, 64)
	if err != nil || qty <= 0 || qty > coalition.MaxUnits || d.yearLike(k, qty) {
		return 0, "", "", 0, false
	}
	n := k + 1
	if n < s.j && quantityWords[d.toks[n].norm] {
		n++
	}
	if n >= s.j {
		return 0, "", "", 0, false
	}
	if system, capability, end, found := d.catalogueEquipment(s, n); found {
		return qty, system, capability, end, true
	}
	// an uncatalogued system: capitalised words, then an equipment noun;
	// or, with no name, the noun phrase itself ("100 more drones")
	a := n
	for n < s.j && n < a+3 && d.toks[n].upper && d.toks[n].kind == tWord {
		n++
	}
	if n == a {
		return d.genericEquipment(s, qty, a)
	}
	for x := n; x < s.j && x <= n+2; x++ {
		c, isNoun := equipmentNouns[d.toks[x].norm]
		if !isNoun {
			continue
		}
		for y := n; y < x; y++ {
			if airDefenceWords[d.toks[y].norm] {
				c = coalition.CapAirDefence
			}
		}
		if c == "" {
			return 0, "", "", 0, false
		}
		return qty, d.text[d.toks[a].start:d.toks[n-1].end], c, x + 1, true
	}
	return 0, "", "", 0, false
}

// catalogueEquipment reads a catalogue system's name at token n: the
// system, its capability and the token after it. A variant number after
// the name that the catalogue does not name ("20 Leopard 2 tanks") makes
// an uncatalogued system of the family's capability.
func (d *doc) catalogueEquipment(s sentence, n int) (system, capability string, end int, ok bool) {
	sys, next, found := d.systemAt(n, s.j)
	if !found {
		return "", "", 0, false
	}
	w := systems().systems[sys]
	if v, ok := d.variantAfter(s, next); ok {
		return d.text[d.toks[n].start:d.toks[v-1].end], w.Category, d.afterNoun(s, v), true
	}
	return w.Name, w.Category, next, true
}

// variantAfter reports whether a variant number follows a system's name
// at token k ("Leopard 2", "Leopard 2A4" read as a short form): a number of
// at most three characters, or a number glued to letters. It returns the
// token after the variant.
func (d *doc) variantAfter(s sentence, k int) (int, bool) {
	if k >= s.j || d.toks[k].kind != tNumber || len(d.toks[k].text) > 3 || d.toks[k].start != d.toks[k-1].end+1 {
		return 0, false
	}
	k++
	if k < s.j && d.toks[k].kind == tWord && d.toks[k].start == d.toks[k-1].end {
		k++ // "2A4" as a number and a glued word
	}
	return k, true
}

// afterNoun is the token after an equipment noun at k, if there is one
// ("Leopard 2 tanks"), else k.
func (d *doc) afterNoun(s sentence, k int) int {
	if k < s.j {
		if _, ok := equipmentNouns[d.toks[k].norm]; ok {
			return k + 1
		}
	}
	return k
}

// genericEquipment reads a quantity of systems named by their kind only:
// at most three lower-case words ending in an equipment noun ("100 more
// drones", "5,000 lightweight air defence missiles"). The system is the
// noun phrase, for the reviewer to match to the catalogue.
func (d *doc) genericEquipment(s sentence, qty int64, a int) (int64, string, string, int, bool) {
	air := false
	for x := a; x < s.j && x <= a+3; x++ {
		t := d.toks[x]
		if t.kind != tWord || t.upper || notEquipmentWords[t.norm] {
			break
		}
		air = air || airDefenceWords[t.norm] || t.norm == "defence" || t.norm == "defense"
		c, isNoun := genericNouns[t.norm]
		if !isNoun {
			continue
		}
		if air {
			c = coalition.CapAirDefence
		}
		if c == "" {
			break
		}
		return qty, d.text[d.toks[a].start:t.end], c, x + 1, true
	}
	return 0, "", "", 0, false
}

// notEquipmentWords end a noun phrase of equipment: magnitudes make the
// number money or a count of something else ("150 million for drones").
var notEquipmentWords = map[string]bool{"million": true, "billion": true, "thousand": true, "bn": true, "m": true, "mn": true,
	"for": true, "of": true, "to": true, "in": true, "and": true, "with": true, "from": true, "worth": true, "per": true}

// genericNouns are the plural nouns a quantity of unnamed systems is
// counted in; missiles count only as air defence.
var genericNouns = map[string]string{"tanks": coalition.CapArmour, "howitzers": coalition.CapArtillery, "drones": coalition.CapDrones,
	"jets": coalition.CapAirForce, "helicopters": coalition.CapAirForce, "interceptors": coalition.CapAirDefence, "missiles": "",
	"boats": coalition.CapMaritime, "shells": coalition.CapArtillery}

// yearLike: a four-digit number from 1900 to 2100 followed by a capital is
// a year ("in 2025 Patriot deliveries"), not a quantity.
func (d *doc) yearLike(k int, v int64) bool {
	return len(d.toks[k].text) == 4 && v >= 1900 && v <= 2100
}

// cumulativeWords mark a quantity as a total or an earlier delivery, not
// a new commitment: the proposal is made with less confidence.
var cumulativeWords = map[string]bool{"total": true, "already": true, "previously": true, "so": false, "since": true}

// proposeEquipment proposes each quantity of systems in a sentence that
// names who gives them (else the text's dominant donor, with less
// confidence). Russia and Belarus never give; the recipient never gives to
// itself.
func (d *doc) proposeEquipment() {
	rcpt := d.recipient()
	for si, s := range d.sents {
		for k := s.i; k < s.j; k++ {
			qty, system, capability, end, ok := d.equipmentAt(s, k)
			if !ok {
				continue
			}
			d.proposeOneEquipment(si, s, k, end, qty, system, capability, rcpt)
			k = end - 1
		}
	}
}

func (d *doc) proposeOneEquipment(si int, s sentence, k, end int, qty int64, system, capability, rcpt string) {
	if d.recipientBuys(s, k, rcpt) {
		return // the donor finances, it does not supply: the money is the pledge
	}
	rule := "equipment: a quantity before a system"
	conf := 0.7
	donor := d.actorBefore(s, k, rcpt)
	if donor == "" {
		donor = d.dominant(rcpt)
		rule += "; donor taken from the text as a whole"
		conf = 0.5
	}
	if donor == "" || donor == "RUS" || donor == "BLR" || donor == rcpt {
		return
	}
	if _, ok := d.kb.catalogued(system); !ok {
		rule += "; system not in the catalogue"
		conf -= 0.1
	}
	for x := s.i; x < s.j; x++ {
		if cumulativeWords[d.toks[x].norm] || d.toks[x].norm == "so" && x+1 < s.j && d.toks[x+1].norm == "far" {
			rule += fmt.Sprintf("; %q may mark a total or an earlier delivery", d.toks[x].text)
			conf -= 0.2
			break
		}
	}
	if d.commentary() {
		rule += "; the text is a commentary: it reports, it does not announce"
		conf -= 0.3
	}
	words := d.ri.span(d.toks[k].start, d.toks[end-1].end)
	p := Proposal{Type: ProposeEquipment, Donor: donor, Recipient: rcpt, System: system, Quantity: qty, Category: capability,
		Evidence: []Span{d.sentSpan(si), words}, Confidence: conf,
		Rule: fmt.Sprintf("%s; words %q", rule, d.text[d.toks[k].start:d.toks[end-1].end])}
	if date, _, stated := d.eventDate([]int{si}); !date.IsZero() && (stated || d.known) {
		p.Announced = &date
	}
	d.out.Proposals = append(d.out.Proposals, p)
}

// Who supplies and who finances: equipment is the donor's when the donor
// supplies it ("Britain will supply Ukraine with 5,000 missiles"), even
// under a contract it pays; equipment the recipient buys, with money the
// donor lends or gives ("£1.6bn in export finance for Ukraine to buy 5,000
// missiles"), is not: the donor's pledge is the money, the equipment is
// bought from a supplier.
var (
	supplyWords = map[string]bool{"supply": true, "supplies": true, "supplying": true, "supplied": true, "deliver": true, "delivers": true,
		"delivering": true, "delivered": true, "send": true, "sends": true, "sending": true, "sent": true, "give": true, "gives": true,
		"giving": true, "gave": true, "donate": true, "donates": true, "donating": true, "donated": true, "transfer": true, "transfers": true,
		"transferring": true, "transferred": true, "provide": true, "provides": true, "providing": true, "provided": true}
	buyWords = map[string]bool{"buy": true, "buys": true, "buying": true, "bought": true, "purchase": true, "purchases": true,
		"purchasing": true, "purchased": true, "procure": true, "procures": true, "procuring": true, "procured": true, "acquire": true,
		"acquires": true, "acquiring": true, "acquired": true}
	lendWords = map[string]bool{"loan": true, "loans": true, "lend": true, "lends": true, "lending": true, "lent": true, "credit": true, "credits": true}
)

// recipientBuys reports whether the quantity at token k of s is bought by
// the recipient: the nearest verb of supplying, buying or lending before
// it is one of buying whose subject (the nearest actor before it) is the
// recipient ("for Ukraine to buy"), or one of lending (the recipient buys
// with a loan, a credit or export finance). A supplying verb, or none,
// leaves the equipment the donor's.
func (d *doc) recipientBuys(s sentence, k int, rcpt string) bool {
	if rcpt == "" {
		return false
	}
	for x := k - 1; x >= s.i; x-- {
		w := d.toks[x].norm
		switch {
		case supplyWords[w]:
			return false
		case buyWords[w]:
			return d.actorBefore(s, x, "") == rcpt
		case lendWords[w] || w == "export" && x+1 < k && (d.toks[x+1].norm == "finance" || d.toks[x+1].norm == "financing"):
			return true
		}
	}
	return false
}

// catalogued reports whether name is a catalogue system's name.
func (kb *KB) catalogued(name string) (coalition.WeaponSystem, bool) {
	for _, s := range systems().systems {
		if s.Name == name {
			return s, true
		}
	}
	return coalition.WeaponSystem{}, false
}
