package coalition

import (
	"context"
	"strings"
	"time"
)

// EngagementKind is the kind of a diplomatic engagement.
type EngagementKind string

// EngagementKinds lists the kinds; "pledge" is a public announcement of support.
var EngagementKinds = []EngagementKind{"call", "meeting", "summit", "letter", "statement", "pledge"}

func (k EngagementKind) Valid() bool {
	for _, v := range EngagementKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Participant is a person or a government taking part in an engagement.
type Participant struct {
	Name string `json:"name,omitempty"` // a person, if known
	Role string `json:"role,omitempty"` // office at the time
	ISO3 string `json:"iso3"`
}

// Engagement is a call, meeting, summit, letter or statement.
type Engagement struct {
	ID           int64          `json:"id"`
	Date         Date           `json:"date"`
	Kind         EngagementKind `json:"kind"`
	Title        string         `json:"title"`
	Summary      string         `json:"summary"`
	Participants []Participant  `json:"participants"`
	Topics       []string       `json:"topics"`
	Asks         string         `json:"asks,omitempty"`
	Outcomes     string         `json:"outcomes,omitempty"`
	CoalitionID  *int64         `json:"coalition_id"`
	Visibility   Visibility     `json:"visibility"`
	Source       string         `json:"source"`
	SourceRef    string         `json:"source_ref,omitempty"`
	Provenance   string         `json:"provenance,omitempty"` // JSON: file, sha256, row, imported_at, user
	Version      int64          `json:"version"`
	CreatedAt    time.Time      `json:"created_at"`
}

// UnverifiedMark is the word a source carries when no primary or reputable
// press source confirms the record (issue 15 §4): a bundled row graded
// unverified says it in its source (refdata.UnverifiedMark), so the mark
// travels into the store, the API and the pages.
const UnverifiedMark = "UNVERIFIED"

// SourceUnverified reports whether the engagement's source says it is
// unverified (UnverifiedMark); the pages and the brief mark such an
// engagement, and the API answers the source with the mark in it.
func (e *Engagement) SourceUnverified() bool { return strings.Contains(e.Source, UnverifiedMark) }

func (e *Engagement) Validate() error {
	switch {
	case e.Date.IsZero():
		return FieldError("date", "is required")
	case !e.Kind.Valid():
		return FieldError("kind", "%q is not one of call, meeting, summit, letter, statement, pledge", e.Kind)
	case e.Title == "" && e.Summary == "":
		return FieldError("summary", "a title or a summary is required")
	case len(e.Participants) == 0:
		return FieldError("participants", "at least one participant is required")
	case !e.Visibility.Valid():
		return FieldError("visibility", "%q is not one of public, coalition, confidential", e.Visibility)
	case e.Visibility == CoalitionVis && e.CoalitionID == nil:
		return FieldError("coalition_id", "a coalition-visible engagement needs its coalition")
	case e.Source == "":
		return FieldError("source", "every record needs a source")
	}
	for i, p := range e.Participants {
		if !ValidISO3(p.ISO3) {
			return FieldError(indexed("participants", i, "iso3"), "%q is not an ISO 3166-1 alpha-3 code", p.ISO3)
		}
		if err := firstError(
			CheckText(indexed("participants", i, "name"), p.Name, MaxNameBytes),
			CheckText(indexed("participants", i, "role"), p.Role, MaxNameBytes),
		); err != nil {
			return err
		}
	}
	for i, t := range e.Topics {
		if err := CheckText(indexed("topics", i, ""), t, MaxNameBytes); err != nil {
			return err
		}
	}
	return firstError(
		CheckDate("date", e.Date),
		CheckText("title", e.Title, MaxNameBytes),
		CheckText("summary", e.Summary, MaxTextBytes),
		CheckText("asks", e.Asks, MaxTextBytes),
		CheckText("outcomes", e.Outcomes, MaxTextBytes),
		CheckText("source", e.Source, MaxSourceBytes),
		CheckText("source_ref", e.SourceRef, MaxSourceBytes),
		CheckText("provenance", e.Provenance, MaxTextBytes),
	)
}

// EngagementFilter selects engagements.
type EngagementFilter struct {
	Country  string // a participant's ISO3
	Kind     EngagementKind
	Topic    string
	From, To Date
	After    int64
	Limit    int
}

// EngagementUpdate edits an engagement: the set fields replace the
// engagement's (Participants and Topics as a whole), Version is the version
// the caller read. The coalition and the import key (source_ref,
// provenance) are not changed by an update.
type EngagementUpdate struct {
	Version      int64           `json:"version"`
	Date         *Date           `json:"date"`
	Kind         *EngagementKind `json:"kind"`
	Title        *string         `json:"title"`
	Summary      *string         `json:"summary"`
	Participants *[]Participant  `json:"participants"`
	Topics       *[]string       `json:"topics"`
	Asks         *string         `json:"asks"`
	Outcomes     *string         `json:"outcomes"`
	Visibility   *Visibility     `json:"visibility"`
	Source       *string         `json:"source"`
}

// Apply copies the set fields of u onto e; the caller validates e after.
func (u EngagementUpdate) Apply(e *Engagement) {
	set(&e.Date, u.Date)
	set(&e.Kind, u.Kind)
	set(&e.Title, u.Title)
	set(&e.Summary, u.Summary)
	set(&e.Participants, u.Participants)
	set(&e.Topics, u.Topics)
	set(&e.Asks, u.Asks)
	set(&e.Outcomes, u.Outcomes)
	set(&e.Visibility, u.Visibility)
	set(&e.Source, u.Source)
}

// EngagementStore persists engagements.
type EngagementStore interface {
	FindEngagement(ctx context.Context, id int64) (*Engagement, error)
	// FindEngagements returns a page ordered by id.
	FindEngagements(ctx context.Context, f EngagementFilter) ([]*Engagement, bool, error)
	// CreateEngagement: Conflict if (Source, SourceRef) is taken.
	CreateEngagement(ctx context.Context, e *Engagement) error
	// UpdateEngagement applies upd: Conflict (a *StaleError with the
	// engagement as it is) if upd.Version is not current, Invalid if the
	// result does not validate.
	UpdateEngagement(ctx context.Context, id int64, upd EngagementUpdate) (*Engagement, error)
	DeleteEngagement(ctx context.Context, id int64, version int64) error
}
