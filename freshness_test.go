package coalition

import (
	"strings"
	"testing"
	"time"
)

func TestFreshnessOf(t *testing.T) {
	day := func(s string) time.Time {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Time()
	}
	kiel := DatasetInfo{Name: "kiel", Release: "29", AsOf: Date{2026, 4, 30}}
	ecb := DatasetInfo{Name: "ecb-fx", Release: "data to 2026-06", AsOf: Date{2026, 6, 30}}
	wb := DatasetInfo{Name: "worldbank", Release: "2023", AsOf: Date{2023, 12, 31}}
	other := DatasetInfo{Name: "sipri", Release: "2024", AsOf: Date{2024, 12, 31}}
	for _, c := range []struct {
		name  string
		d     DatasetInfo
		now   string
		age   int
		due   Date
		stale bool
	}{
		// Release 29 appeared 3 months after its data; the next is due 2 months later.
		{"kiel on its publication day", kiel, "2026-08-04", 96, Date{2026, 9, 30}, false},
		{"kiel within a week of due", kiel, "2026-10-06", 159, Date{2026, 9, 30}, false},
		{"kiel overdue", kiel, "2026-10-08", 161, Date{2026, 9, 30}, true},
		{"ecb a month on", ecb, "2026-07-31", 31, Date{2026, 7, 30}, false},
		{"ecb two months on", ecb, "2026-09-01", 63, Date{2026, 7, 30}, true},
		{"world bank 2023 in 2025", wb, "2025-06-30", 547, Date{2025, 7, 31}, false},
		{"world bank 2023 late 2025", wb, "2025-09-01", 610, Date{2025, 7, 31}, true},
		{"no known cycle", other, "2030-01-01", 1827, Date{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := FreshnessOf(c.d, day(c.now))
			if f.AgeDays != c.age || f.Due != c.due || f.Stale != c.stale {
				t.Errorf("got age %d, due %s, stale %v; want %d, %s, %v", f.AgeDays, f.Due, f.Stale, c.age, c.due, c.stale)
			}
			if f.Stale != (f.Note != "") || f.Stale && !strings.Contains(f.Note, "coalition update "+map[string]string{"kiel": "kiel", "ecb-fx": "fx", "worldbank": "gdp"}[c.d.Name]) {
				t.Errorf("note %q", f.Note)
			}
		})
	}
}

// Every analysis names only datasets that exist in the bundled data or
// have a publisher's cycle, and an unknown analysis is refused loudly.
func TestDatasetsUsedBy(t *testing.T) {
	known := map[string]bool{"kiel-weapons": true}
	for n := range Cycles {
		known[n] = true
	}
	for a, ds := range analysisDatasets {
		if len(ds) == 0 {
			t.Errorf("%s: no datasets", a)
		}
		for _, d := range ds {
			if !known[d] {
				t.Errorf("%s reads %q, which is no dataset", a, d)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("DatasetsUsedBy(\"no-such\") did not panic")
		}
	}()
	DatasetsUsedBy("no-such")
}
