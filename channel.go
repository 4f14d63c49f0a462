package coalition

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Channel is a multilateral vehicle through which support flows (the EU
// institutions' budget and loans, NATO's PURL, the Czech ammunition
// initiative): who pays into it, and in which shares. A figure can be shown
// by channel (the channel as one donor, as Kiel shows the EU institutions)
// or attributed to its contributors (Attribute), never both at once.
type Channel struct {
	ID   int64  `json:"id"`
	Code string `json:"code"` // e.g. "EUI", "PURL", "CZ-AMMO"
	Name string `json:"name"`
	// Donor is the donor code under which the channel's own support is
	// recorded (EUI: Kiel's "EU (Commission and Council)"). It is empty
	// when the support is recorded under the contributors already (Kiel
	// counts a PURL package under the ally that paid for it): then
	// attributing moves nothing, and the channel says who funds it, for
	// the risk model and the scenarios.
	Donor string `json:"donor,omitempty"`
	// Key says which attribution key the shares are (declared
	// contributions, Kiel's attribution of EU aid, …) and why.
	Key          string               `json:"key"`
	Source       string               `json:"source"`
	AsOf         string               `json:"as_of,omitempty"` // YYYY-MM-DD
	Note         string               `json:"note,omitempty"`
	Contributors []ChannelContributor `json:"contributors"`
	Version      int64                `json:"version"`
	CreatedAt    time.Time            `json:"created_at"`
}

// ChannelContributor is one contributor's share of a channel, with where
// the share comes from.
type ChannelContributor struct {
	ISO3  string  `json:"iso3"`
	Share float64 `json:"share"` // of the channel, 0 < share ≤ 1
	// AmountEUR is the declared or attributed contribution the share was
	// computed from, in euro cents (0: none published).
	AmountEUR int64  `json:"amount_eur_minor,omitempty"`
	Source    string `json:"source"`
	AsOf      string `json:"as_of,omitempty"`
}

var channelCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,15}$`)

// shareTolerance absorbs the rounding of shares written with six decimals
// (27 EU members' shares may add up to 1.000001); anything above it is more
// than 100%.
const shareTolerance = 1e-5

// Validate checks a channel; an error names the field (contributors[i].share
// for one share, contributors for their sum).
func (c *Channel) Validate() error {
	switch {
	case !channelCodeRE.MatchString(c.Code):
		return FieldError("code", "%q is not a channel code (2 to 16 capitals, digits or '-', starting with a letter)", c.Code)
	case c.Name == "":
		return FieldError("name", "is required")
	case c.Donor != "" && !ValidISO3(c.Donor):
		return FieldError("donor", "%q is not a donor code", c.Donor)
	case c.Key == "":
		return FieldError("key", "say which attribution key the shares are")
	case c.Source == "":
		return FieldError("source", "every figure needs a source")
	}
	if c.AsOf != "" {
		if _, err := ParseDate(c.AsOf); err != nil {
			return FieldError("as_of", "%q is not a date (YYYY-MM-DD)", c.AsOf)
		}
	}
	if err := firstError(
		CheckText("name", c.Name, MaxNameBytes),
		CheckText("key", c.Key, MaxTextBytes),
		CheckText("source", c.Source, MaxSourceBytes),
		CheckText("note", c.Note, MaxTextBytes),
	); err != nil {
		return err
	}
	return c.validateContributors()
}

// validateContributors checks every share and their sum: a channel's shares
// may add up to less than 100% (the rest stays with the channel), never to
// more.
func (c *Channel) validateContributors() error {
	seen := map[string]bool{}
	var sum float64
	for i, k := range c.Contributors {
		field := func(name string) string { return "contributors[" + strconv.Itoa(i) + "]." + name }
		switch {
		case !ValidISO3(k.ISO3):
			return FieldError(field("iso3"), "%q is not an ISO 3166-1 alpha-3 code", k.ISO3)
		case seen[k.ISO3]:
			return FieldError(field("iso3"), "%s is listed twice", k.ISO3)
		case k.ISO3 == c.Donor:
			return FieldError(field("iso3"), "a channel does not contribute to itself")
		case math.IsNaN(k.Share) || k.Share <= 0 || k.Share > 1:
			return FieldError(field("share"), "%g is not a share in (0, 1]", k.Share)
		case k.Source == "":
			return FieldError(field("source"), "every share needs a source")
		}
		if k.AsOf != "" {
			if _, err := ParseDate(k.AsOf); err != nil {
				return FieldError(field("as_of"), "%q is not a date (YYYY-MM-DD)", k.AsOf)
			}
		}
		if err := firstError(CheckAmount(field("amount_eur_minor"), k.AmountEUR), CheckText(field("source"), k.Source, MaxSourceBytes)); err != nil {
			return err
		}
		seen[k.ISO3] = true
		sum += k.Share
	}
	if sum > 1+shareTolerance {
		return FieldError("contributors", "the shares add up to %.4f%%, more than 100%%", sum*100)
	}
	return nil
}

// Attribution is one contributor's part of what a channel gave.
type Attribution struct {
	ISO3 string
	EUR  float64
}

// Attribute splits eur, given through the channel, among its contributors
// by their shares. The part the shares leave (their sum below 1) is rest,
// still the channel's: parts and rest add up to eur, so a total is the same
// by channel and attributed. Shares that add up to a little more than 1
// (rounding, within the tolerance Validate allows) are scaled down to 1.
func (c *Channel) Attribute(eur float64) (parts []Attribution, rest float64) {
	var sum float64
	for _, k := range c.Contributors {
		sum += k.Share
	}
	scale := 1.0
	if sum > 1 {
		scale = 1 / sum
	}
	rest = eur
	for _, k := range c.Contributors {
		v := eur * k.Share * scale
		parts = append(parts, Attribution{ISO3: k.ISO3, EUR: v})
		rest -= v
	}
	if sum >= 1 {
		// No part is left to the channel: what remains is rounding, given
		// to the largest contributor so that nothing is lost.
		if len(parts) > 0 {
			parts[largest(c.Contributors)].EUR += rest
		}
		rest = 0
	}
	return parts, rest
}

func largest(ks []ChannelContributor) int {
	best := 0
	for i, k := range ks {
		if k.Share > ks[best].Share {
			best = i
		}
	}
	return best
}

// ShareOf is iso3's share of the channel (0 when it does not contribute).
func (c *Channel) ShareOf(iso3 string) float64 {
	for _, k := range c.Contributors {
		if k.ISO3 == iso3 {
			return k.Share
		}
	}
	return 0
}

// ChannelStore persists channels. Channels are public reference data:
// everyone reads them; admins and coordinators change them (CanEditChannels).
type ChannelStore interface {
	// FindChannels returns every channel with its contributors, by code.
	FindChannels(ctx context.Context) ([]*Channel, error)
	// FindChannelByCode returns NotFound if code is unknown.
	FindChannelByCode(ctx context.Context, code string) (*Channel, error)
	// CreateChannel sets ID and Version; Invalid if !Validate (nothing
	// written), Conflict if the code is taken.
	CreateChannel(ctx context.Context, c *Channel) error
	// DeleteChannel deletes a channel at the given version.
	DeleteChannel(ctx context.Context, id, version int64) error
}
