package http

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// decode reads a JSON body into a T, refusing unknown fields and trailing
// data, with a message that names the problem. The body's limit is its
// route's (ops.go: a body over it is a 413).
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	var v T
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &ute):
			return v, coalition.FieldError(ute.Field, "want %s, got %s", ute.Type, ute.Value)
		case errors.As(err, &se):
			return v, coalition.Errorf(coalition.Invalid, "malformed JSON at byte %d: %v", se.Offset, err)
		case errors.Is(err, io.EOF):
			return v, coalition.Errorf(coalition.Invalid, "the body is empty: want a JSON object")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return v, coalition.FieldError(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "is not a known field")
		}
		return v, coalition.Errorf(coalition.Invalid, "the body is not valid: %v", err)
	}
	if dec.More() {
		return v, coalition.Errorf(coalition.Invalid, "the body holds more than one JSON value")
	}
	return v, nil
}

// ifMatch returns the version a write names in If-Match; 428 without one.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, coalition.Errorf(coalition.Precondition, "send If-Match with the ETag (version) you read, so that nobody's edit is overwritten")
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, coalition.FieldError("If-Match", "%q is not a version ETag such as \"3\"", h)
	}
	return v, nil
}

func setETag(w http.ResponseWriter, version int64) {
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(version, 10)))
}

func strconvFormat(v int64) string { return strconv.FormatInt(v, 10) }
