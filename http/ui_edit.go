package http

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// What every edit form of the dashboard shares. Each form posts to a route
// of its own (routes.go); the store checks permission, validates and
// audits, as it does for the API. A form answers an invalid value or a
// stale version with the form again, the values as posted (or, after a
// conflict, as the record now is) and the problem next to its field;
// anything else (forbidden, not found) is the error page.

// formErrors are the problems of a form by the name of its field.
type formErrors map[string]string

// editable reports whether err is answered with the form again rather
// than the error page: a value the store refused, or a version that is
// no longer current.
func editable(err error) bool {
	k := coalition.ErrorKind(err)
	return k == coalition.Invalid || k == coalition.Conflict
}

// staleMessage is what a form says when the record changed since it was
// opened (the store's version conflict).
const staleMessage = "This record was changed by someone else since you opened it. The form now shows it as it is: check it and make your change again."

// formProblem turns a store error into the page's problem and the field
// it names. fields maps the store's field names (the API's JSON names) to
// the form's; labels names a form field for people.
func formProblem(err error, fields map[string]string, labels map[string]string) (string, formErrors) {
	if coalition.ErrorKind(err) == coalition.Conflict {
		var stale *coalition.StaleError
		if errors.As(err, &stale) {
			return staleMessage, nil
		}
		return coalition.ErrorMessage(err), nil
	}
	var e *coalition.Error
	if !errors.As(err, &e) || e.Field == "" {
		return coalition.ErrorMessage(err), nil
	}
	field := e.Field
	if f, ok := fields[field]; ok {
		field = f
	}
	label := labels[field]
	if label == "" {
		label = field
	}
	return label + ": " + e.Message, formErrors{field: e.Message}
}

// euroText shows an amount in euro cents as the form takes it back:
// "1250000", or "1250000.50" when there are cents.
func euroText(minor int64) string {
	s := strconv.FormatInt(minor/100, 10)
	if c := minor % 100; c != 0 {
		if c < 0 {
			c = -c
		}
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	if minor < 0 && minor > -100 {
		s = "-" + s
	}
	return s
}

// formEuros reads an amount in euros from field of a form into cents; an
// empty field is 0.
func formEuros(field, v string) (int64, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
	if v == "" {
		return 0, nil
	}
	n, err := coalition.ParseDecimal(v, 1, "EUR")
	if err != nil {
		return 0, coalition.FieldError(field, "%q is not an amount in euros (e.g. 1250000 or 1250000.50)", v)
	}
	return n, nil
}

// formInt reads a whole number from field of a form; empty is nil.
func formInt(field, v string) (*int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, coalition.FieldError(field, "%q is not a whole number", v)
	}
	return &n, nil
}

// formMonth reads a month (YYYY-MM) from field of a form; empty is 0.
func formMonth(field, v string) (coalition.Month, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	m, err := coalition.ParseMonth(v)
	if err != nil {
		return 0, coalition.FieldError(field, "%q is not a month (YYYY-MM)", v)
	}
	return m, nil
}

// formFloat reads a number from field of a form; empty is nil.
func formFloat(field, v string) (*float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, coalition.FieldError(field, "%q is not a number", v)
	}
	return &n, nil
}

// formDate reads a date (YYYY-MM-DD) from field of a form; empty is the
// zero date, which the store answers as required.
func formDate(field, v string) (coalition.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return coalition.Date{}, nil
	}
	d, err := coalition.ParseDate(v)
	if err != nil {
		return coalition.Date{}, coalition.FieldError(field, "%q is not a date (YYYY-MM-DD)", v)
	}
	return d, nil
}

// formVersion reads the version a form was opened at; an unreadable one
// is 0, which the store answers as a conflict.
func formVersion(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// confirmed reports whether a delete form's confirmation box was ticked.
func confirmed(r *http.Request) bool { return r.PostForm.Get("confirm") == "yes" }
