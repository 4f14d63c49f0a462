package http

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// capabilityState reads the /scenarios page's capability section as a
// person sees it: both charts drawn, their tables' rows and CSV links.
const capabilityState = `(() => {
  window.coalitionCharts && coalitionCharts.drawAll(); // charts further down draw when scrolled to; draw them all
  const drawn = ['capability-gap', 'capability-roles'].every(id => {
    const c = document.querySelector('#' + id + ' svg.plot');
    return !!c && c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().height > 0;
  });
  const rows = [...document.querySelectorAll('#capability-gap-table tbody tr')].map(tr => tr.innerText);
  const roles = [...document.querySelectorAll('#capability-roles-table tbody tr')].map(tr => tr.textContent); // the table is folded
  const csv = [...document.querySelectorAll('#capability-gap-section a[href^="/csv/"]')].map(a => a.getAttribute('href'));
  return {drawn, rows, roles, csv, title: (document.querySelector('#capability-title') || {}).innerText || ''};
})()`

type capabilityPageState struct {
	Drawn bool     `json:"drawn"`
	Rows  []string `json:"rows"`
	Roles []string `json:"roles"`
	CSV   []string `json:"csv"`
	Title string   `json:"title"`
}

// TestBrowserCapabilityGap: in a real browser, /scenarios with the United
// States withdrawing shows the capability section: both charts drawn, a
// table row per capability category with equipment (air defence,
// artillery, armour in Kiel's table), the rocket-launcher role whose
// producers are all American, and each chart's CSV; no console errors.
func TestBrowserCapabilityGap(t *testing.T) {
	ctx, base, con := browserOnSite(t)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var st capabilityPageState
	var shot []byte
	err := chromedp.Run(tctx, cdplog.Enable(), runtime.Enable(),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/scenarios?withdraw=USA&run=1"),
		chromedp.WaitReady("#capability-gap-table"),
		chromedp.Poll(capabilityState+".drawn", nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(capabilityState, &st),
		chromedp.ScrollIntoView("#capability-gap-section"),
		chromedp.CaptureScreenshot(&shot),
	)
	if err != nil {
		t.Fatalf("%v (console %v)", err, con.take())
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), "scenarios-capability-1280.png"), shot, 0o644); err != nil {
		t.Error(err)
	}
	if !strings.Contains(st.Title, "United States") {
		t.Errorf("section title %q, want the United States named", st.Title)
	}
	var cats []string
	for _, r := range st.Rows {
		cats = append(cats, strings.SplitN(r, "\t", 2)[0])
	}
	if got, want := strings.Join(cats, ","), "air-defence,artillery,armour"; got != want {
		t.Errorf("categories %s, want %s", got, want)
	}
	found := false
	for _, r := range st.Roles {
		found = found || (strings.Contains(r, "rocket-launcher") && strings.Contains(r, "none outside the withdrawing members"))
	}
	if !found {
		t.Errorf("no rocket-launcher row without producers outside the US among %q", st.Roles)
	}
	if got, want := strings.Join(st.CSV, " "), "/csv/capability-gap?withdraw=USA /csv/capability-roles?withdraw=USA"; got != want {
		t.Errorf("CSV links %q, want %q", got, want)
	}
	for _, e := range con.take() {
		t.Errorf("console: %s", e)
	}
}
