package importer

import (
	"strings"
	"testing"

	"coalition"
)

// A Kiel file's release comes from its content: the last month with a
// value, never the file's name.
func TestKielRelease(t *testing.T) {
	const head = "country,iso,year,month,total,financial,humanitarian,military\n"
	file := head + "Norway,NOR,2025,11,1,0,0,1\nNorway,NOR,2026,2,0.5,0.5,0,0\nNorway,NOR,2026,3,0,0,0,0\n"
	cases := []struct {
		name, file, release, source string
		asOf                        coalition.Date
		want                        coalition.Release
	}{
		{"default name", "a.csv", "", "", coalition.Date{}, coalition.Release{Name: "data to 2026-02", AsOf: coalition.Date{Y: 2026, M: 2, D: 28},
			Source: KielTitle + ", data to 02/2026, a.csv"}},
		{"numbered, another file", "b.csv", "30", "", coalition.Date{}, coalition.Release{Name: "30", AsOf: coalition.Date{Y: 2026, M: 2, D: 28},
			Source: KielTitle + ", Release 30 (data to 02/2026), b.csv"}},
		{"as of and source given", "c.csv", "", "my citation", coalition.Date{Y: 2026, M: 3, D: 15}, coalition.Release{Name: "data to 2026-03",
			AsOf: coalition.Date{Y: 2026, M: 3, D: 15}, Source: "my citation"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := KielRelease(strings.NewReader(file), c.file, c.release, c.source, c.asOf)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "dataset", got.Dataset, KielDataset)
			eq(t, "name", got.Name, c.want.Name)
			eq(t, "as_of", got.AsOf, c.want.AsOf)
			eq(t, "source", got.Source, c.want.Source)
			eq(t, "records", got.Records, coalition.ReleasePledges)
		})
	}
	// A file without a single value is no release (it would remove every record).
	_, err := KielRelease(strings.NewReader(head+"Norway,NOR,2026,3,0,0,0,0\n"), "e.csv", "", "", coalition.Date{})
	if es, ok := AsErrors(err); !ok || len(es) != 1 || es[0].Row != 2 {
		t.Fatalf("empty file: %v", err)
	}
	// Invalid rows are the parser's row errors.
	_, err = KielRelease(strings.NewReader(head+"Norway,NOR,2026,13,1,1,0,0\n"), "f.csv", "", "", coalition.Date{})
	if es, ok := AsErrors(err); !ok || es[0].Field != "month" {
		t.Fatalf("invalid file: %v", err)
	}
}
