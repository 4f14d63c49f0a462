package coalition

import "sort"

// SupportType is the top level of the taxonomy, as the Kiel tracker splits aid.
type SupportType string

const (
	Military       SupportType = "military"
	Financial      SupportType = "financial"
	Humanitarian   SupportType = "humanitarian"
	Reconstruction SupportType = "reconstruction"
)

// SupportTypes lists the types in display order.
var SupportTypes = []SupportType{Military, Financial, Humanitarian, Reconstruction}

// Category is one entry of the fixed taxonomy (docs/categories.md).
type Category struct {
	Code  string      `json:"code"`
	Type  SupportType `json:"type"`
	Label string      `json:"label"`
	Note  string      `json:"note"`
}

// Categories is the fixed taxonomy. The bare type codes ("military",
// "financial") hold support the source does not break down further, as the
// Kiel tracker's monthly totals.
var Categories = []Category{
	{"military", Military, "Military (unspecified)", "military aid not broken down by capability (e.g. Kiel monthly totals)"},
	{"air-defence", Military, "Air defence", "systems, interceptors and radars"},
	{"ammunition", Military, "Artillery and ammunition", "howitzers, rocket launchers and their ammunition"},
	{"armour", Military, "Armour", "tanks, infantry fighting vehicles, armoured personnel carriers"},
	{"aircraft", Military, "Aircraft", "fixed-wing and rotary-wing aircraft"},
	{"drones", Military, "Drones", "uncrewed aerial, ground and sea systems"},
	{"naval", Military, "Naval", "vessels and maritime systems"},
	{"training", Military, "Training", "training of personnel, in or outside the recipient"},
	{"military-other", Military, "Other military", "equipment, small arms, services not listed above"},
	{"financial", Financial, "Financial (unspecified)", "financial aid not broken down further (e.g. Kiel monthly totals; includes loans)"},
	{"budget-support", Financial, "Budget support", "grants to the recipient's budget"},
	{"loans", Financial, "Loans", "loans, counted at face value as the Kiel tracker does"},
	{"guarantees", Financial, "Guarantees", "loan guarantees"},
	{"humanitarian", Humanitarian, "Humanitarian", "food, medicine, shelter, humanitarian cash"},
	{"reconstruction", Reconstruction, "Reconstruction and energy", "energy infrastructure, rebuilding"},
}

var categoryByCode = func() map[string]Category {
	m := make(map[string]Category, len(Categories))
	for _, c := range Categories {
		m[c.Code] = c
	}
	return m
}()

// CategoryByCode returns the category with that code.
func CategoryByCode(code string) (Category, bool) {
	c, ok := categoryByCode[code]
	return c, ok
}

// CategoryCodes returns every category code, sorted.
func CategoryCodes() []string {
	out := make([]string, 0, len(Categories))
	for _, c := range Categories {
		out = append(out, c.Code)
	}
	sort.Strings(out)
	return out
}

// CategoriesOfType returns the codes of the categories of type t.
func CategoriesOfType(t SupportType) []string {
	var out []string
	for _, c := range Categories {
		if c.Type == t {
			out = append(out, c.Code)
		}
	}
	return out
}

// ValidSupportType reports whether s names a support type.
func ValidSupportType(s string) bool {
	for _, t := range SupportTypes {
		if string(t) == s {
			return true
		}
	}
	return false
}
