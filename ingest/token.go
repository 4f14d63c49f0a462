package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	tWord   = iota // letters, digits, internal hyphens, apostrophes and acronym dots
	tNumber        // starts with a digit: "1,500", "2.26bn", "2025-03-14", "1-1.5bn"
	tSymbol        // a currency sign: € £ $ ¥ ₩ ₴ ₽ ₹ ₺
	tPunct         // any other single rune
)

// token is a piece of text with its byte offsets.
type token struct {
	start, end int    // bytes into the text
	text       string // as written
	norm       string // folded: lower case, no diacritics, ’ → '
	kind       uint8
	cls        uint32 // word classes of norm (classes.go)
	upper      bool   // first rune is upper case
	newline    bool   // a line break precedes this token
	blank      bool   // a blank line (paragraph break) precedes this token
}

func isCurrencySign(r rune) bool {
	switch r {
	case '€', '£', '$', '¥', '₩', '₴', '₽', '₹', '₺':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits text into tokens. It never fails; invalid UTF-8 bytes are
// punctuation tokens of one byte.
func tokenize(text string) []token { return tokenizeInto(nil, nil, text) }

// folding is a spelling's folded form and word classes.
type folding struct {
	norm string
	cls  uint32
}

// maxFolded bounds the spellings cache of tokenizeInto.
const maxFolded = 1 << 16

// tokenizeInto appends the tokens of text to toks[:0]. folded caches the
// folded form of each spelling (words repeat); it may be nil, and may be
// kept across calls: its strings are copies, not slices of text.
func tokenizeInto(toks []token, folded map[string]folding, text string) []token {
	if cap(toks) == 0 {
		toks = make([]token, 0, len(text)/5+16) // English runs about 5.5 bytes per token
	}
	toks = toks[:0]
	if folded == nil {
		folded = map[string]folding{}
	}
	nl, blank := false, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			if nl {
				blank = true
			}
			nl = true
			i += size
			continue
		case r == ' ' || r == '\t' || r == '\r' || r == '\u00a0' || unicode.IsSpace(r):
			i += size
			continue
		}
		start := i
		var kind uint8
		switch {
		case isWordRune(r):
			kind = tWord
			if unicode.IsDigit(r) {
				kind = tNumber
			}
			i = scanWord(text, i)
		case isCurrencySign(r):
			kind = tSymbol
			i += size
		default:
			kind = tPunct
			i += size
		}
		t := token{start: start, end: i, text: text[start:i], kind: kind, newline: nl, blank: blank}
		t.upper = unicode.IsUpper(r)
		if f, ok := folded[t.text]; ok {
			t.norm, t.cls = f.norm, f.cls
		} else {
			t.norm = fold(t.text)
			t.cls = wordClass[t.norm]
			if len(folded) < maxFolded {
				key := strings.Clone(t.text)
				norm := t.norm
				if norm == t.text {
					norm = key
				} else {
					norm = strings.Clone(norm)
				}
				folded[key] = folding{norm, t.cls}
			}
		}
		if k := possessiveAt(t.text); k > 0 && kind == tWord {
			// "Australia's" is "Australia" and "'s"
			a := t
			a.end = t.start + k
			a.text = text[a.start:a.end]
			a.norm = fold(a.text)
			a.cls = wordClass[a.norm]
			toks = append(toks, a, token{start: a.end, end: t.end, kind: tWord, text: text[a.end:t.end], norm: "'s"})
		} else {
			toks = append(toks, t)
		}
		nl, blank = false, false
	}
	return toks
}

// scanWord returns the end of the word starting at i. Hyphens, apostrophes
// and dots join two word runes ("Keller-Sutter", "d'Orsay", "U.S.", "2.26");
// a comma joins two digits ("1,500").
func scanWord(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if r == '-' || r == '\'' || r == '’' || r == '.' || r == ',' || r == '–' {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			next, nsize := utf8.DecodeRuneInString(text[i+size:])
			if i+size < len(text) && isWordRune(next) {
				if r == ',' && !(unicode.IsDigit(prev) && unicode.IsDigit(next)) {
					return i
				}
				if r == '–' && !(unicode.IsDigit(prev) && unicode.IsDigit(next)) {
					return i
				}
				if r == '.' && !acronymDot(text, i, prev, next) {
					return i
				}
				i += size + nsize
				continue
			}
			// "U.S." keeps its final dot when it is an acronym's.
			if r == '.' && acronymEnd(text, i) {
				return i + size
			}
		}
		return i
	}
	return i
}

// acronymDot reports whether the dot at i joins digits ("2.26") or single
// letters of an acronym ("U.S", "e.g").
func acronymDot(text string, i int, prev, next rune) bool {
	if unicode.IsDigit(prev) && unicode.IsDigit(next) {
		return true
	}
	if !unicode.IsLetter(prev) || !unicode.IsLetter(next) {
		return false
	}
	// the letter before the dot must stand alone (start of word or after a dot)
	j := i - utf8.RuneLen(prev)
	if j > 0 {
		b, _ := utf8.DecodeLastRuneInString(text[:j])
		if b != '.' && isWordRune(b) {
			return false
		}
	}
	// and the letter after it too
	k := i + 1 + utf8.RuneLen(next)
	if k < len(text) {
		a, _ := utf8.DecodeRuneInString(text[k:])
		if isWordRune(a) {
			return false
		}
	}
	return true
}

// acronymEnd reports whether the dot at i ends an acronym like "U.S.".
func acronymEnd(text string, i int) bool {
	// pattern X.Y. : the two runes before are a letter and a dot
	if i < 3 {
		return false
	}
	p1, s1 := utf8.DecodeLastRuneInString(text[:i])
	if !unicode.IsLetter(p1) {
		return false
	}
	p2, _ := utf8.DecodeLastRuneInString(text[:i-s1])
	return p2 == '.'
}

// possessiveAt returns the byte index of "'s" / "’s" ending s, or 0.
func possessiveAt(s string) int {
	if len(s) < 3 {
		return 0
	}
	if strings.HasSuffix(s, "'s") || strings.HasSuffix(s, "'S") {
		return len(s) - 2
	}
	if strings.HasSuffix(s, "’s") {
		return len(s) - len("’s")
	}
	return 0
}

// fold lower-cases s, strips common Latin diacritics and turns ’ into '.
// It returns s itself when there is nothing to change.
func fold(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		if r == '’' || r == '‘' {
			b.WriteByte('\'')
			continue
		}
		if r == '–' || r == '—' {
			b.WriteByte('-')
			continue
		}
		r = unicode.ToLower(r)
		if a, ok := foldMap[r]; ok {
			b.WriteString(a)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = func() map[rune]string {
	m := map[rune]string{}
	add := func(to string, from string) {
		for _, r := range from {
			m[r] = to
		}
	}
	add("a", "àáâãäåāăą")
	add("c", "çćčĉċ")
	add("d", "ďđ")
	add("e", "èéêëēĕėęě")
	add("g", "ğĝġģ")
	add("i", "ìíîïīĭįı")
	add("l", "ĺļľłŀ")
	add("n", "ñńņň")
	add("o", "òóôõöøōŏő")
	add("r", "ŕŗř")
	add("s", "śŝşšș")
	add("t", "ţťțŧ")
	add("u", "ùúûüūŭůűų")
	add("y", "ýÿŷ")
	add("z", "źżž")
	m['ß'] = "ss"
	m['æ'] = "ae"
	m['œ'] = "oe"
	return m
}()

// runeIndex converts byte offsets into rune offsets. Offsets are converted
// in any order; a checkpoint every 64 bytes keeps each call short.
type runeIndex struct {
	text   string
	ascii  bool
	checks []int32 // runes before byte k*64
}

func newRuneIndex(text string) *runeIndex {
	ri := &runeIndex{text: text, ascii: true}
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			ri.ascii = false
			break
		}
	}
	if ri.ascii {
		return ri
	}
	ri.checks = make([]int32, len(text)/64+1)
	n := int32(0)
	for k := 0; k < len(ri.checks); k++ {
		ri.checks[k] = n
		end := min((k+1)*64, len(text))
		for i := k * 64; i < end; i++ {
			if text[i]&0xC0 != 0x80 {
				n++
			}
		}
	}
	return ri
}

// runes returns the number of runes in text[:b].
func (ri *runeIndex) runes(b int) int {
	if ri.ascii {
		return b
	}
	k := b / 64
	n := int(ri.checks[k])
	for i := k * 64; i < b; i++ {
		if ri.text[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// span is [start, end) in runes, as written to JSON.
type Span [2]int

func (ri *runeIndex) span(start, end int) Span { return Span{ri.runes(start), ri.runes(end)} }
