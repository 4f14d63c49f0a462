package http

import (
	"strings"
	"testing"
	"time"

	"coalition"
)

// Every page's footer says which release each published dataset is and
// how old its data are, and marks the ones older than their publisher's
// usual cycle; /api/v1/datasets gives the same ages.
func TestFooterShowsDatasetAges(t *testing.T) {
	h, st := newUIServer(t)
	ds, err := st.Datasets(coalition.WithUser(t.Context(), coalition.System))
	if err != nil || len(ds) == 0 {
		t.Fatalf("datasets: %v %v", ds, err)
	}
	for _, path := range []string{"/", "/donors", "/targets"} {
		body := get(t, h, path).Body.String()
		foot := body[strings.Index(body, `<footer class="site">`):]
		for _, d := range ds {
			f := coalition.FreshnessOf(d, time.Now())
			want := d.Name + " " + d.Release + ", data to " + d.AsOf.String() + " ("
			if !strings.Contains(foot, want) {
				t.Errorf("%s: footer lacks %q:\n%s", path, want, foot)
			}
			if stale := strings.Contains(foot, d.Name+" "+d.Release+", data to "+d.AsOf.String()+" ("+itoa(int64(f.AgeDays))+" days old, a newer release was due "+f.Due.String()); stale != f.Stale {
				t.Errorf("%s: %s marked stale %v, want %v", path, d.Name, stale, f.Stale)
			}
		}
	}
	body := get(t, h, "/api/v1/datasets").Body.String()
	for _, key := range []string{`"age_days"`, `"next_release_due"`, `"stale"`} {
		if !strings.Contains(body, key) {
			t.Errorf("/api/v1/datasets lacks %s: %.300s", key, body)
		}
	}
}
