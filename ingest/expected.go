package ingest

// Expected is an analyst's expected file beside a corpus text (NAME.json
// beside NAME.txt in testdata/corpus and testdata/heldout): what a reader
// finds in the text. The corpus gates (corpus_test.go) and the learned
// component's trainer (ingest/cmd/train) both read it, in this one shape.
type Expected struct {
	GivenDate string `json:"given_date"`
	People    []struct {
		Name, Country, Role string
	} `json:"people"`
	Countries []string `json:"countries"`
	Amounts   []struct {
		Value    float64 `json:"value"`
		Currency string  `json:"currency"`
		Kind     string  `json:"kind"`
	} `json:"amounts"`
	Pledges []struct {
		Donor    string  `json:"donor"`
		Value    float64 `json:"value"`
		Currency string  `json:"currency"`
	} `json:"pledges"`
	Flags     []string `json:"flags"`
	Equipment []struct {
		Donor    string `json:"donor"`
		System   string `json:"system"`
		Quantity int64  `json:"quantity"`
	} `json:"equipment"`
	Engagements []struct {
		Kind, Status, Date string
	} `json:"engagements"`
}
