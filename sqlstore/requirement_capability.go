package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

// checkCapability refuses a requirement whose capability is not known:
// not a general capability of its support type, a capability category or
// taxonomy label, nor (for military support) a system of the catalogue.
// An empty capability is allowed (the category says what is needed).
func (tx *Tx) checkCapability(ctx context.Context, r *coalition.Requirement) error {
	if strings.TrimSpace(r.Capability) == "" {
		return nil
	}
	cat, ok := coalition.CategoryByCode(r.Category)
	if !ok {
		return nil // Validate names the category
	}
	term := coalition.CapabilityTerm(r.Capability)
	if coalition.KnownCapabilityTerm(cat.Type, term) {
		return nil
	}
	if cat.Type == coalition.Military {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM systems WHERE lower(name) = ?`, term).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: capability: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	what := fmt.Sprintf("one of %s", strings.Join(coalition.CapabilityTerms(cat.Type), ", "))
	if cat.Type == coalition.Military {
		what += fmt.Sprintf(", a capability category (%s) or a catalogued system (the Equipment page lists them)", strings.Join(coalition.CapabilityCategories, ", "))
	}
	return coalition.FieldError("capability", "%q is not a known capability of %s support: give %s; a qualifier may follow in parentheses, e.g. %q",
		r.Capability, cat.Type, what, coalition.CapabilityTerms(cat.Type)[0]+" (detail)")
}
