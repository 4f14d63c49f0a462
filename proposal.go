package coalition

import (
	"context"
	"encoding/json"
	"time"
)

// ProposalType is the kind of record a proposal would create.
type ProposalType string

const (
	ProposeEngagement ProposalType = "engagement" // Record is an Engagement
	ProposePledge     ProposalType = "pledge"     // Record is a Pledge
	ProposeMembership ProposalType = "membership" // Record is a Member with the coalition's name; accepting records the decision only
	ProposeEquipment  ProposalType = "equipment"  // Record is an Equipment: a quantity of a catalogue system, never money
)

func (t ProposalType) Valid() bool {
	return t == ProposeEngagement || t == ProposePledge || t == ProposeMembership || t == ProposeEquipment
}

// ProposalStatus is where a proposal stands in the review queue.
type ProposalStatus string

const (
	ProposalPending  ProposalStatus = "pending"
	ProposalAccepted ProposalStatus = "accepted"
	ProposalRejected ProposalStatus = "rejected"
)

func (s ProposalStatus) Valid() bool {
	return s == ProposalPending || s == ProposalAccepted || s == ProposalRejected
}

// Decision is a reviewer's verdict on a proposal.
type Decision string

const (
	Accept Decision = "accept"
	Reject Decision = "reject"
)

// IngestText is a news article or statement submitted for extraction: the
// source of every record accepted from its proposals.
type IngestText struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	Date        Date      `json:"date"`   // the text's date; zero if unknown
	Source      string    `json:"source"` // URL or file name
	SubmittedBy string    `json:"submitted_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxIngestText is the largest text accepted (bytes).
const MaxIngestText = 5 << 20

func (t *IngestText) Validate() error {
	switch {
	case t.Text == "":
		return FieldError("text", "is required")
	case len(t.Text) > MaxIngestText:
		return FieldError("text", "is %d bytes, more than the %d allowed", len(t.Text), MaxIngestText)
	case len(t.Title) > 500:
		return FieldError("title", "is longer than 500 characters")
	case len(t.Source) > 2000:
		return FieldError("source", "is longer than 2000 characters")
	}
	return firstError(
		CheckText("text", t.Text, MaxIngestText),
		CheckText("title", t.Title, MaxNameBytes),
		CheckText("source", t.Source, MaxSourceBytes),
		CheckDate("date", t.Date),
	)
}

// Label is how the text is cited as a record's source: its source, else
// its title, else its id.
func (t *IngestText) Label() string {
	switch {
	case t.Source != "":
		return t.Source
	case t.Title != "":
		return t.Title
	}
	return "ingested text"
}

// ProposalFlag is a consistency warning shown to the reviewer.
type ProposalFlag struct {
	Kind    string  `json:"kind"`
	Message string  `json:"message"`
	Span    *[2]int `json:"span"` // runes into the text, or null
}

// Proposal is a record proposed from a text, waiting for a person to accept
// or reject it. Nothing enters the record until someone accepts it.
type Proposal struct {
	ID         int64           `json:"id"`
	IngestID   int64           `json:"ingest_id"`
	Type       ProposalType    `json:"type"`
	Record     json.RawMessage `json:"record"`   // the proposed Engagement, Pledge or membership as JSON
	Owner      string          `json:"owner"`    // the pledge's donor, the engagement's first participant, the member country
	Evidence   [][2]int        `json:"evidence"` // spans in runes into the text
	Confidence float64         `json:"confidence"`
	Flags      []ProposalFlag  `json:"flags"`
	Status     ProposalStatus  `json:"status"`
	DecidedBy  string          `json:"decided_by,omitempty"`
	DecidedAt  time.Time       `json:"decided_at"`
	RecordID   int64           `json:"record_id,omitempty"` // the pledge or engagement created on acceptance
	Version    int64           `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
}

func (p *Proposal) Validate() error {
	switch {
	case !p.Type.Valid():
		return FieldError("type", "%q is not one of engagement, pledge, membership, equipment", p.Type)
	case !json.Valid(p.Record):
		return FieldError("record", "is not valid JSON")
	case p.Confidence < 0 || p.Confidence > 1:
		return FieldError("confidence", "must be between 0 and 1")
	}
	return nil
}

// ProposalFilter selects proposals; zero fields match everything.
type ProposalFilter struct {
	Status   ProposalStatus
	Type     ProposalType
	IngestID int64
	After    int64 // keyset: only proposals with a larger id
	Limit    int   // default 100, at most MaxPageSize
}

// ProposalStore keeps submitted texts and the review queue.
type ProposalStore interface {
	// CreateIngest stores the text and its proposals (all pending) in one
	// transaction; sets the IDs. Unauthorized/Forbidden unless CanSubmitText.
	CreateIngest(ctx context.Context, t *IngestText, ps []*Proposal) error
	// FindIngest returns NotFound if id is unknown; Forbidden unless CanReadQueue.
	FindIngest(ctx context.Context, id int64) (*IngestText, error)
	// FindProposals returns matching proposals, oldest first.
	FindProposals(ctx context.Context, f ProposalFilter) ([]*Proposal, error)
	// FindProposal returns NotFound if id is unknown.
	FindProposal(ctx context.Context, id int64) (*Proposal, error)
	// DecideProposal accepts or rejects a pending proposal at version.
	// Accepting a pledge or an engagement creates it in the same
	// transaction from edited (when not empty) or the proposed record, with
	// the text as its source and the proposal as its provenance; the
	// decision is audited. Conflict if the version is stale or the proposal
	// was already decided; Forbidden unless CanDecide; Invalid if the record
	// does not validate (edit it and accept again).
	DecideProposal(ctx context.Context, id, version int64, d Decision, edited json.RawMessage) (*Proposal, error)
}
