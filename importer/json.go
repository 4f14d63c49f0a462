package importer

import (
	"encoding/json"
	"errors"
)

func jsonRowError(e *RowError) ([]byte, error) {
	reason := ""
	if e.Err != nil {
		reason = e.Err.Error()
	}
	record := ""
	var re *RecordError
	if errors.As(e.Err, &re) {
		record = re.ID
	}
	return json.Marshal(struct {
		File   string `json:"file"`
		Sheet  string `json:"sheet,omitempty"`
		Row    int    `json:"row"`
		Field  string `json:"field"`
		Record string `json:"record,omitempty"`
		Reason string `json:"reason"`
	}{e.File, e.Sheet, e.Row, e.Field, record, reason})
}
