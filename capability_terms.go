package coalition

import (
	"slices"
	"strings"
)

// capabilityTerms are the general capabilities a requirement may name,
// per support type. A requirement's capability is one of these, a
// capability category or a taxonomy label of its type (military), or a
// catalogued system (checked by the store, which holds the catalogue); a
// qualifier in parentheses may follow, e.g. "military assistance (NATO
// baseline)".
var capabilityTerms = map[SupportType][]string{
	Military: {"military assistance", "ammunition", "artillery ammunition", "155 mm shells", "155 mm artillery shells", "interceptors", "patriot interceptors",
		"training", "maintenance and repair", "defence industry", "fuel", "medical equipment"},
	Financial:      {"budget support", "external budget financing", "macro-financial assistance", "loans", "guarantees", "debt relief"},
	Humanitarian:   {"humanitarian response", "food", "health", "shelter", "cash assistance", "protection", "water and sanitation", "winterisation", "demining"},
	Reconstruction: {"reconstruction", "energy", "infrastructure", "housing", "demining", "early recovery"},
}

// CapabilityTerm is the capability without its qualifier: lower case,
// trimmed, anything from a trailing " (" on dropped.
func CapabilityTerm(c string) string {
	c = strings.TrimSpace(c)
	if i := strings.Index(c, " ("); i > 0 && strings.HasSuffix(c, ")") {
		c = c[:i]
	}
	return strings.ToLower(strings.TrimSpace(c))
}

// KnownCapabilityTerm says whether term (see CapabilityTerm) is a general
// capability of support type t, a capability category or a taxonomy label
// of that type. Systems of the catalogue are known too, but only the store
// can tell (CapabilityTerms lists the rest for error messages).
func KnownCapabilityTerm(t SupportType, term string) bool {
	if slices.Contains(capabilityTerms[t], term) {
		return true
	}
	for _, c := range Categories {
		if c.Type == t && (strings.ToLower(c.Label) == term || c.Code == term) {
			return true
		}
	}
	return t == Military && ValidCapability(term)
}

// CapabilityTerms lists the general capabilities of t, for messages.
func CapabilityTerms(t SupportType) []string { return capabilityTerms[t] }

// AllCapabilityTerms lists every general capability and capability
// category once, in type order, for forms to suggest.
func AllCapabilityTerms() []string {
	var out []string
	for _, t := range SupportTypes {
		for _, c := range capabilityTerms[t] {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return append(out, CapabilityCategories...)
}
