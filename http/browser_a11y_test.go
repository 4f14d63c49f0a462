package http

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axe-core (testdata/axe-core, from npm) runs inside each page of
// TestBrowser; it is injected by the test and never served.
var (
	axeOnce sync.Once
	axeJS   string
	axeErr  error
)

func axeSource() (string, error) {
	axeOnce.Do(func() {
		b, err := os.ReadFile("testdata/axe-core/axe.min.js")
		axeJS, axeErr = string(b), err
	})
	return axeJS, axeErr
}

// axeRunJS runs axe on the whole document (WCAG 2.0–2.2 A and AA rules and
// best practices) and returns the serious and critical violations, each
// with up to three of its elements.
const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\n').slice(0, 2).join(' '))})))`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// checkAxe fails the page on each serious or critical axe-core violation.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	var vs []axeViolation
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second) // the risk pages' tables take a while
	defer cancel()
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(src+";true", nil),
		chromedp.Evaluate(axeRunJS, &vs, awaitPromise),
	); err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	for _, v := range vs {
		t.Errorf("axe %s (%s): %s: %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
	}
}

// linksJS lists the href of every link on the page, resolved.
const linksJS = `Array.from(document.querySelectorAll('a[href]')).map(a => a.href)`

// links collects the page's links to its own origin (without fragments),
// for TestBrowser to follow once each.
type links struct {
	mu   sync.Mutex
	seen map[string]string // link → the first page it was found on
}

func (l *links) collect(t *testing.T, ctx context.Context, origin, page string) {
	t.Helper()
	var hrefs []string
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(linksJS, &hrefs)); err != nil {
		t.Fatalf("reading links: %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil || u.Scheme+"://"+u.Host != origin {
			continue // elsewhere: the sources' own sites
		}
		u.Fragment = ""
		if _, ok := l.seen[u.String()]; !ok {
			l.seen[u.String()] = page
		}
	}
}

// follow requests every collected link as a browser would and wants 200:
// a link on a page that leads nowhere is a defect.
func (l *links) follow(t *testing.T) {
	t.Helper()
	all := make([]string, 0, len(l.seen))
	for u := range l.seen {
		all = append(all, u)
	}
	sort.Strings(all)
	if len(all) < 20 {
		t.Fatalf("only %d internal links on the main pages", len(all))
	}
	for _, u := range all {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Accept", "text/html,*/*")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%s (on %s): %v", u, l.seen[u], err)
			continue
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("link %s (on %s) answers %d", u, l.seen[u], res.StatusCode)
		}
	}
	t.Logf("%d internal links followed", len(all))
}
