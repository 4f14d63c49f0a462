package http

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/report"
)

// bigFigure reads the headline figure labelled label ("need", "net gap")
// from a page: <span class="big">€1.2 bn</span><span>label…</span>.
func bigFigure(t *testing.T, page, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<span class="big">([^<]*)</span><span>` + regexp.QuoteMeta(label)).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no headline figure %q on the page", label)
	}
	return html.UnescapeString(m[1])
}

// visibleText is a page's text without tags, scripts and chart data.
func visibleText(page string) string {
	page = regexp.MustCompile(`(?s)<script.*?</script>`).ReplaceAllString(page, " ")
	page = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " ")
	return html.UnescapeString(regexp.MustCompile(`\s+`).ReplaceAllString(page, " "))
}

// TestCoalitionHome: the coalition's page is its home, and each of its
// figures is the answer of the function that answers the same question
// elsewhere, for the same reader: the headline is the brief's headline and
// GET /api/v1/coverage's totals for its period; the risk summary is the
// /risk page's run; recent pledges and deliveries respect visibility, and
// the cache for anonymous readers never serves a signed-in reader's page.
func TestCoalitionHome(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) { testCoalitionHome(t, engine) })
	}
}

func testCoalitionHome(t *testing.T, engine string) {
	w := robustWorld(t, robustStore(t, engine))
	sys := coalition.WithUser(context.Background(), coalition.System)
	today := coalition.DateOf(time.Now().UTC())
	month := today.Month()
	announced := coalition.DateOf(today.Time().AddDate(0, 0, -3))
	amounts := map[coalition.Visibility]int64{coalition.Public: 555_500_000_00, coalition.CoalitionVis: 666_600_000_00, coalition.Confidential: 777_700_000_00}
	pledges := map[coalition.Visibility]*coalition.Pledge{}
	for vis, amount := range amounts {
		p := &coalition.Pledge{Donor: "GBR", Recipient: "UKR", CoalitionID: &w.cow.ID, Category: "military",
			Amount: coalition.Money{Minor: amount, Currency: "EUR"}, Announced: announced, DeliverFrom: month, DeliverTo: month.Add(2),
			Status: coalition.Committed, Visibility: vis, Source: "https://example.org/pledge-" + string(vis)}
		if err := w.store.CreatePledge(sys, p); err != nil {
			t.Fatal(err)
		}
		pledges[vis] = p
	}
	d := &coalition.Delivery{PledgeID: pledges[coalition.Public].ID, Date: announced, AmountEUR: 111_100_000_00, Source: "https://example.org/delivery"}
	if err := w.store.CreateDelivery(sys, d); err != nil {
		t.Fatal(err)
	}
	from, to := month, month.Add(report.BriefPeriodMonths-1)

	for _, role := range []string{"", "coordinator", "delegate-FRA", ""} {
		who := role
		if who == "" {
			who = "anonymous"
		}
		status, body, hdr := w.do(t, role, "GET", "/coalitions/COW2025", "", "Accept", "text/html")
		if status != 200 {
			t.Fatalf("%s: status %d", who, status)
		}
		page := string(body)

		// The headline is GET /api/v1/coverage's answer for the period, for this reader.
		status, body, _ = w.do(t, role, "GET", fmt.Sprintf("/api/v1/coverage?coalition=COW2025&from=%s&to=%s&records_as_of=%s", from, to, today), "")
		if status != 200 {
			t.Fatalf("%s: coverage API status %d: %s", who, status, body)
		}
		var cov report.CoverageReport
		if err := json.Unmarshal(body, &cov); err != nil {
			t.Fatal(err)
		}
		if cov.Result.Total.Required <= 0 {
			t.Fatalf("%s: the API computes no need for %s..%s; the test needs one", who, from, to)
		}
		for label, want := range map[string]float64{"need": cov.Result.Total.Required, "covered by pledges": cov.Result.Total.Pledged,
			"net gap": cov.NetGapEUR, "sum of the monthly gaps": cov.MonthlyGapEUR} {
			if got := bigFigure(t, page, label); got != eur(want) {
				t.Errorf("%s: page's %s is %s, the coverage API's %s", who, label, got, eur(want))
			}
		}
		if !strings.Contains(page, fmt.Sprintf("The need and the gap, %s to %s", from, to)) {
			t.Errorf("%s: the headline does not name its period %s..%s", who, from, to)
		}
		// … and the brief's headline, computed for the same reader.
		ctx := context.Background()
		if role != "" {
			ctx = coalition.WithUser(ctx, w.users[role])
		}
		br, err := report.Brief(ctx, w.store, report.BriefOptions{Coalition: "COW2025", AsOf: today})
		if err != nil {
			t.Fatal(err)
		}
		if got := bigFigure(t, page, "net gap"); got != eur(br.Headline.NetGapEUR) {
			t.Errorf("%s: page's net gap %s, the brief's %s", who, got, eur(br.Headline.NetGapEUR))
		}
		if got := bigFigure(t, page, "covered by pledges"); got != eur(br.Headline.CoveredEUR) {
			t.Errorf("%s: page's covered %s, the brief's %s", who, got, eur(br.Headline.CoveredEUR))
		}

		// The risk summary is the run /risk makes by default for the coalition.
		status, body, _ = w.do(t, role, "GET", "/risk?coalition=COW2025", "", "Accept", "text/html")
		if status != 200 {
			t.Fatalf("%s: /risk status %d", who, status)
		}
		for _, label := range []string{"probability of any shortfall", "expected shortfall", "probability of a shortfall above"} {
			if got, want := bigFigure(t, page, label), bigFigure(t, string(body), label); got != want {
				t.Errorf("%s: page's %s %s, /risk's %s", who, label, got, want)
			}
		}
		if !strings.Contains(page, `id="risk-top-table"`) || !strings.Contains(page, "5000 trials, seed 1") {
			t.Errorf("%s: no attributions or no trials stated in the risk summary", who)
		}

		// Recent pledges as the reader may see them; the delivery of the public one.
		text := visibleText(page)
		for vis, amount := range amounts {
			shown := strings.Contains(text, eur(float64(amount)/100))
			want := vis == coalition.Public || role == "coordinator" || (vis == coalition.CoalitionVis && role == "delegate-FRA")
			if shown != want {
				t.Errorf("%s: %s pledge of %s shown: %v, want %v", who, vis, eur(float64(amount)/100), shown, want)
			}
		}
		if !strings.Contains(page, `id="recent-deliveries-table"`) || !strings.Contains(text, eur(1_111_000_00)) {
			t.Errorf("%s: the delivery of %s is not listed", who, eur(1_111_000_00))
		}
		if !strings.Contains(page, `href="/pledges/`+fmt.Sprint(pledges[coalition.Public].ID)+`"`) {
			t.Errorf("%s: the public pledge is not linked", who)
		}
		// Engagements of the coalition, and the links out.
		for _, want := range []string{`id="home-engagements-title"`, `href="/engagements"`, `href="/brief?coalition=COW2025"`,
			`href="/force?coalition=COW2025"`, `href="/scenarios?coalition=COW2025"`, `href="/risk?coalition=COW2025&amp;seed=1&amp;trials=5000"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s", who, want)
			}
		}
		for _, leak := range leaks(text) {
			t.Errorf("%s: visible text shows %s", who, leak)
		}
		if strings.Contains(text, "No requirements") {
			t.Errorf("%s: the page says there are no requirements", who)
		}
		if role != "" && !strings.Contains(hdr.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", who, hdr.Get("Cache-Control"))
		}
	}
}

// TestCoalitionHomeWithoutData: a coalition nobody has pledged to and
// nothing is required of still has a home page that says so.
func TestCoalitionHomeWithoutData(t *testing.T) {
	h, st := newUIServer(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	c := &coalition.Coalition{Code: "TWN2026", Name: "Support group without data (test)", Purpose: "test", Recipient: "TWN", Source: "test",
		Members: []coalition.Membership{{ISO3: "ROU", Status: coalition.Invited}}}
	if err := st.CreateCoalition(sys, c); err != nil {
		t.Fatal(err)
	}
	w := get(t, h, "/coalitions/TWN2026")
	if w.Code != 200 {
		t.Fatalf("status %d: %.400s", w.Code, w.Body.String())
	}
	text := visibleText(w.Body.String())
	for _, want := range []string{"The need and the gap", "Recent pledges and deliveries", "No pledge of a member", "Risk summary", "Engagements"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
