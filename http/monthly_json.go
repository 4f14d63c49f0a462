package http

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"coalition"
)

// jsonAppender is a value that writes its own compact JSON, byte for byte
// what encoding/json writes for it, without reflection: cachedJSON uses it
// for answers large enough that encoding them is a part of a first call
// worth saving (/api/v1/donors/monthly: ~13,000 rows at 1M pledges).
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
	sizeHint() int // about the bytes it writes, to allocate them once
}

// donorMonths is the answer of /api/v1/donors/monthly.
type donorMonths []coalition.DonorMonth

// sizeHint: a row is ~70 bytes ({"iso3":"DEU","month":"2024-03","type":"military","eur":123456789.01}).
func (rows donorMonths) sizeHint() int { return 2 + 80*len(rows) }

func (rows donorMonths) appendJSON(b []byte) ([]byte, error) {
	if rows == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i, d := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"iso3":`...)
		b = appendJSONString(b, d.ISO3)
		b = append(b, `,"month":`...)
		m, err := d.Month.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, m...)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, string(d.Type))
		b = append(b, `,"eur":`...)
		if b, err = appendJSONFloat(b, d.EUR); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendJSONString appends s quoted as encoding/json does (HTML escaped):
// plain ASCII as it is, anything else through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest text that reads back as f, in exponent form below 1e-6 and from
// 1e21, with a one-digit negative exponent written without its zero.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
