package risk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"coalition"
)

// Decode reads a Model from JSON, strictly: unknown fields, wrong types and
// bad months are Invalid errors that name the JSON path of the field. Absent
// trials and seed take DefaultTrials and DefaultSeed. The model is validated.
func Decode(r io.Reader) (Model, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return Model{}, coalition.Errorf(coalition.Invalid, "model: not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Model{}, coalition.Errorf(coalition.Invalid, "model: unexpected data after the JSON object")
	}
	m, err := model(root)
	if err != nil {
		return Model{}, err
	}
	if err := m.Validate(); err != nil {
		return Model{}, err
	}
	return m, nil
}

// DecodeBytes is Decode over a byte slice.
func DecodeBytes(b []byte) (Model, error) { return Decode(bytes.NewReader(b)) }

func model(v any) (Model, error) {
	m := Model{Trials: DefaultTrials, Seed: DefaultSeed}
	o, err := object(v, "model", "start", "months", "categories", "requirements", "members",
		"correlation", "shortfall_threshold", "trials", "seed")
	if err != nil {
		return m, err
	}
	if m.Start, err = month(o["start"], "start"); err != nil {
		return m, err
	}
	if m.Months, err = integer(o["months"], "months"); err != nil {
		return m, err
	}
	if m.Categories, err = strs(o["categories"], "categories"); err != nil {
		return m, err
	}
	if m.Requirements, err = amounts(o["requirements"], "requirements"); err != nil {
		return m, err
	}
	if m.Members, err = members(o["members"]); err != nil {
		return m, err
	}
	return m, modelSettings(o, &m)
}

// modelSettings decodes the optional settings of a model over the
// defaults already in m: an absent key keeps its default.
func modelSettings(o map[string]any, m *Model) error {
	if err := optNumber(o, "correlation", &m.Correlation); err != nil {
		return err
	}
	if err := optNumber(o, "shortfall_threshold", &m.ShortfallThreshold); err != nil {
		return err
	}
	if v, ok := o["trials"]; ok {
		n, err := integer(v, "trials")
		if err != nil {
			return err
		}
		m.Trials = n
	}
	if v, ok := o["seed"]; ok {
		n, isNum := v.(json.Number)
		seed, perr := strconv.ParseUint(string(n), 10, 64)
		if !isNum || perr != nil {
			return coalition.FieldError("seed", "want an integer from 0 to 2^64-1")
		}
		m.Seed = seed
	}
	return nil
}

// optNumber decodes o[key] into dst when the key is present.
func optNumber(o map[string]any, key string, dst *float64) error {
	v, ok := o[key]
	if !ok {
		return nil
	}
	f, err := number(v, key)
	if err != nil {
		return err
	}
	*dst = f
	return nil
}

// optStr decodes o[key] into dst when the key is present; path names the
// object in errors.
func optStr(o map[string]any, key, path string, dst *string) error {
	v, ok := o[key]
	if !ok {
		return nil
	}
	s, err := str(v, path+"."+key)
	if err != nil {
		return err
	}
	*dst = s
	return nil
}

// strs decodes an array of strings, naming the bad element by index.
func strs(v any, path string) ([]string, error) {
	items, err := array(v, path)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, c := range items {
		s, err := str(c, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// members decodes the members array; absent or null is none, as a model
// of requirements alone is valid.
func members(v any) ([]Member, error) {
	if v == nil {
		return nil, nil
	}
	items, err := array(v, "members")
	if err != nil {
		return nil, err
	}
	var out []Member
	for i, mv := range items {
		mem, err := member(mv, fmt.Sprintf("members[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, mem)
	}
	return out, nil
}

func member(v any, path string) (Member, error) {
	var mem Member
	o, err := object(v, path, "iso3", "support", "reliability", "events")
	if err != nil {
		return mem, err
	}
	if mem.ISO3, err = str(o["iso3"], path+".iso3"); err != nil {
		return mem, err
	}
	if mem.Support, err = amounts(o["support"], path+".support"); err != nil {
		return mem, err
	}
	if mem.Reliability, err = reliability(o["reliability"], path+".reliability"); err != nil {
		return mem, err
	}
	if mem.Events, err = events(o["events"], path+".events"); err != nil {
		return mem, err
	}
	return mem, nil
}

// reliability decodes a member's Beta prior; absent or null is nil, which
// means the default prior.
func reliability(v any, path string) (*Reliability, error) {
	if v == nil {
		return nil, nil
	}
	ro, err := object(v, path, "alpha", "beta")
	if err != nil {
		return nil, err
	}
	var r Reliability
	if r.Alpha, err = number(ro["alpha"], path+".alpha"); err != nil {
		return nil, err
	}
	if r.Beta, err = number(ro["beta"], path+".beta"); err != nil {
		return nil, err
	}
	return &r, nil
}

// events decodes a member's events; absent or null is none.
func events(v any, path string) ([]Event, error) {
	if v == nil {
		return nil, nil
	}
	items, err := array(v, path)
	if err != nil {
		return nil, err
	}
	var out []Event
	for j, e := range items {
		ev, err := event(e, fmt.Sprintf("%s[%d]", path, j))
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// event decodes one event: month, probability and factor are required,
// label and source optional.
func event(v any, path string) (Event, error) {
	var ev Event
	eo, err := object(v, path, "month", "earliest", "latest", "date_unknown", "probability", "factor", "label", "source")
	if err != nil {
		return ev, err
	}
	if err := eventWindow(eo, path, &ev); err != nil {
		return ev, err
	}
	if ev.Probability, err = number(eo["probability"], path+".probability"); err != nil {
		return ev, err
	}
	if ev.Factor, err = number(eo["factor"], path+".factor"); err != nil {
		return ev, err
	}
	if err := optStr(eo, "label", path, &ev.Label); err != nil {
		return ev, err
	}
	return ev, optStr(eo, "source", path, &ev.Source)
}

// eventWindow decodes an event's month, or its window earliest..latest
// (then month is optional and defaults to earliest), and date_unknown.
func eventWindow(eo map[string]any, path string, ev *Event) error {
	for _, k := range []string{"earliest", "latest"} {
		if eo[k] == nil {
			continue
		}
		m, err := month(eo[k], path+"."+k)
		if err != nil {
			return err
		}
		if k == "earliest" {
			ev.Earliest = &m
		} else {
			ev.Latest = &m
		}
	}
	if eo["month"] == nil && ev.Earliest != nil {
		ev.Month = *ev.Earliest
	} else {
		m, err := month(eo["month"], path+".month")
		if err != nil {
			return err
		}
		ev.Month = m
	}
	if v, ok := eo["date_unknown"]; ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return coalition.FieldError(path+".date_unknown", "want true or false")
		}
		ev.DateUnknown = b
	}
	return nil
}

// amounts decodes {category: number or list}; absent is an empty map.
func amounts(v any, path string) (map[string]Series, error) {
	out := map[string]Series{}
	if v == nil {
		return out, nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, coalition.FieldError(path, "want an object {category: amount or list of amounts}")
	}
	for k, sv := range o {
		s, err := series(sv, path+"."+k)
		if err != nil {
			return nil, err
		}
		out[k] = s
	}
	return out, nil
}

func series(v any, path string) (Series, error) {
	switch x := v.(type) {
	case json.Number, float64:
		f, err := number(x, path)
		return Series{Value: f}, err
	case []any:
		vals := make([]float64, len(x))
		for i, e := range x {
			f, err := number(e, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return Series{}, err
			}
			vals[i] = f
		}
		return Series{Monthly: vals}, nil
	}
	return Series{}, coalition.FieldError(path, "want a number or a list of numbers (one per month)")
}

// object checks that v is an object with only the allowed keys.
func object(v any, path string, allowed ...string) (map[string]any, error) {
	o, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return nil, coalition.FieldError(path, "required")
		}
		return nil, coalition.FieldError(path, "want an object")
	}
	for _, k := range sortedKeys(o) {
		if !slices.Contains(allowed, k) {
			p := k
			if path != "model" {
				p = path + "." + k
			}
			return nil, coalition.FieldError(p, "unknown field")
		}
	}
	return o, nil
}

func array(v any, path string) ([]any, error) {
	a, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil, coalition.FieldError(path, "required")
		}
		return nil, coalition.FieldError(path, "want a list")
	}
	return a, nil
}

func str(v any, path string) (string, error) {
	s, ok := v.(string)
	if !ok {
		if v == nil {
			return "", coalition.FieldError(path, "required")
		}
		return "", coalition.FieldError(path, "want a string")
	}
	return s, nil
}

func number(v any, path string) (float64, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, coalition.FieldError(path, "number %s out of range", x)
		}
		return f, nil
	case float64:
		return x, nil
	case nil:
		return 0, coalition.FieldError(path, "required")
	}
	return 0, coalition.FieldError(path, "want a number")
}

func integer(v any, path string) (int, error) {
	f, err := number(v, path)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e15 {
		return 0, coalition.FieldError(path, "want a whole number, got %v", f)
	}
	return int(f), nil
}

func month(v any, path string) (coalition.Month, error) {
	s, err := str(v, path)
	if err != nil {
		return 0, err
	}
	m, err := coalition.ParseMonth(s)
	if err != nil {
		return 0, coalition.FieldError(path, "want a month YYYY-MM, got %q", s)
	}
	return m, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
