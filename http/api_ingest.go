package http

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"coalition"
	"coalition/ingest"
)

// ingestMemory is how much of a multipart form ParseMultipartForm keeps in
// memory (the rest goes to temporary files). The body's limit is its
// route's (ops.go: classText); longer texts go through the CLI.
const ingestMemory = 2 << 20

// ingestInput is the JSON form of POST /api/v1/ingest.
type ingestInput struct {
	Text   string `json:"text"`
	Date   string `json:"date"`
	Title  string `json:"title"`
	Source string `json:"source"`
}

// readIngest reads a text from JSON, text/plain or a multipart form with a
// "file" field (and optional date, title and source fields).
func readIngest(w http.ResponseWriter, r *http.Request) (ingestInput, error) {
	var in ingestInput
	body := r.Body
	tooBig := func(err error) error { // over the limit: a 413 (ops.go)
		return coalition.Errorf(coalition.Invalid, "cannot read the body: %v", err)
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(ingestMemory); err != nil {
			return in, tooBig(err)
		}
		in.Date, in.Title, in.Source = r.FormValue("date"), r.FormValue("title"), r.FormValue("source")
		f, h, err := r.FormFile("file")
		if err != nil {
			in.Text = r.FormValue("text")
			return in, nil
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return in, tooBig(err)
		}
		in.Text = string(b)
		if in.Title == "" {
			in.Title = h.Filename
		}
		if in.Source == "" {
			in.Source = "file:" + h.Filename
		}
		return in, nil
	case "text/plain":
		b, err := io.ReadAll(body)
		if err != nil {
			return in, tooBig(err)
		}
		q := r.URL.Query()
		return ingestInput{Text: string(b), Date: q.Get("date"), Title: q.Get("title"), Source: q.Get("source")}, nil
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return in, tooBig(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, coalition.Errorf(coalition.Invalid, "the body is not a JSON object {\"text\", \"date\", \"title\", \"source\"}: %v", err)
	}
	return in, nil
}

// ingestResult is the answer of POST /api/v1/ingest.
type ingestResult struct {
	Text       *coalition.IngestText `json:"text"`
	Extraction *ingest.Extraction    `json:"extraction"`
	Proposals  []*coalition.Proposal `json:"proposals"`
}

// submitText extracts proposals from a text and queues them for review.
func (s *server) submitText(r *http.Request, in ingestInput) (*ingestResult, error) {
	t := &coalition.IngestText{Text: in.Text, Title: strings.TrimSpace(in.Title), Source: strings.TrimSpace(in.Source)}
	if in.Date != "" {
		d, err := coalition.ParseDate(in.Date)
		if err != nil {
			return nil, coalition.FieldError("date", "%v", err)
		}
		t.Date = d
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if !coalition.CanSubmitText(coalition.UserFrom(r.Context())) {
		return nil, coalition.Errorf(coalition.Forbidden, "you may not submit texts")
	}
	base, err := ingest.DefaultKB()
	if err != nil {
		return nil, err
	}
	kb, err := ingest.KBFor(r.Context(), s.store, base)
	if err != nil {
		return nil, err
	}
	x, ps, err := ingest.Queue(r.Context(), s.store, kb, t)
	if err != nil {
		return nil, err
	}
	return &ingestResult{Text: t, Extraction: x, Proposals: ps}, nil
}

func (s *server) postIngest(w http.ResponseWriter, r *http.Request) error {
	in, err := readIngest(w, r)
	if err != nil {
		return err
	}
	res, err := s.submitText(r, in)
	if err != nil {
		return err
	}
	res.Text.Text = "" // the client has it
	return encode(w, r, http.StatusCreated, res)
}

// listProposals answers one page (limit, default 100), oldest first; a
// full page carries a Link header to the next one (after = its last id).
func (s *server) listProposals(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.ProposalFilter{Status: coalition.ProposalStatus(p.str("status")), Type: coalition.ProposalType(p.str("type")),
		After: p.int64("after", 0, 0, 1<<62), Limit: int(p.int64("limit", 100, 1, coalition.MaxPageSize))}
	if f.Status != "" && !f.Status.Valid() {
		p.fail("status", "%q is not one of pending, accepted, rejected", f.Status)
	}
	if f.Type != "" && !f.Type.Valid() {
		p.fail("type", "%q is not one of engagement, pledge, membership, equipment", f.Type)
	}
	if p.err != nil {
		return p.err
	}
	ps, err := s.store.FindProposals(r.Context(), f)
	if err != nil {
		return err
	}
	if len(ps) == f.Limit {
		next := r.URL.Query()
		next.Set("after", strconv.FormatInt(ps[len(ps)-1].ID, 10))
		w.Header().Set("Link", "<"+r.URL.Path+"?"+next.Encode()+`>; rel="next"`)
	}
	return encode(w, r, http.StatusOK, ps)
}

// proposalDetail is a proposal with its source text.
type proposalDetail struct {
	*coalition.Proposal
	Text *coalition.IngestText `json:"text"`
}

func (s *server) getProposal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.FindProposal(r.Context(), id)
	if err != nil {
		return err
	}
	t, err := s.store.FindIngest(r.Context(), p.IngestID)
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	return encode(w, r, http.StatusOK, proposalDetail{p, t})
}

func (s *server) acceptProposal(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, coalition.Accept)
}

func (s *server) rejectProposal(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, coalition.Reject)
}

// decide applies a decision at the version of If-Match; an accept may carry
// the edited record as its JSON body.
func (s *server) decide(w http.ResponseWriter, r *http.Request, d coalition.Decision) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r.Body) // at most its route's limit (ops.go: classSmall)
	if err != nil {
		return coalition.Errorf(coalition.Invalid, "cannot read the body: %v", err)
	}
	var edited json.RawMessage
	if t := bytes.TrimSpace(b); len(t) > 0 && !bytes.Equal(t, []byte("{}")) {
		if d == coalition.Reject {
			return coalition.FieldError("record", "a rejection takes no record")
		}
		edited = t
	}
	p, err := s.store.DecideProposal(r.Context(), id, version, d, edited)
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	return encode(w, r, http.StatusOK, p)
}
