package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"coalition"
)

// MaxLine is the longest line a text importer accepts (CSV, JSON lines are
// not limited: JSON is read token by token).
const MaxLine = 1 << 20

// errLongLine is returned by lineLimit.
var errLongLine = errors.New("line too long")

// lineLimit passes bytes through and fails as soon as a line exceeds max
// bytes, so a file with a 2 GB line costs at most max bytes of memory.
type lineLimit struct {
	r    *bufio.Reader
	max  int
	cur  int // bytes in the current line so far
	line int // 1-based line number of the current line
}

func newLineLimit(r io.Reader, max int) *lineLimit {
	return &lineLimit{r: bufio.NewReaderSize(r, 64<<10), max: max, line: 1}
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.cur = 0
			l.line++
			continue
		}
		l.cur++
		if l.cur > l.max {
			return i, &LongLineError{Line: l.line, Max: l.max}
		}
	}
	return n, err
}

// LongLineError reports a line longer than the importer accepts.
type LongLineError struct{ Line, Max int }

func (e *LongLineError) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes: not a file of this format, or a broken one", e.Line, e.Max)
}

func (e *LongLineError) Unwrap() error {
	return &coalition.Error{Kind: coalition.Invalid, Message: "line too long"}
}
