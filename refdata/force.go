package refdata

import (
	"strconv"
	"strings"

	"coalition"
)

// The bundled public record of the reassurance force (see
// data/force_sources.md): the lines of COW2025's force requirement and the
// offers governments stated publicly.
const (
	ForceLinesFile  = "force_lines.csv"
	ForceOffersFile = "force_offers.csv"
)

// ForceLine is a bundled line with the code of its coalition (the seed
// resolves it to an id).
type ForceLine struct {
	Coalition string
	Line      *coalition.ForceLine
}

// ForceOffer is a bundled offer with the ref of its line.
type ForceOffer struct {
	LineRef string
	Offer   *coalition.ForceOffer
}

// ForceRecord reads the bundled lines and offers, public, validated but
// for the ids the seed sets, naming the file, line and field of any bad
// value; an offer's line_ref must name a line of the file.
func ForceRecord() ([]ForceLine, []ForceOffer, error) {
	lines, err := forceLines()
	if err != nil {
		return nil, nil, err
	}
	refs := map[string]bool{}
	for _, l := range lines {
		refs[l.Line.SourceRef] = true
	}
	offers, err := forceOffers(refs)
	return lines, offers, err
}

func forceLines() ([]ForceLine, error) {
	t, err := readTable(ForceLinesFile)
	if err != nil {
		return nil, err
	}
	out := make([]ForceLine, 0, len(t.rows))
	for i, row := range t.rows {
		l := &coalition.ForceLine{CoalitionID: 1, Capability: row["capability"], UnitType: row["unit_type"], Visibility: coalition.Public,
			Source: row["source"], AsOf: row["as_of"], Note: row["note"], SourceRef: row["ref"]}
		if l.Quantity, err = optUnits(t, i, "quantity"); err != nil {
			return nil, err
		}
		if l.Personnel, err = optUnits(t, i, "personnel"); err != nil {
			return nil, err
		}
		if l.Priority, err = optInt(t, i, "priority"); err != nil {
			return nil, err
		}
		for _, m := range []struct {
			field string
			dst   *coalition.Month
		}{{"from", &l.From}, {"to", &l.To}} {
			if row[m.field] == "" {
				continue
			}
			if *m.dst, err = coalition.ParseMonth(row[m.field]); err != nil {
				return nil, t.errorf(i, m.field, "%v", err)
			}
		}
		if row["ref"] == "" || row["coalition"] == "" {
			return nil, t.errorf(i, "ref", "every line needs its ref and coalition")
		}
		if err := l.Validate(); err != nil {
			return nil, t.errorf(i, "line", "%v", err)
		}
		l.CoalitionID = 0
		out = append(out, ForceLine{Coalition: row["coalition"], Line: l})
	}
	return out, nil
}

func forceOffers(lineRefs map[string]bool) ([]ForceOffer, error) {
	t, err := readTable(ForceOffersFile)
	if err != nil {
		return nil, err
	}
	out := make([]ForceOffer, 0, len(t.rows))
	for i, row := range t.rows {
		if !lineRefs[row["line_ref"]] {
			return nil, t.errorf(i, "line_ref", "%q is not a line of %s", row["line_ref"], ForceLinesFile)
		}
		o := &coalition.ForceOffer{LineID: 1, Country: row["country"], Unit: row["unit"], Equipment: row["equipment"], Readiness: row["readiness"],
			Duration: row["duration"], Conditions: []string{}, Visibility: coalition.Public, Source: row["source"], AsOf: row["as_of"],
			Note: row["note"], SourceRef: row["ref"]}
		if o.Quantity, err = optUnits(t, i, "quantity"); err != nil {
			return nil, err
		}
		if o.Personnel, err = optUnits(t, i, "personnel"); err != nil {
			return nil, err
		}
		for c := range strings.SplitSeq(row["conditions"], ";") {
			if c = strings.TrimSpace(c); c != "" {
				o.Conditions = append(o.Conditions, c)
			}
		}
		switch row["lead"] {
		case "true":
			o.Lead = true
		case "false", "":
		default:
			return nil, t.errorf(i, "lead", "%q is not true or false", row["lead"])
		}
		if row["ref"] == "" {
			return nil, t.errorf(i, "ref", "every offer needs its ref")
		}
		if err := o.Validate(); err != nil {
			return nil, t.errorf(i, "offer", "%v", err)
		}
		o.LineID = 0
		out = append(out, ForceOffer{LineRef: row["line_ref"], Offer: o})
	}
	return out, nil
}

func optUnits(t *table, i int, field string) (*int64, error) {
	s := t.rows[i][field]
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return nil, t.errorf(i, field, "%q is not a whole number of units", s)
	}
	return &v, nil
}
