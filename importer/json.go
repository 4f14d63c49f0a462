package importer

import "encoding/json"

func jsonRowError(e *RowError) ([]byte, error) {
	reason := ""
	if e.Err != nil {
		reason = e.Err.Error()
	}
	return json.Marshal(struct {
		File   string `json:"file"`
		Sheet  string `json:"sheet,omitempty"`
		Row    int    `json:"row"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	}{e.File, e.Sheet, e.Row, e.Field, reason})
}
