package refdata

import (
	"math"
	"slices"
	"strconv"

	"coalition"
)

// The bundled channels (see data/channels_sources.md).
const (
	ChannelsFile            = "channels.csv"
	ChannelContributorsFile = "channel_contributors.csv"
	EUAidSharesFile         = "kiel/eu_aid_shares.csv"
	// EUChannel is the channel whose contributors are Kiel's attribution
	// of EU-level aid (EUAidSharesFile) rather than rows of
	// ChannelContributorsFile.
	EUChannel = "EUI"
)

// Channels reads the bundled channels with their contributors; a share is
// a contributor's amount over the sum of its channel's amounts. Any bad
// value names the file, line and field.
func Channels() ([]*coalition.Channel, error) {
	t, err := readTable(ChannelsFile)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*coalition.Channel{}
	var out []*coalition.Channel
	for i, row := range t.rows {
		c := &coalition.Channel{Code: row["code"], Name: row["name"], Donor: row["donor"], Key: row["key"],
			Source: row["source"], AsOf: row["as_of"], Note: row["note"]}
		if byCode[c.Code] != nil {
			return nil, t.errorf(i, "code", "%s is listed twice", c.Code)
		}
		byCode[c.Code] = c
		out = append(out, c)
	}
	if err := euContributors(byCode[EUChannel]); err != nil {
		return nil, err
	}
	if err := declaredContributors(byCode); err != nil {
		return nil, err
	}
	for _, c := range out {
		if err := c.Validate(); err != nil {
			return nil, t.errorf(slices.Index(out, c), "channel", "%s: %v", c.Code, err)
		}
	}
	return out, nil
}

// euContributors gives the EU institutions' channel Kiel's attribution of
// EU-level aid: each member's eu_share_bn over their sum.
func euContributors(c *coalition.Channel) error {
	if c == nil {
		return nil
	}
	t, err := readTable(EUAidSharesFile)
	if err != nil {
		return err
	}
	amounts := make([]float64, len(t.rows))
	for i, row := range t.rows {
		v, err := strconv.ParseFloat(row["eu_share_bn"], 64)
		if err != nil || v < 0 {
			return t.errorf(i, "eu_share_bn", "%q is not an amount in EUR bn", row["eu_share_bn"])
		}
		amounts[i] = v * 1e9
	}
	total := sum(amounts)
	for i, row := range t.rows {
		if amounts[i] == 0 {
			continue
		}
		c.Contributors = append(c.Contributors, coalition.ChannelContributor{ISO3: row["iso"], Share: amounts[i] / total,
			AmountEUR: int64(math.Round(amounts[i] * 100)), AsOf: c.AsOf,
			Source: "Kiel Institute, Ukraine Support Tracker, Release 29, eu_aid_shares.csv: " + row["country"] + ", eu_share_bn " + row["eu_share_bn"]})
	}
	return nil
}

// declaredContributors adds the rows of ChannelContributorsFile to their
// channels, each share its amount in EUR over its channel's sum.
func declaredContributors(byCode map[string]*coalition.Channel) error {
	t, err := readTable(ChannelContributorsFile)
	if err != nil {
		return err
	}
	amounts := make([]float64, len(t.rows))
	totals := map[string]float64{}
	for i, row := range t.rows {
		c := byCode[row["channel"]]
		switch {
		case c == nil:
			return t.errorf(i, "channel", "%q is not in %s", row["channel"], ChannelsFile)
		case c.Code == EUChannel:
			return t.errorf(i, "channel", "the EU institutions' shares come from %s", EUAidSharesFile)
		}
		v, err := strconv.ParseFloat(row["amount_eur"], 64)
		if err != nil || !(v > 0) {
			return t.errorf(i, "amount_eur", "%q is not a positive amount in EUR", row["amount_eur"])
		}
		amounts[i] = v
		totals[c.Code] += v
	}
	for i, row := range t.rows {
		c := byCode[row["channel"]]
		c.Contributors = append(c.Contributors, coalition.ChannelContributor{ISO3: row["iso3"], Share: amounts[i] / totals[c.Code],
			AmountEUR: int64(math.Round(amounts[i] * 100)), Source: row["source"], AsOf: row["as_of"]})
	}
	return nil
}

func sum(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}
	return s
}
