package ingest

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"coalition"
)

// Money is an amount of money as the text states it.
type Money struct {
	Value     float64 `json:"value"`               // in major units: 1.5e9 for "$1.5 billion"
	Max       float64 `json:"max,omitempty"`       // upper bound of a range ("$1–2 billion"), else 0
	Currency  string  `json:"currency"`            // ISO 4217
	Qualifier string  `json:"qualifier,omitempty"` // "more than", "up to", "about"...

	// bareDollar: written "$" with no country mark; USD unless the context
	// says another dollar (an Australian donor's "$100 million").
	bareDollar bool
}

func (m Money) String() string {
	s := strconv.FormatFloat(m.Value, 'f', -1, 64)
	if m.Max > 0 {
		s += "–" + strconv.FormatFloat(m.Max, 'f', -1, 64)
	}
	if m.Qualifier != "" {
		s = m.Qualifier + " " + s
	}
	return s + " " + m.Currency
}

// ParseMoney parses s as one money expression: "$1.5 billion", "€500m",
// "A$100 million", "£2.26bn", "NOK 85 billion", "85 billion Norwegian
// kroner", "¥471 billion", "C$2.5 billion", "between €1bn and €2bn", "more
// than A$1.5 billion". A bare "$" is USD.
func ParseMoney(s string) (Money, error) {
	kb, err := DefaultKB()
	if err != nil {
		return Money{}, err
	}
	toks := tokenize(s)
	if len(toks) == 0 {
		return Money{}, coalition.FieldError("amount", "is empty")
	}
	m, j, ok := kb.index.moneyAt(toks, 0, len(toks))
	if !ok {
		return Money{}, coalition.FieldError("amount", "%q is not an amount of money with a currency", s)
	}
	if j != len(toks) {
		return Money{}, coalition.FieldError("amount", "%q: unexpected %q after the amount", s, toks[j].text)
	}
	return m, nil
}

var qualifiers = []string{
	"more than", "over", "at least", "in excess of", "upwards of", "up to", "as much as", "almost", "nearly",
	"close to", "about", "around", "some", "roughly", "approximately", "an estimated", "less than", "under", "just over", "just under",
}

var qualifierWords = func() [][]string {
	out := make([][]string, len(qualifiers))
	for k, q := range qualifiers {
		out[k] = strings.Fields(q)
	}
	return out
}()

// qualifierStart holds the first words of qualifiers and "between".
var qualifierStart = func() map[string]bool {
	m := map[string]bool{"between": true}
	for _, q := range qualifiers {
		m[strings.Fields(q)[0]] = true
	}
	return m
}()

var scales = map[string]float64{
	"thousand": 1e3, "k": 1e3,
	"million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6,
	"billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
	"trillion": 1e12, "tn": 1e12, "trn": 1e12,
}

// dollarMarks are letters written against "$": "A$", "C$", "NZ$", "US$".
var dollarMarks = map[string]string{
	"a": "AUD", "au": "AUD", "aus": "AUD", "c": "CAD", "ca": "CAD", "can": "CAD", "nz": "NZD", "us": "USD", "u.s.": "USD", "hk": "HKD", "s": "SGD",
}

// moneyAt reads a money expression starting at token i (before limit),
// with an optional leading qualifier. It returns the amount and the index
// after it.
func (ix *index) moneyAt(toks []token, i, limit int) (Money, int, bool) {
	start := i
	qual, i := qualifierAt(toks, i, limit)
	if wordIs(toks, i, limit, "between") {
		return ix.betweenAt(toks, i, limit, start)
	}
	m, j, ok := ix.simpleMoneyAt(toks, i, limit)
	if !ok {
		return Money{}, start, false
	}
	m.Qualifier = qual
	// ranges: "$1bn to $2bn", "$1bn-$2bn"
	if j < limit && isRangeMark(toks[j]) {
		if m2, k, ok2 := ix.rangeEnd(toks, j+1, limit, m); ok2 && m2.Value > m.Value {
			m.Max = m2.Value
			return m, k, true
		}
	}
	return m, j, true
}

// qualifierAt reads a qualifier ("more than", "up to") at token i; it
// returns "" and i when there is none.
func qualifierAt(toks []token, i, limit int) (string, int) {
	if i >= limit || !qualifierStart[toks[i].norm] {
		return "", i
	}
	for k, q := range qualifierWords {
		if n, ok := wordsAtList(toks, i, limit, q); ok {
			return qualifiers[k], i + n
		}
	}
	return "", i
}

// isRangeMark: "to", "-" or "–" between the two ends of a range.
func isRangeMark(t token) bool { return t.norm == "to" || t.text == "-" || t.text == "–" }

// betweenAt reads "between €1bn and €2bn" from the "between" at token i;
// money read from start fails as a whole when the range does.
func (ix *index) betweenAt(toks []token, i, limit, start int) (Money, int, bool) {
	m, j, ok := ix.simpleMoneyAt(toks, i+1, limit)
	if !ok || !wordIs(toks, j, limit, "and") {
		return Money{}, start, false
	}
	m2, k, ok := ix.rangeEnd(toks, j+1, limit, m)
	if !ok {
		return Money{}, start, false
	}
	// "between €2bn and €1bn" is the range €1–2bn; equal ends are one
	// amount.
	lo, hi := min(m.Value, m2.Value), max(m.Value, m2.Value)
	m.Value, m.Max = lo, hi
	if lo == hi {
		m.Max = 0
	}
	m.Qualifier = "between"
	return m, k, true
}

// rangeEnd reads the second amount of a range, whose currency may be left
// out ("$1 billion to 2 billion").
func (ix *index) rangeEnd(toks []token, i, limit int, first Money) (Money, int, bool) {
	if m, j, ok := ix.simpleMoneyAt(toks, i, limit); ok && m.Currency == first.Currency {
		return m, j, true
	}
	if i >= limit || toks[i].kind != tNumber {
		return Money{}, i, false
	}
	v, scale, ok := parseNumber(toks[i].text)
	if !ok {
		return Money{}, i, false
	}
	j := i + 1
	if scale == 0 {
		// "$1–2 billion" has no scale on the first number: 1 unless a word follows
		scale, j = scaleWordAt(toks, j, limit)
	}
	return Money{Value: v * scale, Currency: first.Currency}, j, true
}

// simpleMoneyAt reads one amount: a currency before or after a number with
// an optional scale.
func (ix *index) simpleMoneyAt(toks []token, i, limit int) (Money, int, bool) {
	if i >= limit {
		return Money{}, i, false
	}
	// currency before: "A$", "US$", "$", "€", "NOK", "EUR"
	if cur, bare, j := ix.currencyBefore(toks, i, limit); cur != "" {
		return numberAfterCurrency(toks, i, j, limit, cur, bare)
	}
	return ix.numberBeforeCurrency(toks, i, limit)
}

// numberAfterCurrency reads the number right after a currency read from
// token i to j ("$ 5" at most one space apart).
func numberAfterCurrency(toks []token, i, j, limit int, cur string, bare bool) (Money, int, bool) {
	if j < limit && toks[j].kind == tNumber && (toks[j].start-toks[j-1].end <= 1) {
		if v, scale, max, k, ok := numberWithScale(toks, j, limit); ok {
			return Money{Value: v * scale, Max: max * scale, Currency: cur, bareDollar: bare}, k, true
		}
	}
	return Money{}, i, false
}

// numberBeforeCurrency reads a number with the currency after it: "85
// billion Norwegian kroner", "500m euros", "1.5bn NOK".
func (ix *index) numberBeforeCurrency(toks []token, i, limit int) (Money, int, bool) {
	if toks[i].kind != tNumber {
		return Money{}, i, false
	}
	v, scale, max, k, ok := numberWithScale(toks, i, limit)
	if !ok || k >= limit {
		return Money{}, i, false
	}
	cur, next, ok := ix.currencyAfter(toks, k, limit)
	if !ok {
		return Money{}, i, false
	}
	return Money{Value: v * scale, Max: max * scale, Currency: cur}, next, true
}

// currencyAfter reads a currency code ("NOK") or name ("Norwegian
// kroner") at token k.
func (ix *index) currencyAfter(toks []token, k, limit int) (string, int, bool) {
	if c, ok := ix.currency[toks[k].norm]; ok && isCode(toks[k].text) {
		return c, k + 1, true
	}
	var buf []byte
	if mt, ok := ix.lookup(toks, k, limit, &buf); ok {
		for _, e := range mt.entries {
			if e.kind == eCurrencyName {
				return ix.currencyCode(e.id), mt.j, true
			}
		}
	}
	return "", k, false
}

func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// currencyBefore reads a currency written before a number. It returns ""
// if there is none.
func (ix *index) currencyBefore(toks []token, i, limit int) (cur string, bare bool, next int) {
	t := toks[i]
	switch t.kind {
	case tSymbol:
		c := ix.currency[t.norm]
		return c, t.text == "$", i + 1
	case tWord:
		c, next := ix.wordCurrencyAt(toks, i, limit)
		return c, false, next
	}
	return "", false, i
}

// wordCurrencyAt reads a currency that starts with a word: letters glued
// to a sign ("A$", "NZ$", "US$", "CN¥") or a code as written ("NOK 85
// billion", "EUR 500m").
func (ix *index) wordCurrencyAt(toks []token, i, limit int) (string, int) {
	t := toks[i]
	if i+1 < limit && toks[i+1].start == t.end && toks[i+1].kind == tSymbol {
		sign := toks[i+1]
		if sign.text == "$" {
			c, ok := dollarMarks[t.norm]
			if !ok {
				return "", i
			}
			return c, i + 2
		}
		if c, ok := ix.currency[t.norm+sign.norm]; ok {
			return c, i + 2
		}
	}
	if c, ok := ix.currency[t.norm]; ok && isCode(t.text) && t.text == c {
		return c, i + 1
	}
	return "", i
}

func (ix *index) currencyCode(id int) string { return ix.codes[id] }

// numberWithScale reads "1.5", "1.5 billion", "2.26bn", "1-1.5bn", "1,500".
func numberWithScale(toks []token, i, limit int) (v, scale, max float64, next int, ok bool) {
	text := toks[i].text
	if k := strings.IndexAny(text, "-–"); k > 0 {
		return numberRange(toks, i, limit, text, k)
	}
	v, scale, ok = parseNumber(text)
	if !ok {
		return 0, 0, 0, i, false
	}
	next = i + 1
	if scale == 0 {
		scale, next = scaleWordAt(toks, next, limit)
	}
	return v, scale, 0, next, true
}

// numberRange reads a range inside one token, split at k: "1-1.5bn",
// "1–2"; the first number takes the second's scale unless it has its own.
func numberRange(toks []token, i, limit int, text string, k int) (v, scale, max float64, next int, ok bool) {
	a, sa, ok1 := parseNumber(text[:k])
	b, sb, ok2 := parseNumber(strings.TrimLeft(text[k:], "-–"))
	if !ok1 || !ok2 || sa != 0 && sb == 0 {
		return 0, 0, 0, i, false
	}
	scale, next = sb, i+1
	if scale == 0 {
		scale, next = scaleWordAt(toks, next, limit)
	}
	if sa != 0 {
		a = a * sa / scale
	}
	if b <= a {
		return 0, 0, 0, i, false
	}
	return a, scale, b, next, true
}

// scaleWordAt reads a scale word at token i ("billion", "m": a word of its
// own, never the "m" of "m2"); with none the scale is 1 and i is next.
func scaleWordAt(toks []token, i, limit int) (scale float64, next int) {
	if i < limit && scales[toks[i].norm] > 0 && toks[i].kind == tWord {
		return scales[toks[i].norm], i + 1
	}
	return 1, i
}

// parseNumber parses "1,500", "2.26", "1,5" (decimal comma), "2.26bn",
// "500m"; scale is 0 when no scale is glued to the number.
func parseNumber(s string) (v, scale float64, ok bool) {
	num, suffix := splitDigits(s)
	if !digitsAtEnds(num) {
		return 0, 0, false
	}
	if suffix != "" {
		if scale = scales[suffix]; scale == 0 {
			return 0, 0, false
		}
	}
	num, ok = decimalPoint(num)
	if !ok || strings.Count(num, ".") > 1 {
		return 0, 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, 0, false
	}
	return f, scale, true
}

// splitDigits splits s into its leading digits, commas and dots and the
// rest in lower case (a glued scale: "bn").
func splitDigits(s string) (num, suffix string) {
	k := 0
	for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == ',' || s[k] == '.') {
		k++
	}
	return s[:k], strings.ToLower(s[k:])
}

// digitsAtEnds: a number starts and ends with a digit and has at most 24
// characters.
func digitsAtEnds(num string) bool {
	return num != "" && unicode.IsDigit(rune(num[0])) && unicode.IsDigit(rune(num[len(num)-1])) && len(num) <= 24
}

// decimalPoint rewrites commas: thousands separators when every group
// after the first has three digits ("1,500.25"), else one decimal comma
// ("1,5"); anything else is no number.
func decimalPoint(num string) (string, bool) {
	if !strings.Contains(num, ",") {
		return num, true
	}
	parts := strings.Split(num, ",")
	if thousandsGroups(parts[1:]) {
		return strings.ReplaceAll(num, ",", ""), true
	}
	if len(parts) == 2 && !strings.Contains(num, ".") {
		return parts[0] + "." + parts[1], true
	}
	return "", false
}

// thousandsGroups: every group has three digits, the last maybe followed
// by decimals.
func thousandsGroups(groups []string) bool {
	for _, p := range groups {
		if len(p) != 3 && strings.Index(p, ".") != 3 {
			return false
		}
	}
	return true
}

func wordIs(toks []token, i, limit int, w string) bool { return i < limit && toks[i].norm == w }

func wordsAtList(toks []token, i, limit int, words []string) (int, bool) {
	for n, w := range words {
		if i+n >= limit || toks[i+n].norm != w {
			return 0, false
		}
	}
	return len(words), true
}
