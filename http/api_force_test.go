package http

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"coalition/internal/check"
	"coalition/report"
)

// forceLineOf finds the line with id in a sourcing view answer.
func forceLineOf(t *testing.T, body []byte, id int64) (*report.ForceLineView, *report.ForceReport) {
	t.Helper()
	var rep report.ForceReport
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	for i := range rep.Lines {
		if rep.Lines[i].ID == id {
			return &rep.Lines[i], &rep
		}
	}
	return nil, &rep
}

func countries(offers []report.ForceOfferRow) string {
	var out []string
	for _, o := range offers {
		out = append(out, o.Country)
	}
	return strings.Join(out, ",")
}

// TestForceGenerationByRole (issue 18 §3): a coordinator states a line of
// the force requirement (4 battalions, 3,000 people); the British delegate
// offers 2 battalions (1,600) to the coalition, after a ceasefire, as lead;
// the French delegate offers 1 battalion (800) confidentially, only with a
// US backstop. Worked by hand, the sourcing view is:
//   - coordinator and French delegate: GBR+FRA, conditional 3, unfilled 1; people 2,400 and 600;
//   - British delegate and analyst: GBR only, conditional 2, unfilled 2; people 1,600 and 1,400
//     (the confidential offer is in no total, and its unit appears nowhere);
//   - anonymous: the coalition-visible line is not shown at all;
//   - without a US backstop (coordinator): FRA lapses, conditional 2, unfilled 2.
//
// Writes follow the pledges' rules and If-Match, and each is audited.
func TestForceGenerationByRole(t *testing.T) {
	w := newAuthWorld(t)
	cow := itoa(w.cow.ID)
	var resp []byte
	status, _, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/force/lines", `{"coalition_id":`+cow+`,"capability":"land","unit_type":"battalion","quantity":4,"source":"test"}`)
	check.Facts(t, check.Eq("a delegate may not set the requirement", status, http.StatusForbidden))
	status, resp, _ = w.do(t, "coordinator", "POST", "/api/v1/force/lines", `{"coalition_id":`+cow+`,"capability":"land","unit_type":"battalion","quantity":4,"personnel":3000,"priority":1,"from":"2026-06","to":"2027-05","source":"coordination cell, test"}`)
	if status != http.StatusCreated {
		t.Fatalf("POST line: %d %s", status, resp)
	}
	line := idOf(t, resp)
	status, resp, _ = w.do(t, "coordinator", "POST", "/api/v1/force/lines", `{"coalition_id":`+cow+`,"capability":"cavalry","unit_type":"battalion","source":"x"}`)
	check.Facts(t, check.Holds("bad capability names its field", status == 400 && strings.Contains(string(resp), `"field":"capability"`), string(resp), "400 naming capability"))

	offer := func(role, body string) (int64, string) {
		t.Helper()
		status, resp, hdr := w.do(t, role, "POST", "/api/v1/force/offers", `{"line_id":`+itoa(line)+`,`+body+`}`)
		if status != http.StatusCreated {
			t.Fatalf("POST offer as %s: %d %s", role, status, resp)
		}
		return idOf(t, resp), hdr.Get("ETag")
	}
	gbr, _ := offer("delegate-GBR", `"country":"GBR","unit":"Armoured battlegroup","quantity":2,"personnel":1600,"conditions":["ceasefire"],"lead":true,"visibility":"coalition","source":"test GBR"`)
	fra, fraTag := offer("delegate-FRA", `"country":"FRA","unit":"Groupement tactique Lynx","quantity":1,"personnel":800,"conditions":["us-backstop"],"visibility":"confidential","source":"test FRA"`)
	status, _, _ = w.do(t, "delegate-GBR", "POST", "/api/v1/force/offers", `{"line_id":`+itoa(line)+`,"country":"FRA","unit":"x","quantity":9,"source":"forged"}`)
	check.Facts(t, check.Eq("a delegate may not offer for another country", status, http.StatusForbidden))
	status, resp, _ = w.do(t, "delegate-GBR", "POST", "/api/v1/force/offers", `{"line_id":`+itoa(line)+`,"country":"GBR","unit":"x","conditions":["maybe"],"source":"s"}`)
	check.Facts(t, check.Holds("bad condition names its field", status == 400 && strings.Contains(string(resp), `"field":"conditions[0]"`), string(resp), "400 naming conditions[0]"))

	type want struct {
		offers                  string
		conditional, unfilled   int64
		people, peopleUnfilled  int64
		confidentialUnitVisible bool
	}
	for role, wnt := range map[string]want{
		"coordinator":  {"GBR,FRA", 3, 1, 2400, 600, true},
		"delegate-FRA": {"GBR,FRA", 3, 1, 2400, 600, true},
		"delegate-GBR": {"GBR", 2, 2, 1600, 1400, false},
		"analyst":      {"GBR", 2, 2, 1600, 1400, false},
	} {
		status, body, _ := w.do(t, role, "GET", "/api/v1/coalitions/"+cow+"/force", "")
		if status != 200 {
			t.Fatalf("%s: %d %s", role, status, body)
		}
		l, _ := forceLineOf(t, body, line)
		if l == nil {
			t.Fatalf("%s: line %d missing from %s", role, line, body)
		}
		check.Facts(t,
			check.Eq(role+" offers", countries(l.Offers), wnt.offers),
			check.Eq(role+" offered", l.Offered, int64(0)),
			check.Eq(role+" conditional", l.Conditional, wnt.conditional),
			check.Eq(role+" unfilled", *l.Unfilled, wnt.unfilled),
			check.Eq(role+" conditional people", l.ConditionalPersonnel, wnt.people),
			check.Eq(role+" unfilled people", *l.UnfilledPersonnel, wnt.peopleUnfilled),
			check.Eq(role+" leads", strings.Join(l.Leads, ","), "GBR"),
			check.Eq(role+" sees the confidential unit", strings.Contains(string(body), "Groupement tactique Lynx"), wnt.confidentialUnitVisible),
		)
	}
	// The same view by the coalition's code; anonymous readers do not see the coalition-visible line.
	status, body, _ := w.do(t, "", "GET", "/api/v1/coalitions/COW2025/force", "")
	l, _ := forceLineOf(t, body, line)
	check.Facts(t, check.Eq("anonymous status", status, 200), check.Holds("anonymous sees no coalition line", l == nil, l, "no line"),
		check.Holds("anonymous sees no offer", !strings.Contains(string(body), "Armoured battlegroup"), string(body), "no GBR unit"))

	// No US backstop: the French offer lapses.
	status, body, _ = w.do(t, "coordinator", "GET", "/api/v1/coalitions/"+cow+"/force?without-condition=us-backstop", "")
	l, rep := forceLineOf(t, body, line)
	if status != 200 || l == nil {
		t.Fatalf("scenario: %d %s", status, body)
	}
	check.Facts(t,
		check.Eq("scenario conditions", strings.Join(rep.WithoutConditions, ","), "us-backstop"),
		check.Eq("scenario offers", countries(l.Offers), "GBR"),
		check.Eq("scenario lapsed", countries(l.Lapsed), "FRA"),
		check.Eq("scenario conditional", l.Conditional, int64(2)),
		check.Eq("scenario unfilled", *l.Unfilled, int64(2)),
	)
	status, body, _ = w.do(t, "coordinator", "GET", "/api/v1/coalitions/"+cow+"/force?without-condition=luck", "")
	check.Facts(t, check.Holds("bad scenario names its field", status == 400 && strings.Contains(string(body), `"field":"without-condition"`), string(body), "400 naming without-condition"))

	// Edits: If-Match required; the British delegate may not touch the French offer (hidden: 404).
	fraPath := "/api/v1/force/offers/" + itoa(fra)
	status, _, _ = w.do(t, "delegate-FRA", "PATCH", fraPath, `{"quantity":2}`)
	check.Facts(t, check.Eq("PATCH without If-Match", status, http.StatusPreconditionRequired))
	status, _, _ = w.do(t, "delegate-GBR", "PATCH", fraPath, `{"quantity":0}`, "If-Match", fraTag)
	check.Facts(t, check.Eq("other delegate PATCH", status, http.StatusNotFound))
	status, _, _ = w.do(t, "delegate-FRA", "PATCH", fraPath, `{"quantity":2,"conditions":["us-backstop","parliament"]}`, "If-Match", fraTag)
	check.Facts(t, check.Eq("PATCH as owner", status, http.StatusOK))
	status, _, _ = w.do(t, "delegate-FRA", "PATCH", fraPath, `{"quantity":3}`, "If-Match", fraTag)
	check.Facts(t, check.Eq("stale PATCH", status, http.StatusConflict))
	status, body, _ = w.do(t, "coordinator", "GET", "/api/v1/coalitions/"+cow+"/force", "")
	check.Facts(t, check.Eq("GET the force view", status, http.StatusOK))
	l, _ = forceLineOf(t, body, line)
	check.Facts(t, check.Eq("after the edit: conditional 2+2", l.Conditional, int64(4)), check.Eq("after the edit: unfilled", *l.Unfilled, int64(0)))

	// A line with offers is not deleted; withdrawn offers first.
	linePath := "/api/v1/force/lines/" + itoa(line)
	status, _, _ = w.do(t, "coordinator", "DELETE", linePath, "", "If-Match", `"1"`)
	check.Facts(t, check.Eq("delete a line with offers", status, http.StatusConflict))
	for _, id := range []int64{gbr, fra} {
		p := "/api/v1/force/offers/" + itoa(id)
		_, _, h := w.do(t, "coordinator", "GET", p, "")
		status, resp, _ := w.do(t, "coordinator", "DELETE", p, "", "If-Match", h.Get("ETag"))
		check.Facts(t, check.Eq("withdraw offer "+itoa(id), status, http.StatusNoContent), check.Eq("body", string(resp), ""))
	}
	status, _, _ = w.do(t, "coordinator", "DELETE", linePath, "", "If-Match", `"1"`)
	check.Facts(t, check.Eq("delete the line", status, http.StatusNoContent))

	// Every write is in the audit log (besides the seed's entries): the line created and deleted;
	// the British offer created and deleted; the French one created, updated and deleted.
	for entity, want := range map[string]map[string]string{
		"force_line":  {itoa(line): "create,delete"},
		"force_offer": {itoa(gbr): "create,delete", itoa(fra): "create,update,delete"},
	} {
		status, body, _ := w.do(t, "admin", "GET", "/api/v1/audit?limit=1000&entity="+entity, "")
		var page struct {
			Items []struct {
				EntityID string `json:"entity_id"`
				Action   string `json:"action"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &page); err != nil || status != 200 {
			t.Fatalf("audit %s: %d %s", entity, status, body)
		}
		got := map[string][]string{}
		for _, e := range page.Items {
			if _, ok := want[e.EntityID]; ok {
				got[e.EntityID] = append(got[e.EntityID], e.Action)
			}
		}
		for id, actions := range want {
			check.Facts(t, check.Eq("audit of "+entity+" "+id, strings.Join(got[id], ","), actions))
		}
	}
}
