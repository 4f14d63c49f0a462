package http_test

import (
	"bytes"
	"coalition/internal/check"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func postFile(t *testing.T, url, token, name, content string, multi bool) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	ctype := "text/csv"
	if multi {
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		ctype = mw.FormDataContentType()
	} else {
		body.WriteString(content)
	}
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

const pledgesCSV = "source_ref,donor,category,amount,currency,announced,source\nAPI-1,Norway,air-defence,1140000000,NOK,2024-01-15,https://example.org/no\nAPI-2,DEU,humanitarian,5,EUR,2024-02-01,https://example.org/de\n"

func TestImportAPI(t *testing.T) {
	srv, s := newTestServer(t)
	token := adminToken(t, s)
	url := srv.URL + "/api/v1/imports?format=csv"
	// Anonymous callers may not import.
	if code, _ := postFile(t, url, "", "p.csv", pledgesCSV, true); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("anonymous import: %d", code)
	}
	// Dry run: counted, not written; then for real; then again: unchanged.
	for _, step := range []struct {
		query              string
		multi              bool
		created, unchanged int
		committed          bool
	}{
		{"&dry_run=1", true, 2, 0, false},
		{"", true, 2, 0, true},
		{"&file=p.csv", false, 0, 2, true},
	} {
		code, b := postFile(t, url+step.query, token, "p.csv", pledgesCSV, step.multi)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", step.query, code, b)
		}
		var rep struct {
			Committed bool `json:"committed"`
			Result    struct {
				Created, Unchanged map[string]int
			} `json:"result"`
		}
		json.Unmarshal(b, &rep)
		if rep.Result.Created["pledges"] != step.created || rep.Result.Unchanged["pledges"] != step.unchanged || rep.Committed != step.committed {
			t.Errorf("%s: %s", step.query, b)
		}
	}
	// Invalid rows: 400 with every row error, nothing written.
	bad := "source_ref,donor,category,amount,currency,announced\nB-1,Norway,military,-5,EUR,2024-01-01\nB-2,Norwya,military,5,EUR,2025-13-45\n"
	code, b := postFile(t, url, token, "bad.csv", bad, true)
	var prob struct {
		Status int `json:"status"`
		Errors []struct {
			File, Field, Reason string
			Row                 int
		} `json:"errors"`
	}
	json.Unmarshal(b, &prob)
	if check.Facts(t, check.Eq("bad file: status", code, http.StatusBadRequest), check.Eq("bad file: errors", len(prob.Errors), 3)) {
		check.Facts(t,
			check.Eq("bad file: first error's field", prob.Errors[0].Field, "amount"),
			check.Eq("bad file: first error's row", prob.Errors[0].Row, 2),
			check.Eq("bad file: first error's file", prob.Errors[0].File, "bad.csv"),
		)
	}
	if code, _ := postFile(t, srv.URL+"/api/v1/imports?format=xml", token, "x", "x", false); code != http.StatusBadRequest {
		t.Errorf("unknown format: %d", code)
	}
}

func TestExportAPI(t *testing.T) {
	srv, _ := newTestServer(t)
	code, h, b := get(t, srv.URL+"/api/v1/export/donors?format=csv")
	if code != 200 || !strings.HasPrefix(string(b), "iso3,name,military_eur") || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Errorf("csv: %d %q", code, b[:min(len(b), 80)])
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/export/pledges?donor=NOR", nil)
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	json.NewDecoder(res.Body).Decode(&rows)
	res.Body.Close()
	if len(rows) == 0 || rows[0]["donor"] != "NOR" {
		t.Errorf("json by Accept: %d rows", len(rows))
	}
	code, _, b = get(t, srv.URL+"/api/v1/export/engagements?format=xlsx")
	if code != 200 {
		t.Fatalf("xlsx: %d", code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[1] != "Sources" {
		t.Errorf("sheets %v", sheets)
	}
	if code, _, _ := get(t, srv.URL+"/api/v1/export/secrets"); code != http.StatusNotFound {
		t.Errorf("unknown export: %d", code)
	}
	if code, _, _ := get(t, srv.URL+"/api/v1/export/pledges?from=2025-13-45"); code != http.StatusBadRequest {
		t.Errorf("bad filter: %d", code)
	}
}
