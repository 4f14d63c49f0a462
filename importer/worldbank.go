package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WBIndicator is one indicator of the World Bank's World Development
// Indicators as its API returns it: a value per country and year.
type WBIndicator struct {
	ID          string    // NY.GDP.MKTP.CD, SP.POP.TOTL
	LastUpdated string    // the publisher's date of the data, e.g. 2025-07-01
	Values      []WBValue // without the null values
}

// WBValue is one country's value of an indicator in one year.
type WBValue struct {
	ISO3  string
	Year  int
	Value float64
}

// wbCount is a number the API writes as a number or as a string ("50").
type wbCount int

func (c *wbCount) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s is not a count", b)
	}
	*c = wbCount(n)
	return nil
}

// WorldBank reads one indicator from the World Bank API's JSON
// (api.worldbank.org/v2/country/all/indicator/ID?format=json): an array of
// the page's metadata ({page, pages, per_page, total, lastupdated}) and
// its records ({indicator: {id}, countryiso3code, date, value}). The
// response must be one whole page (ask with per_page of at least the
// total), of indicator id; the API's own error ({"message": …}) is
// reported as it says.
func WorldBank(r io.Reader, file, id string) (*WBIndicator, error) {
	fail := func(field, format string, args ...any) (*WBIndicator, error) {
		return nil, Errors{{File: file, Field: field, Err: fmt.Errorf(format, args...)}}
	}
	var parts []json.RawMessage
	if err := json.NewDecoder(r).Decode(&parts); err != nil {
		return fail("json", "not the World Bank API's JSON: %v", err)
	}
	meta, field, err := wbPage(parts)
	if err != nil {
		return fail(field, "%v", err)
	}
	var recs []wbRecord
	if err := json.Unmarshal(parts[1], &recs); err != nil {
		return fail("records", "not the World Bank API's records: %v", err)
	}
	if int(meta.Total) != len(recs) && meta.Total != 0 {
		return fail("total", "the header counts %d records, the page has %d: the download is incomplete", meta.Total, len(recs))
	}
	out := &WBIndicator{ID: id, LastUpdated: meta.LastUpdated}
	var errs Errors
	for i, rec := range recs {
		v, field, err := rec.value(id)
		if err != nil {
			errs = append(errs, &RowError{File: file, Row: i + 1, Field: field, Err: err})
		} else if v != nil {
			out.Values = append(out.Values, *v)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// wbMeta is the page header of a World Bank API answer.
type wbMeta struct {
	Page        wbCount `json:"page"`
	Pages       wbCount `json:"pages"`
	Total       wbCount `json:"total"`
	LastUpdated string  `json:"lastupdated"`
	Message     []struct{ ID, Key, Value string }
}

// wbPage reads the page header of parts, [header, records]: the API's own
// error message, or more than one page, is an error (with its field).
func wbPage(parts []json.RawMessage) (wbMeta, string, error) {
	var meta wbMeta
	if len(parts) > 0 {
		if err := json.Unmarshal(parts[0], &meta); err != nil {
			return meta, "page", fmt.Errorf("not the World Bank API's page header: %v", err)
		}
	}
	switch {
	case len(meta.Message) > 0:
		m := meta.Message[0]
		return meta, "message", fmt.Errorf("the World Bank API says: %s (%s %s)", m.Value, m.Key, m.ID)
	case len(parts) != 2:
		return meta, "json", fmt.Errorf("want [page header, records], got an array of %d", len(parts))
	case meta.Pages > 1:
		return meta, "pages", fmt.Errorf("the response is page %d of %d: ask for per_page of at least %d", meta.Page, meta.Pages, meta.Total)
	}
	return meta, "", nil
}

// wbRecord is one record of an indicator.
type wbRecord struct {
	Indicator struct{ ID string } `json:"indicator"`
	ISO3      string              `json:"countryiso3code"`
	Date      string              `json:"date"`
	Value     *float64            `json:"value"`
}

// value checks the record: nil without a value (or for an aggregate
// without a code), or the field that is wrong.
func (rec wbRecord) value(id string) (*WBValue, string, error) {
	if rec.Indicator.ID != id {
		return nil, "indicator", fmt.Errorf("%s, want %s", quote(rec.Indicator.ID), id)
	}
	y, err := strconv.Atoi(rec.Date)
	if err != nil || y < 1960 || y > 2100 {
		return nil, "date", fmt.Errorf("%s is not a year", quote(rec.Date))
	}
	if rec.Value == nil || rec.ISO3 == "" {
		return nil, "", nil
	}
	if v := *rec.Value; v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, "value", errors.New("not a non-negative number")
	}
	return &WBValue{ISO3: rec.ISO3, Year: y, Value: *rec.Value}, "", nil
}
