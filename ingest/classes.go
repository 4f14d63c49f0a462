package ingest

import (
	"strings"
	"sync"
)

// Word classes, computed once per spelling while tokenizing, so that the
// sentence loops test a bit instead of looking words up in several maps.
const (
	cStatement uint32 = 1 << iota
	cCall
	cMeet
	cSummit
	cLetter
	cAnaphor
	cAsk
	cPledge
	cGive
	cTriggerHead // will, 'll, to, shall, would (reported: "said it would provide")
	cNewish      // new, additional, fresh, further, extra
	cMention     // a mention word or the first word of a mention phrase
	cBlock
	cFuture
)

// wordClass is built on first use (not at start: every command would pay
// for it).
var wordClass = sync.OnceValue(func() map[string]uint32 {
	m := map[string]uint32{}
	set := func(words map[string]bool, c uint32) {
		for w, ok := range words {
			if ok {
				m[w] |= c
			}
		}
	}
	set(statementWords, cStatement)
	set(callWords, cCall)
	set(meetWords, cMeet)
	set(summitWords, cSummit)
	set(letterWords, cLetter)
	set(askWords, cAsk)
	set(pledgeWords, cPledge)
	set(giveVerbs, cGive)
	set(futureWords, cFuture)
	for w := range anaphors {
		m[w] |= cAnaphor
	}
	for _, w := range []string{"will", "'ll", "to", "shall", "would"} {
		m[w] |= cTriggerHead
	}
	for _, w := range []string{"new", "additional", "fresh", "further", "extra"} {
		m[w] |= cNewish
	}
	for w := range mentionWords {
		m[w] |= cMention
	}
	for p := range mentionPhrases {
		first, _, _ := strings.Cut(p, " ")
		m[first] |= cMention
	}
	for w := range blockWords {
		m[w] |= cBlock
	}
	return m
})
