package http

import (
	"encoding/json"
	"encoding/xml"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// plotRect is a bar of a plot drawn on the server, as the SVG gives it.
type plotRect struct {
	X, Y, W, H string // as written: "4%" or "18"
	Fill       string
	Title      string
}

// plot is what a reader of a server-drawn chart sees: its legend, its bars
// in the order drawn, the value axis's tick labels, and the months' labels.
type plot struct {
	Legend []string
	Rects  []plotRect
	Ticks  []string
	Months []string
	Height string
}

// parsePlot reads a chart drawn by chart.SVG (its legend and SVG).
func parsePlot(t *testing.T, html string) plot {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader("<r>" + html + "</r>"))
	dec.Strict = true
	var p plot
	var stack []xml.StartElement
	var text strings.Builder
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("the chart is not well-formed: %v\n%.500s", err, html)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e)
			text.Reset()
			switch {
			case e.Name.Local == "rect" && len(stack) >= 2 && stack[len(stack)-2].Name.Local == "svg" && attr(stack[len(stack)-2], "class") != "":
				p.Rects = append(p.Rects, plotRect{X: attr(e, "x"), Y: attr(e, "y"), W: attr(e, "width"), H: attr(e, "height"), Fill: attr(e, "fill")})
			case e.Name.Local == "svg" && strings.HasPrefix(attr(e, "class"), "plot"):
				p.Height = attr(e, "height")
			}
		case xml.CharData:
			text.Write(e)
		case xml.EndElement:
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case e.Name.Local == "title" && len(p.Rects) > 0:
				p.Rects[len(p.Rects)-1].Title = text.String()
			case e.Name.Local == "li":
				p.Legend = append(p.Legend, text.String())
			case e.Name.Local == "text" && attr(top, "class") == "tick":
				p.Ticks = append(p.Ticks, text.String())
			case e.Name.Local == "text" && attr(top, "class") == "month":
				p.Months = append(p.Months, text.String())
			}
			text.Reset()
		}
	}
	return p
}

// num reads a coordinate ("12.5%" or "18").
func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		t.Fatalf("coordinate %q: %v", s, err)
	}
	return v
}

// TestChartSVGColumns: a stacked chart over months, figures worked by hand.
// Military 1 bn, 0, 2 bn and Financial 0.5 bn, 0, −1 bn over Jan–Mar 2024:
// the ticks are −1, 0, 1 and 2 bn (steps of 1 bn cover −1..2 bn in four or
// fewer), so 3 bn spans the plot's 83% of the height (7% to 90%): 1 bn is
// 27.67% high, zero is at 62.33%. A month is 33.33% wide and its column
// 76% of that (25.33%), from 12% in (4%).
func TestChartSVGColumns(t *testing.T) {
	c := chart{Kind: "stack", Data: stackData{Unit: "EUR", X: []string{"2024-01", "2024-02", "2024-03"}, Series: []series{
		{Name: "Military", Values: []float64{1e9, 0, 2e9}},
		{Name: "Financial", Values: []float64{0.5e9, 0, -1e9}},
	}}}
	p := parsePlot(t, string(c.SVG()))
	if strings.Join(p.Legend, "|") != "Military|Financial" {
		t.Errorf("legend %q", p.Legend)
	}
	if strings.Join(p.Ticks, "|") != "-€1 bn|€0|€1 bn|€2 bn" {
		t.Errorf("ticks %q", p.Ticks)
	}
	if strings.Join(p.Months, "|") != "Jan 2024|Feb 2024|Mar 2024" {
		t.Errorf("months %q", p.Months)
	}
	want := []plotRect{
		{X: "4%", Y: "34.67%", W: "25.33%", H: "27.67%", Fill: oiBlue, Title: "Jan 2024 · Military: €1.0 bn (month total €1.5 bn)"},
		{X: "4%", Y: "20.83%", W: "25.33%", H: "13.83%", Fill: oiOrange, Title: "Jan 2024 · Financial: €500.0 m (month total €1.5 bn)"},
		{X: "70.67%", Y: "7%", W: "25.33%", H: "55.33%", Fill: oiBlue, Title: "Mar 2024 · Military: €2.0 bn (month total €1.0 bn)"},
		{X: "70.67%", Y: "62.33%", W: "25.33%", H: "27.67%", Fill: oiOrange, Title: "Mar 2024 · Financial: -€1.0 bn (month total €1.0 bn)"},
	}
	checkRects(t, "column", p.Rects, want)
}

// checkRects compares the bars drawn with those worked by hand.
func checkRects(t *testing.T, what string, got, want []plotRect) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d bars, want %d (one per figure that is not zero): %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("%s %d = %+v, want %+v", what, i, got[i], w)
		}
	}
}

// TestChartSVGRows: bars per label, grouped and stacked, worked by hand.
func TestChartSVGRows(t *testing.T) {
	grouped := chart{Kind: "bar", Data: barData{Unit: "units", Labels: []string{"HIMARS", "Patriot <PAC-3>"}, Series: []series{
		{Name: "Pledged", Values: []float64{40, 10}},
		{Name: "Delivered", Values: []float64{20, 0}},
	}}}
	p := parsePlot(t, string(grouped.SVG()))
	// 40 units take the rows' 76% of the width; a row is 16 px of label,
	// two bars of 9 px and 2 px each, and 5 px: 43 px.
	want := []plotRect{
		{X: "0%", Y: "16", W: "76%", H: "9", Fill: oiBlue, Title: "HIMARS · Pledged: 40"},
		{X: "0%", Y: "27", W: "38%", H: "9", Fill: oiOrange, Title: "HIMARS · Delivered: 20"},
		{X: "0%", Y: "59", W: "19%", H: "9", Fill: oiBlue, Title: "Patriot <PAC-3> · Pledged: 10"},
	}
	if p.Height != "86" {
		t.Errorf("height %s px, want 86", p.Height)
	}
	checkRects(t, "grouped bar", p.Rects, want)
	stacked := chart{Kind: "stack", Data: stackData{Unit: "EUR", X: []string{"Germany", "France"}, Series: []series{
		{Name: "Air defence", Values: []float64{3e9, 1e9}},
		{Name: "Loans", Values: []float64{1e9, 0}},
	}}}
	p = parsePlot(t, string(stacked.SVG()))
	// 4 bn take 76%; a row is 16 + 12 + 2 + 5 = 35 px.
	want = []plotRect{
		{X: "0%", Y: "16", W: "57%", H: "12", Fill: oiSky, Title: "Germany · Air defence: €3.0 bn"},
		{X: "57%", Y: "16", W: "19%", H: "12", Fill: "#B07A00", Title: "Germany · Loans: €1.0 bn"},
		{X: "0%", Y: "51", W: "19%", H: "12", Fill: oiSky, Title: "France · Air defence: €1.0 bn"},
	}
	checkRects(t, "stacked bar", p.Rects, want)
	if (chart{Kind: "map", Data: mapData{}}).SVG() != "" {
		t.Error("a map is drawn on the server; ECharts draws it")
	}
}

// TestNiceTicks: over ranges from hundreds of euros to trillions, with and
// without negative figures, the ticks cover the range, hold zero, number
// three to seven, and no two adjacent labels read the same.
func TestNiceTicks(t *testing.T) {
	for _, hi := range []float64{0, 1, 7, 90, 999, 1500, 2.6e4, 1e6, 3.3e6, 1.5e9, 2.2e9, 2.5e9, 9.99e9, 2.3e10, 4.1e11, 1.2e12} {
		for _, lo := range []float64{0, -hi / 3, -hi, -2.5e6} {
			ticks := niceTicks(lo, hi, 4)
			if len(ticks) < 3 || len(ticks) > 7 {
				t.Errorf("%g..%g: %d ticks %v", lo, hi, len(ticks), ticks)
			}
			if ticks[0] > lo || ticks[len(ticks)-1] < hi {
				t.Errorf("%g..%g: ticks %v do not cover it", lo, hi, ticks)
			}
			zero := false
			for _, v := range ticks {
				zero = zero || v == 0
			}
			if !zero {
				t.Errorf("%g..%g: no zero among %v", lo, hi, ticks)
			}
			for _, unit := range []string{"EUR", "units"} {
				var labels []string
				for _, v := range ticks {
					labels = append(labels, axisLabel(unit, v))
				}
				if i := repeatedLabel(labels); i > 0 {
					t.Errorf("%g..%g %s: labels %q repeat", lo, hi, unit, labels)
				}
			}
		}
	}
	if got := axisLabel("EUR", 1.5e9); got != "€1.5 bn" {
		t.Errorf("1.5e9 reads %q", got)
	}
	if got := axisLabel("EUR", -2.5e6); got != "-€2.5 m" {
		t.Errorf("-2.5e6 reads %q", got)
	}
}

// TestServerChartsMatchData: on the bundled data, every chart the server
// draws has one bar per figure that is not zero, in the order of the
// chart's data, with a size proportional to the figure (the same scale
// for every bar of a chart) and the figure in its tooltip.
func TestServerChartsMatchData(t *testing.T) {
	h, _ := newUIServer(t)
	divRE := regexp.MustCompile(`(?s)<div class="chart-svg chart-(\w+)" id="([\w-]+)"[^>]*>(.*?)</div>\s*<script type="application/json" id="([\w-]+)-data">(.*?)</script>`)
	seen := map[string]bool{}
	for _, path := range []string{"/", "/countries/USA", "/scenarios?withdraw=USA&run=1", "/equipment", "/risk", "/force"} {
		body := get(t, h, path).Body.String()
		for _, m := range divRE.FindAllStringSubmatch(body, -1) {
			kind, id, svg, data := m[1], m[2], m[3], m[5]
			seen[kind] = true
			var d struct {
				Unit   string   `json:"unit"`
				X      []string `json:"x"`
				Labels []string `json:"labels"`
				Series []series `json:"series"`
			}
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				t.Fatalf("%s %s: %v", path, id, err)
			}
			p := parsePlot(t, svg)
			_, months := monthAxis(d.X)
			columns := kind == "stack" && months
			cats := append(d.X, d.Labels...)
			var values []float64
			for i := range cats {
				for _, s := range d.Series {
					if s.Values[i] != 0 {
						values = append(values, s.Values[i])
					}
				}
			}
			if len(p.Rects) != len(values) {
				t.Errorf("%s %s: %d bars for %d figures that are not zero", path, id, len(p.Rects), len(values))
				continue
			}
			size := func(r plotRect) float64 {
				if columns {
					return num(t, r.H)
				}
				return num(t, r.W)
			}
			big := 0 // the scale, from the largest bar (the least rounded)
			for i, v := range values {
				if math.Abs(v) > math.Abs(values[big]) {
					big = i
				}
			}
			scale := size(p.Rects[big]) / math.Abs(values[big])
			for i, r := range p.Rects {
				size := size(r)
				if math.Abs(size-scale*math.Abs(values[i])) > 0.011 {
					t.Errorf("%s %s bar %d (%s): size %g, want %g for %g", path, id, i, r.Title, size, scale*math.Abs(values[i]), values[i])
				}
				if !strings.Contains(r.Title, ": "+amount(d.Unit, values[i])) {
					t.Errorf("%s %s bar %d: tooltip %q does not give %s", path, id, i, r.Title, amount(d.Unit, values[i]))
				}
			}
			if len(d.Series) > 1 && len(p.Legend) != len(d.Series) {
				t.Errorf("%s %s: legend %q for %d series", path, id, p.Legend, len(d.Series))
			}
		}
	}
	if !seen["stack"] || !seen["bar"] {
		t.Errorf("kinds drawn on the server seen: %v, want stack and bar", seen)
	}
}
