package http

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"coalition"
)

// Charts of the stack and bar kinds are drawn here, on the server, as an
// inline SVG in the page; ECharts (static/dashboard.js) draws the others
// (map, heat, fan, gap, targets, timeline) in the browser. A page whose
// charts are all drawn here loads no chart library, and its first chart
// is there with the first paint: on a phone, evaluating ECharts and
// drawing the first chart with it were the long tasks that held `/` under
// Lighthouse's performance bar (docs/lighthouse.md).
//
// The SVG has no viewBox: its width is the page's (x in percent, offsets
// in px with dx), so that text keeps its size on a phone instead of
// shrinking with the drawing. Each bar carries its figure as a <title>
// (the pointer's tooltip); the table behind the chart holds every figure
// for a screen reader and for copying.

// The palette (docs/palette.md): Okabe and Ito's eight colours, which stay
// distinct for the common colour-vision deficiencies. One colour per
// support type and per category, the same on every chart: a category not
// broken down ("Military (unspecified)") takes its type's colour, the
// others a shade of it. dashboard.js uses okabeIto and palette for the
// charts it draws.
const (
	oiBlue       = "#0072B2"
	oiOrange     = "#E69F00"
	oiGreen      = "#009E73"
	oiPurple     = "#CC79A7"
	oiSky        = "#56B4E9"
	oiVermillion = "#D55E00"
	oiYellow     = "#F0E442"
	oiBlack      = "#000000"
)

// categoryColors is keyed by the label a reader sees (series names).
var categoryColors = map[string]string{
	"Military": oiBlue, "Military (unspecified)": oiBlue,
	"Air defence": oiSky, "Artillery and ammunition": "#003F6E", "Armour": "#3C8DC4",
	"Aircraft": "#9CCBEB", "Drones": "#00558A", "Naval": "#6FA8D6", "Training": "#B9DCF2", "Other military": "#2A6E9E",
	"Financial": oiOrange, "Financial (unspecified)": oiOrange,
	"Budget support": "#F5C463", "Loans": "#B07A00", "Guarantees": "#FAE0A8",
	"Humanitarian":   oiGreen,
	"Reconstruction": oiPurple, "Reconstruction and energy": oiPurple,
}

// palette colours series that are not categories (donors, plan and actual), in order.
var palette = []string{oiBlue, oiOrange, oiGreen, oiVermillion, oiPurple, oiSky, oiYellow, oiBlack}

// seriesColors gives each series its category's colour, and the others
// the palette's colours in order, skipping those a category took.
func seriesColors(ss []series) []string {
	out := make([]string, len(ss))
	used := map[string]bool{}
	for i, s := range ss {
		out[i] = categoryColors[s.Name]
		used[out[i]] = true
	}
	var free []string
	for _, c := range palette {
		if !used[c] {
			free = append(free, c)
		}
	}
	next := 0
	for i := range out {
		if out[i] == "" {
			out[i] = free[next%len(free)]
			next++
		}
	}
	return out
}

// SVG draws the chart when its kind is drawn on the server (stack and
// bar), and is empty for the kinds ECharts draws in the browser.
func (c chart) SVG() template.HTML {
	var b svgWriter
	switch d := c.Data.(type) {
	case stackData:
		if months, ok := monthAxis(d.X); ok {
			b.columns(d, months)
		} else {
			b.rows(d.Unit, d.X, d.Series, true)
		}
	case barData:
		b.rows(d.Unit, d.Labels, d.Series, false)
	default:
		return ""
	}
	return template.HTML(b.String())
}

// svgWriter writes a chart's legend and SVG.
type svgWriter struct{ strings.Builder }

const (
	plotHeight = 300  // px of a chart over time; style.css may set another
	plotTop    = 7.0  // % of the height above the highest tick, for its label
	plotBottom = 90.0 // % of the height at the lowest tick; the months' labels below
	rowsSpan   = 76.0 // % of the width the longest bar takes; its figure after it
)

// legend lists the series with their colours when there are several.
func (b *svgWriter) legend(ss []series, colors []string) {
	if len(ss) < 2 {
		return
	}
	b.WriteString(`<ul class="legend">`)
	for i, s := range ss {
		fmt.Fprintf(b, `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="%s"/></svg>%s</li>`,
			colors[i], template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</ul>`)
}

// columns draws a stacked column per month: positive figures stacked up
// from zero, negative ones (a surplus against a gap) down from it, with
// round ticks on a value axis and the years (or months) below.
func (b *svgWriter) columns(d stackData, months []coalition.Month) {
	colors := seriesColors(d.Series)
	b.legend(d.Series, colors)
	n := len(d.X)
	up, down := make([]float64, n), make([]float64, n)
	for _, s := range d.Series {
		for i, v := range s.Values {
			if v > 0 {
				up[i] += v
			} else {
				down[i] += v
			}
		}
	}
	lo, hi := 0.0, 0.0
	for i := range n {
		lo, hi = min(lo, down[i]), max(hi, up[i])
	}
	ticks := niceTicks(lo, hi, 4)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	y := func(v float64) float64 { return plotBottom - (v-lo)/(hi-lo)*(plotBottom-plotTop) }
	fmt.Fprintf(b, `<svg class="plot" width="100%%" height="%d" aria-hidden="true">`, plotHeight)
	for _, t := range ticks {
		fmt.Fprintf(b, `<line class="grid" x1="0" x2="100%%" y1="%s%%" y2="%s%%"/>`, f2(y(t)), f2(y(t)))
	}
	w := 100 / float64(n)
	for i, m := range months {
		total := up[i] + down[i]
		pos, neg := 0.0, 0.0
		for k, s := range d.Series {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			from := &pos
			if v < 0 {
				from = &neg
			}
			top, bottom := y(*from+v), y(*from)
			if v < 0 {
				top, bottom = bottom, top
			}
			*from += v
			fmt.Fprintf(b, `<rect x="%s%%" y="%s%%" width="%s%%" height="%s%%" fill="%s"><title>%s · %s: %s (month total %s)</title></rect>`,
				f2(w*(float64(i)+0.12)), f2(top), f2(w*0.76), f2(bottom-top), colors[k],
				monthLabel(m), template.HTMLEscapeString(s.Name), amount(d.Unit, v), amount(d.Unit, total))
		}
	}
	fmt.Fprintf(b, `<line class="axis" x1="0" x2="100%%" y1="%s%%" y2="%s%%"/>`, f2(y(0)), f2(y(0)))
	for _, t := range ticks {
		fmt.Fprintf(b, `<text class="tick" x="0" y="%s%%" dy="-3">%s</text>`, f2(y(t)), axisLabel(d.Unit, t))
	}
	every, label := monthTicks(months)
	for i, m := range months {
		if !every(i, m) {
			continue
		}
		// a label at either end is aligned with the plot's edge, not centred past it
		mid, x, anchor := w*(float64(i)+0.5), w*(float64(i)+0.5), "middle"
		switch {
		case i == 0 && n > 2:
			x, anchor = 0, "start"
		case i == n-1 && n > 2:
			x, anchor = 100, "end"
		}
		fmt.Fprintf(b, `<line class="axis" x1="%s%%" x2="%s%%" y1="%s%%" y2="%s%%"/>`, f2(mid), f2(mid), f2(plotBottom), f2(plotBottom+1.5))
		fmt.Fprintf(b, `<text class="month" x="%s%%" y="100%%" dy="-4" text-anchor="%s">%s</text>`, f2(x), anchor, label(m))
	}
	b.WriteString(`</svg>`)
}

// rows draws a bar per label (a row: the label above its bar, the figure
// after it): one bar, several side by side (grouped series), or one bar
// stacked from the series (stacked).
func (b *svgWriter) rows(unit string, labels []string, ss []series, stacked bool) {
	colors := seriesColors(ss)
	b.legend(ss, colors)
	bars := len(ss)
	if stacked {
		bars = 1
	}
	barH := 12.0
	if bars > 1 {
		barH = 9
	}
	rowH := 16 + float64(bars)*(barH+2) + 5
	lo, hi := 0.0, 0.0
	for i := range labels {
		pos, neg := 0.0, 0.0
		for _, s := range ss {
			v := s.Values[i]
			if !stacked {
				pos, neg = max(pos, v), min(neg, v)
			} else if v > 0 {
				pos += v
			} else {
				neg += v
			}
		}
		lo, hi = min(lo, neg), max(hi, pos)
	}
	if hi == lo {
		hi = lo + 1
	}
	x := func(v float64) float64 { return (v - lo) / (hi - lo) * rowsSpan }
	fmt.Fprintf(b, `<svg class="plot rows" width="100%%" height="%d" aria-hidden="true">`, int(math.Ceil(rowH*float64(len(labels)))))
	for i, label := range labels {
		top := float64(i) * rowH
		fmt.Fprintf(b, `<text class="label" x="0" y="%s">%s</text>`, f2(top+12), template.HTMLEscapeString(label))
		barY := top + 16
		pos, neg, total := 0.0, 0.0, 0.0
		for k, s := range ss {
			v := s.Values[i]
			total += v
			from := 0.0
			if stacked && v >= 0 {
				from, pos = pos, pos+v
			} else if stacked {
				from, neg = neg, neg+v
			}
			left, right := x(from), x(from+v)
			if right < left {
				left, right = right, left
			}
			what := template.HTMLEscapeString(label)
			if len(ss) > 1 {
				what += " · " + template.HTMLEscapeString(s.Name)
			}
			if v != 0 {
				fmt.Fprintf(b, `<rect x="%s%%" y="%s" width="%s%%" height="%s" fill="%s"><title>%s: %s</title></rect>`,
					f2(left), f2(barY), f2(right-left), f2(barH), colors[k], what, amount(unit, v))
			}
			if !stacked {
				b.figure(x(v), barY+barH-2, v, amount(unit, v), bars > 1)
				barY += barH + 2
			}
		}
		if stacked {
			b.figure(x(pos), barY+barH-2, total, amount(unit, total), false)
		}
	}
	if lo < 0 {
		fmt.Fprintf(b, `<line class="axis" x1="%s%%" x2="%s%%" y1="0" y2="100%%"/>`, f2(x(0)), f2(x(0)))
	}
	b.WriteString(`</svg>`)
}

// figure writes a bar's figure after its end (before it for a negative
// figure), small beside grouped bars.
func (b *svgWriter) figure(at, y, v float64, text string, small bool) {
	class, dx, anchor := "figure", "4", "start"
	if small {
		class = "figure small"
	}
	if v < 0 {
		dx, anchor = "-4", "end"
	}
	fmt.Fprintf(b, `<text class="%s" x="%s%%" y="%s" dx="%s" text-anchor="%s">%s</text>`, class, f2(at), f2(y), dx, anchor, text)
}

// f2 writes a coordinate with at most two decimals.
func f2(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// amount formats a figure for a reader: euros in their unit (€1.2 bn), a
// count with separators (units of equipment, offers).
func amount(unit string, v float64) string {
	if unit == "EUR" {
		return eur(v)
	}
	return coalition.FormatNumber(v, 0)
}

// niceTicks is about n+1 round values (steps of 1, 2, 2.5 or 5 times a
// power of ten) from at or below lo to at or above hi, zero among them.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	first, last := math.Floor(lo/step+1e-9), math.Ceil(hi/step-1e-9)
	out := make([]float64, 0, int(last-first)+1)
	for k := first; k <= last; k++ {
		out = append(out, k*step)
	}
	return out
}

// axisLabel formats a tick in the unit of its size, with the decimals the
// tick needs, so that two ticks never read the same ("€1.5 bn", "€2 bn").
func axisLabel(unit string, v float64) string {
	if unit != "EUR" {
		return coalition.FormatNumber(v, exactDecimals(v))
	}
	scale, suffix := coalition.AmountScale(v)
	s := coalition.FormatNumber(v/scale, exactDecimals(v/scale))
	if strings.HasPrefix(s, "-") {
		return "-€" + s[1:] + suffix
	}
	return "€" + s + suffix
}

// exactDecimals is the fewest decimals (up to 3) that show x as it is.
func exactDecimals(x float64) int {
	for d := 0; d < 3; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x*p)/p) < 1e-9*max(1, math.Abs(x)) {
			return d
		}
	}
	return 3
}

// monthAxis reads the categories as months ("2024-03"): a chart over
// time, drawn as columns; ok is false for other categories (members),
// drawn as rows.
func monthAxis(x []string) (months []coalition.Month, ok bool) {
	if len(x) == 0 {
		return nil, false
	}
	months = make([]coalition.Month, len(x))
	for i, s := range x {
		m, err := coalition.ParseMonth(s)
		if err != nil {
			return nil, false
		}
		months[i] = m
	}
	return months, true
}

var monthNames = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthLabel writes a month as "Mar 2024".
func monthLabel(m coalition.Month) string {
	return monthNames[m.MonthOfYear()-1] + " " + strconv.Itoa(m.Year())
}

// yearLabel writes a month's year: "2024".
func yearLabel(m coalition.Month) string { return strconv.Itoa(m.Year()) }

// monthTicks chooses which months are labelled below the columns so that
// labels never crowd a phone's width (about six): over more than two
// years, the years at each January (and the first year when its January
// is off the chart but its label has room), else every k-th month.
func monthTicks(months []coalition.Month) (every func(i int, m coalition.Month) bool, label func(coalition.Month) string) {
	if len(months) > 24 {
		step := 1
		if years := len(months) / 12; years > 6 {
			step = (years + 5) / 6
		}
		return func(i int, m coalition.Month) bool {
			if i == 0 && step == 1 && m.MonthOfYear() <= 9 {
				return true
			}
			return m.MonthOfYear() == 1 && m.Year()%step == 0
		}, yearLabel
	}
	k := max(1, (len(months)+4)/5)
	return func(i int, _ coalition.Month) bool { return i%k == 0 }, monthLabel
}
