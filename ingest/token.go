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
		if r == '\n' {
			blank = blank || nl
			nl = true
			i += size
			continue
		}
		if r == ' ' || r == '\t' || r == '\r' || r == '\u00a0' || unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		var kind uint8
		kind, i = scanToken(text, i, r, size)
		t := token{start: start, end: i, text: text[start:i], kind: kind, newline: nl, blank: blank, upper: unicode.IsUpper(r)}
		t.norm, t.cls = foldCached(folded, t.text)
		toks = appendToken(toks, t, text)
		nl, blank = false, false
	}
	return toks
}

// scanToken reads the token starting with rune r (size bytes) at i: a
// word or a number, a currency sign, or one rune of punctuation.
func scanToken(text string, i int, r rune, size int) (kind uint8, end int) {
	switch {
	case unicode.IsDigit(r):
		return tNumber, scanWord(text, i)
	case isWordRune(r):
		return tWord, scanWord(text, i)
	case isCurrencySign(r):
		return tSymbol, i + size
	}
	return tPunct, i + size
}

// foldCached returns the folded form and word classes of a spelling,
// computed once per spelling while the cache has room.
func foldCached(folded map[string]folding, text string) (norm string, cls uint32) {
	if f, ok := folded[text]; ok {
		return f.norm, f.cls
	}
	norm = fold(text)
	cls = wordClass()[norm]
	if len(folded) < maxFolded {
		key := strings.Clone(text)
		kept := key
		if norm != text {
			kept = strings.Clone(norm)
		}
		folded[key] = folding{kept, cls}
	}
	return norm, cls
}

// appendToken appends t to toks, as two tokens when it is a word ending in
// a possessive: "Australia's" is "Australia" and "'s".
func appendToken(toks []token, t token, text string) []token {
	k := possessiveAt(t.text)
	if k <= 0 || t.kind != tWord {
		return append(toks, t)
	}
	a := t
	a.end = t.start + k
	a.text = text[a.start:a.end]
	a.norm = fold(a.text)
	a.cls = wordClass()[a.norm]
	return append(toks, a, token{start: a.end, end: t.end, kind: tWord, text: text[a.end:t.end], norm: "'s"})
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
		if !isJoiner(r) {
			return i
		}
		next, nsize := utf8.DecodeRuneInString(text[i+size:])
		if i+size < len(text) && isWordRune(next) {
			if !joins(text, i, r, next) {
				return i
			}
			i += size + nsize
			continue
		}
		// "U.S." keeps its final dot when it is an acronym's.
		if r == '.' && acronymEnd(text, i) {
			return i + size
		}
		return i
	}
	return i
}

// isJoiner: the runes that may join two word runes into one word.
func isJoiner(r rune) bool {
	switch r {
	case '-', '\'', '’', '.', ',', '–':
		return true
	}
	return false
}

// joins reports whether the joiner r at i joins the word runes around it:
// a comma or an en dash only between digits, a dot only in a number or an
// acronym.
func joins(text string, i int, r, next rune) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	switch r {
	case ',', '–':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	case '.':
		return acronymDot(text, i, prev, next)
	}
	return true
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
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		writeFolded(&b, r)
	}
	return b.String()
}

// isFolded: plain ASCII without capitals, the usual case, which fold
// leaves alone.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// writeFolded writes the folded form of r to b.
func writeFolded(b *strings.Builder, r rune) {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	switch r {
	case '’', '‘':
		b.WriteByte('\'')
		return
	case '–', '—':
		b.WriteByte('-')
		return
	}
	r = unicode.ToLower(r)
	if a, ok := foldMap[r]; ok {
		b.WriteString(a)
		return
	}
	b.WriteRune(r)
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
