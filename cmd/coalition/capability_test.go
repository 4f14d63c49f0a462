package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	stdhttp "net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"coalition/http"
	"coalition/internal/check"
	"coalition/sqlstore/sqltest"
)

func httpGet(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := stdhttp.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

type capabilityJSON struct {
	Categories []struct {
		Category        string  `json:"category"`
		WithdrawnShare  float64 `json:"withdrawn_share"`
		LostUnits       int64   `json:"lost_units"`
		LostEUR         float64 `json:"lost_eur"`
		AnnualCapacity  float64 `json:"annual_capacity"`
		GapAfterOneYear float64 `json:"gap_after_one_year"`
		UnassessedUnits int64   `json:"unassessed_units"`
		Roles           []struct {
			Role            string   `json:"role"`
			LostUnits       int64    `json:"lost_units"`
			AnnualCapacity  *float64 `json:"annual_capacity"`
			GapAfterOneYear *float64 `json:"gap_after_one_year"`
		} `json:"roles"`
	} `json:"categories"`
}

// TestCapabilityGapOneAnswer: coalition capability-gap --withdraw USA
// --json, GET /api/v1/capability-gap?withdraw=USA and the /scenarios
// page's capability section (its table, and the CSV behind its chart) give
// the same figures. On the seeded data (Kiel's heavy weapons and the
// bundled capacity), worked from the datasets: no producer outside the
// United States makes a rocket launcher of the catalogue (HIMARS and M270
// are US-built), so that role's gap after one year is all its units lost;
// the only public figure for a 155 mm howitzer outside the United States is
// KNDS France's Caesar, 6 a month = 72 a year.
func TestCapabilityGapOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()

	out, _, err := runCLI(t, "", "capability-gap", "--withdraw", "USA", "--json", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	status, api := httpGet(t, srv.URL+"/api/v1/capability-gap?withdraw=USA")
	if status != 200 {
		t.Fatalf("API: %d %s", status, api)
	}
	var cliAny, apiAny map[string]any
	if err := json.Unmarshal([]byte(out), &cliAny); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(api, &apiAny); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cliAny, apiAny) {
		t.Errorf("CLI and API differ:\nCLI %s\nAPI %s", out, api)
	}
	var rep capabilityJSON
	if err := json.Unmarshal(api, &rep); err != nil {
		t.Fatal(err)
	}
	if !check.Facts(t, check.AtLeast("categories", len(rep.Categories), 3)) {
		return
	}
	roles := map[string]int{}
	for _, c := range rep.Categories {
		for i, r := range c.Roles {
			roles[r.Role] = i
			switch r.Role {
			case "rocket-launcher":
				check.Facts(t,
					check.AtLeast("US rocket launchers lost", r.LostUnits, int64(1)),
					check.Holds("rocket-launcher capacity outside the US is 0", r.AnnualCapacity != nil && *r.AnnualCapacity == 0, r.AnnualCapacity, "0"),
					check.Holds("rocket-launcher gap = units lost", r.GapAfterOneYear != nil && *r.GapAfterOneYear == float64(r.LostUnits), r.GapAfterOneYear, fmt.Sprint(r.LostUnits)))
			case "155-mm-howitzer":
				check.Facts(t, check.Holds("155 mm howitzer capacity = Caesar's 72", r.AnnualCapacity != nil && *r.AnnualCapacity == 72, r.AnnualCapacity, "72"))
			}
		}
	}
	check.Facts(t, check.Holds("both roles present", len(roles) > 0 && hasKeys(roles, "rocket-launcher", "155-mm-howitzer"), roles, "rocket-launcher and 155-mm-howitzer"))

	// The CSV behind the page's chart: the same rows, the same figures.
	status, body := httpGet(t, srv.URL+"/csv/capability-gap?withdraw=USA")
	if status != 200 {
		t.Fatalf("CSV: %d %s", status, body)
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !check.Facts(t, check.Eq("CSV rows", len(recs), len(rep.Categories)+1)) {
		return
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(row []string, name string) float64 {
		v, err := strconv.ParseFloat(row[col[name]], 64)
		if err != nil {
			t.Fatalf("CSV %s: %q: %v", name, row[col[name]], err)
		}
		return v
	}
	for i, c := range rep.Categories {
		row := recs[i+1]
		check.Facts(t,
			check.Eq(c.Category+": CSV category", row[col["category"]], c.Category),
			check.Eq(c.Category+": CSV lost units", num(row, "lost_units"), float64(c.LostUnits)),
			check.Holds(c.Category+": CSV lost EUR", abs(num(row, "lost_eur")-c.LostEUR) < 0.005, num(row, "lost_eur"), fmt.Sprint(c.LostEUR)),
			check.Holds(c.Category+": CSV withdrawn share (%)", abs(num(row, "withdrawn_share")-100*c.WithdrawnShare) < 1e-9, num(row, "withdrawn_share"), fmt.Sprint(100*c.WithdrawnShare)),
			check.Eq(c.Category+": CSV capacity", num(row, "annual_capacity"), c.AnnualCapacity),
			check.Eq(c.Category+": CSV gap", num(row, "gap_after_one_year"), c.GapAfterOneYear),
			check.Eq(c.Category+": CSV unassessed", num(row, "unassessed_units"), float64(c.UnassessedUnits)),
		)
	}

	// The page shows the section with the same figures and no internal ids.
	status, page := httpGet(t, srv.URL+"/scenarios?withdraw=USA&run=1")
	if status != 200 {
		t.Fatalf("page: %d", status)
	}
	html := string(page)
	check.Facts(t,
		check.Holds("page has the capability section", strings.Contains(html, `id="capability-gap-section"`), "", "the section"),
		check.Holds("page links the CSV", strings.Contains(html, `href="/csv/capability-gap?withdraw=USA"`), "", "the CSV link"),
		check.Holds("page names the United States", strings.Contains(html, "Capabilities if United States withdraw"), "", "the country's name"),
		check.Holds("no internal ids", !strings.Contains(html, "pledge_id") && !strings.Contains(html, "source_ref"), "", "no ids"),
	)
	for _, c := range rep.Categories {
		cell := fmt.Sprintf(">%d<", c.LostUnits)
		check.Facts(t, check.Holds(c.Category+": page shows its units lost", strings.Contains(html, cell), "", cell))
	}

	// Bad input names the field, everywhere.
	status, body = httpGet(t, srv.URL+"/api/v1/capability-gap?withdraw=XX1")
	check.Facts(t, check.Eq("API bad withdraw status", status, 400),
		check.Holds("API problem names withdraw", strings.Contains(string(body), "withdraw"), string(body), "withdraw"))
	status, _ = httpGet(t, srv.URL+"/api/v1/capability-gap")
	check.Facts(t, check.Eq("API without withdraw", status, 400))
	_, _, err = runCLI(t, "", "capability-gap", "--db", db)
	check.Facts(t, check.Holds("CLI without --withdraw names it", err != nil && strings.Contains(err.Error(), "withdraw"), err, "an error naming withdraw"))
}

func hasKeys(m map[string]int, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
