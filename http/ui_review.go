package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"coalition"
)

// reviewData is the data of review.html: the review queue, one block per
// submitted text.
type reviewData struct {
	page
	Status   string
	Statuses []string
	Texts    []reviewText
	CanWrite bool // the user may submit texts and decide (the store has the final say)
	Done     string
}

type reviewText struct {
	Text      *coalition.IngestText
	Segments  []segment // the text cut at evidence spans; marked ones are evidence
	Proposals []reviewProposal
}

type segment struct {
	Text string
	Mark bool
}

type reviewProposal struct {
	*coalition.Proposal
	Summary  string
	Why      string                   // the rule that made the proposal and the words it read (the "rule" flag)
	Warnings []coalition.ProposalFlag // the other flags
	Record   string                   // indented JSON, for the edit form
	Evidence []string
}

func (s *server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderReview(w, r, http.StatusOK, "", "")
}

func (s *server) renderReview(w http.ResponseWriter, r *http.Request, status int, problem, done string) error {
	st := r.URL.Query().Get("status")
	if st == "" {
		st = string(coalition.ProposalPending)
	}
	d := reviewData{page: s.newPage("Review", "review"), Status: st, Done: done,
		Statuses: []string{"pending", "accepted", "rejected"}, CanWrite: coalition.CanSubmitText(coalition.UserFrom(r.Context()))}
	d.Problem = problem
	if !coalition.ProposalStatus(st).Valid() {
		return coalition.FieldError("status", "%q is not one of pending, accepted, rejected", st)
	}
	ps, err := s.store.FindProposals(r.Context(), coalition.ProposalFilter{Status: coalition.ProposalStatus(st)})
	if err != nil {
		return err
	}
	byText := map[int64]int{}
	for _, p := range ps {
		k, ok := byText[p.IngestID]
		if !ok {
			t, err := s.store.FindIngest(r.Context(), p.IngestID)
			if err != nil {
				return err
			}
			k = len(d.Texts)
			byText[p.IngestID] = k
			d.Texts = append(d.Texts, reviewText{Text: t})
		}
		rp := reviewProposal{Proposal: p, Summary: proposalSummary(p)}
		for _, f := range p.Flags {
			if f.Kind == "rule" && rp.Why == "" {
				rp.Why = f.Message
			} else {
				rp.Warnings = append(rp.Warnings, f)
			}
		}
		var buf bytes.Buffer
		if json.Indent(&buf, p.Record, "", "  ") == nil {
			rp.Record = buf.String()
		} else {
			rp.Record = string(p.Record)
		}
		runes := []rune(d.Texts[k].Text.Text)
		for _, e := range p.Evidence {
			if a, b := e[0], e[1]; 0 <= a && a < b && b <= len(runes) {
				rp.Evidence = append(rp.Evidence, string(runes[a:b]))
			}
		}
		d.Texts[k].Proposals = append(d.Texts[k].Proposals, rp)
	}
	for i := range d.Texts {
		var spans [][2]int
		for _, p := range d.Texts[i].Proposals {
			spans = append(spans, p.Proposal.Evidence...)
		}
		d.Texts[i].Segments = markSegments(d.Texts[i].Text.Text, spans)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "review.html", d)
}

// markSegments cuts text at the union of spans (rune offsets) so that the
// template can wrap the evidence in <mark>; out-of-range spans are ignored.
func markSegments(text string, spans [][2]int) []segment {
	runes := []rune(text)
	var ok [][2]int
	for _, s := range spans {
		if 0 <= s[0] && s[0] < s[1] && s[1] <= len(runes) {
			ok = append(ok, s)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i][0] < ok[j][0] })
	var out []segment
	at := 0
	for k := 0; k < len(ok); {
		a, b := ok[k][0], ok[k][1]
		for k++; k < len(ok) && ok[k][0] <= b; k++ {
			b = max(b, ok[k][1]) // merge overlapping or touching spans
		}
		a = max(a, at)
		if at < a {
			out = append(out, segment{Text: string(runes[at:a])})
		}
		if a < b {
			out = append(out, segment{Text: string(runes[a:b]), Mark: true})
		}
		at = max(at, b)
	}
	if at < len(runes) {
		out = append(out, segment{Text: string(runes[at:])})
	}
	return out
}

// proposalSummary describes a proposal's record in one line.
func proposalSummary(p *coalition.Proposal) string {
	switch p.Type {
	case coalition.ProposePledge:
		var pl coalition.Pledge
		if json.Unmarshal(p.Record, &pl) == nil {
			return fmt.Sprintf("Pledge: %s → %s, %s (%s)", pl.Donor, pl.Recipient, pl.Amount.String(), pl.Category)
		}
	case coalition.ProposeEngagement:
		var e coalition.Engagement
		if json.Unmarshal(p.Record, &e) == nil {
			return fmt.Sprintf("Engagement (%s, %s): %s", e.Kind, e.Date.String(), e.Title)
		}
	case coalition.ProposeEquipment:
		var e coalition.Equipment
		if json.Unmarshal(p.Record, &e) == nil {
			return fmt.Sprintf("Equipment: %s, %d × %s (%s)", e.Donor, e.Pledged, e.System, e.Category)
		}
	case coalition.ProposeMembership:
		var m struct{ Coalition, ISO3, Status string }
		if json.Unmarshal(p.Record, &m) == nil {
			return fmt.Sprintf("Membership: %s in %s (%s)", m.ISO3, m.Coalition, m.Status)
		}
	}
	return string(p.Type)
}

// The page's forms post to routes of their own (routes.go): submitting a
// text (POST /review), and accepting (as proposed or edited) or rejecting
// a proposal (POST /review/proposals/{id}/accept|reject).

// reviewSubmitText reads a text and queues its proposals (POST /review).
func (s *server) reviewSubmitText(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	res, err := s.submitText(r, ingestInput{Text: f.Get("text"), Date: f.Get("date"), Title: f.Get("title"), Source: f.Get("source")})
	if err != nil {
		return s.reviewAnswer(w, r, "", err)
	}
	return s.reviewAnswer(w, r, fmt.Sprintf("Text %d queued with %d proposals.", res.Text.ID, len(res.Proposals)), nil)
}

// reviewAccept accepts a proposal, as proposed or as edited in the form
// (POST /review/proposals/{id}/accept).
func (s *server) reviewAccept(w http.ResponseWriter, r *http.Request) error {
	return s.reviewDecide(w, r, coalition.Accept)
}

// reviewReject rejects a proposal (POST /review/proposals/{id}/reject).
func (s *server) reviewReject(w http.ResponseWriter, r *http.Request) error {
	return s.reviewDecide(w, r, coalition.Reject)
}

// reviewDecide decides the proposal {id} at the version the form shows;
// an accept may carry the record as edited.
func (s *server) reviewDecide(w http.ResponseWriter, r *http.Request, d coalition.Decision) error {
	f, err := postedForm(r)
	if err != nil {
		return err
	}
	// An unreadable id or version is 0: the store answers not found or
	// conflict, as it did when both came in the form.
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	var edited json.RawMessage
	if rec := bytes.TrimSpace([]byte(f.Get("record"))); d == coalition.Accept && len(rec) > 0 {
		edited = rec
	}
	p, err := s.store.DecideProposal(r.Context(), id, version, d, edited)
	if err != nil {
		return s.reviewAnswer(w, r, "", err)
	}
	done := fmt.Sprintf("Proposal %d %s.", p.ID, p.Status)
	if p.RecordID != 0 {
		done += fmt.Sprintf(" %s %d created.", p.Type, p.RecordID)
	}
	return s.reviewAnswer(w, r, done, nil)
}

// reviewAnswer shows the queue again after a form: with what was done, or
// with the problem and its status; an internal error is the error page's.
func (s *server) reviewAnswer(w http.ResponseWriter, r *http.Request, done string, err error) error {
	if err != nil {
		k := coalition.ErrorKind(err)
		if k == coalition.Internal || k == "" {
			return err
		}
		return s.renderReview(w, r, statusOf[k], coalition.ErrorMessage(err), "")
	}
	return s.renderReview(w, r, http.StatusOK, "", done)
}
