package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"coalition"
)

// refuseBound is what refusing any input may cost: the bytes allocated on
// the heap from start to refusal (an upper bound on how much the heap
// grows), whatever the input holds.
const refuseBound = 4 << 20

// allocated runs f and returns the bytes it allocated on the heap
// (runtime/metrics /gc/heap/allocs:bytes) and the peak growth of the live
// heap (/memory/classes/heap/objects:bytes, sampled every millisecond).
func allocated(t *testing.T, f func()) (allocs, peak uint64) {
	t.Helper()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	allocs0, live0 := s[0].Value.Uint64(), s[1].Value.Uint64()
	var max atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		m := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(m)
			if v := m[0].Value.Uint64(); v > live0 && v-live0 > max.Load() {
				max.Store(v - live0)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	metrics.Read(s)
	return s[0].Value.Uint64() - allocs0, max.Load()
}

// hugeWorkbook writes a Kiel workbook with a value of n bytes of 'A' into
// dir: a cell of row 3 (into "sheet") or the first shared string ("sst").
// The part is compressed as it is written (about 1.3 MB for 1,000 MiB).
func hugeWorkbook(t *testing.T, dir, into string, n int) string {
	t.Helper()
	b := kielWorkbook(t, kielMain[:2], nil)
	src, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "huge.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	huge := func(w io.Writer) {
		for left := n; left > 0; left -= len(chunk) {
			w.Write(chunk[:min(left, len(chunk))])
		}
	}
	for _, zf := range src.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		s := string(body)
		switch {
		case into == "sheet" && zf.Name == "xl/worksheets/sheet1.xml":
			i := strings.Index(s, "</sheetData>")
			io.WriteString(w, s[:i]+`<row r="3"><c r="A3" t="inlineStr"><is><t>`)
			huge(w)
			io.WriteString(w, `</t></is></c></row>`+s[i:])
		case into == "sst" && zf.Name == "xl/sharedStrings.xml":
			i := strings.Index(s, "<si>")
			io.WriteString(w, s[:i]+`<si><t>`)
			huge(w)
			io.WriteString(w, `</t></si>`+s[i:])
		default:
			w.Write(body)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A 1.3 MB workbook with one 1,000 MiB cell (or shared string) passes the
// unzip limit; it is refused at the cell's 32,768th character, naming the
// file, the part, the row and the cell and quoting 80 characters of it,
// having allocated less than refuseBound. (Before: read whole, 248 s and
// 23.7 GB, and echoed into an "unknown country" error.)
func TestKielXLSXHugeValueRefusedInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 1,000 MiB compressed part")
	}
	for _, tt := range []struct{ into, want string }{
		{"sheet", `h.xlsx:Bilateral Assistance, MAIN DATA!3:A3: the cell is longer than 32767 characters (Excel's limit): "` + strings.Repeat("A", 80) + `"…`},
		{"sst", `h.xlsx:xl/sharedStrings.xml!1:si: shared string 1 is longer than 32767 characters (Excel's limit): "` + strings.Repeat("A", 80) + `"…`},
	} {
		t.Run(tt.into, func(t *testing.T) {
			path := hugeWorkbook(t, t.TempDir(), tt.into, 1000<<20)
			f := open(t, path)
			var err error
			start := time.Now()
			allocs, peak := allocated(t, func() {
				var c Collect
				_, err = KielXLSX(bg, f, testOptions("h.xlsx"), &c)
			})
			t.Logf("refused in %v, %d KiB allocated, live heap peak +%d KiB", time.Since(start), allocs>>10, peak>>10)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %.300v\nwant %s", err, tt.want)
			}
			if coalition.ErrorKind(err) != coalition.Invalid {
				t.Errorf("kind %s, want invalid", coalition.ErrorKind(err))
			}
			if allocs > refuseBound {
				t.Errorf("refusing allocated %d MiB, want at most %d MiB", allocs>>20, refuseBound>>20)
			}
		})
	}
}

// flowStream is n bytes of a valid FTS response that never ends: the
// same flow again and again, made as it is read.
type flowStream struct {
	n, off int64
}

const (
	flowHead = `{"data":{"flows":[`
	flowBody = `{"id":"1","versionId":1,"status":"paid","originalAmount":5,"originalCurrency":"EUR","date":"2024-01-01","sourceObjects":[{"type":"Organization","name":"Norway, Government of"}],"destinationObjects":[{"type":"Location","name":"Ukraine"}]},` + "\n"
)

func (s *flowStream) Read(p []byte) (int, error) {
	if s.off >= s.n {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && s.off < s.n {
		var c byte
		if s.off < int64(len(flowHead)) {
			c = flowHead[s.off]
		} else {
			c = flowBody[(s.off-int64(len(flowHead)))%int64(len(flowBody))]
		}
		p[k] = c
		k++
		s.off++
	}
	return k, nil
}

// A 1 GB FTS stream is refused once 256 MB have passed, allocating less
// than refuseBound (before: 622 MB), and a 1 GB string is refused at its
// first MB.
func TestFTSRefusedInBoundedMemory(t *testing.T) {
	tests := []struct {
		name string
		r    io.Reader
		want string
	}{
		{"1 GB of flows", &flowStream{n: 1 << 30}, "f.json:"},
		{"1 GB string", io.MultiReader(strings.NewReader(`{"data":{"flows":[{"id":"`), &repeat{b: 'A', n: 1 << 30}),
			`f.json:1:json: a string longer than 1048576 bytes: "` + strings.Repeat("A", 80) + `"…`},
		{"1 GB flow", io.MultiReader(strings.NewReader("[\n{\"childFlowIds\":["), &repeat{b: ' ', n: 1 << 30}),
			"f.json:2:json: an array element (a flow) larger than 4 MB"},
		{"1 GB number", io.MultiReader(strings.NewReader("{\"data\":\n"), &repeat{b: '9', n: 1 << 30}),
			"f.json:2:json: a number or word longer than 1048576 bytes: \"" + strings.Repeat("9", 80) + "\"…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && tt.name == "1 GB of flows" {
				t.Skip("spools 256 MB")
			}
			var err error
			start := time.Now()
			allocs, peak := allocated(t, func() {
				var c Collect
				_, err = FTS(bg, tt.r, testOptions("f.json"), &c)
			})
			t.Logf("refused in %v, %d KiB allocated, live heap peak +%d KiB", time.Since(start), allocs>>10, peak>>10)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %.300v, want %q", err, tt.want)
			}
			if tt.name == "1 GB of flows" && !strings.Contains(err.Error(), "larger than 256 MB") {
				t.Errorf("err = %v, want larger than 256 MB", err)
			}
			if allocs > refuseBound {
				t.Errorf("refusing allocated %d MiB, want at most %d MiB", allocs>>20, refuseBound>>20)
			}
		})
	}
}

// The other limits, each at the place it names.
func TestContentLimits(t *testing.T) {
	// A quoted CSV field over many lines is one record: refused at 1 MiB,
	// at the record's first line, naming the field.
	field := io.MultiReader(strings.NewReader("source_ref,donor,category,amount,currency,announced\nA,\""), &repeat{b: '\n', n: 2 << 20})
	_, err := CSV(bg, field, "pledges", testOptions("q.csv"), &Collect{})
	if want := "q.csv:2:donor: the line is longer than 1048576 bytes: not a file of this format, or a broken one"; err == nil || err.Error() != want {
		t.Errorf("quoted field: %v\nwant %s", err, want)
	}
	// JSON nested 200 deep.
	_, err = FTS(bg, strings.NewReader("\n"+strings.Repeat("[", 200)), testOptions("d.json"), &Collect{})
	if want := "d.json:2:json: nested deeper than 100 arrays and objects"; err == nil || err.Error() != want {
		t.Errorf("deep JSON: %v\nwant %s", err, want)
	}
	// A name longer than any country is not looked up (nor measured
	// against every name), and quoted short.
	long := strings.Repeat("N", 5000)
	if _, err := NewNames(testCountries()).Resolve(long); err == nil || len(err.Error()) > 200 {
		t.Errorf("long name: %.300v", err)
	}
	// A workbook part other than a worksheet that unzips to more than
	// 64 MB (excelize would hold it in memory), and a 2 MiB tag.
	for _, tt := range []struct {
		part, want string
		body       io.Reader
	}{
		{"xl/styles.xml", "w.xlsx:xl/styles.xml!0:file: the part unzips to 65 MB: more than 64 MB", &repeat{b: ' ', n: 65 << 20}},
		{"xl/theme/theme1.xml", "w.xlsx:xl/theme/theme1.xml!0:xml: a tag is longer than 1048576 bytes: \"a" + strings.Repeat(" ", 79) + "\"…",
			io.MultiReader(strings.NewReader("<a"), &repeat{b: ' ', n: 2 << 20})},
	} {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create(tt.part)
		io.Copy(w, tt.body)
		zw.Close()
		_, err := KielXLSX(bg, &b, testOptions("w.xlsx"), &Collect{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %.300v\nwant %s", tt.part, err, tt.want)
		}
	}
}

// The streamed formats refuse a 1 GB line, quoted field or XML text at its
// first MiB, allocating less than 12 MiB (the reader's buffer grows to
// MaxLine by doubling).
func TestStreamedRefusedInBoundedMemory(t *testing.T) {
	const bound = refuseBound + 8*MaxLine
	gb := func(head string, b byte) io.Reader {
		return io.MultiReader(strings.NewReader(head), &repeat{b: b, n: 1 << 30})
	}
	tests := []struct {
		name string
		read func() error
		want string
	}{
		{"csv line", func() error {
			_, err := CSV(bg, gb("donor,category,amount,currency,announced\nNorway,", 'x'), "", testOptions("l.csv"), &Collect{})
			return err
		}, "l.csv:2:category: the line is longer than 1048576 bytes"},
		{"csv quoted field", func() error {
			_, err := CSV(bg, gb("donor,category,amount,currency,announced\n\"", '\n'), "", testOptions("q.csv"), &Collect{})
			return err
		}, "q.csv:2:donor: the line is longer than 1048576 bytes"},
		{"kiel csv", func() error {
			_, err := KielCSVTo(bg, gb(kielHeader+"Norway,NOR,2024,1,", '9'), testOptions("k.csv"), &Collect{})
			return err
		}, "k.csv:2:total: the line is longer than 1048576 bytes"},
		{"iati text", func() error {
			_, err := IATI(bg, gb("<iati-activities>\n<iati-activity><iati-identifier>", 'x'), testOptions("i.xml"), &Collect{})
			return err
		}, "i.xml:2:xml: a text or tag is longer than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			allocs, peak := allocated(t, func() { err = tt.read() })
			t.Logf("%d KiB allocated, live heap peak +%d KiB", allocs>>10, peak>>10)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %.300v, want %q", err, tt.want)
			}
			if allocs > bound {
				t.Errorf("refusing allocated %d KiB, want at most %d KiB", allocs>>10, bound>>10)
			}
		})
	}
}

// tagLimit's Read, which looks only at each piece's first and last '<' or
// '>' and counts lines with bytes.Count, reports what the byte-by-byte
// check reports, on random texts read in random pieces: the same counts,
// the same error at the same line, the same state after each piece.
func TestTagLimitMatchesByteByByte(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	alphabet := []byte("<>\naaaa")
	for round := range 20000 {
		max := 1 + rng.IntN(12)
		text := make([]byte, rng.IntN(80))
		for i := range text {
			text[i] = alphabet[rng.IntN(len(alphabet))]
		}
		src := &piecewise{b: text, rng: rng, max: 2 * max}
		fast := &tagLimit{r: src, max: max}
		ref := &tagLimit{max: max}
		buf := make([]byte, 64)
		for {
			n, err := fast.Read(buf)
			// The same piece, through the reference.
			rn, rerr := ref.check(src.last, len(src.last), nil)
			var le, rle *LongLineError
			errors.As(err, &le)
			errors.As(rerr, &rle)
			if (le == nil) != (rle == nil) || le != nil && *le != *rle || le != nil && n != rn {
				t.Fatalf("round %d, max %d, text %q: Read gave %d, %v; byte by byte %d, %v", round, max, text, n, err, rn, rerr)
			}
			if le != nil {
				break
			}
			if fast.line != ref.line || fast.run != ref.run || (fast.run > 0 && fast.runLine != ref.runLine) {
				t.Fatalf("round %d, max %d, text %q: state %+v, byte by byte %+v", round, max, text, *fast, *ref)
			}
			if err == io.EOF {
				break
			}
		}
	}
}

// piecewise reads b in pieces of random lengths up to max.
type piecewise struct {
	b, last []byte
	rng     *rand.Rand
	max     int
}

func (p *piecewise) Read(out []byte) (int, error) {
	if len(p.b) == 0 {
		p.last = nil
		return 0, io.EOF
	}
	n := min(1+p.rng.IntN(p.max), len(p.b), len(out))
	copy(out, p.b[:n])
	p.last = p.b[:n]
	p.b = p.b[n:]
	return n, nil
}
