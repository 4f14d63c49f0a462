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
	var qual string
	start := i
	if i < limit && qualifierStart[toks[i].norm] {
		for k, q := range qualifierWords {
			if n, ok := wordsAtList(toks, i, limit, q); ok {
				qual, i = qualifiers[k], i+n
				break
			}
		}
	}
	if wordIs(toks, i, limit, "between") {
		m, j, ok := ix.simpleMoneyAt(toks, i+1, limit)
		if ok && wordIs(toks, j, limit, "and") {
			if m2, k, ok2 := ix.rangeEnd(toks, j+1, limit, m); ok2 {
				// "between €2bn and €1bn" is the range €1–2bn; equal ends are
				// one amount.
				lo, hi := min(m.Value, m2.Value), max(m.Value, m2.Value)
				m.Value, m.Max = lo, hi
				if lo == hi {
					m.Max = 0
				}
				m.Qualifier = "between"
				return m, k, true
			}
		}
		return Money{}, start, false
	}
	m, j, ok := ix.simpleMoneyAt(toks, i, limit)
	if !ok {
		return Money{}, start, false
	}
	m.Qualifier = qual
	// ranges: "$1bn to $2bn", "$1bn-$2bn"
	if j < limit && (toks[j].norm == "to" || toks[j].text == "-" || toks[j].text == "–") {
		if m2, k, ok2 := ix.rangeEnd(toks, j+1, limit, m); ok2 && m2.Value > m.Value {
			m.Max = m2.Value
			return m, k, true
		}
	}
	return m, j, true
}

// rangeEnd reads the second amount of a range, whose currency may be left
// out ("$1 billion to 2 billion").
func (ix *index) rangeEnd(toks []token, i, limit int, first Money) (Money, int, bool) {
	if m, j, ok := ix.simpleMoneyAt(toks, i, limit); ok && m.Currency == first.Currency {
		return m, j, true
	}
	if i < limit && toks[i].kind == tNumber {
		v, scale, ok := parseNumber(toks[i].text)
		if ok {
			j := i + 1
			if scale == 0 {
				if j < limit && scales[toks[j].norm] > 0 {
					scale = scales[toks[j].norm]
					j++
				} else {
					scale = 1
					// "$1–2 billion" has no scale on the first number: borrow ours
				}
			}
			return Money{Value: v * scale, Currency: first.Currency}, j, true
		}
	}
	return Money{}, i, false
}

// simpleMoneyAt reads one amount: a currency before or after a number with
// an optional scale.
func (ix *index) simpleMoneyAt(toks []token, i, limit int) (Money, int, bool) {
	if i >= limit {
		return Money{}, i, false
	}
	// currency before: "A$", "US$", "$", "€", "NOK", "EUR"
	cur, bare, j := ix.currencyBefore(toks, i, limit)
	if cur != "" {
		if j < limit && toks[j].kind == tNumber && (toks[j].start-toks[j-1].end <= 1) {
			v, scale, max, k, ok := numberWithScale(toks, j, limit)
			if ok {
				return Money{Value: v * scale, Max: max * scale, Currency: cur, bareDollar: bare}, k, true
			}
		}
		return Money{}, i, false
	}
	// currency after: "85 billion Norwegian kroner", "500m euros", "1.5bn NOK"
	if toks[i].kind != tNumber {
		return Money{}, i, false
	}
	v, scale, max, k, ok := numberWithScale(toks, i, limit)
	if !ok || k >= limit {
		return Money{}, i, false
	}
	if c, ok := ix.currency[toks[k].norm]; ok && isCode(toks[k].text) {
		return Money{Value: v * scale, Max: max * scale, Currency: c}, k + 1, true
	}
	var buf []byte
	if mt, ok := ix.lookup(toks, k, limit, &buf); ok {
		for _, e := range mt.entries {
			if e.kind == eCurrencyName {
				return Money{Value: v * scale, Max: max * scale, Currency: ix.currencyCode(e.id)}, mt.j, true
			}
		}
	}
	return Money{}, i, false
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
		// "A$", "NZ$", "US$": letters glued to "$"
		if i+1 < limit && toks[i+1].text == "$" && toks[i+1].start == t.end {
			if c, ok := dollarMarks[t.norm]; ok {
				return c, false, i + 2
			}
			return "", false, i
		}
		if i+1 < limit && toks[i+1].kind == tSymbol && toks[i+1].start == t.end {
			if c, ok := ix.currency[t.norm+toks[i+1].norm]; ok {
				return c, false, i + 2 // "CN¥", "JP¥"
			}
		}
		if isCode(t.text) {
			if c, ok := ix.currency[t.norm]; ok && t.text == c {
				return c, false, i + 1 // "NOK 85 billion", "EUR 500m"
			}
		}
	}
	return "", false, i
}

func (ix *index) currencyCode(id int) string { return ix.codes[id] }

// numberWithScale reads "1.5", "1.5 billion", "2.26bn", "1-1.5bn", "1,500".
func numberWithScale(toks []token, i, limit int) (v, scale, max float64, next int, ok bool) {
	text := toks[i].text
	// a range inside one token: "1-1.5bn", "1–2"
	if k := strings.IndexAny(text, "-–"); k > 0 {
		a, sa, ok1 := parseNumber(text[:k])
		rest := strings.TrimLeft(text[k:], "-–")
		b, sb, ok2 := parseNumber(rest)
		if !ok1 || !ok2 || sa != 0 && sb == 0 {
			return 0, 0, 0, i, false
		}
		scale = sb
		next = i + 1
		if scale == 0 {
			scale = 1
			if next < limit && scales[toks[next].norm] > 0 {
				scale = scales[toks[next].norm]
				next++
			}
		}
		if sa != 0 {
			a = a * sa / scale
		}
		if b <= a {
			return 0, 0, 0, i, false
		}
		return a, scale, b, next, true
	}
	v, scale, ok = parseNumber(text)
	if !ok {
		return 0, 0, 0, i, false
	}
	next = i + 1
	if scale == 0 {
		scale = 1
		if next < limit && scales[toks[next].norm] > 0 && toks[next].kind == tWord {
			// "m" and "b" only glued or as a word of their own, never "m" of "m2"
			scale = scales[toks[next].norm]
			next++
		}
	}
	return v, scale, 0, next, true
}

// parseNumber parses "1,500", "2.26", "1,5" (decimal comma), "2.26bn",
// "500m"; scale is 0 when no scale is glued to the number.
func parseNumber(s string) (v, scale float64, ok bool) {
	k := 0
	for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == ',' || s[k] == '.') {
		k++
	}
	num, suffix := s[:k], strings.ToLower(s[k:])
	if num == "" || !unicode.IsDigit(rune(num[0])) || !unicode.IsDigit(rune(num[len(num)-1])) || len(num) > 24 {
		return 0, 0, false
	}
	if suffix != "" {
		scale = scales[suffix]
		if scale == 0 {
			return 0, 0, false
		}
	}
	// commas: thousands when every group after one has three digits, else a decimal comma
	if strings.Contains(num, ",") {
		parts := strings.Split(num, ",")
		thousands := true
		for _, p := range parts[1:] {
			if len(p) != 3 && !(strings.Contains(p, ".") && strings.Index(p, ".") == 3) {
				thousands = false
			}
		}
		if thousands {
			num = strings.ReplaceAll(num, ",", "")
		} else if len(parts) == 2 && !strings.Contains(num, ".") {
			num = parts[0] + "." + parts[1]
		} else {
			return 0, 0, false
		}
	}
	if strings.Count(num, ".") > 1 {
		return 0, 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, 0, false
	}
	return f, scale, true
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
