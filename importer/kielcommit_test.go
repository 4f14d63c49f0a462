package importer

import (
	"bytes"
	"strings"
	"testing"

	"coalition"
)

func TestKielCommitments(t *testing.T) {
	const head = `"country","iso","year","month","total","financial","humanitarian","military","commitments","to_be_allocated","gdp","pct_gdp"` + "\n"
	t.Run("read exactly, EU as EUI, zero rows left out", func(t *testing.T) {
		in := head + `"EU (Commission and Council)","EU",2022,3,1.6855,1.2705,0.415,0,1.0855,-0.6,0,0` + "\n" +
			`"Australia","AUS",2022,4,0,0,0,0,0,0,1,0` + "\n"
		cs, err := KielCommitments(strings.NewReader(in), KielOptions{File: "f.csv", Source: "src"}, "kiel", "29")
		if err != nil {
			t.Fatal(err)
		}
		want := coalition.Commitment{ISO3: "EUI", Month: coalition.MonthOf(2022, 3), CommittedEUR: 108_550_000_000, ToBeAllocatedEUR: -60_000_000_000,
			Dataset: "kiel", Release: "29", Source: "src"}
		if len(cs) != 1 || cs[0] != want {
			t.Fatalf("got %+v, want [%+v]", cs, want)
		}
	})
	t.Run("a bad figure names the file, line and field", func(t *testing.T) {
		in := head + `"Austria","AUT",2022,3,0,0,0,0,abc,0,0,0` + "\n"
		_, err := KielCommitments(strings.NewReader(in), KielOptions{File: "f.csv"}, "kiel", "29")
		if err == nil || !strings.Contains(err.Error(), "f.csv:2:commitments") {
			t.Fatalf("error %v, want one naming f.csv:2:commitments", err)
		}
	})
}

// FuzzKielCommitments: any input gives either row errors or commitments of
// valid donors and months, never a panic.
func FuzzKielCommitments(f *testing.F) {
	f.Add([]byte("iso,year,month,commitments,to_be_allocated\nNOR,2024,1,1.5,-0.25\nEU,2024,2,,NA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := KielCommitments(bytes.NewReader(data), KielOptions{File: "k.csv"}, "kiel", "1")
		if err != nil {
			if cs != nil {
				t.Fatalf("commitments %v with error %v", cs, err)
			}
			return
		}
		for _, c := range cs {
			if !coalition.ValidISO3(c.ISO3) || c.Month == 0 || (c.CommittedEUR == 0 && c.ToBeAllocatedEUR == 0) {
				t.Fatalf("bad commitment %+v", c)
			}
		}
	})
}
