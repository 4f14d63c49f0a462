package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"coalition"
	"coalition/analysis/risk"
	"coalition/internal/check"
	"coalition/internal/reftest"
	"coalition/report"
	"coalition/seed"
)

// riskWorld is the authorization world plus the bundled elections calendar
// as stored risk events (what `coalition seed` loads).
func riskWorld(t *testing.T) *authWorld {
	t.Helper()
	w := newAuthWorld(t)
	evs, err := seed.ElectionEvents()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.Load(coalition.WithUser(context.Background(), coalition.System), &coalition.Dataset{RiskEvents: evs}, false); err != nil {
		t.Fatal(err)
	}
	return w
}

// wantProblem checks a 400 problem document that names field.
func wantProblem(t *testing.T, what string, status int, body []byte, field string) {
	t.Helper()
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Errorf("%s: %d %s, want a 400 problem naming %q", what, status, body, field)
		return
	}
	check.Facts(t,
		check.Eq(what+": status", status, 400),
		check.Eq(what+": problem status", p.Status, 400),
		check.Eq(what+": field", p.Field, field),
	)
}

// smallModel: one member covers €100 a month of military need with €150;
// its event (probability 0.3, factor 0.5, month 2) leaves 75 < 100.
const smallModel = `{"start": "2026-01", "months": 4, "categories": ["military"],
  "requirements": {"military": 100},
  "members": [{"iso3": "FRA", "support": {"military": 150},
    "events": [{"month": "2026-02", "probability": 0.3, "factor": 0.5}]}],
  "trials": 20000, "seed": 3}`

func TestPostRiskModel(t *testing.T) {
	w := newAuthWorld(t)
	status, body, _ := w.do(t, "", "POST", "/api/v1/risk", smallModel)
	if status != 200 {
		t.Fatalf("POST /api/v1/risk: %d %s", status, body)
	}
	var got risk.Result
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	// The same model run here: the same result (elapsed_ms aside).
	m, err := risk.DecodeBytes([]byte(smallModel))
	if err != nil {
		t.Fatal(err)
	}
	want, err := risk.Run(context.Background(), m, risk.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got.ElapsedMS, want.ElapsedMS = 0, 0
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("API result %s\nwant %s", a, b)
	}
	// P(S>0) is the event's probability 0.3: within 4 standard errors,
	// √(0.3 × 0.7 / 20000) ≈ 0.0032.
	if p := got.Shortfall.PPositive; p < 0.3-4*0.0032 || p > 0.3+4*0.0032 {
		t.Errorf("P(S>0) = %v, want 0.3 ± 0.013", p)
	}

	for _, c := range []struct{ what, body, field string }{
		{"over the trial cap", strings.Replace(smallModel, `"trials": 20000`, `"trials": 200001`, 1), "trials"},
		{"probability above 1", strings.Replace(smallModel, `"probability": 0.3`, `"probability": 1.3`, 1), "members[0].events[0].probability"},
		{"a list of the wrong length", strings.Replace(smallModel, `"military": 100}`, `"military": [1, 2]}`, 1), "requirements.military"},
		{"an amount that would overflow (issue 21)", strings.Replace(smallModel, `"military": 100}`, `"military": 1.7e308}`, 1), "requirements.military"},
		{"an amount past float64", strings.Replace(smallModel, `"military": 150}`, `"military": 1e400}`, 1), "members[0].support.military"},
		{"an empty object", `{}`, "start"},
		{"coalition: unknown field", `{"coalition": "COW2025", "trails": 5}`, "trails"},
		{"coalition: over the trial cap", `{"coalition": "COW2025", "trials": 200001}`, "trials"},
		{"coalition: horizon", `{"coalition": "COW2025", "horizon": 601}`, "horizon"},
		{"coalition: start", `{"coalition": "COW2025", "start": "2026-13"}`, "start"},
		{"coalition: unknown code", `{"coalition": "NOPE"}`, "coalition"},
		{"coalition: empty code", `{"coalition": ""}`, "coalition"},
		{"coalition: wrong type", `{"coalition": "COW2025", "horizon": "36"}`, "horizon"},
	} {
		status, body, _ := w.do(t, "", "POST", "/api/v1/risk", c.body)
		wantProblem(t, c.what, status, body, c.field)
	}
}

func TestRiskCoalitionAPI(t *testing.T) {
	w := riskWorld(t)
	status, body, _ := w.do(t, "", "GET", "/api/v1/risk/coalition/COW2025?start=2026-01&trials=2000&seed=9", "")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var rep report.RiskReport
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	var members []string
	events := 0
	for _, m := range rep.Members {
		members = append(members, m.ISO3)
		events += len(m.Events)
	}
	if !slices.Equal(members, append(w.cow.JoinedMembers(), "USA")) {
		t.Errorf("members %v, want the joined members of COW2025 and USA", members)
	}
	// political_risks.csv: USA 2026-10-01, 2027-10-01 and DEU 2027-01-01,
	// 2028-01-01 budget deadlines; NLD, CAN, NOR, BEL windows meeting 2026–2028.
	if want := reftest.ElectionRows(t, members, "2026", "2027", "2028") + 8; events != want {
		t.Errorf("%d events in 2026–2028, want %d (elections.csv and the 8 political risks)", events, want)
	}
	check.Facts(t,
		check.Eq("trials", rep.Result.Trials, 2000),
		check.Eq("seed", rep.Result.Seed, uint64(9)),
		check.Eq("months", len(rep.Result.Months), 36),
		check.AtLeast("sources", len(rep.Sources), 1),
	)
	// The POST form with the same request gives the same model and result.
	status, body2, _ := w.do(t, "", "POST", "/api/v1/risk", `{"coalition": "COW2025", "start": "2026-01", "trials": 2000, "seed": 9}`)
	var rep2 report.RiskReport
	json.Unmarshal(body2, &rep2)
	rep.Result.ElapsedMS, rep2.Result.ElapsedMS = 0, 0
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(rep2)
	if status != 200 || string(a) != string(b) {
		t.Errorf("POST {coalition} differs from GET: %d", status)
	}
	for _, c := range []struct{ query, field string }{
		{"?trials=0", "trials"}, {"?trials=200001", "trials"}, {"?horizon=0", "horizon"}, {"?start=May", "start"}, {"?seed=-1", "seed"},
	} {
		status, body, _ := w.do(t, "", "GET", "/api/v1/risk/coalition/COW2025"+c.query, "")
		wantProblem(t, c.query, status, body, c.field)
	}
	status, body, _ = w.do(t, "", "GET", "/api/v1/risk/coalition/NOPE", "")
	wantProblem(t, "unknown coalition", status, body, "coalition")
}

// A confidential pledge changes the delegate's model, not an anonymous
// caller's; a saved scenario's risk is computed for its audience.
func TestRiskVisibility(t *testing.T) {
	w := riskWorld(t)
	sys := coalition.WithUser(context.Background(), coalition.System)
	// The default horizon starts after the last month of data (2026-05 with
	// the bundled Kiel release), where nobody has pledges yet.
	start, _ := coalition.ParseMonth("2026-06")
	if err := w.store.CreatePledge(sys, &coalition.Pledge{Donor: "FRA", Recipient: "UKR", CoalitionID: &w.cow.ID, Category: "ammunition",
		Amount: coalition.Money{Minor: 900e6 * 100, Currency: "EUR"}, AmountEUR: 900e6 * 100,
		Announced: coalition.Date{Y: 2026, M: 5, D: 4}, DeliverFrom: start, DeliverTo: start.Add(2),
		Status: coalition.Committed, Visibility: coalition.Confidential, Source: "test: confidential"}); err != nil {
		t.Fatal(err)
	}
	fra := func(role string) report.RiskMember {
		t.Helper()
		status, body, _ := w.do(t, role, "GET", "/api/v1/risk/coalition/COW2025?trials=500", "")
		if status != 200 {
			t.Fatalf("%s: %d %s", role, status, body)
		}
		var rep report.RiskReport
		json.Unmarshal(body, &rep)
		for _, m := range rep.Members {
			if m.ISO3 == "FRA" {
				return m
			}
		}
		t.Fatalf("%s: no FRA in %s", role, body)
		return report.RiskMember{}
	}
	for role, want := range map[string]string{"": "baseline", "observer": "baseline", "delegate-GBR": "baseline",
		"delegate-FRA": "pledges", "coordinator": "pledges", "admin": "pledges"} {
		m := fra(role)
		if m.SupportBasis != want || (want == "pledges" && m.SupportEUR != 900e6) {
			t.Errorf("%q sees FRA as %+v, want %s", role, m, want)
		}
	}

	// Saved with a public scenario by an admin: the risk is the anonymous view.
	save := `{"name": "US out, with risk", "spec": {"withdrawals": [{"countries": ["USA"], "from": "2026-06"}]},
	  "risk": {"trials": 500, "seed": 4}}`
	status, body, _ := w.do(t, "admin", "POST", "/api/v1/scenarios", save)
	if status != 201 {
		t.Fatalf("save: %d %s", status, body)
	}
	var sc coalition.Scenario
	json.Unmarshal(body, &sc)
	var res struct {
		Spec json.RawMessage    `json:"spec"`
		Risk *report.RiskReport `json:"risk"`
	}
	if err := json.Unmarshal(sc.Result, &res); err != nil || res.Risk == nil || len(res.Spec) == 0 {
		t.Fatalf("saved result has no risk or spec: %v %s", err, sc.Result)
	}
	if res.Risk.Result.Trials != 500 || res.Risk.Coalition != "COW2025" {
		t.Errorf("saved risk: %d trials of %s", res.Risk.Result.Trials, res.Risk.Coalition)
	}
	for _, m := range res.Risk.Members {
		if m.ISO3 == "FRA" && m.SupportBasis != "baseline" {
			t.Errorf("a public scenario's risk uses the confidential FRA pledge: %+v", m)
		}
	}
	for _, c := range []struct{ body, field string }{
		{strings.Replace(save, `"trials": 500`, `"trials": 200001`, 1), "risk.trials"},
		{strings.Replace(save, `"seed": 4`, `"seed": 4, "coalition": "XYZ"`, 1), "risk.coalition"},
		{strings.Replace(save, `"seed": 4`, `"seed": 4, "horizon": 601`, 1), "risk.horizon"},
	} {
		status, body, _ := w.do(t, "admin", "POST", "/api/v1/scenarios", c.body)
		wantProblem(t, c.field, status, body, c.field)
	}
}

// A run stops when its request's context ends: before it starts (the
// client went away) or during it (a deadline).
func TestRiskRunStops(t *testing.T) {
	m, err := risk.DecodeBytes([]byte(smallModel))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = runRiskModel(ctx, nil, m)
	if coalition.ErrorKind(err) != coalition.Unavailable {
		t.Errorf("cancelled: %v, want Unavailable", err)
	}
	// A dense model (every support changes every month, so each trial costs
	// members × categories × months = 100 × 10 × 120) takes over a second.
	big := risk.Model{Start: m.Start, Months: 120, Requirements: map[string]risk.Series{}, Trials: 10_000, Seed: 1}
	for c := range 10 {
		big.Categories = append(big.Categories, fmt.Sprintf("c%d", c))
		big.Requirements[big.Categories[c]] = risk.Const(500)
	}
	for i := range 100 {
		mem := risk.Member{ISO3: fmt.Sprintf("M%02d", i), Support: map[string]risk.Series{},
			Events: []risk.Event{{Month: big.Start.Add(i), Probability: 0.5, Factor: 0.5}}}
		for _, c := range big.Categories {
			v := make([]float64, big.Months)
			for t := range v {
				v[t] = float64((i+t)%7 + 1)
			}
			mem.Support[c] = risk.PerMonth(v...)
		}
		big.Members = append(big.Members, mem)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err = runRiskModel(ctx, nil, big)
	var ce *coalition.Error
	if !errors.As(err, &ce) || ce.Kind != coalition.Unavailable {
		t.Errorf("deadline: %v, want Unavailable", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("the run took %v with a deadline of 50 ms", d)
	}
}
