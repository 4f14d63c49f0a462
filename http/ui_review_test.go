package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// TestReviewPage: a delegate submits a text over the API, the review page
// shows it with its evidence marked and its flags, the delegate accepts its
// own country's pledge (If-Match), may not decide another proposal, and a
// second acceptance is a conflict.
func TestReviewPage(t *testing.T) {
	w := newAuthWorld(t)
	text := "PARIS, 4 March 2025 – France will provide €500 million in air defence to Ukraine, President Emmanuel Macron said after a call with Volodymyr Zelenskyy."
	body, _ := json.Marshal(map[string]string{"text": text, "title": "Paris", "source": "https://example.org/paris"})
	status, resp, _ := w.do(t, "delegate-FRA", "POST", "/api/v1/ingest", string(body))
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/ingest: %d %s", status, resp)
	}
	var res struct {
		Text      coalition.IngestText  `json:"text"`
		Proposals []*coalition.Proposal `json:"proposals"`
	}
	if err := json.Unmarshal(resp, &res); err != nil {
		t.Fatal(err)
	}
	var fra, other *coalition.Proposal
	for _, p := range res.Proposals {
		if p.Type == coalition.ProposePledge && p.Owner == "FRA" {
			fra = p
		} else if other == nil {
			other = p
		}
	}
	if fra == nil || other == nil {
		t.Fatalf("want a French pledge and another proposal, got %s", resp)
	}
	// Observers do not see the queue; analysts see no undecided proposal
	// (they may decide none); the coordinator, a reviewer, sees them all.
	if status, _, _ := w.do(t, "observer", "GET", "/api/v1/proposals", ""); status != http.StatusForbidden {
		t.Errorf("observer GET /api/v1/proposals: %d, want 403", status)
	}
	// The API list pages: one proposal a page, a Link to the next, and
	// following the links gives every proposal once, in order.
	var seen []int64
	next := "/api/v1/proposals?limit=1"
	for range len(res.Proposals) + 1 {
		status, resp, hdr := w.do(t, "coordinator", "GET", next, "")
		var ps []*coalition.Proposal
		if status != http.StatusOK || json.Unmarshal(resp, &ps) != nil || len(ps) > 1 {
			t.Fatalf("GET %s: %d %s", next, status, resp)
		}
		for _, p := range ps {
			seen = append(seen, p.ID)
		}
		link := hdr.Get("Link")
		if link == "" {
			break
		}
		if !strings.HasSuffix(link, `>; rel="next"`) || !strings.HasPrefix(link, "</api/v1/proposals?") {
			t.Fatalf("Link %q", link)
		}
		next = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
	if len(seen) != len(res.Proposals) {
		t.Fatalf("paging gave %v, want the %d proposals", seen, len(res.Proposals))
	}
	for i, p := range res.Proposals {
		if seen[i] != p.ID {
			t.Fatalf("paging gave %v, want the proposals' ids in order", seen)
		}
	}
	if status, resp, _ := w.do(t, "analyst", "GET", "/api/v1/proposals?limit=0", ""); status != http.StatusBadRequest {
		t.Errorf("limit=0: %d %s, want 400", status, resp)
	}
	status, page, _ := w.do(t, "coordinator", "GET", "/review", "", "Accept", "text/html")
	if status != http.StatusOK {
		t.Fatalf("GET /review: %d %s", status, page)
	}
	for _, want := range []string{`id="proposal-` + strconv.FormatInt(fra.ID, 10) + `"`, "<mark>€500 million</mark>",
		`<p class="why"><strong>Why:</strong> pledge`, "https://example.org/paris", `action="/review/proposals/` + strconv.FormatInt(fra.ID, 10) + `/accept"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("review page lacks %q", want)
		}
	}
	status, page, _ = w.do(t, "analyst", "GET", "/review", "", "Accept", "text/html")
	if status != http.StatusOK {
		t.Fatalf("analyst GET /review: %d %s", status, page)
	}
	if strings.Contains(string(page), "proposal-"+strconv.FormatInt(fra.ID, 10)) || strings.Contains(string(page), `action="/review/proposals/`) {
		t.Error("an analyst is shown an undecided proposal or the accept form")
	}
	id := strconv.FormatInt(fra.ID, 10)
	if status, resp, _ := w.do(t, "delegate-FRA", "POST", "/api/v1/proposals/"+id+"/accept", ""); status != http.StatusPreconditionRequired {
		t.Errorf("accept without If-Match: %d %s, want 428", status, resp)
	}
	if status, _, _ := w.do(t, "delegate-FRA", "POST", "/api/v1/proposals/"+strconv.FormatInt(other.ID, 10)+"/accept", "", "If-Match", `"1"`); status != http.StatusForbidden {
		t.Errorf("a delegate accepting a non-pledge: %d, want 403", status)
	}
	status, resp, hdr := w.do(t, "delegate-FRA", "POST", "/api/v1/proposals/"+id+"/accept", "", "If-Match", `"1"`)
	if status != http.StatusOK {
		t.Fatalf("accept: %d %s", status, resp)
	}
	var acc coalition.Proposal
	if err := json.Unmarshal(resp, &acc); err != nil {
		t.Fatal(err)
	}
	if acc.Status != coalition.ProposalAccepted || acc.RecordID == 0 || hdr.Get("ETag") != `"2"` {
		t.Errorf("accepted: %+v, ETag %s", acc, hdr.Get("ETag"))
	}
	if status, _, _ := w.do(t, "delegate-FRA", "GET", "/api/v1/pledges/"+strconv.FormatInt(acc.RecordID, 10), ""); status != http.StatusOK {
		t.Errorf("the accepted pledge is not readable: %d", status)
	}
	if status, _, _ := w.do(t, "admin", "POST", "/api/v1/proposals/"+id+"/reject", "", "If-Match", `"2"`); status != http.StatusConflict {
		t.Errorf("deciding twice: %d, want 409", status)
	}
}

// TestReviewQueueFollowsRecordVisibility: a GBR delegate ingests a text and
// accepts its pledge as confidential. The French delegate, the analyst and
// the coordinator (of a coalition the pledge is not in) then see neither
// the proposal, nor its text, nor the amount on the review page; the GBR
// delegate and the administrator still do.
func TestReviewQueueFollowsRecordVisibility(t *testing.T) {
	w := newAuthWorld(t)
	text := "LONDON, 4 March 2025 – The United Kingdom will provide £2.345 billion in loans to Ukraine, the Prime Minister said."
	body, _ := json.Marshal(map[string]string{"text": text, "title": "London", "source": "https://example.org/london"})
	status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/ingest", string(body))
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/ingest: %d %s", status, resp)
	}
	var res struct {
		Proposals []*coalition.Proposal `json:"proposals"`
	}
	if err := json.Unmarshal(resp, &res); err != nil {
		t.Fatal(err)
	}
	var gbr *coalition.Proposal
	for _, p := range res.Proposals {
		if p.Type == coalition.ProposePledge && p.Owner == "GBR" {
			gbr = p
		}
	}
	if gbr == nil {
		t.Fatalf("no GBR pledge proposed: %s", resp)
	}
	var record map[string]any
	if err := json.Unmarshal(gbr.Record, &record); err != nil {
		t.Fatal(err)
	}
	record["visibility"] = "confidential"
	edited, _ := json.Marshal(record)
	id := strconv.FormatInt(gbr.ID, 10)
	if status, resp, _ := w.do(t, "delegate-GBR", "POST", "/api/v1/proposals/"+id+"/accept", string(edited), "If-Match", `"1"`); status != http.StatusOK {
		t.Fatalf("accept as confidential: %d %s", status, resp)
	}
	for _, tc := range []struct {
		role string
		see  bool
	}{{"delegate-GBR", true}, {"admin", true}, {"delegate-FRA", false}, {"analyst", false}, {"coordinator", false}} {
		t.Run(tc.role, func(t *testing.T) {
			status, resp, _ := w.do(t, tc.role, "GET", "/api/v1/proposals/"+id, "")
			if want := map[bool]int{true: 200, false: 404}[tc.see]; status != want {
				t.Errorf("GET /api/v1/proposals/%s: %d %s, want %d", id, status, resp, want)
			}
			if !tc.see && strings.Contains(string(resp), "2.345") {
				t.Errorf("the refusal quotes the amount: %s", resp)
			}
			status, resp, _ = w.do(t, tc.role, "GET", "/api/v1/proposals?status=accepted", "")
			if status != http.StatusOK {
				t.Fatalf("GET /api/v1/proposals?status=accepted: %d %s", status, resp)
			}
			if got := strings.Contains(string(resp), `"id":`+id+`,`) || strings.Contains(string(resp), "234500000"); got != tc.see {
				t.Errorf("accepted list shows the proposal: %v, want %v (%s)", got, tc.see, resp)
			}
			status, page, _ := w.do(t, tc.role, "GET", "/review?status=accepted", "", "Accept", "text/html")
			if status != http.StatusOK {
				t.Fatalf("GET /review?status=accepted: %d", status)
			}
			if got := strings.Contains(string(page), "2.345") || strings.Contains(string(page), "example.org/london"); got != tc.see {
				t.Errorf("review page shows the text or amount: %v, want %v", got, tc.see)
			}
		})
	}
}

func TestMarkSegments(t *testing.T) {
	// "ab€cd ef": spans [2,4) and [3,6) merge into [2,6) = "€cd "; [7,99) is out of range
	got := markSegments("ab€cd ef", [][2]int{{3, 6}, {2, 4}, {7, 99}})
	want := []segment{{"ab", false}, {"€cd ", true}, {"ef", false}}
	if len(got) != len(want) {
		t.Fatalf("markSegments = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("segment %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestReviewEquipmentProposal: a text with a quantity of a catalogue system
// and no money queues an equipment proposal, not a pledge; the review page
// shows it with why it was made; the coordinator accepts it and an
// equipment record of the donor exists with the quantity.
func TestReviewEquipmentProposal(t *testing.T) {
	w := newAuthWorld(t)
	text := "BERLIN, 14 May 2024 - Germany will deliver 40 Leopard 1A5 tanks to Ukraine by the end of the year, Defence Minister Boris Pistorius said."
	body, _ := json.Marshal(map[string]string{"text": text, "title": "Berlin", "source": "https://example.org/berlin"})
	status, resp, _ := w.do(t, "coordinator", "POST", "/api/v1/ingest", string(body))
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/ingest: %d %s", status, resp)
	}
	var res struct {
		Proposals []*coalition.Proposal `json:"proposals"`
	}
	if err := json.Unmarshal(resp, &res); err != nil {
		t.Fatal(err)
	}
	var eq *coalition.Proposal
	for _, p := range res.Proposals {
		if p.Type == coalition.ProposePledge {
			t.Errorf("a money pledge was proposed from a text with no money: %s", p.Record)
		}
		if p.Type == coalition.ProposeEquipment {
			eq = p
		}
	}
	if eq == nil {
		t.Fatalf("no equipment proposal in %s", resp)
	}
	status, page, _ := w.do(t, "coordinator", "GET", "/review", "", "Accept", "text/html")
	if status != http.StatusOK {
		t.Fatalf("GET /review: %d", status)
	}
	for _, want := range []string{"Equipment: DEU, 40 × Leopard 1A5 (armour)", `<strong>Why:</strong> equipment: a quantity before a system`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("review page lacks %q", want)
		}
	}
	status, resp, _ = w.do(t, "coordinator", "POST", "/api/v1/proposals/"+strconv.FormatInt(eq.ID, 10)+"/accept", "", "If-Match", `"1"`)
	if status != http.StatusOK {
		t.Fatalf("accept: %d %s", status, resp)
	}
	var acc coalition.Proposal
	if err := json.Unmarshal(resp, &acc); err != nil {
		t.Fatal(err)
	}
	var rec coalition.Equipment
	if err := json.Unmarshal(acc.Record, &rec); err != nil {
		t.Fatal(err)
	}
	if acc.RecordID == 0 || rec.Donor != "DEU" || rec.System != "Leopard 1A5" || rec.Pledged != 40 || rec.PledgedOn.String() != "2024-05-14" || rec.Source != "https://example.org/berlin" {
		t.Errorf("accepted equipment: %+v (record %d)", rec, acc.RecordID)
	}
}
