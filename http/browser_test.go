package http

import (
	"context"
	"fmt"
	"io"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"coalition/internal/skipnote"
)

// chromiumPath finds Debian's chromium (or another Chrome). Without one the
// browser tests skip, except under CI=true, where they fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install -y chromium); under CI=true the browser tests may not skip")
	}
	skipnote.Say("the browser tests: chromium is not installed (apt-get install -y chromium)")
	t.Skip("chromium is not installed: skipping the browser tests (apt-get install -y chromium)")
	return ""
}

// browserOnSite opens a browser tab on a UI server holding the reference
// data: the tab's context, the server's URL and the console that records
// the page's errors and answers. The server closes when the test ends.
func browserOnSite(t *testing.T) (context.Context, string, *console) {
	t.Helper()
	ctx := browser(t)
	h, _ := newUIServer(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	con := &console{status: map[string]int64{}}
	con.listen(ctx)
	return ctx, srv.URL, con
}

// getURL GETs url from the test server: its status and body.
func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := nethttp.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// artifactDir is where screenshots go: $COALITION_ARTIFACTS/browser, or a temp dir.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("COALITION_ARTIFACTS")
	if dir == "" {
		d, err := os.MkdirTemp("", "coalition-screenshots-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	} else {
		dir = filepath.Join(dir, "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// browser starts a headless chromium with a fresh profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	// A fresh profile; removed best-effort, as chromium's helpers may still
	// be closing files in it when the test ends.
	profile, err := os.MkdirTemp("", "coalition-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true), // as on phones: screenshots as wide as the layout
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Run(ctx); err != nil { // start the browser now, to fail early
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// console collects what a page reports: errors from the console, uncaught
// exceptions, log entries of level error (CSP violations, failed loads),
// and the status of each document.
type console struct {
	mu     sync.Mutex
	errors []string
	status map[string]int64 // document URL → HTTP status
}

func (c *console) listen(ctx context.Context) {
	chromedp.ListenTarget(ctx, func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				c.errors = append(c.errors, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			c.errors = append(c.errors, "exception: "+msg)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				c.errors = append(c.errors, fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventResponseReceived:
			if ev.Type == network.ResourceTypeDocument {
				c.status[ev.Response.URL] = ev.Response.Status
			}
		}
	})
}

func (c *console) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.errors
	c.errors = nil
	return out
}

func (c *console) statusOf(url string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status[url]
}

// chartCheck reports, for every chart container, whether it holds a canvas
// (drawn by ECharts) or a plot (an SVG drawn on the server) of non-zero
// size and which of the two; and, for every data table, its number of rows.
const chartCheck = `(() => {
  window.coalitionCharts && coalitionCharts.drawAll(); // charts further down draw when scrolled to; draw them all
  const charts = [...document.querySelectorAll('[data-chart]')].map(el => {
    const c = el.querySelector('canvas, svg.plot');
    const r = c ? c.getBoundingClientRect() : {width: 0, height: 0};
    return {id: el.id, ok: !!c && r.width > 0 && r.height > 0, server: el.dataset.drawn === 'server'};
  });
  const tables = [...document.querySelectorAll('table.data')].map(t => ({id: t.id, rows: t.querySelectorAll('tbody tr').length}));
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return {charts, tables, overflow, ready: charts.every(c => c.ok)};
})()`

type pageState struct {
	Charts []struct {
		ID     string `json:"id"`
		OK     bool   `json:"ok"`
		Server bool   `json:"server"` // drawn on the server as SVG, not by ECharts
	} `json:"charts"`
	Tables []struct {
		ID   string `json:"id"`
		Rows int    `json:"rows"`
	} `json:"tables"`
	Overflow int  `json:"overflow"` // page wider than the window, in px
	Ready    bool `json:"ready"`
}

// TestBrowser opens every page in headless chromium against the real
// server with the reference data: status 200, no console errors, every
// chart drawn with a non-zero size, every table with rows; it saves
// full-page screenshots at 1280 px and at phone width.
func TestBrowser(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	dir := artifactDir(t)
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable(), network.Enable()); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		name, path string
		charts     int // chart containers the page must have
	}{
		{"overview", "/", 3},
		{"donors", "/donors", 0},
		{"donors-filtered", "/donors?type=military&group=NATO&sort=pct_gdp", 0},
		{"country-DEU", "/countries/DEU", 3}, // monthly support, heavy weapons, equipment
		{"country-USA", "/countries/USA", 3},
		{"coalitions", "/coalitions", 0},
		{"coalition", "/coalitions/1", 2}, // the home: headline, recent pledges and deliveries, engagements, risk summary
		{"coalition-NB8", "/coalitions/NB8", 2},
		{"engagements", "/engagements", 1},
		{"engagements-AUS", "/engagements?country=AUS", 1},
		{"scenarios", "/scenarios", 2},                                                          // the capability section (the form's default: the United States)
		{"scenario-USA", "/scenarios?withdraw=USA&from=2025-02&group=COW2025&cap=0.5&run=1", 5}, // gap, plan, who is asked for what, capability gap (2)
		{"scenario-replace-us", "/scenarios?builtin=replace-us", 4},
		{"scenario-nato-40bn", "/scenarios?builtin=nato-40bn", 1},
		{"risk", "/risk", 2},
		{"risk-NB8", "/risk?coalition=NB8", 2},
		{"targets", "/targets", 1},
		{"login-for-review", "/login?next=/review", 0},
		{"equipment", "/equipment", 3},
		{"pledge", "/pledges/1", 0},
		{"country-UKR", "/countries/UKR", 0},
	}
	ls := &links{seen: map[string]string{}}
	for _, width := range []int64{1280, 390} {
		for _, p := range pages {
			t.Run(fmt.Sprintf("%s@%d", p.name, width), func(t *testing.T) {
				url := base + p.path
				var st pageState
				var shot []byte
				tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				err := chromedp.Run(tctx,
					chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(url),
					chromedp.WaitReady("footer.site"),
					chromedp.Poll(chartCheck+".ready", nil, chromedp.WithPollingTimeout(15*time.Second)),
					chromedp.Evaluate(chartCheck, &st),
					chromedp.FullScreenshot(&shot, 100), // quality 100: PNG
				)
				if err != nil {
					t.Fatalf("%s: %v (state %+v, console %v)", url, err, st, con.take())
				}
				if got := con.statusOf(url); got != 200 {
					t.Errorf("status %d, want 200", got)
				}
				checkHygiene(t, tctx)
				if width == 1280 {
					ls.collect(t, ctx, base, p.path)
				}
				checkAxe(t, ctx) // serious and critical accessibility violations, at both widths
				for _, e := range con.take() {
					t.Errorf("console: %s", e)
				}
				if len(st.Charts) != p.charts {
					t.Errorf("%d charts, want %d", len(st.Charts), p.charts)
				}
				client := 0 // charts ECharts draws; the others came drawn as SVG
				for _, c := range st.Charts {
					if !c.Server {
						client++
					}
				}
				var libs bool // ECharts loads only where a chart needs it
				if err := chromedp.Run(ctx, chromedp.Evaluate(`typeof echarts !== 'undefined'`, &libs)); err != nil {
					t.Error(err)
				} else if libs != (client > 0) {
					t.Errorf("ECharts loaded: %v, on a page with %d charts that ECharts draws", libs, client)
				}
				for _, c := range st.Charts {
					if !c.OK {
						t.Errorf("chart %s has no canvas or plot of non-zero size", c.ID)
					}
				}
				if st.Overflow > 0 {
					t.Errorf("the page is %d px wider than the %d px window", st.Overflow, width)
				}
				for _, tb := range st.Tables {
					if tb.Rows == 0 {
						t.Errorf("table %s has no rows", tb.ID)
					}
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width))
				if err := os.WriteFile(file, shot, 0o644); err != nil {
					t.Error(err)
				}
			})
		}
	}
	t.Run("every internal link answers 200", ls.follow)
}

// TestBrowserFilters drives the htmx filters: choosing a type on /donors
// swaps the table in place and puts the filtered URL in the address bar (replacing the entry: no history entry per change); the page at that
// URL shows the same table; the CSV link follows the filter.
func TestBrowserFilters(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	tctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	var before, after, announced, loc, csvHref, reloaded string
	var nodes []*cdp.Node
	err := chromedp.Run(tctx, cdplog.Enable(), runtime.Enable(),
		chromedp.Navigate(base+"/donors"),
		chromedp.WaitReady("#donor-table"),
		chromedp.Text(".summary", &before, chromedp.ByQuery),
		chromedp.SetValue(`select[name="type"]`, "humanitarian", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('select[name="type"]').dispatchEvent(new Event('change', {bubbles: true}))`, nil),
		chromedp.Poll(`location.search.includes('type=humanitarian')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Poll(`!!document.querySelector('a.csv[href*="type=humanitarian"]')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		// htmx replaces the table and its summary: wait until the new one has its text.
		chromedp.Poll(`(() => { const e = document.querySelector('.summary'); return !!e && e.innerText.trim().length > 0 })()`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text(".summary", &after, chromedp.ByQuery),
		// The polite live region says what the new results are.
		chromedp.Poll(`document.getElementById('live-status').textContent.length > 0`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.getElementById('live-status').textContent`, &announced),
		chromedp.Location(&loc),
		chromedp.AttributeValue("a.csv", "href", &csvHref, nil, chromedp.ByQuery),
		chromedp.Nodes(`#donor-table tbody tr`, &nodes, chromedp.ByQueryAll),
		// The pushed URL reproduces the page without JavaScript's help.
		chromedp.Navigate(base+"/donors?type=humanitarian"),
		chromedp.WaitReady("#donor-table"),
		chromedp.Text(".summary", &reloaded, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("%v (console %v)", err, con.take())
	}
	if before == after {
		t.Errorf("summary did not change after filtering: %q", after)
	}
	if announced != strings.TrimSpace(after) {
		t.Errorf("live region says %q, want the new summary %q", announced, after)
	}
	if !strings.Contains(loc, "type=humanitarian") || !strings.Contains(csvHref, "type=humanitarian") {
		t.Errorf("location %q, CSV link %q: want both filtered by type=humanitarian", loc, csvHref)
	}
	if after != reloaded {
		t.Errorf("swapped summary %q, reloaded %q: want the same", after, reloaded)
	}
	if len(nodes) == 0 {
		t.Error("filtered table has no rows")
	}
	// The swapped table has as many rows as the CSV download.
	if _, body := getURL(t, base+csvHref); strings.Count(strings.TrimSpace(body), "\n") != len(nodes) {
		got := strings.Count(strings.TrimSpace(body), "\n")
		t.Errorf("CSV has %d rows, the table %d", got, len(nodes))
	}
	for _, e := range con.take() {
		t.Errorf("console: %s", e)
	}
}

// scenarioState reads the scenario result: the plan table's rows (text) and
// whether both charts are drawn (plots on the server).
const scenarioState = `(() => {
  window.coalitionCharts && coalitionCharts.drawAll(); // charts further down draw when scrolled to; draw them all
  const rows = [...document.querySelectorAll('#scenario-plan-table tbody tr')].map(tr => tr.innerText);
  const gap = [...document.querySelectorAll('#scenario-gap-table tbody tr')].map(tr => tr.innerText);
  const drawn = ['scenario-plan', 'scenario-gap'].every(id => {
    const c = document.querySelector('#' + id + ' svg.plot');
    return !!c && c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().height > 0;
  });
  const head = [...document.querySelectorAll('#scenario-result .headline div')].map(d => d.innerText);
  return {rows, gap, head, drawn, title: (document.querySelector('#result-title') || {}).innerText || ''};
})()`

type scenarioResultState struct {
	Rows  []string `json:"rows"`
	Gap   []string `json:"gap"`
	Head  []string `json:"head"`
	Drawn bool     `json:"drawn"`
	Title string   `json:"title"`
}

// TestBrowserScenario drives the what-if builder: choose the United States
// (alone), submit, and check that the plan table and both charts appear;
// then open the resulting URL in a fresh tab and check that it shows the
// same figures.
func TestBrowserScenario(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	dir := artifactDir(t)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var first scenarioResultState
	var loc string
	var shot []byte
	err := chromedp.Run(tctx, cdplog.Enable(), runtime.Enable(), network.Enable(),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/scenarios?from=2025-03&cap=0.25"), // a form with non-default values, not yet run
		chromedp.WaitReady("#scenario-form"),
		// Choose the United States alone, as a person would in the multi-select.
		chromedp.Evaluate(`(() => { const s = document.querySelector('select[name="withdraw"]');
		  for (const o of s.options) o.selected = o.value === 'USA'; return s.selectedOptions.length; })()`, nil),
		chromedp.Click(`#scenario-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitReady("#scenario-plan-table"),
		chromedp.Poll(scenarioState+".drawn", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(scenarioState, &first),
		chromedp.Location(&loc),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("%v (console %v)", err, con.take())
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario-builder-1280.png"), shot, 0o644); err != nil {
		t.Error(err)
	}
	if got := con.statusOf(loc); got != 200 {
		t.Errorf("result %s: status %d, want 200", loc, got)
	}
	for _, want := range []string{"withdraw=USA", "from=2025-03", "cap=0.25", "run=1"} {
		if !strings.Contains(loc, want) {
			t.Errorf("result URL %s lacks %s", loc, want)
		}
	}
	if !strings.Contains(first.Title, "United States withdraws") {
		t.Errorf("result title %q, want the United States withdrawing", first.Title)
	}
	if len(first.Rows) == 0 || len(first.Gap) == 0 || len(first.Head) == 0 {
		t.Fatalf("result: %d plan rows, %d gap rows, %d headline figures; want some of each", len(first.Rows), len(first.Gap), len(first.Head))
	}
	// The shareable URL, in a fresh tab, reproduces the result.
	tab, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	con2 := &console{status: map[string]int64{}}
	con2.listen(tab)
	var again scenarioResultState
	if err := chromedp.Run(tab, cdplog.Enable(), runtime.Enable(),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(loc),
		chromedp.WaitReady("#scenario-plan-table"),
		chromedp.Poll(scenarioState+".drawn", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(scenarioState, &again),
	); err != nil {
		t.Fatalf("fresh tab %s: %v (console %v)", loc, err, con2.take())
	}
	if strings.Join(again.Rows, "\n") != strings.Join(first.Rows, "\n") || strings.Join(again.Gap, "\n") != strings.Join(first.Gap, "\n") ||
		strings.Join(again.Head, "|") != strings.Join(first.Head, "|") || again.Title != first.Title {
		t.Errorf("the shared URL shows other figures:\nfirst %+v\nagain %+v", first, again)
	}
	for _, e := range append(con.take(), con2.take()...) {
		t.Errorf("console: %s", e)
	}
}
