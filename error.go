// Package coalition is the domain of Coalition: countries, groups, coalitions,
// requirements, pledges, deliveries, engagements, people, risk events and the
// store that keeps them. It imports nothing but the standard library.
package coalition

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that each edge (HTTP, CLI) can map it once.
type Kind string

const (
	Invalid      Kind = "invalid"      // bad input; the message says which field and why
	NotFound     Kind = "not_found"    // unknown, or hidden from the user
	Conflict     Kind = "conflict"     // uniqueness or a stale version
	Unauthorized Kind = "unauthorized" // no or bad credentials
	Forbidden    Kind = "forbidden"    // authenticated, not allowed
	Precondition Kind = "precondition" // a write without the version it read
	RateLimited  Kind = "rate_limited" // too many requests
	Unavailable  Kind = "unavailable"  // storage full, read-only or down
	Internal     Kind = "internal"     // anything else; details are logged, not shown
)

// Error is an error the user may read.
type Error struct {
	Kind    Kind
	Field   string // the offending field or parameter, if any
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Errorf returns an *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an Invalid *Error that names the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of err's first *Error, or Internal.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// ErrorMessage returns the user-readable message of err's first *Error, or
// "internal error".
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}
