package http

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// internalText is the deny-list of what must never reach a reader: names
// and codes that mean something to the team, not to an analyst. Keep it
// growing: each entry is a class of leak that happened once.
var internalText = []struct{ name, re string }{
	{"a search-tool id", `find_string`},
	{"a Go name", `\b(coalition|report|risk|analysis|refdata|seed|sqlstore|importer|exporter|http)\.[A-Z][A-Za-z]+`},
	{"a raw dataset code", `=WB\d{4}|\bWB\d{4}\b`},
	{"a meeting code", `\b(LDN|VIRT|PAR)\d{4}\b`},
	{"a source-note key", `gdp\+pop=|\bdef=|\bcow=`},
	{"a JSON field name", `\bgdp_year\b`},
}

// hygieneJS opens every <details> (their text is one click away) and
// returns the page's visible text and, per chart, the labels on each value
// axis, in order: those ECharts drew, and the ticks of the plots drawn on
// the server.
const hygieneJS = `(() => {
  window.coalitionCharts && coalitionCharts.drawAll(); // charts further down draw when scrolled to; draw them all
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const axes = [];
  document.querySelectorAll('[data-drawn="server"]').forEach(el => {
    const labels = [...el.querySelectorAll('text.tick')].map(t => t.textContent);
    if (labels.length) axes.push({chart: el.id, axis: 'value', labels});
  });
  document.querySelectorAll('[data-chart]').forEach(el => {
    const inst = window.echarts && echarts.getInstanceByDom(el);
    if (!inst) return;
    const model = inst.getModel();
    ['xAxis', 'yAxis'].forEach(kind => {
      (model.findComponents({mainType: kind}) || []).forEach((m, i) => {
        if (!m.axis || m.axis.type !== 'value') return;
        axes.push({chart: el.id, axis: kind + i, labels: m.axis.getViewLabels().map(l => l.formattedLabel)});
      });
    });
  });
  return {text: document.body.innerText, axes};
})()`

type hygiene struct {
	Text string `json:"text"`
	Axes []struct {
		Chart  string   `json:"chart"`
		Axis   string   `json:"axis"`
		Labels []string `json:"labels"`
	} `json:"axes"`
}

// checkHygiene fails the page on internal identifiers in its visible text
// and on a value axis with two equal adjacent labels ("€2 bn, €2 bn"),
// which leaves the reader unable to read values off the chart.
func checkHygiene(t *testing.T, ctx context.Context) {
	t.Helper()
	var h hygiene
	if err := chromedp.Run(ctx, chromedp.Evaluate(hygieneJS, &h)); err != nil {
		t.Fatalf("reading the page's text and axes: %v", err)
	}
	for _, leak := range leaks(h.Text) {
		t.Errorf("visible text shows %s", leak)
	}
	for _, a := range h.Axes {
		if i := repeatedLabel(a.Labels); i > 0 {
			t.Errorf("chart %s %s: labels %q repeat %q", a.Chart, a.Axis, a.Labels, a.Labels[i])
		}
	}
}

// leaks lists the deny-list's matches in text, each with its context.
func leaks(text string) []string {
	var out []string
	for _, d := range internalText {
		for _, loc := range regexp.MustCompile(d.re).FindAllStringIndex(text, 3) {
			from, to := max(0, loc[0]-40), min(len(text), loc[1]+40)
			out = append(out, d.name+": …"+strings.ReplaceAll(text[from:to], "\n", " ")+"…")
		}
	}
	return out
}

// repeatedLabel is the index of the first label equal to the one before
// it, or -1.
func repeatedLabel(labels []string) int {
	for i := 1; i < len(labels); i++ {
		if labels[i] != "" && labels[i] == labels[i-1] {
			return i
		}
	}
	return -1
}

// TestHygieneChecks: the two checks catch what they are meant to catch, so
// that a browser test that passes means something.
func TestHygieneChecks(t *testing.T) {
	for _, leak := range []string{
		"public repo transcription of NATO Table 3 (find_string id 71103235286)",
		"the default rule in risk.DefaultAssumptions (docs)",
		"Source: refdata; gdp+pop=WB2023; def=NATO2025rpt",
		"cow=VIRT0315+PAR0904",
		"Gaps in USD at the GDP of gdp_year.",
	} {
		if len(leaks(leak)) == 0 {
			t.Errorf("no leak found in %q", leak)
		}
	}
	for _, clean := range []string{
		"Support of the coalition. The report. Risk. GDP and population: World Bank WDI 2023",
		"attended the Paris summit of 4 Sep 2025",
	} {
		if l := leaks(clean); len(l) > 0 {
			t.Errorf("%q: false alarm %v", clean, l)
		}
	}
	if got := repeatedLabel([]string{"€1 bn", "€2 bn", "€2 bn", "€2 bn"}); got != 2 {
		t.Errorf("repeatedLabel found %d, want 2", got)
	}
	if got := repeatedLabel([]string{"€1 bn", "€1.5 bn", "€2 bn", "€2.5 bn"}); got != -1 {
		t.Errorf("repeatedLabel found %d in distinct labels", got)
	}
}
