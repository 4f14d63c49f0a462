package ingest

// isClauseBoundary: the punctuation that ends a clause.
func isClauseBoundary(t token) bool {
	if t.kind != tPunct {
		return false
	}
	switch t.text {
	case ",", ";", ":", "(", ")", "—", "–", "-":
		return true
	}
	return false
}

// clause returns the tokens [a, b) of the clause around [i, j) in sentence s.
func (d *doc) clause(s sentence, i, j int) (int, int) {
	a, b := i, j
	for a > s.i && !isClauseBoundary(d.toks[a-1]) {
		a--
	}
	for b < s.j && !isClauseBoundary(d.toks[b]) {
		b++
	}
	return a, b
}

// Conjunctions that, after a comma, open a new clause with its own subject.
var clauseConjunctions = map[string]bool{"and": true, "but": true, "while": true, "whereas": true, "although": true, "though": true,
	"which": true, "who": true, "after": true, "as": true, "when": true, "before": true, "whilst": true}

// Auxiliaries and modals: with a pledge or statement word they show that a
// clause already has its verb.
var auxWords = map[string]bool{"has": true, "have": true, "had": true, "is": true, "are": true, "was": true, "were": true, "will": true,
	"would": true, "'ll": true, "shall": true, "can": true, "could": true, "did": true, "does": true}

func (d *doc) verbish(k int) bool {
	t := d.toks[k]
	return t.cls&(cPledge|cGive|cStatement) != 0 || auxWords[t.norm]
}

// segment returns the coordinate clause [a, b) of sentence s around token
// k. Clauses are cut at ";", at a comma followed by a conjunction
// (", and Denmark pledged", ", which the World Bank estimates"), and at
// "and"/"but" when the part before has a verb and an actor with its own
// verb follows ("Germany announced €500m and the Netherlands pledged
// €150m"), so that a pledge verb and its subject count only for the amounts
// of their own clause.
func (d *doc) segment(s sentence, k int) (int, int) {
	a, b := s.i, s.j
	for q := s.i; q < s.j; q++ {
		if d.cutBefore(s, q) {
			if q <= k {
				a = q
			} else {
				b = q
				break
			}
		}
	}
	return a, b
}

// cutBefore reports whether a new coordinate clause starts at token q.
func (d *doc) cutBefore(s sentence, q int) bool {
	if q <= s.i {
		return false
	}
	t, prev := d.toks[q], d.toks[q-1]
	switch {
	case isPunct(prev, ";"):
		return true
	case t.kind != tWord:
		return false
	case isPunct(prev, ",") && clauseConjunctions[t.norm]:
		return true
	case t.norm != "and" && t.norm != "but":
		return false
	}
	return d.verbBefore(s, q) && d.actorWithVerbAt(s, q+1)
}

// isPunct reports whether t is the punctuation p, not a word spelt so.
func isPunct(t token, p string) bool { return t.kind == tPunct && t.text == p }

// verbBefore: the part of the clause before an "and" at q has a verb, so
// that "and" may join two clauses rather than two donors.
func (d *doc) verbBefore(s sentence, q int) bool {
	for x := q - 1; x >= s.i && !isPunct(d.toks[x], ";"); x-- {
		if d.verbish(x) {
			return true
		}
	}
	return false
}

// actorWithVerbAt: an actor starting at token at (after an optional "the")
// with a verb of its own within three tokens opens a clause ("and the
// Netherlands pledged").
func (d *doc) actorWithVerbAt(s sentence, at int) bool {
	if at < s.j && d.toks[at].norm == "the" {
		at++
	}
	mi, ok := d.mentionStarting(at)
	if !ok || d.actorOf(d.ments[mi]) == "" {
		return false
	}
	for x := d.ments[mi].j; x < min(s.j, d.ments[mi].j+3); x++ {
		if d.verbish(x) {
			return true
		}
	}
	return false
}
