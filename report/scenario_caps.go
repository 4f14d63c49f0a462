package report

import (
	"fmt"
	"math"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
)

// CapNote is a cap from data that bounds a member's ask in a scenario
// (issue 15 §2), labelled with its rule and source so that every output
// shows why an ask is smaller than the member's fair share.
type CapNote struct {
	ISO3 string `json:"iso3"`
	// Kind is "defence-share" (cap_defence_share × its defence spending)
	// or "capability" (what it cannot supply by law or policy).
	Kind     string  `json:"kind"`
	Category string  `json:"category,omitempty"` // the category a capability cap bounds
	CapEUR   float64 `json:"cap_eur"`            // a year; -1 when no figure allowed a cap
	Basis    string  `json:"basis"`
	Source   string  `json:"source"`
}

// capByDefence caps each member's extra per year at share × its defence
// spending: NATO's 2025 estimate of its defence % of GDP where NATO
// publishes one (allies), else the stored defence share of the country
// (NATO 2024e or SIPRI, as its source says), times its GDP in EUR (the
// scenario's GDP year). A member without a defence figure is not capped,
// and the note says so. share = 0: no cap.
func capByDefence(members []analysis.ScenarioMember, share float64, byISO map[string]*coalition.Country, rep *ScenarioReport) error {
	if share <= 0 {
		return nil
	}
	est, estSrc, err := refdata.NATO2025e()
	if err != nil {
		return err
	}
	for i := range members {
		m := &members[i]
		pct, src, year := est[m.ISO3], estSrc[m.ISO3], "2025e"
		if _, ok := est[m.ISO3]; !ok {
			c := byISO[m.ISO3]
			if c == nil || c.DefencePctGDP == nil {
				rep.Caps = append(rep.Caps, CapNote{ISO3: m.ISO3, Kind: "defence-share", CapEUR: -1,
					Basis: "no defence spending figure: not capped by defence spending"})
				continue
			}
			pct, src, year = *c.DefencePctGDP, "stored defence share of GDP ("+c.DefenceSource+", "+fmt.Sprint(c.DefenceYear)+"): "+c.Source, fmt.Sprint(c.DefenceYear)
		}
		defence := pct / 100 * m.GDPEUR
		c := share * defence
		if m.CapEUR == nil || c < *m.CapEUR {
			m.CapEUR = &c
		}
		rep.Caps = append(rep.Caps, CapNote{ISO3: m.ISO3, Kind: "defence-share", CapEUR: c,
			Basis:  fmt.Sprintf("%g × defence spending of %s a year (%.2f%% of GDP, %s, × GDP %d in EUR)", share, fmt.Sprintf("€%.2f bn", defence/1e9), pct, year, rep.GDPYear),
			Source: src})
	}
	return nil
}

// applyCapabilityLimits caps the members' asks per category by the bundled
// capability limits (refdata.CapabilityLimits): a limit on a support type
// ("military") bounds every needed category of that type, or the type
// itself where the need is counted by type.
func applyCapabilityLimits(members []analysis.ScenarioMember, needed map[string]bool) ([]CapNote, error) {
	ls, err := refdata.CapabilityLimits()
	if err != nil {
		return nil, err
	}
	var notes []CapNote
	for i := range members {
		m := &members[i]
		for _, l := range ls {
			if l.ISO3 != m.ISO3 {
				continue
			}
			for _, c := range sortedKeys(needed) {
				if !capBounds(l.Category, c) {
					continue
				}
				if m.CategoryCaps == nil {
					m.CategoryCaps = map[string]float64{}
				}
				if v, ok := m.CategoryCaps[c]; !ok || l.CapEUR < v {
					m.CategoryCaps[c] = l.CapEUR
				}
				notes = append(notes, CapNote{ISO3: m.ISO3, Kind: "capability", Category: c, CapEUR: l.CapEUR, Basis: l.Rule,
					Source: l.Grade + ": " + l.Source})
			}
		}
	}
	return notes, nil
}

// capBounds reports whether a limit on category or type limit bounds the
// needed category c: the same code, c a category of type limit, or c the
// type of category limit.
func capBounds(limit, c string) bool {
	if limit == c {
		return true
	}
	if cat, ok := coalition.CategoryByCode(c); ok && string(cat.Type) == limit {
		return true
	}
	cat, ok := coalition.CategoryByCode(limit)
	return ok && string(cat.Type) == c
}

// checkCapDefenceShare checks cap_defence_share: a share in [0, 1].
func checkCapDefenceShare(v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return coalition.FieldError("cap_defence_share", "must be a share of defence spending between 0 and 1 (got %g)", v)
	}
	return nil
}

// scenarioDataCaps applies the caps from data the spec asks for (defence
// spending share, capability limits), noting each in rep.Caps.
func scenarioDataCaps(members []analysis.ScenarioMember, byISO map[string]*coalition.Country, needed map[string]bool, rep *ScenarioReport) error {
	if err := capByDefence(members, rep.Spec.CapDefenceShare, byISO, rep); err != nil {
		return err
	}
	if !rep.Spec.CapabilityLimits {
		return nil
	}
	notes, err := applyCapabilityLimits(members, needed)
	rep.Caps = append(rep.Caps, notes...)
	return err
}
