package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestScratchReuse checks that reusing the buffers of one extraction for the
// next changes nothing: every corpus text gives the same JSON on a fresh
// run, after other texts, and from parallel goroutines.
func TestScratchReuse(t *testing.T) {
	kb := mustKB(t)
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus", err)
	}
	texts := make([]string, len(files))
	want := make([]string, len(files))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[i] = string(b)
		want[i] = jsonOf(t, Extract(texts[i], kb, Options{}))
	}
	// a large text in between grows every buffer
	Extract(bigText(t, 200<<10), kb, Options{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range texts {
				i := (k + g) % len(texts) // each goroutine in another order
				if got := jsonOf(t, Extract(texts[i], kb, Options{})); got != want[i] {
					t.Errorf("%s: second extraction differs from the first:\n got %s\nwant %s", files[i], got, want[i])
				}
			}
		}()
	}
	wg.Wait()
}

func jsonOf(t *testing.T, x *Extraction) string {
	b, err := json.Marshal(x)
	if err != nil {
		t.Error(err)
	}
	return string(b)
}
