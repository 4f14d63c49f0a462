// Package analysis is the pure analysis engine of Coalition: burden sharing
// (exact water-filling and a lexicographic linear programme solved as a
// min-cost max-flow), coverage and gaps, withdrawal scenarios, alliance
// targets, prospect ranking and the built-in scenarios.
//
// Every function takes plain data and returns plain data: no store, no clock,
// no global state, no I/O. The same input always gives the same output.
// Money is float64 EUR (or USD where a name says so). The formulas are
// documented in docs/analysis.md.
package analysis
