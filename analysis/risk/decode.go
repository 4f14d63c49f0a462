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
	cats, err := array(o["categories"], "categories")
	if err != nil {
		return m, err
	}
	for i, c := range cats {
		s, err := str(c, fmt.Sprintf("categories[%d]", i))
		if err != nil {
			return m, err
		}
		m.Categories = append(m.Categories, s)
	}
	if m.Requirements, err = amounts(o["requirements"], "requirements"); err != nil {
		return m, err
	}
	var members []any
	if v, ok := o["members"]; ok && v != nil {
		if members, err = array(v, "members"); err != nil {
			return m, err
		}
	}
	for i, mv := range members {
		mem, err := member(mv, fmt.Sprintf("members[%d]", i))
		if err != nil {
			return m, err
		}
		m.Members = append(m.Members, mem)
	}
	if v, ok := o["correlation"]; ok {
		if m.Correlation, err = number(v, "correlation"); err != nil {
			return m, err
		}
	}
	if v, ok := o["shortfall_threshold"]; ok {
		if m.ShortfallThreshold, err = number(v, "shortfall_threshold"); err != nil {
			return m, err
		}
	}
	if v, ok := o["trials"]; ok {
		if m.Trials, err = integer(v, "trials"); err != nil {
			return m, err
		}
	}
	if v, ok := o["seed"]; ok {
		n, isNum := v.(json.Number)
		seed, perr := strconv.ParseUint(string(n), 10, 64)
		if !isNum || perr != nil {
			return m, coalition.FieldError("seed", "want an integer from 0 to 2^64-1")
		}
		m.Seed = seed
	}
	return m, nil
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
	if rv, ok := o["reliability"]; ok && rv != nil {
		ro, err := object(rv, path+".reliability", "alpha", "beta")
		if err != nil {
			return mem, err
		}
		var r Reliability
		if r.Alpha, err = number(ro["alpha"], path+".reliability.alpha"); err != nil {
			return mem, err
		}
		if r.Beta, err = number(ro["beta"], path+".reliability.beta"); err != nil {
			return mem, err
		}
		mem.Reliability = &r
	}
	if ev, ok := o["events"]; ok && ev != nil {
		events, err := array(ev, path+".events")
		if err != nil {
			return mem, err
		}
		for j, e := range events {
			epath := fmt.Sprintf("%s.events[%d]", path, j)
			eo, err := object(e, epath, "month", "probability", "factor", "label", "source")
			if err != nil {
				return mem, err
			}
			var ev Event
			if ev.Month, err = month(eo["month"], epath+".month"); err != nil {
				return mem, err
			}
			if ev.Probability, err = number(eo["probability"], epath+".probability"); err != nil {
				return mem, err
			}
			if ev.Factor, err = number(eo["factor"], epath+".factor"); err != nil {
				return mem, err
			}
			if l, ok := eo["label"]; ok {
				if ev.Label, err = str(l, epath+".label"); err != nil {
					return mem, err
				}
			}
			if s, ok := eo["source"]; ok {
				if ev.Source, err = str(s, epath+".source"); err != nil {
					return mem, err
				}
			}
			mem.Events = append(mem.Events, ev)
		}
	}
	return mem, nil
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
