package http

import (
	"regexp"
	"strings"
	"testing"

	"coalition"
)

// TestPalette: every category has a colour of its own (an unspecified
// category shares its type's colour, as it is the type's total), so that
// one category reads the same on every chart and two categories never
// share a colour in one chart (docs/palette.md); the charts ECharts draws
// use the same Okabe–Ito colours (dashboard.js).
func TestPalette(t *testing.T) {
	colors := map[string]string{}
	for k, v := range categoryColors {
		colors[k] = strings.ToUpper(v)
	}
	js, err := embedded.ReadFile("static/dashboard.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`okabeIto = \{([^}]*)\}`).FindSubmatch(js)
	if block == nil {
		t.Fatal("dashboard.js has no okabeIto")
	}
	var jsColors []string
	for _, kv := range regexp.MustCompile(`(\w+): '(#[0-9A-Fa-f]{6})'`).FindAllSubmatch(block[1], -1) {
		jsColors = append(jsColors, strings.ToUpper(string(kv[2])))
	}
	if strings.Join(jsColors, " ") != strings.Join([]string{oiBlue, oiOrange, oiGreen, oiPurple, oiSky, oiVermillion, oiYellow, oiBlack}, " ") {
		t.Errorf("dashboard.js's okabeIto is %v, the server's differs", jsColors)
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
