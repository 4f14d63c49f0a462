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
	if err := checkXLSXSizes(zr, file); err != nil {
		return err
	}
	names := sheetNames(zr)
	buf := make([]byte, 32<<10)
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") && !strings.HasSuffix(name, ".vml") {
			continue
		}
		if err := checkXLSXPart(zf, file, names, buf); err != nil {
			return err
		}
	}
	return nil
}

// checkXLSXSizes checks the sizes the zip declares, before anything is
// unzipped, so that a zip bomb costs nothing.
func checkXLSXSizes(zr *zip.Reader, file string) error {
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
	return nil
}

// checkXLSXPart streams one XML part through an xlsxScan; errors name the
// sheet a worksheet part holds, as the user knows sheets, not parts.
func checkXLSXPart(zf *zip.File, file string, names map[string]string, buf []byte) error {
	rc, err := zf.Open()
	if err != nil {
		return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}
	}
	defer rc.Close()
	part := zf.Name
	if n, ok := names[strings.ReplaceAll(zf.Name, "\\", "/")]; ok {
		part = n
	}
	name := strings.ToLower(zf.Name)
	s := &xlsxScan{file: file, part: part, sheet: strings.Contains(name, "worksheets/"), sst: strings.HasSuffix(name, "sharedstrings.xml")}
	for {
		n, err := rc.Read(buf)
		if serr := s.scan(buf[:n]); serr != nil {
			return serr
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &RowError{File: file, Sheet: zf.Name, Field: "file", Err: fmt.Errorf("not an XLSX workbook: %v", err)}
		}
	}
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
		var err error
		switch {
		case s.inTag:
			err = s.tagByte(c)
		case c == '<':
			s.inTag, s.tag, s.tagLen, s.text = true, s.tag[:0], 0, 0
		case s.inCell:
			s.text++
			err = s.cellByte(c)
		default:
			s.text++
			if s.text > MaxLine {
				err = s.err(fmt.Errorf("a text is longer than %d bytes", MaxLine))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tagByte follows one byte of a tag, acting on the tag at its end; only
// the first 256 bytes are kept, enough for a name and an r attribute.
func (s *xlsxScan) tagByte(c byte) error {
	if c == '>' {
		s.inTag = false
		s.endTag()
		return nil
	}
	s.tagLen++
	if s.tagLen > MaxLine {
		return s.err(fmt.Errorf("a tag is longer than %d bytes: %s", MaxLine, quote(string(s.tag))))
	}
	if len(s.tag) < 256 {
		s.tag = append(s.tag, c)
	}
	return nil
}

// cellByte counts one byte of a cell's text in characters as Excel does
// (an entity or a UTF-8 sequence is one), failing past MaxCell.
func (s *xlsxScan) cellByte(c byte) error {
	if len(s.prefix) < 4*QuoteMax+8 {
		s.prefix = append(s.prefix, c)
	}
	switch {
	case s.entity:
		s.entity = c != ';'
		return nil
	case c == '&':
		s.entity = true
	case c&0xC0 == 0x80:
		return nil // a UTF-8 continuation byte
	}
	s.chars++
	if s.chars <= MaxCell {
		return nil
	}
	what := "the cell"
	if s.sst {
		what = "shared string " + strconv.Itoa(s.si)
	}
	return s.err(fmt.Errorf("%s is longer than %d characters (Excel's limit): %s", what, MaxCell, quote(string(s.prefix))))
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
	switch tagName(t) {
	case "row":
		if s.sheet {
			s.rowTag(t, closing, selfClosing)
		}
	case "c":
		if s.sheet {
			s.cellTag(attrR(t), closing, selfClosing)
		}
	case "si":
		if s.sst {
			if !closing {
				s.si++
			}
			s.cellTag("", closing, selfClosing)
		}
	}
}

// tagName is the local name of a tag (its namespace prefix dropped).
func tagName(t []byte) string {
	name := t
	if i := bytes.IndexAny(name, " \t\r\n/"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name)
}

// rowTag enters or leaves a worksheet row, numbered by its r attribute
// (else by count), so that errors name the row Excel shows.
func (s *xlsxScan) rowTag(t []byte, closing, selfClosing bool) {
	if closing {
		s.inRow = false
		return
	}
	s.row++
	if r, err := strconv.Atoi(attrR(t)); err == nil {
		s.row = r
	}
	s.inRow, s.rowBytes = !selfClosing, 0
}

// cellTag enters or leaves a cell (or a shared string), whose text is
// counted from zero.
func (s *xlsxScan) cellTag(ref string, closing, selfClosing bool) {
	if closing {
		s.inCell = false
		return
	}
	s.inCell, s.ref, s.chars, s.entity, s.prefix = !selfClosing, ref, 0, false, s.prefix[:0]
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
	target := map[string]string{}
	for _, r := range xmlAttrs(zr, "xl/_rels/workbook.xml.rels", "Relationship") {
		t := r["Target"]
		if strings.HasPrefix(t, "/") {
			t = t[1:]
		} else {
			t = "xl/" + t
		}
		target[r["Id"]] = t
	}
	names := map[string]string{}
	for _, sh := range xmlAttrs(zr, "xl/workbook.xml", "sheet") {
		if t, ok := target[sh["id"]]; ok {
			names[t] = sh["name"]
		}
	}
	return names
}

// xmlAttrs returns the attributes of every elem in the first part named
// part, read until the first error: the names are a courtesy in errors,
// so a broken part yields what was read.
func xmlAttrs(zr *zip.Reader, part, elem string) []map[string]string {
	for _, zf := range zr.File {
		if strings.EqualFold(zf.Name, part) {
			return xmlPartAttrs(zf, elem)
		}
	}
	return nil
}

// xmlPartAttrs reads the attributes of every elem of one part.
func xmlPartAttrs(zf *zip.File, elem string) []map[string]string {
	rc, err := zf.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	var out []map[string]string
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
