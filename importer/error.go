// Package importer reads the file formats of this field (the Kiel tracker's
// CSV and XLSX, IATI activity XML, OCHA FTS flow JSON and Coalition's own
// CSV) into domain records, saying exactly where the input is wrong.
package importer

import (
	"errors"
	"fmt"
	"strings"

	"coalition"
)

// RowError says where in which file which field is wrong.
type RowError struct {
	File, Field string
	Sheet       string // XLSX only
	Row         int    // CSV/JSON line, XLSX row, XML element line
	Err         error
}

// Error is FILE:LINE:FIELD: reason, or FILE:SHEET!ROW:FIELD: reason for XLSX.
func (e *RowError) Error() string {
	if e.Sheet != "" {
		return fmt.Sprintf("%s:%s!%d:%s: %v", e.File, e.Sheet, e.Row, e.Field, e.Err)
	}
	return fmt.Sprintf("%s:%d:%s: %v", e.File, e.Row, e.Field, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// RecordError is a row error of a record that has an id of its own in
// the file (an FTS flow, an IATI activity): "flow 226077: reason". The
// JSON form of its RowError gives the id as "record".
type RecordError struct {
	Kind, ID string // "flow", "activity"
	Err      error
}

func (e *RecordError) Error() string { return e.Kind + " " + e.ID + ": " + e.Err.Error() }
func (e *RecordError) Unwrap() error { return e.Err }

// MarshalJSON gives the report's form: file, sheet, row, field, record
// (the record's own id, if it has one), reason.
func (e *RowError) MarshalJSON() ([]byte, error) {
	return jsonRowError(e)
}

// Errors is every row error of one import. It is Invalid input.
type Errors []*RowError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == 20 {
			fmt.Fprintf(&b, "\n… and %d more errors", len(es)-20)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap makes the error Invalid for the CLI and the API.
func (es Errors) Unwrap() error {
	return &coalition.Error{Kind: coalition.Invalid, Message: "the file has invalid rows"}
}

// AsErrors returns the row errors inside err, if any.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	ok := errors.As(err, &es)
	return es, ok
}
