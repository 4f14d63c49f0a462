package http

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"coalition"
)

// TestBrowserRequirementForms signs in as the coordinator in headless
// chromium, adds a requirement through the coalition page and edits it
// through its edit page, as a person would: the table shows each change
// and the store holds it.
func TestBrowserRequirementForms(t *testing.T) {
	ctx := browser(t)
	w := robustWorld(t, robustStore(t, "sqlite"))
	admin := coalition.WithUser(context.Background(), w.users["admin"])
	dir := artifactDir(t)
	con := &console{status: map[string]int64{}}
	con.listen(ctx)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	page := w.srv.URL + "/coalitions/" + strconv.FormatInt(w.cow.ID, 10)
	var table string
	err := chromedp.Run(tctx, cdplog.Enable(), runtime.Enable(), network.Enable(),
		chromedp.Navigate(w.srv.URL+"/login?next=/coalitions/"+strconv.FormatInt(w.cow.ID, 10)),
		chromedp.SendKeys(`input[name="email"]`, "coord@example.org", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, testPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitReady("#requirements", chromedp.ByID),
		chromedp.Click(`#requirements details.add summary`, chromedp.ByQuery),
		chromedp.SetValue(`#add-requirement select[name="category"]`, "drones", chromedp.ByQuery),
		chromedp.SendKeys(`#add-requirement input[name="capability"]`, "drones (interceptor drones)", chromedp.ByQuery),
		chromedp.SendKeys(`#add-requirement input[name="amount"]`, "2000000", chromedp.ByQuery),
		chromedp.SendKeys(`#add-requirement input[name="from"]`, "2026-04", chromedp.ByQuery),
		chromedp.SendKeys(`#add-requirement input[name="to"]`, "2026-09", chromedp.ByQuery),
		chromedp.SendKeys(`#add-requirement input[name="source"]`, "https://example.org/drones", chromedp.ByQuery),
		chromedp.Click(`#add-requirement button[type="submit"]`, chromedp.ByQuery),
		waitForTable("drones (interceptor drones)"),
		chromedp.Text("#requirements-table", &table, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("add: %v (console %v)", err, con.take())
	}
	qs, _, err := w.store.FindRequirements(admin, coalition.RequirementFilter{CoalitionID: &w.cow.ID, Category: "drones", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1 {
		t.Fatalf("%d drone requirements in the store, want 1 (table: %s)", len(qs), table)
	}
	if got, want := qs[0].AmountEUR, int64(2_000_000_00); got != want {
		t.Errorf("amount %d cents, want %d", got, want)
	}
	if !containsAll(table, "drones (interceptor drones)", "€2.0 m", "2026-04 – 2026-09") {
		t.Errorf("the table does not show the new requirement: %s", table)
	}

	edit := "/requirements/" + strconv.FormatInt(qs[0].ID, 10) + "/edit"
	var shot []byte
	err = chromedp.Run(tctx,
		chromedp.Click(`#requirements-table a[href="`+edit+`"]`, chromedp.ByQuery),
		chromedp.WaitReady("#requirement-form", chromedp.ByID),
		chromedp.Clear(`#requirement-form input[name="amount"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#requirement-form input[name="amount"]`, "3500000", chromedp.ByQuery),
		chromedp.FullScreenshot(&shot, 100),
		chromedp.Click(`#requirement-form button[type="submit"]`, chromedp.ByQuery),
		waitForTable("€3.5 m"),
		chromedp.Text("#requirements-table", &table, chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("edit: %v (console %v)", err, con.take())
	}
	if err := os.WriteFile(filepath.Join(dir, "requirement-edit-1280.png"), shot, 0o644); err != nil {
		t.Error(err)
	}
	q, err := w.store.FindRequirement(admin, qs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.AmountEUR, int64(3_500_000_00); got != want {
		t.Errorf("amount after the edit %d cents, want %d", got, want)
	}
	if got, want := q.Version, qs[0].Version+1; got != want {
		t.Errorf("version %d, want %d", got, want)
	}
	if !containsAll(table, "drones (interceptor drones)", "€3.5 m") {
		t.Errorf("the table does not show the edit: %s", table)
	}
	if got := con.statusOf(page); got != 200 {
		t.Errorf("coalition page after the edit: status %d, want 200", got)
	}
	for _, e := range con.take() {
		t.Errorf("console: %s", e)
	}
}

// waitForTable waits until the requirements table shows text: the page
// after a form was saved. The form's page may still be navigating away
// when it asks, so an evaluation that fails is asked again, until the
// test's context ends.
func waitForTable(text string) chromedp.Action {
	script := `(() => { const t = document.querySelector('#requirements-table'); return !!t && t.innerText.includes(` + strconv.Quote(text) + `); })()`
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(script, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the requirements table never showed %q: %w", text, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// containsAll reports whether s contains every one of subs.
func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
