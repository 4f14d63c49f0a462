package http

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// forceState reads the /force page: the chart drawn, the rows of both
// tables (text), the CSV links, and any internal id shown.
const forceState = `(() => {
  window.coalitionCharts && coalitionCharts.drawAll(); // charts further down draw when scrolled to; draw them all
  const c = document.querySelector('#force-lines svg.plot');
  const r = c ? c.getBoundingClientRect() : {width: 0, height: 0};
  const rows = id => [...document.querySelectorAll('#' + id + ' tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()));
  return {
    drawn: !!c && r.width > 0 && r.height > 0,
    lines: rows('force-lines-table'),
    offers: rows('force-offers-table'),
    csv: [...document.querySelectorAll('a.csv')].map(a => a.getAttribute('href')),
    apiLinks: [...document.querySelectorAll('a[href*="/api/v1/force/"]')].length,
  };
})()`

type forcePageState struct {
	Drawn    bool       `json:"drawn"`
	Lines    [][]string `json:"lines"`
	Offers   [][]string `json:"offers"`
	CSV      []string   `json:"csv"`
	APILinks int        `json:"apiLinks"`
}

// TestBrowserForce opens the coalition page in chromium, follows its link
// to /force, and checks the bundled public record as the page shows it: the
// chart drawn, six lines (land first, the headquarters filled), nine offers
// with member names and no internal ids, the CSV downloads matching the
// tables; then runs the "no US backstop" scenario from the form: Germany's
// offer is shown as lapsed and the land line counts three offers.
func TestBrowserForce(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	dir := artifactDir(t)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var st forcePageState
	var loc string
	var shot []byte
	err := chromedp.Run(tctx, cdplog.Enable(), runtime.Enable(), network.Enable(),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/coalitions/COW2025"),
		chromedp.WaitReady(`a[href="/force?coalition=COW2025"]`),
		chromedp.Click(`a[href="/force?coalition=COW2025"]`, chromedp.ByQuery),
		chromedp.WaitReady("#force-offers-table"),
		chromedp.Poll(forceState+".drawn", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(forceState, &st),
		chromedp.Location(&loc),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("%v (console %v)", err, con.take())
	}
	if err := os.WriteFile(filepath.Join(dir, "force-1280.png"), shot, 0o644); err != nil {
		t.Error(err)
	}
	if got := con.statusOf(loc); got != 200 || !strings.HasSuffix(loc, "/force?coalition=COW2025") {
		t.Errorf("followed the coalition page's link to %s: status %d", loc, got)
	}
	checkHygiene(t, tctx)
	if len(st.Lines) != 6 || len(st.Offers) != 9 {
		t.Fatalf("%d lines and %d offers shown, want 6 and 9: %+v", len(st.Lines), len(st.Offers), st)
	}
	// Columns of the line table: capability, unit type, needed, people, period, priority, offered, conditional, unfilled, offers, lapsed, led by.
	land, hq := st.Lines[0], st.Lines[4]
	for _, f := range []struct{ name, got, want string }{
		{"first line", land[0], "land"}, {"land needed", land[2], "not stated"}, {"land unfilled", land[8], "not stated"},
		{"land offers", land[9], "4"}, {"land led by", land[11], "France, United Kingdom"},
		{"headquarters", hq[0], "command"}, {"headquarters needed", hq[2], "1"}, {"headquarters offered", hq[6], "1"}, {"headquarters unfilled", hq[8], "0"},
	} {
		if f.got != f.want {
			t.Errorf("%s: %q, want %q", f.name, f.got, f.want)
		}
	}
	members := map[string]bool{}
	for _, row := range st.Offers {
		members[row[1]] = true
	}
	for _, m := range []string{"United Kingdom", "France", "Germany", "Italy", "United States", "Australia"} {
		if !members[m] {
			t.Errorf("no offer of %s shown (members %v)", m, members)
		}
	}
	if st.APILinks != 0 {
		t.Errorf("%d links to records by internal id", st.APILinks)
	}
	// Each CSV download has as many rows as its table.
	if len(st.CSV) != 3 {
		t.Fatalf("CSV links %v, want one per table", st.CSV)
	}
	for i, want := range []int{len(st.Lines), len(st.Lines), len(st.Offers)} {
		code, body := getURL(t, base+st.CSV[i])
		if got := strings.Count(strings.TrimSpace(body), "\n"); code != 200 || got < want {
			t.Errorf("%s: status %d, %d lines, want the %d rows of its table", st.CSV[i], code, got, want)
		}
	}

	// The scenario, from the form: no US backstop.
	var after forcePageState
	var scenario string
	err = chromedp.Run(tctx,
		chromedp.Click(`input[name="without-condition"][value="us-backstop"]`, chromedp.ByQuery),
		chromedp.Click(`form.filters button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitReady("#force-scenario"),
		chromedp.Poll(forceState+".drawn", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(forceState, &after),
		chromedp.Text("#force-scenario", &scenario, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if err != nil {
		t.Fatalf("scenario: %v (console %v)", err, con.take())
	}
	if !strings.Contains(loc, "without-condition=us-backstop") || !strings.Contains(scenario, "1 offers lapse") {
		t.Errorf("scenario at %s says %q", loc, scenario)
	}
	lapsed := 0
	for _, row := range after.Offers {
		if row[11] == "lapsed" {
			lapsed++
			if row[1] != "Germany" {
				t.Errorf("lapsed offer of %s, want Germany's", row[1])
			}
		}
	}
	if lapsed != 1 || after.Lines[0][9] != "3" || after.Lines[0][10] != "1" {
		t.Errorf("scenario: %d lapsed offers, land offers %q lapsed %q; want 1, 3, 1", lapsed, after.Lines[0][9], after.Lines[0][10])
	}
	// At phone width the page fits the window and the chart is drawn.
	var ps pageState
	err = chromedp.Run(tctx,
		chromedp.EmulateViewport(390, 900),
		chromedp.Navigate(base+"/force?coalition=COW2025"),
		chromedp.WaitReady("footer.site"),
		chromedp.Poll(chartCheck+".ready", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(chartCheck, &ps),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatalf("phone width: %v (console %v)", err, con.take())
	}
	if err := os.WriteFile(filepath.Join(dir, "force-390.png"), shot, 0o644); err != nil {
		t.Error(err)
	}
	if ps.Overflow > 0 || len(ps.Charts) != 2 || !ps.Charts[0].OK || !ps.Charts[1].OK {
		t.Errorf("at 390 px: %d px too wide, charts %+v", ps.Overflow, ps.Charts)
	}
	for _, e := range con.take() {
		t.Errorf("console: %s", e)
	}
}
