package http

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"coalition"
	"coalition/analysis"
	"coalition/seed"
	"coalition/sqlstore"
	"coalition/sqlstore/sqltest"
)

// Issue 17: no single input can break a read route. The tests below run on
// both engines (PostgreSQL when COALITION_TEST_POSTGRES is set): values at
// the edges of the domain (limits.go) go in through every write route, rows
// written before the limits go in by SQL, and then every GET route of the
// router is requested as every role: no answer may be a 5xx.

// robustStore is a seeded store (the reference data and the UI extras, as
// uiStore) on engine.
func robustStore(t *testing.T, engine string) *sqlstore.Store {
	t.Helper()
	if engine == "sqlite" {
		return uiStore(t)
	}
	ctx := coalition.WithUser(context.Background(), coalition.System)
	st := sqltest.Postgres.Open(t)
	ds, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, ds, false); err != nil {
		t.Fatal(err)
	}
	if err := addUIExtras(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// robustWorld is an authWorld (one account and write token per role) on st.
func robustWorld(t *testing.T, st *sqlstore.Store) *authWorld {
	t.Helper()
	sys := coalition.WithUser(context.Background(), coalition.System)
	cow, err := st.FindCoalitionByCode(sys, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	w := &authWorld{store: st, cow: cow, users: map[string]*coalition.User{}, tokens: map[string]string{}}
	for _, u := range []*coalition.User{
		{Email: "admin@example.org", Role: coalition.Admin},
		{Email: "coord@example.org", Role: coalition.Coordinator, Coalitions: []int64{cow.ID}},
		{Email: "fr@example.org", Role: coalition.Delegate, Country: "FRA", Coalitions: []int64{cow.ID}},
		{Email: "gb@example.org", Role: coalition.Delegate, Country: "GBR", Coalitions: []int64{cow.ID}},
		{Email: "analyst@example.org", Role: coalition.Analyst, Coalitions: []int64{cow.ID}},
		{Email: "observer@example.org", Role: coalition.Observer},
	} {
		if err := st.CreateUser(sys, u, testPassword); err != nil {
			t.Fatal(err)
		}
		name := string(u.Role)
		if u.Role == coalition.Delegate {
			name += "-" + u.Country
		}
		w.users[name] = u
		secret, _, err := st.CreateToken(coalition.WithUser(sys, u), "test", coalition.ScopeWrite, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[name] = secret
	}
	w.srv = httptest.NewServer(ValidateTraffic(t, NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), st, Config{Version: "test"})))
	t.Cleanup(w.srv.Close)
	return w
}

func engines() []string { return []string{"sqlite", "postgres"} }

// robustRoles are the principals of the sweep: anonymous and every role.
var robustRoles = []string{"", "observer", "analyst", "delegate-FRA", "delegate-GBR", "coordinator", "admin"}

// created remembers the ids the write routes returned, to fill {id}.
type created struct {
	pledges, engagements, scenarios, proposals, riskEvents, requirements, deliveries []int64
}

// readPaths expands every GET pattern of the router into the paths to
// request. A GET route without an entry here fails the test: a new route
// must say how it is probed.
func readPaths(t *testing.T, w *authWorld, c created) []string {
	t.Helper()
	ids := func(v []int64) []string {
		out := []string{"999999"}
		for _, id := range v {
			out = append(out, strconv.FormatInt(id, 10))
		}
		return out
	}
	cow := strconv.FormatInt(w.cow.ID, 10)
	var charts []string
	for _, ch := range []string{"support-monthly", "support-top", "support-map", "country-monthly?iso3=GBR", "country-weapons?iso3=GBR",
		"country-monthly?iso3=BRA", "coalition-coverage?id=" + cow, "coalition-gap?id=" + cow, "scenario-gap?builtin=replace-us",
		"scenario-plan?withdraw=USA", "scenario-gap?withdraw=GBR&from=1990-01", "targets", "risk-fan", "risk-members",
		"risk-fan?start=1990-01&horizon=24&trials=50", "engagements", "force-lines?coalition=COW2025", "force-offers?without-condition=us-backstop"} {
		charts = append(charts, "/csv/"+ch)
	}
	var exports []string
	for _, what := range []string{"pledges", "deliveries", "donors", "engagements"} {
		for _, f := range []string{"csv", "xlsx", "json"} {
			exports = append(exports, "/api/v1/export/"+what+"?format="+f)
		}
		exports = append(exports, "/api/v1/export/"+what+"?since=1990-01&until=2100-12&from=1990-01-01&to=2100-12-31")
	}
	var builtins []string
	for _, n := range analysis.BuiltinNames {
		builtins = append(builtins, "/api/v1/scenarios/builtin/"+n)
	}
	prefix := func(p string, vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = p + v
		}
		return out
	}
	probes := map[string][]string{
		"/healthz": {"/healthz"}, "/readyz": {"/readyz"}, "/metrics": {"/metrics"},
		"/api/v1/openapi.yaml": {"/api/v1/openapi.yaml"}, "/api/v1/categories": {"/api/v1/categories"},
		"/api/v1/countries":        {"/api/v1/countries", "/api/v1/countries?group=NATO"},
		"/api/v1/countries/{iso3}": {"/api/v1/countries/GBR", "/api/v1/countries/BRA", "/api/v1/countries/XXX"},
		"/api/v1/groups":           {"/api/v1/groups"},
		"/api/v1/coalitions":       {"/api/v1/coalitions"},
		"/api/v1/coalitions/{id}":  {"/api/v1/coalitions/" + cow, "/api/v1/coalitions/999999"},
		"/api/v1/donors": {"/api/v1/donors", "/api/v1/donors?since=1990-01&until=2100-12", "/api/v1/donors?status=committed", "/api/v1/donors?attribute=contributors", "/api/v1/donors?attribute=contributors&group=NATO&type=military", "/api/v1/donors?attribute=nope",
			"/api/v1/donors?status=announced,committed,allocated,delivered,cancelled"},
		"/api/v1/donors/monthly": {"/api/v1/donors/monthly", "/api/v1/donors/monthly?since=1990-01&until=2100-12",
			"/api/v1/donors/monthly?status=announced,committed,allocated,delivered,cancelled"},
		"/api/v1/pledges":      {"/api/v1/pledges", "/api/v1/pledges?from=1990-01-01&to=2100-12-31", "/api/v1/pledges?donor=BRA"},
		"/api/v1/pledges/{id}": prefix("/api/v1/pledges/", ids(c.pledges)),
		"/api/v1/pledges/{id}/history": func() []string {
			out := prefix("/api/v1/pledges/", ids(c.pledges))
			for i := range out {
				out[i] += "/history"
			}
			return out
		}(),
		"/api/v1/engagements":      {"/api/v1/engagements", "/api/v1/engagements?from=1990-01-01&to=2100-12-31"},
		"/api/v1/engagements/{id}": prefix("/api/v1/engagements/", ids(c.engagements)),
		"/api/v1/coalitions/{id}/force": {"/api/v1/coalitions/" + cow + "/force", "/api/v1/coalitions/COW2025/force?without-condition=us-backstop,ceasefire",
			"/api/v1/coalitions/999999/force", "/api/v1/coalitions/COW2025/force?without-condition=nope"},
		"/api/v1/force/lines/{id}":         {"/api/v1/force/lines/1", "/api/v1/force/lines/999999"},
		"/api/v1/force/offers/{id}":        {"/api/v1/force/offers/1", "/api/v1/force/offers/999999"},
		"/api/v1/equipment":                {"/api/v1/equipment", "/api/v1/equipment?donor=GBR&category=artillery", "/api/v1/equipment?category=nonsense"},
		"/api/v1/capability-gap":           {"/api/v1/capability-gap?withdraw=USA", "/api/v1/capability-gap?withdraw=USA,GBR&withdraw=FRA", "/api/v1/capability-gap", "/api/v1/capability-gap?withdraw=nonsense"},
		"/api/v1/deliveries":               {"/api/v1/deliveries", "/api/v1/deliveries?donor=GBR"},
		"/api/v1/deliveries/{id}":          prefix("/api/v1/deliveries/", ids(c.deliveries)),
		"/api/v1/requirements":             {"/api/v1/requirements", "/api/v1/requirements?coalition_id=" + cow},
		"/api/v1/requirements/{id}":        prefix("/api/v1/requirements/", ids(c.requirements)),
		"/api/v1/risk-events":              {"/api/v1/risk-events", "/api/v1/risk-events?from=1990-01-01&to=2100-12-31"},
		"/api/v1/risk-events/{id}":         prefix("/api/v1/risk-events/", ids(c.riskEvents)),
		"/api/v1/targets":                  {"/api/v1/targets", "/api/v1/targets?group=NATO"},
		"/api/v1/prospects":                {"/api/v1/prospects"},
		"/api/v1/coverage":                 {"/api/v1/coverage", "/api/v1/coverage?coalition=COW2025&from=1990-01&to=2100-12", "/api/v1/coverage?need=historical&from=1990-01&to=2100-12"},
		"/api/v1/needs":                    {"/api/v1/needs", "/api/v1/needs?coalition=COW2025", "/api/v1/needs?coalition=NOPE"},
		"/api/v1/channels":                 {"/api/v1/channels", "/api/v1/channels?x=1"},
		"/api/v1/procurement":              {"/api/v1/procurement", "/api/v1/procurement?x=1"},
		"/api/v1/scenarios/builtin/{name}": builtins,
		"/api/v1/scenarios":                {"/api/v1/scenarios"},
		"/api/v1/scenarios/{id}":           prefix("/api/v1/scenarios/", ids(c.scenarios)),
		"/api/v1/risk/coalition/{code}": {"/api/v1/risk/coalition/COW2025", "/api/v1/risk/coalition/NB8",
			"/api/v1/risk/coalition/COW2025?start=1990-01&horizon=24&trials=50"},
		"/api/v1/export/{what}": exports,
		"/api/":                 {"/api/x"},
		"/static/":              {"/static/x"},
		"/{$}":                  {"/"},
		"/":                     {"/no-such-page"},
		"/donors":               {"/donors", "/donors?since=1990-01&until=2100-12"},
		"/donors.csv":           {"/donors.csv"},
		"/countries/{iso3}":     {"/countries/GBR", "/countries/DEU", "/countries/BRA", "/countries/UKR"},
		"/pledges/{id}":         prefix("/pledges/", ids(c.pledges)),
		"/coalitions":           {"/coalitions"},
		"/coalitions/{id}":      {"/coalitions/" + cow},
		"/engagements":          {"/engagements", "/engagements?from=1990-01-01&to=2100-12-31"},
		"/csv/{chart}":          charts,
		"/scenarios":            {"/scenarios", "/scenarios?builtin=replace-us", "/scenarios?withdraw=GBR&from=1990-01&run=1"},
		"/risk":                 {"/risk", "/risk?start=1990-01&horizon=24&trials=50"},
		"/targets":              {"/targets"},
		"/brief": {"/brief?coalition=COW2025&since=1990-01-01&as_of=2100-12-31", "/brief?coalition=COW2025&as_of=1990-01-01&format=md",
			"/brief?country=GBR&since=1990-01-01&format=pdf", "/brief?country=BRA", "/brief?country=UKR&as_of=2100-12-31"},
		"/force":     {"/force", "/force?coalition=COW2025&without-condition=us-backstop", "/force?coalition=NOPE", "/force?without-condition=%00"},
		"/equipment": {"/equipment", "/equipment?donor=GBR&category=artillery", "/equipment?system=%00"},
		"/engagements/{id}/edit": func() []string {
			out := prefix("/engagements/", ids(c.engagements))
			for i := range out {
				out[i] += "/edit"
			}
			return out
		}(),
		"/risk-events/{id}/edit": func() []string {
			out := prefix("/risk-events/", ids(c.riskEvents))
			for i := range out {
				out[i] += "/edit"
			}
			return out
		}(),
		"/deliveries/{id}/edit": func() []string {
			out := prefix("/deliveries/", ids(c.deliveries))
			for i := range out {
				out[i] += "/edit"
			}
			return out
		}(),
		"/requirements/{id}/edit": func() []string {
			out := prefix("/requirements/", ids(c.requirements))
			for i := range out {
				out[i] += "/edit"
			}
			return out
		}(),
		"/login":                 {"/login"},
		"/api/v1/me":             {"/api/v1/me"},
		"/api/v1/tokens":         {"/api/v1/tokens"},
		"/account":               {"/account"},
		"/api/v1/proposals":      {"/api/v1/proposals", "/api/v1/proposals?status=accepted"},
		"/api/v1/proposals/{id}": prefix("/api/v1/proposals/", ids(c.proposals)),
		"/review":                {"/review", "/review?status=accepted"},
		"/api/v1/audit":          {"/api/v1/audit"},
		"/api/v1/audit/verify":   {"/api/v1/audit/verify"},
		"/audit":                 {"/audit"},
		"/api/v1/users":          {"/api/v1/users"},
		"/api/v1/users/{id}":     {"/api/v1/users/1", "/api/v1/users/" + strconv.FormatInt(w.users["admin"].ID, 10)},
		"/admin/users":           {"/admin/users"},
		"/api/v1/datasets":       {"/api/v1/datasets"}, // the dataset releases (#16), once merged
	}
	var out []string
	for _, r := range Routes() {
		f := strings.Fields(r)
		if f[0] != "GET" {
			continue
		}
		ps, ok := probes[f[1]]
		if !ok {
			t.Errorf("GET %s: no probe in robust_test.go's readPaths; add the paths that exercise it", f[1])
			continue
		}
		out = append(out, ps...)
	}
	return out
}

// sweep requests every path as every role and reports any 5xx.
func sweep(t *testing.T, w *authWorld, paths []string, phase string) {
	t.Helper()
	for _, p := range paths {
		for _, role := range robustRoles {
			status, body, _ := w.do(t, role, "GET", p, "")
			if status >= 500 {
				t.Errorf("%s: GET %s as %q: %d (%.300s)", phase, p, role, status, body)
			}
		}
	}
}

// mustWrite sends a write and fails unless it answers want; it returns the body.
func mustWrite(t *testing.T, w *authWorld, role, method, path string, want int, body any, hdr ...string) []byte {
	t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	status, resp, _ := w.do(t, role, method, path, string(b), hdr...)
	if status != want {
		t.Fatalf("%s %s as %q: %d, want %d (%.500s)", method, path, role, status, want, resp)
	}
	return resp
}

func idOf(t *testing.T, b []byte) int64 {
	t.Helper()
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.ID == 0 {
		t.Fatalf("no id in %.300s (%v)", b, err)
	}
	return v.ID
}

// text returns n bytes of valid UTF-8 with multi-byte characters, quotes
// and markup, right at a limit when n is one.
func text(n int) string {
	const unit = "Ærø «fair» — 🇺🇦 <b>&amp;</b> \"q\" 'x' \u202e 中文 "
	s := strings.Repeat(unit, n/len(unit)+1)[:n]
	for !utf8.ValidString(s) { // cut inside a character: end on whole ones
		s = s[:len(s)-1]
	}
	return s + strings.Repeat("x", n-len(s))
}

// TestNoReadRouteFailsOnExtremeValues is the API-level property test of
// issue 17.
func TestNoReadRouteFailsOnExtremeValues(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := robustWorld(t, robustStore(t, engine))
			var c created
			cow := w.cow.ID
			max := coalition.MaxAmountMinor
			long := text(coalition.MaxTextBytes)
			src := "https://example.org/" + text(coalition.MaxSourceBytes-len("https://example.org/"))
			name := text(coalition.MaxNameBytes)

			// Extreme but accepted values, through every write route.
			p1 := mustWrite(t, w, "delegate-GBR", "POST", "/api/v1/pledges", 201, map[string]any{
				"donor": "GBR", "category": "air-defence", "amount": map[string]any{"minor": max, "currency": "EUR"},
				"quantity": max, "unit": name, "announced": "1990-01-01", "deliver_from": "1990-01", "deliver_to": "2100-12",
				"status": "allocated", "conditions": long, "visibility": "public", "source": src})
			c.pledges = append(c.pledges, idOf(t, p1))
			p2 := mustWrite(t, w, "coordinator", "POST", "/api/v1/pledges", 201, map[string]any{
				"donor": "DEU", "category": "military", "amount": map[string]any{"minor": max, "currency": "EUR"},
				"announced": "2100-12-31", "deliver_from": "2100-12", "deliver_to": "2100-12", "status": "delivered",
				"visibility": "coalition", "coalition_id": cow, "source": src})
			c.pledges = append(c.pledges, idOf(t, p2))
			p3 := mustWrite(t, w, "admin", "POST", "/api/v1/pledges", 201, map[string]any{
				"donor": "JPN", "category": "financial", "amount": map[string]any{"minor": max, "currency": "JPY"},
				"announced": "2100-12-31", "status": "allocated", "visibility": "confidential", "source": "テスト"})
			c.pledges = append(c.pledges, idOf(t, p3))
			for _, d := range []string{"FRA", "GBR"} { // many maximal pledges: sums past 64 bits
				for i := range 3 {
					b := mustWrite(t, w, "delegate-"+d, "POST", "/api/v1/pledges", 201, map[string]any{
						"donor": d, "category": "ammunition", "amount": map[string]any{"minor": max, "currency": "EUR"},
						"announced": fmt.Sprintf("2025-0%d-01", i+1), "status": "allocated", "source": "test"})
					c.pledges = append(c.pledges, idOf(t, b))
				}
			}
			mustWrite(t, w, "delegate-GBR", "PATCH", "/api/v1/pledges/"+itoa(c.pledges[0]), 200,
				map[string]any{"announced": "2100-12-31", "conditions": long}, "If-Match", `"1"`)
			// A delivery is dated today at the latest; a second maximal
			// one says why it exceeds the pledge.
			d1 := mustWrite(t, w, "delegate-GBR", "POST", "/api/v1/deliveries", 201, map[string]any{
				"pledge_id": c.pledges[0], "date": time.Now().UTC().Format(time.DateOnly), "amount_eur_minor": max, "quantity": max, "source": src})
			d2 := mustWrite(t, w, "delegate-GBR", "POST", "/api/v1/deliveries", 201, map[string]any{
				"pledge_id": c.pledges[0], "date": "1990-01-01", "amount_eur_minor": max, "source": "test", "over_delivery": long})
			c.deliveries = append(c.deliveries, idOf(t, d1), idOf(t, d2))
			mustWrite(t, w, "delegate-GBR", "PATCH", "/api/v1/deliveries/"+itoa(c.deliveries[1]), 200,
				map[string]any{"source": src, "quantity": max}, "If-Match", `"1"`)
			rq := mustWrite(t, w, "coordinator", "POST", "/api/v1/requirements", 201, map[string]any{
				"coalition_id": cow, "recipient": "UKR", "category": "air-defence", "amount_eur_minor": max,
				"from": "1990-01", "to": "2100-12", "priority": 1, "visibility": "public", "source": src})
			c.requirements = append(c.requirements, idOf(t, rq))
			rq = mustWrite(t, w, "coordinator", "POST", "/api/v1/requirements", 201, map[string]any{
				"coalition_id": cow, "recipient": "UKR", "category": "armour", "quantity": max, "unit_value_eur_minor": max,
				"from": "2100-12", "to": "2100-12", "priority": 2, "visibility": "coalition", "source": "test"})
			c.requirements = append(c.requirements, idOf(t, rq))
			e := mustWrite(t, w, "delegate-GBR", "POST", "/api/v1/engagements", 201, map[string]any{
				"date": "1990-01-01", "kind": "meeting", "title": name, "summary": long, "asks": long, "outcomes": long,
				"participants": []map[string]any{{"iso3": "GBR", "name": name, "role": name}, {"iso3": "UKR", "name": "Зеленський"}},
				"topics":       []string{name, "air-defence"}, "visibility": "public", "source": src})
			c.engagements = append(c.engagements, idOf(t, e))
			e = mustWrite(t, w, "delegate-FRA", "POST", "/api/v1/engagements", 201, map[string]any{
				"date": "2100-12-31", "kind": "summit", "summary": "x", "participants": []map[string]any{{"iso3": "FRA"}},
				"visibility": "confidential", "source": "test"})
			c.engagements = append(c.engagements, idOf(t, e))
			co := mustWrite(t, w, "coordinator", "GET", "/api/v1/coalitions/"+itoa(cow), 200, nil)
			var coal coalition.Coalition
			if err := json.Unmarshal(co, &coal); err != nil {
				t.Fatal(err)
			}
			members := coal.Members
			members[0].Since, members[0].Note = coalition.MaxDate, long
			mustWrite(t, w, "coordinator", "PATCH", "/api/v1/coalitions/"+itoa(cow), 200,
				map[string]any{"purpose": long, "members": members}, "If-Match", `"`+strconv.FormatInt(coal.Version, 10)+`"`)
			sys := coalition.WithUser(context.Background(), coalition.System)
			evs, err := w.store.FindRiskEvents(sys, coalition.RiskEventFilter{})
			if err != nil || len(evs) == 0 {
				t.Fatalf("risk events: %v (%d)", err, len(evs))
			}
			mustWrite(t, w, "coordinator", "PATCH", "/api/v1/risk-events/"+itoa(evs[0].ID), 200,
				map[string]any{"probability": 1, "factor": 0, "label": name, "assumption": long},
				"If-Match", `"`+strconv.FormatInt(evs[0].Version, 10)+`"`)
			for _, d := range []coalition.Date{coalition.MinDate, coalition.MaxDate} {
				ev := &coalition.RiskEvent{ISO3: "GBR", Date: d, Kind: "election", Label: name, Probability: 1, Factor: 0,
					Source: src, Assumption: long}
				if err := w.store.CreateRiskEvent(sys, ev); err != nil {
					t.Fatal(err)
				}
				c.riskEvents = append(c.riskEvents, ev.ID)
			}
			ing := mustWrite(t, w, "delegate-FRA", "POST", "/api/v1/ingest", 201, map[string]any{
				"text": "PARIS, 4 March 2100 – France will provide €500 million in air defence to Ukraine, President Emmanuel Macron said after a call with Volodymyr Zelenskyy. 🇺🇦 中文 «fin»",
				"date": "2100-12-31", "title": name, "source": src})
			var res struct {
				Proposals []*coalition.Proposal `json:"proposals"`
			}
			if err := json.Unmarshal(ing, &res); err != nil || len(res.Proposals) == 0 {
				t.Fatalf("ingest: %v %.300s", err, ing)
			}
			for _, p := range res.Proposals {
				c.proposals = append(c.proposals, p.ID)
				if p.Type == coalition.ProposePledge && p.Owner == "FRA" {
					mustWrite(t, w, "delegate-FRA", "POST", "/api/v1/proposals/"+itoa(p.ID)+"/accept", 200, nil, "If-Match", `"1"`)
				}
			}
			sc := mustWrite(t, w, "analyst", "POST", "/api/v1/scenarios", 201, map[string]any{
				"name": text(200), "spec": map[string]any{"withdrawals": []map[string]any{{"countries": []string{"GBR"}, "from": "2022-01"}}}}) // the earliest month with data: before it is refused (issue 15)
			c.scenarios = append(c.scenarios, idOf(t, sc))

			paths := readPaths(t, w, c)
			sweep(t, w, paths, "extreme accepted values")

			// Rows written before the limits, by SQL: dates of year 1 and
			// 9999, amounts of MaxInt64 cents, in groups of their own (on
			// PostgreSQL the rollup triggers add into bigint columns).
			db := w.store.DB()
			rebind := func(q string) string {
				if engine != "postgres" {
					return q
				}
				n := 0
				return replaceEach(q, "?", func() string { n++; return "$" + strconv.Itoa(n) })
			}
			type row struct {
				donor, announced, status, vis string
				eur                           int64
			}
			rows := []row{
				{"BRA", "0001-01-01", "allocated", "public", 100},
				{"BRA", "9999-12-31", "delivered", "public", 100},
				{"ALB", "2025-06-01", "allocated", "public", 9223372036854775807},
				{"ALB", "2025-06-01", "delivered", "public", 9223372036854775807},
				{"SAU", "9999-12-31", "allocated", "public", 9223372036854775807},
				{"SAU", "0001-01-01", "delivered", "public", 9223372036854775807},
			}
			if engine == "sqlite" {
				// SQLite's triggers add past 64 bits into a REAL rollup row
				// (PostgreSQL refuses the insert: bigint out of range).
				rows = append(rows, row{"ALB", "2025-06-02", "allocated", "public", 9223372036854775807})
			}
			for _, row := range rows {
				var id int64
				err := db.QueryRow(rebind(`INSERT INTO pledges (donor, recipient, category, support_type, amount_minor, currency,
					amount_eur_minor, fx_rate, fx_month, unit, announced, deliver_from, deliver_to, status, conditions, visibility,
					source, source_ref, as_of, provenance, version, created_at, updated_at)
					VALUES (?, 'UKR', 'humanitarian', 'humanitarian', ?, 'EUR', ?, 1, 0, '', ?, 0, 0, ?, '', ?, 'sql', '', ?, '', 1,
					'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id`),
					row.donor, row.eur, row.eur, row.announced, row.status, row.vis, row.announced).Scan(&id)
				if err != nil {
					t.Fatalf("inserting %+v: %v", row, err)
				}
				c.pledges = append(c.pledges, id)
			}
			// A write into a rollup group already at MaxInt64: PostgreSQL's
			// trigger overflows bigint, which is a 400, not a 500.
			b, _ := json.Marshal(map[string]any{"donor": "ALB", "category": "humanitarian", "announced": "2025-06-15",
				"status": "allocated", "amount": map[string]any{"minor": 100, "currency": "EUR"}, "source": "test"})
			status, resp, _ := w.do(t, "admin", "POST", "/api/v1/pledges", string(b))
			if want := map[string]int{"sqlite": 201, "postgres": 400}[engine]; status != want {
				t.Errorf("a pledge into a group at MaxInt64: %d, want %d (%.300s)", status, want, resp)
			}
			paths = readPaths(t, w, c)
			sweep(t, w, paths, "rows stored before the limits")
		})
	}
}

// replaceEach replaces every old in s with the next value of f.
func replaceEach(s, old string, f func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		b.WriteString(f())
		s = s[i+len(old):]
	}
}

// TestOutOfRangeValuesAre400: the values of issue 17 through POST are
// refused with a problem naming the field, on both engines, and nothing is
// stored.
func TestOutOfRangeValuesAre400(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := robustWorld(t, robustStore(t, engine))
			base := func() map[string]any {
				return map[string]any{"donor": "GBR", "category": "air-defence", "amount": map[string]any{"minor": 100, "currency": "EUR"},
					"announced": "2026-01-15", "source": "test"}
			}
			for _, c := range []struct {
				name, field string
				set         func(map[string]any)
			}{
				{"announced 0001-01-01", "announced", func(m map[string]any) { m["announced"] = "0001-01-01" }},
				{"announced 9999-12-31", "announced", func(m map[string]any) { m["announced"] = "9999-12-31" }},
				{"announced 1989-12-31", "announced", func(m map[string]any) { m["announced"] = "1989-12-31" }},
				{"deliver_to 2101-01", "deliver_to", func(m map[string]any) { m["deliver_to"] = "2101-01" }},
				{"amount MaxInt64", "amount.minor", func(m map[string]any) {
					m["amount"] = map[string]any{"minor": int64(9223372036854775807), "currency": "EUR"}
				}},
				{"amount over the maximum", "amount.minor", func(m map[string]any) {
					m["amount"] = map[string]any{"minor": coalition.MaxAmountMinor + 1, "currency": "EUR"}
				}},
				{"quantity MaxInt64", "quantity", func(m map[string]any) { m["quantity"] = int64(9223372036854775807) }},
				{"NUL in conditions", "conditions", func(m map[string]any) { m["conditions"] = "before\x00after" }},
				{"NUL in source", "source", func(m map[string]any) { m["source"] = "\x00" }},
				{"NUL in unit", "unit", func(m map[string]any) { m["unit"] = "a\x00" }},
				{"conditions too long", "conditions", func(m map[string]any) { m["conditions"] = strings.Repeat("x", coalition.MaxTextBytes+1) }},
				{"source too long", "source", func(m map[string]any) { m["source"] = strings.Repeat("x", coalition.MaxSourceBytes+1) }},
			} {
				body := base()
				c.set(body)
				b, _ := json.Marshal(body)
				status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/pledges", string(b))
				var prob problem
				json.Unmarshal(resp, &prob)
				if status != 400 || prob.Field != c.field {
					t.Errorf("%s: %d field %q, want 400 naming %q (%.300s)", c.name, status, prob.Field, c.field, resp)
				}
			}
			// The other records' text, date and amount fields, one each.
			for _, c := range []struct {
				path, field string
				body        map[string]any
			}{ // engagements by GBR's delegate, requirements by the coordinator
				{"/api/v1/engagements", "summary", map[string]any{"date": "2026-01-01", "kind": "call", "summary": "a\x00b",
					"participants": []map[string]any{{"iso3": "GBR"}}, "visibility": "public", "source": "test"}},
				{"/api/v1/engagements", "date", map[string]any{"date": "9999-12-31", "kind": "call", "summary": "x",
					"participants": []map[string]any{{"iso3": "GBR"}}, "visibility": "public", "source": "test"}},
				{"/api/v1/engagements", "participants[0].name", map[string]any{"date": "2026-01-01", "kind": "call", "summary": "x",
					"participants": []map[string]any{{"iso3": "GBR", "name": "\x00"}}, "visibility": "public", "source": "test"}},
				{"/api/v1/requirements", "amount_eur_minor", map[string]any{"coalition_id": w.cow.ID, "recipient": "UKR", "category": "armour",
					"amount_eur_minor": int64(9223372036854775807), "from": "2026-01", "to": "2026-12", "visibility": "public", "source": "test"}},
				{"/api/v1/requirements", "to", map[string]any{"coalition_id": w.cow.ID, "recipient": "UKR", "category": "armour",
					"amount_eur_minor": 100, "from": "2026-01", "to": "2200-12", "visibility": "public", "source": "test"}},
				{"/api/v1/ingest", "text", map[string]any{"text": "France \x00 will provide €5 million", "source": "test"}},
			} {
				b, _ := json.Marshal(c.body)
				role := "coordinator"
				if c.path == "/api/v1/engagements" {
					role = "delegate-GBR"
				}
				status, resp, _ := w.do(t, role, "POST", c.path, string(b))
				var prob problem
				json.Unmarshal(resp, &prob)
				if status != 400 || prob.Field != c.field {
					t.Errorf("POST %s: %d field %q, want 400 naming %q (%.300s)", c.path, status, prob.Field, c.field, resp)
				}
			}
			// A delivery of MaxInt64 cents against a real pledge.
			p := mustWrite(t, w, "delegate-GBR", "POST", "/api/v1/pledges", 201, base())
			b, _ := json.Marshal(map[string]any{"pledge_id": idOf(t, p), "date": "2026-02-01", "amount_eur_minor": int64(9223372036854775807), "source": "test"})
			status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/deliveries", string(b))
			var prob problem
			json.Unmarshal(resp, &prob)
			if status != 400 || prob.Field != "amount_eur_minor" {
				t.Errorf("delivery of MaxInt64: %d field %q, want 400 naming amount_eur_minor (%.300s)", status, prob.Field, resp)
			}
			// A path with NUL (or another control character, or invalid
			// UTF-8) names no page: 404, before any handler.
			for _, p := range []string{"/api/v1/countries/%00AB", "/api/v1/risk/coalition/%00"} {
				if status, body, _ := w.do(t, "admin", "GET", p, ""); status != 404 {
					t.Errorf("GET %s: %d, want 404 (%.200s)", p, status, body)
				}
			}
			// NUL and invalid UTF-8 in filters and non-record bodies: a 400
			// on both engines (PostgreSQL answered 500).
			for _, p := range []string{"/api/v1/pledges?donor=%00", "/api/v1/pledges?category=%FF",
				"/api/v1/engagements?topic=%00", "/api/v1/engagements?topic=%FF", "/api/v1/export/pledges?donor=%00",
				"/api/v1/export/engagements?topic=%FF", "/api/v1/donors?group=%00", "/api/v1/countries?group=%00",
				"/api/v1/targets?group=%00", "/api/v1/coverage?coalition=%00",
				"/api/v1/requirements?category=%00", "/csv/targets?group=%00", "/api/v1/audit?entity=%00"} {
				for _, role := range []string{"", "admin"} {
					status, body, _ := w.do(t, role, "GET", p, "")
					if status != 400 && !(role == "" && p == "/api/v1/audit?entity=%00" && status == 401) {
						t.Errorf("GET %s as %q: %d, want 400 (%.200s)", p, role, status, body)
					}
				}
			}
			if status, body, _ := w.do(t, "", "GET", "/donors?group=%00", ""); status != 400 {
				t.Errorf("GET /donors?group=%%00: %d, want 400 (%.200s)", status, body)
			}
			for _, c := range [][2]string{
				{"/api/v1/login", `{"email":"a\u0000@example.org","password":"x"}`},
				{"/api/v1/tokens", `{"name":"a\u0000","scope":"read"}`},
				{"/api/v1/risk", `{"coalition":"C\u0000W"}`},
				{"/api/v1/scenarios", `{"name":"a\u0000","spec":{"withdrawals":[{"countries":["GBR"],"from":"2025-01"}]}}`},
				{"/api/v1/ingest", `{"text":"France will give €5 million","title":"\u0000"}`},
			} {
				if status, body, _ := w.do(t, "admin", "POST", c[0], c[1]); status != 400 {
					t.Errorf("POST %s with a NUL: %d, want 400 (%.200s)", c[0], status, body)
				}
			}
			// Nothing out of range was stored.
			_, list, _ := w.do(t, "admin", "GET", "/api/v1/pledges?donor=GBR&limit=1000", "")
			if strings.Contains(string(list), "9999-12-31") || strings.Contains(string(list), "0001-01-01") || strings.Contains(string(list), "9223372036854775807") {
				t.Errorf("an out-of-range pledge was stored: %.500s", list)
			}
		})
	}
}
