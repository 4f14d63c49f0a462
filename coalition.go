package coalition

import (
	"context"
	"time"
)

// Coalition is a group of countries supporting a recipient.
type Coalition struct {
	ID        int64        `json:"id"`
	Code      string       `json:"code"` // e.g. COW2025
	Name      string       `json:"name"`
	Purpose   string       `json:"purpose"`
	Recipient string       `json:"recipient"` // ISO3
	Leads     []string     `json:"leads"`     // ISO3 of the lead nations
	Members   []Membership `json:"members"`
	Source    string       `json:"source"`
	Version   int64        `json:"version"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// MembershipStatus is a step of the membership pipeline.
type MembershipStatus string

const (
	Prospect    MembershipStatus = "prospect"
	Invited     MembershipStatus = "invited"
	Considering MembershipStatus = "considering"
	Joined      MembershipStatus = "joined"
	Suspended   MembershipStatus = "suspended"
	Withdrawn   MembershipStatus = "withdrawn"
)

// MembershipStatuses lists the pipeline in order.
var MembershipStatuses = []MembershipStatus{Prospect, Invited, Considering, Joined, Suspended, Withdrawn}

func (s MembershipStatus) Valid() bool {
	for _, v := range MembershipStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Membership is a country's place in a coalition's pipeline.
type Membership struct {
	ISO3   string           `json:"iso3"`
	Status MembershipStatus `json:"status"`
	Since  Date             `json:"since"`
	Note   string           `json:"note,omitempty"` // e.g. the meetings that document it
}

func (c *Coalition) Validate() error {
	switch {
	case c.Code == "":
		return FieldError("code", "is required")
	case c.Name == "":
		return FieldError("name", "is required")
	case !ValidISO3(c.Recipient):
		return FieldError("recipient", "%q is not an ISO 3166-1 alpha-3 code", c.Recipient)
	}
	for i, l := range c.Leads {
		if !ValidISO3(l) {
			return FieldError(indexed("leads", i, "iso3"), "%q is not an ISO 3166-1 alpha-3 code", l)
		}
	}
	seen := map[string]bool{}
	for i, m := range c.Members {
		if !ValidISO3(m.ISO3) {
			return FieldError(indexed("members", i, "iso3"), "%q is not an ISO 3166-1 alpha-3 code", m.ISO3)
		}
		if !m.Status.Valid() {
			return FieldError(indexed("members", i, "status"), "%q is not one of prospect, invited, considering, joined, suspended, withdrawn", m.Status)
		}
		if seen[m.ISO3] {
			return FieldError(indexed("members", i, "iso3"), "%s is listed twice", m.ISO3)
		}
		seen[m.ISO3] = true
		if err := firstError(
			CheckDate(indexed("members", i, "since"), m.Since),
			CheckText(indexed("members", i, "note"), m.Note, MaxTextBytes),
		); err != nil {
			return err
		}
	}
	return firstError(
		CheckText("code", c.Code, MaxNameBytes),
		CheckText("name", c.Name, MaxNameBytes),
		CheckText("purpose", c.Purpose, MaxTextBytes),
		CheckText("source", c.Source, MaxSourceBytes),
	)
}

// Joined returns the ISO3 codes of members whose status is joined.
func (c *Coalition) JoinedMembers() []string {
	var out []string
	for _, m := range c.Members {
		if m.Status == Joined {
			out = append(out, m.ISO3)
		}
	}
	return out
}

// CoalitionUpdate changes a coalition; nil fields stay as they are.
type CoalitionUpdate struct {
	Version int64         `json:"version"` // the version the caller read
	Name    *string       `json:"name"`
	Purpose *string       `json:"purpose"`
	Leads   *[]string     `json:"leads"`
	Members *[]Membership `json:"members"`
}

// CoalitionStore keeps coalitions and their memberships.
type CoalitionStore interface {
	// FindCoalition returns NotFound if id is unknown.
	FindCoalition(ctx context.Context, id int64) (*Coalition, error)
	// FindCoalitionByCode returns NotFound if code is unknown.
	FindCoalitionByCode(ctx context.Context, code string) (*Coalition, error)
	FindCoalitions(ctx context.Context) ([]*Coalition, error)
	// CreateCoalition sets ID and Version; Conflict if the code is taken.
	CreateCoalition(ctx context.Context, c *Coalition) error
	// UpdateCoalition returns Conflict if upd.Version is not the current one.
	UpdateCoalition(ctx context.Context, id int64, upd CoalitionUpdate) (*Coalition, error)
}
