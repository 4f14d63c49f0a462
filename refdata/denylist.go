package refdata

import "strings"

// DeniedSources are the marks of sources no expert would cite (issue 15
// §4): wikis and their mirrors, a forum, a search-result page, a proxy and
// content farms. A bundled source or a seeded risk event that contains one
// of them is a regression; the tests hold the data to this list.
var DeniedSources = []string{
	"wikipedia", "wikimili", "grokipedia", "pinocchiopedia", "workers.dev",
	"democraticunderground", "enow.com", "pixelation", "czwiki", "explained.today",
	"hyperlocalloop", "frontpage.ink", "gaya.one", "areterapa", "fanyv88", "wiki.",
}

// DeniedSource returns the first entry of DeniedSources that s contains
// (case-insensitive), or "" if it contains none.
func DeniedSource(s string) string {
	s = strings.ToLower(s)
	for _, d := range DeniedSources {
		if strings.Contains(s, d) {
			return d
		}
	}
	return ""
}
