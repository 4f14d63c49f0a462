package http

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// activeJS describes the focused element: its tag, id, tabindex and, for a
// column heading's link, the column's class.
const activeJS = `(() => { const a = document.activeElement; const th = a && a.closest ? a.closest('th') : null;
  return {tag: a ? a.tagName : '', id: a ? a.id : '', tabindex: a ? a.getAttribute('tabindex') || '' : '', column: th ? th.className : ''}; })()`

type activeElement struct {
	Tag      string `json:"tag"`
	ID       string `json:"id"`
	Tabindex string `json:"tabindex"`
	Column   string `json:"column"`
}

// TestBrowserFocus checks the keyboard behaviour of issue 21: after running
// a scenario, focus is on the result's heading; after sorting /donors with
// the keyboard, focus stays on the sort control used; arrowing through a
// filter adds no history entry per key and the live region says what the
// new results are.
func TestBrowserFocus(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	if err := chromedp.Run(ctx, runtime.Enable()); err != nil {
		t.Fatal(err)
	}

	t.Run("scenario result takes focus", func(t *testing.T) {
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		var got activeElement
		err := chromedp.Run(tctx,
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(base+"/scenarios"),
			chromedp.WaitReady("#scenario-form"),
			chromedp.Evaluate(`(() => { const s = document.querySelector('select[name="withdraw"]');
			  for (const o of s.options) o.selected = o.value === 'USA'; return true; })()`, nil),
			chromedp.Focus(`#scenario-form button[type="submit"]`, chromedp.ByQuery),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitReady("#scenario-plan-table"),
			chromedp.Poll(`document.readyState === 'complete'`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(activeJS, &got),
		)
		if err != nil {
			t.Fatalf("%v (console %v)", err, con.take())
		}
		if got.ID != "result-title" || got.Tabindex != "-1" {
			t.Errorf("after running the scenario focus is on %+v, want the result's heading #result-title with tabindex=-1", got)
		}
	})

	t.Run("sorting keeps focus on the sort control", func(t *testing.T) {
		tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
		defer cancel()
		var got activeElement
		var sorted string
		err := chromedp.Run(tctx,
			chromedp.Navigate(base+"/donors"),
			chromedp.WaitReady("#donor-table"),
			chromedp.Focus(`#donor-table th.c-pct_gdp a`, chromedp.ByQuery),
			chromedp.KeyEvent(kb.Enter),
			chromedp.Poll(`location.search.includes('sort=')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Poll(`!!document.querySelector('#donor-table th.c-pct_gdp[aria-sort]')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Sleep(300*time.Millisecond), // htmx settles after 20 ms
			chromedp.Evaluate(`document.querySelector('#donor-table th.c-pct_gdp').getAttribute('aria-sort')`, &sorted),
			chromedp.Evaluate(activeJS, &got),
		)
		if err != nil {
			t.Fatalf("%v (console %v)", err, con.take())
		}
		if sorted == "" {
			t.Fatal("the % of GDP column is not sorted")
		}
		if got.Tag != "A" || !strings.Contains(got.Column, "c-pct_gdp") {
			t.Errorf("after sorting focus is on %+v, want the %% of GDP column's sort link", got)
		}
	})

	t.Run("arrowing through a filter: one history entry at most, results announced", func(t *testing.T) {
		tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
		defer cancel()
		var before, after int
		var announced, summary, loc string
		err := chromedp.Run(tctx,
			chromedp.Navigate(base+"/donors"),
			chromedp.WaitReady("#donor-table"),
			chromedp.Evaluate(`history.length`, &before),
			chromedp.Evaluate(`document.getElementById('live-status').textContent = ''`, nil),
			chromedp.Focus(`select[name="type"]`, chromedp.ByQuery),
			chromedp.KeyEvent(kb.ArrowDown),
			chromedp.Sleep(150*time.Millisecond),
			chromedp.KeyEvent(kb.ArrowDown),
			chromedp.Sleep(150*time.Millisecond),
			chromedp.KeyEvent(kb.ArrowDown),
			chromedp.Poll(`location.search.includes('type=')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Poll(`document.getElementById('live-status').textContent.length > 0`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Sleep(1500*time.Millisecond), // any request still under way lands
			chromedp.Evaluate(`history.length`, &after),
			chromedp.Evaluate(`document.getElementById('live-status').textContent`, &announced),
			chromedp.Evaluate(`document.querySelector('#donor-results .summary').innerText.trim()`, &summary),
			chromedp.Location(&loc),
		)
		if err != nil {
			t.Fatalf("%v (console %v)", err, con.take())
		}
		if after-before > 1 {
			t.Errorf("three arrow keys in the type filter added %d history entries, want at most 1", after-before)
		}
		if announced != summary {
			t.Errorf("live region says %q, want the new results' summary %q", announced, summary)
		}
		var selected string
		if err := chromedp.Run(tctx, chromedp.Evaluate(`document.querySelector('select[name="type"]').value`, &selected)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(loc, "type="+selected) {
			t.Errorf("location %s does not hold the chosen type %q", loc, selected)
		}
	})
	for _, e := range con.take() {
		t.Errorf("console: %s", e)
	}
}
