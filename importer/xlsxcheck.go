package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits of a workbook, checked on what it contains before excelize reads
// it (excelize reads a worksheet row by row but every value whole, and
// holds the parts other than worksheets and the shared strings in memory).
const (
	// MaxXLSXFile is the largest workbook read, in bytes (Kiel's are ~20 MB).
	MaxXLSXFile = 256 << 20
	// MaxXLSXUnzipped is the most all parts of a workbook may unzip to.
	MaxXLSXUnzipped = 1 << 30
	// maxXLSXPart is the most a part other than a worksheet or the shared
	// strings may unzip to (excelize holds those in memory; a pivot cache
	// can be large).
	maxXLSXPart = 64 << 20
	// maxXLSXRow is the most XML one worksheet row may take.
	maxXLSXRow = 16 << 20
	// maxXLSXParts is the most parts (zip entries) a workbook may have.
	maxXLSXParts = 10000
)

// checkXLSX reads every part of the workbook once, as a stream, and stops
// at the first value over a limit: a cell or shared string longer than
// MaxCell characters, a row over 16 MB of XML, any other XML text or tag
// over MaxLine bytes, or a part unzipping to more than it may. Declared
// sizes are checked first; archive/zip refuses a part that unzips to more
// than it declares. Memory: one decompressor and a few hundred bytes of
// state, whatever the workbook holds.
func checkXLSX(zr *zip.Reader, file string) error {
	if len(zr.File) > maxXLSXParts {
		return &RowError{File: file, Field: "file", Err: fmt.Errorf("%d parts: more than %d, not a workbook of this kind", len(zr.File), maxXLSXParts)}
	}
	var total uint64
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		total += size
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		big := name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")
		switch {
		case total > MaxXLSXUnzipped:
			return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("the workbook unzips to more than %d MB", MaxXLSXUnzipped>>20)}
		case !big && size > maxXLSXPart:
			return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("the part unzips to %d MB: more than %d MB", size>>20, maxXLSXPart>>20)}
		}
	}
	names := sheetNames(zr)
	buf := make([]byte, 32<<10)
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") && !strings.HasSuffix(name, ".vml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}
		}
		part := zf.Name
		if n, ok := names[strings.ReplaceAll(zf.Name, "\\", "/")]; ok {
			part = n
		}
		s := &xlsxScan{file: file, part: part, sheet: strings.Contains(name, "worksheets/"), sst: strings.HasSuffix(name, "sharedstrings.xml")}
		for {
			n, err := rc.Read(buf)
			if serr := s.scan(buf[:n]); serr != nil {
				rc.Close()
				return serr
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}
			}
		}
		rc.Close()
	}
	return nil
}

// xlsxScan follows one XML part byte by byte: tags, text, and in a
// worksheet the current row and cell, in the shared strings the current
// string.
type xlsxScan struct {
	file, part string
	sheet, sst bool

	inTag  bool
	tag    []byte // the first bytes of the current tag (name and attributes)
	tagLen int
	text   int // bytes of the current text run

	inRow    bool
	row      int // the current row's number (its r attribute, else a count)
	rowBytes int

	inCell bool // in a <c> of a worksheet or an <si> of the shared strings
	ref    string
	si     int // shared strings: the current string's number (1-based)
	chars  int // characters of the current cell's text (an entity is one)
	entity bool
	prefix []byte // the start of the current cell's text, for the error
}

func (s *xlsxScan) scan(p []byte) error {
	for _, c := range p {
		if s.inRow {
			s.rowBytes++
			if s.rowBytes > maxXLSXRow {
				return s.err(fmt.Errorf("the row is longer than %d MB of XML", maxXLSXRow>>20))
			}
		}
		if s.inTag {
			if c == '>' {
				s.inTag = false
				s.endTag()
				continue
			}
			s.tagLen++
			if s.tagLen > MaxLine {
				return s.err(fmt.Errorf("a tag is longer than %d bytes: %s", MaxLine, quote(string(s.tag))))
			}
			if len(s.tag) < 256 {
				s.tag = append(s.tag, c)
			}
			continue
		}
		if c == '<' {
			s.inTag, s.tag, s.tagLen, s.text = true, s.tag[:0], 0, 0
			continue
		}
		s.text++
		if !s.inCell {
			if s.text > MaxLine {
				return s.err(fmt.Errorf("a text is longer than %d bytes", MaxLine))
			}
			continue
		}
		if len(s.prefix) < 4*QuoteMax+8 {
			s.prefix = append(s.prefix, c)
		}
		switch {
		case s.entity:
			s.entity = c != ';'
			continue
		case c == '&':
			s.entity = true
		case c&0xC0 == 0x80:
			continue // a UTF-8 continuation byte
		}
		s.chars++
		if s.chars > MaxCell {
			what := "the cell"
			if s.sst {
				what = "shared string " + strconv.Itoa(s.si)
			}
			return s.err(fmt.Errorf("%s is longer than %d characters (Excel's limit): %s", what, MaxCell, quote(string(s.prefix))))
		}
	}
	return nil
}

// endTag acts on the tag just read (in s.tag).
func (s *xlsxScan) endTag() {
	t := s.tag
	if len(t) == 0 || t[0] == '?' || t[0] == '!' {
		return
	}
	closing := t[0] == '/'
	if closing {
		t = t[1:]
	}
	selfClosing := bytes.HasSuffix(t, []byte("/"))
	name := t
	if i := bytes.IndexAny(name, " \t\r\n/"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	switch string(name) {
	case "row":
		if !s.sheet {
			return
		}
		if closing {
			s.inRow = false
			return
		}
		s.row++
		if r, err := strconv.Atoi(attrR(t)); err == nil {
			s.row = r
		}
		s.inRow, s.rowBytes = !selfClosing, 0
	case "c":
		if !s.sheet {
			return
		}
		if closing {
			s.inCell = false
			return
		}
		s.inCell, s.ref, s.chars, s.entity, s.prefix = !selfClosing, attrR(t), 0, false, s.prefix[:0]
	case "si":
		if !s.sst {
			return
		}
		if closing {
			s.inCell = false
			return
		}
		s.si++
		s.inCell, s.ref, s.chars, s.entity, s.prefix = !selfClosing, "", 0, false, s.prefix[:0]
	}
}

// attrR returns the r attribute of a tag (a row number, a cell reference).
func attrR(t []byte) string {
	for i := 0; i+3 < len(t); i++ {
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') && t[i+1] == 'r' && t[i+2] == '=' && (t[i+3] == '"' || t[i+3] == '\'') {
			v := t[i+4:]
			if j := bytes.IndexByte(v, t[i+3]); j >= 0 {
				return string(v[:j])
			}
		}
	}
	return ""
}

// err places a limit error: part, row and cell of a worksheet, the string
// of the shared strings, else the part.
func (s *xlsxScan) err(e error) error {
	switch {
	case s.sst && s.si > 0:
		return &RowError{File: s.file, Sheet: s.part, Row: s.si, Field: "si", Err: e}
	case s.sheet && s.inCell:
		return &RowError{File: s.file, Sheet: s.part, Row: s.row, Field: s.ref, Err: e}
	case s.sheet && s.row > 0:
		return &RowError{File: s.file, Sheet: s.part, Row: s.row, Field: "row", Err: e}
	}
	return &RowError{File: s.file, Sheet: s.part, Field: "xml", Err: e}
}

// sheetNames maps worksheet parts (xl/worksheets/sheet1.xml) to the
// names of their sheets, from xl/workbook.xml and its relationships; a
// part it cannot name keeps its part name in errors. Tags over 4 KiB end
// the reading (tagLimit), so this costs little whatever the parts hold.
func sheetNames(zr *zip.Reader) map[string]string {
	attrs := func(part, elem string) []map[string]string {
		var out []map[string]string
		for _, zf := range zr.File {
			if !strings.EqualFold(zf.Name, part) {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				return nil
			}
			defer rc.Close()
			d := xml.NewDecoder(&tagLimit{r: rc, max: 4096})
			for {
				tok, err := d.RawToken()
				if err != nil {
					return out
				}
				if se, ok := tok.(xml.StartElement); ok && se.Name.Local == elem {
					m := map[string]string{}
					for _, a := range se.Attr {
						m[a.Name.Local] = a.Value
					}
					out = append(out, m)
				}
			}
		}
		return nil
	}
	target := map[string]string{}
	for _, r := range attrs("xl/_rels/workbook.xml.rels", "Relationship") {
		t := r["Target"]
		if strings.HasPrefix(t, "/") {
			t = t[1:]
		} else {
			t = "xl/" + t
		}
		target[r["Id"]] = t
	}
	names := map[string]string{}
	for _, sh := range attrs("xl/workbook.xml", "sheet") {
		if t, ok := target[sh["id"]]; ok {
			names[t] = sh["name"]
		}
	}
	return names
}
