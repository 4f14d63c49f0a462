package http

import (
	"regexp"
	"strings"
	"testing"

	"coalition"
)

// TestPalette: dashboard.js gives every category a colour of its own (an
// unspecified category shares its type's colour, as it is the type's
// total), so that one category reads the same on every chart and two
// categories never share a colour in one chart (docs/palette.md).
func TestPalette(t *testing.T) {
	js, err := embedded.ReadFile("static/dashboard.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)var categoryColors = \{(.*?)\};`).FindSubmatch(js)
	if block == nil {
		t.Fatal("dashboard.js has no categoryColors")
	}
	named := map[string]string{}
	for _, m := range regexp.MustCompile(`okabeIto = \{([^}]*)\}`).FindAllSubmatch(js, 1) {
		for _, kv := range regexp.MustCompile(`(\w+): '(#[0-9A-Fa-f]{6})'`).FindAllSubmatch(m[1], -1) {
			named["okabeIto."+string(kv[1])] = strings.ToUpper(string(kv[2]))
		}
	}
	colors := map[string]string{}
	for _, kv := range regexp.MustCompile(`'?([A-Z][^':,]*?)'?: ('#[0-9A-Fa-f]{6}'|okabeIto\.\w+)`).FindAllSubmatch(block[1], -1) {
		c := strings.Trim(string(kv[2]), "'")
		if v, ok := named[c]; ok {
			c = v
		}
		colors[string(kv[1])] = strings.ToUpper(c)
	}
	typeColor := map[coalition.SupportType]string{}
	for _, ty := range []coalition.SupportType{coalition.Military, coalition.Financial, coalition.Humanitarian, coalition.Reconstruction} {
		name := strings.ToUpper(string(ty[:1])) + string(ty[1:])
		if typeColor[ty] = colors[name]; typeColor[ty] == "" {
			t.Errorf("type %s has no colour", name)
		}
	}
	owner := map[string]string{}
	for _, c := range coalition.Categories {
		col := colors[c.Label]
		if col == "" {
			t.Errorf("category %q has no colour", c.Label)
			continue
		}
		if c.Code == string(c.Type) {
			if col != typeColor[c.Type] {
				t.Errorf("%q: %s, want its type's colour %s", c.Label, col, typeColor[c.Type])
			}
			continue
		}
		if prev, ok := owner[col]; ok {
			t.Errorf("%q and %q share the colour %s", prev, c.Label, col)
		}
		owner[col] = c.Label
	}
	for ty, col := range typeColor {
		if prev, ok := owner[col]; ok {
			t.Errorf("type %s's colour %s is also %q's", ty, col, prev)
		}
	}
}
