package http_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"coalition/internal/check"
	"coalition/refdata"
)

// GET /api/v1/datasets lists the loaded releases; POST /api/v1/imports of
// the bundled Kiel file under another name and citation matches the seeded
// release 29 (nothing doubles) and says so; an older release is a 409.
func TestDatasetsAPI(t *testing.T) {
	srv, s := newTestServer(t)
	token := adminToken(t, s)
	code, _, b := get(t, srv.URL+"/api/v1/datasets")
	if code != http.StatusOK {
		t.Fatalf("datasets: %d %s", code, b)
	}
	var raw struct {
		Datasets []map[string]any `json:"datasets"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	kiel, weapons, history := map[string]any{}, map[string]any{}, map[string]any{}
	for _, d := range raw.Datasets {
		switch d["name"] {
		case "kiel":
			kiel = d
		case "kiel-weapons":
			weapons = d
		case "ecb-fx-history":
			history = d
		}
	}
	if !check.Facts(t,
		check.Eq("kiel release", kiel["release"], any("29")),
		check.Eq("kiel as_of", kiel["as_of"], any("2026-04-30")),
		check.Eq("kiel records", kiel["records"], any(float64(1450))),
		check.Eq("kiel-weapons records (one per system of a donor's category)", weapons["records"], any(float64(101))),
		check.Eq("kiel-weapons kind", weapons["kind"], any("equipment")),
		check.Eq("ecb-fx-history kind (the ECB's monthly means 1999-2021, embedded)", history["kind"], any("fx_history")),
		check.Eq("ecb-fx-history records", history["records"], any(float64(5046))),
		check.Eq("datasets", len(raw.Datasets), 6),
	) {
		t.FailNow()
	}

	f, err := refdata.Open(refdata.KielFile)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(f)
	f.Close()
	code, b = postFile(t, srv.URL+"/api/v1/imports?format=kiel-csv&source=my+citation", token, "download.csv", string(data), true)
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, b)
	}
	var rep struct {
		Result struct {
			Created, Unchanged map[string]int
			Release            *struct {
				Release string `json:"release"`
				Action  string `json:"action"`
				Changes []any  `json:"changes"`
			} `json:"release"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Result.Release == nil {
		t.Fatalf("import of the same release: no release in %s", b)
	}
	if !check.Facts(t,
		check.Eq("pledges created", rep.Result.Created["pledges"], 0),
		check.Eq("pledges unchanged", rep.Result.Unchanged["pledges"], 1450),
		check.Eq("release action", rep.Result.Release.Action, "same"),
		check.Eq("release", rep.Result.Release.Release, "29"),
		check.Eq("changed donor totals", len(rep.Result.Release.Changes), 0),
	) {
		t.FailNow()
	}

	// Release 28-like: the same file without April 2026.
	var older strings.Builder
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.Contains(line, ",2026,4,") {
			older.WriteString(line)
		}
	}
	code, b = postFile(t, srv.URL+"/api/v1/imports?format=kiel-csv", token, "older.csv", older.String(), true)
	var p problemDoc
	json.Unmarshal(b, &p)
	if code != http.StatusConflict || !strings.Contains(p.Detail, "older than the loaded release 29") {
		t.Fatalf("older release: %d %s", code, b)
	}
	// release and force belong to kiel-csv only.
	code, b = postFile(t, srv.URL+"/api/v1/imports?format=csv&release=3", token, "p.csv", pledgesCSV, true)
	if code != http.StatusBadRequest {
		t.Fatalf("csv with release: %d %s", code, b)
	}
}
