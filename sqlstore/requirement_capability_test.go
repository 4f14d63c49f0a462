package sqlstore_test

import (
	"errors"
	"testing"

	"coalition"
	"coalition/sqlstore/sqltest"
)

// A requirement's capability is a general term of its support type (with
// or without a qualifier in parentheses), a capability category, a
// taxonomy label, or a system of the seeded catalogue; anything else is
// refused naming "capability", also when an edit changes it, and the
// stored row stays as it was.
func TestRequirementCapabilityVocabulary(t *testing.T) {
	s := sqltest.Seeded(t)
	ctx := coalition.WithUser(t.Context(), coalition.System)
	coal, err := s.FindCoalitionByCode(ctx, "COW2025")
	if err != nil {
		t.Fatal(err)
	}
	jan := coalition.MonthOf(2026, 1)
	mk := func(cat, capability string) *coalition.Requirement {
		return &coalition.Requirement{CoalitionID: &coal.ID, Recipient: "UKR", Category: cat, Capability: capability, AmountEUR: 100_00,
			From: jan, To: jan, Visibility: coalition.Public, Source: "test"}
	}
	for _, ok := range []struct{ cat, capability string }{
		{"military", "military assistance (NATO baseline)"},
		{"military", "Military Assistance"},
		{"air-defence", "air-defence"},
		{"air-defence", "Air defence (Patriot batteries)"},
		{"ammunition", "155 mm shells"},
		{"air-defence", "IRIS-T SLM"},            // a catalogued system
		{"armour", "Leopard 2A6 (second batch)"}, // a catalogued system with a qualifier
		{"financial", "external budget financing (2026)"},
		{"humanitarian", "humanitarian response"},
		{"reconstruction", "energy (winter repairs)"},
		{"military", ""}, // optional: the category says what is needed
	} {
		if err := s.CreateRequirement(ctx, mk(ok.cat, ok.capability)); err != nil {
			t.Errorf("%s %q: %v, want it accepted", ok.cat, ok.capability, err)
		}
	}
	for _, bad := range []struct{ cat, capability string }{
		{"military", "moon lasers"},
		{"financial", "IRIS-T SLM"},             // a system is no financial capability
		{"humanitarian", "military assistance"}, // a term of another type
		{"military", "(military assistance)"},
	} {
		err := s.CreateRequirement(ctx, mk(bad.cat, bad.capability))
		var e *coalition.Error
		if !errors.As(err, &e) || e.Kind != coalition.Invalid || e.Field != "capability" {
			t.Errorf("%s %q: %v, want Invalid naming capability", bad.cat, bad.capability, err)
		}
	}
	// An edit to an unknown capability is refused and changes nothing.
	r := mk("military", "training")
	if err := s.CreateRequirement(ctx, r); err != nil {
		t.Fatal(err)
	}
	lasers := "moon lasers"
	_, err = s.UpdateRequirement(ctx, r.ID, coalition.RequirementUpdate{Version: r.Version, Capability: &lasers})
	var e *coalition.Error
	if !errors.As(err, &e) || e.Field != "capability" {
		t.Errorf("edit to %q: %v, want Invalid naming capability", lasers, err)
	}
	got, err := s.FindRequirement(ctx, r.ID)
	if err != nil || got.Capability != "training" || got.Version != r.Version {
		t.Errorf("after the refused edit: %+v (%v), want capability training at version %d", got, err, r.Version)
	}
}
