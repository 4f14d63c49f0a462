package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	stdhttp "net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"coalition"
	"coalition/http"
	"coalition/refdata"
	"coalition/sqlstore/sqltest"
)

// TestEquipmentOneAnswer: coalition equipment --json and GET
// /api/v1/equipment give the same answer for the same filter; and the
// seeded store, read back through that answer, reproduces Kiel's
// heavy-weapons table per donor and category exactly (issue 18 §1's
// proof, through the store and both engines' code path, not only the
// parser).
func TestEquipmentOneAnswer(t *testing.T) {
	db := analysisStoreDB(t)
	s := sqltest.OpenDSN(t, "sqlite:"+db)
	defer s.Close()
	srv := httptest.NewServer(http.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), s, http.Config{}))
	defer srv.Close()
	for _, q := range []struct {
		cli []string
		api string
	}{
		{nil, ""},
		{[]string{"--donor", "deu"}, "?donor=deu"},
		{[]string{"--category", "air-defence"}, "?category=air-defence"},
		{[]string{"--donor", "USA", "--system", "Patriot"}, "?donor=USA&system=Patriot"},
	} {
		t.Run("filter"+q.api, func(t *testing.T) {
			out, _, err := runCLI(t, "", append(append([]string{"equipment"}, q.cli...), "--json", "--db", db)...)
			if err != nil {
				t.Fatal(err)
			}
			var cli, api map[string]any
			if err := json.Unmarshal([]byte(out), &cli); err != nil {
				t.Fatal(err)
			}
			resp, err := stdhttp.Get(srv.URL + "/api/v1/equipment" + q.api)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("API: %d %s", resp.StatusCode, b)
			}
			if err := json.Unmarshal(b, &api); err != nil {
				t.Fatal(err)
			}
			if len(cli["equipment"].([]any)) == 0 {
				t.Fatal("no records: the seed did not load kiel-weapons")
			}
			if !reflect.DeepEqual(cli, api) {
				t.Errorf("CLI and API differ:\nCLI %s\nAPI %s", out, b)
			}
		})
	}
	t.Run("Kiel reproduced through the store", func(t *testing.T) {
		out, _, err := runCLI(t, "", "equipment", "--json", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Equipment []struct {
				Donor, Kind string
				Delivered   int64
				ValueEUR    *float64 `json:"value_eur"`
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		type key struct{ donor, kind string }
		units, cents := map[key]int64{}, map[key]int64{}
		for _, r := range rep.Equipment {
			units[key{r.Donor, r.Kind}] += r.Delivered
			cents[key{r.Donor, r.Kind}] += int64(math.Round(*r.ValueEUR * 100))
		}
		rows, err := refdata.Weapons()
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range rows {
			k := key{w.ISO3, w.Category}
			if units[k] != int64(w.Number) || cents[k] != int64(math.Round(w.EUR*100)) {
				t.Errorf("%s %s: %d units, %d cents; Kiel: %d, %.0f EUR", w.Donor, w.Category, units[k], cents[k], w.Number, w.EUR)
			}
			delete(units, k)
		}
		if len(units) != 0 {
			t.Errorf("donor and category pairs not in Kiel's table: %v", units)
		}
	})
	t.Run("a confidential record is the donor's and the CLI's, not the public API's", func(t *testing.T) {
		ctx := coalition.WithUser(context.Background(), coalition.System)
		if err := s.CreateEquipment(ctx, &coalition.Equipment{Donor: "FRA", System: "Caesar", Category: coalition.CapArtillery,
			Pledged: 12, Visibility: coalition.Confidential, Source: "test: a confidential pledge"}); err != nil {
			t.Fatal(err)
		}
		out, _, err := runCLI(t, "", "equipment", "--donor", "FRA", "--system", "Caesar", "--json", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := stdhttp.Get(srv.URL + "/api/v1/equipment?donor=FRA&system=Caesar")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pledged := func(body []byte) float64 {
			var v struct{ Totals []struct{ Pledged float64 } }
			if err := json.Unmarshal(body, &v); err != nil || len(v.Totals) != 1 {
				t.Fatalf("totals of %s: %v", body, err)
			}
			return v.Totals[0].Pledged
		}
		if got, want := pledged([]byte(out)), 54.0+12; got != want {
			t.Errorf("CLI (system): %v Caesars pledged, want %v", got, want)
		}
		if got, want := pledged(b), 54.0; got != want {
			t.Errorf("API (anonymous): %v Caesars pledged, want %v (the confidential 12 hidden, also in the total)", got, want)
		}
	})
}
