package coalition_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"coalition"
)

// TestMonthAndDateText checks the hand-written formatting against fmt's
// %04d-%02d over every month of a few years, short and long (year 0 January is the zero Month).
func TestMonthAndDateText(t *testing.T) {
	for _, y := range []int{1, 7, 99, 999, 1900, 2025, 2200, 12345} {
		for m := time.January; m <= time.December; m++ {
			month := coalition.MonthOf(y, m)
			want := fmt.Sprintf("%04d-%02d", y, int(m))
			if got := month.String(); got != want {
				t.Errorf("MonthOf(%d, %d).String() = %q, want %q", y, m, got, want)
			}
			if got, _ := json.Marshal(month); string(got) != `"`+want+`"` {
				t.Errorf("json.Marshal(%v) = %s, want %q", want, got, want)
			}
			d := coalition.Date{Y: y, M: m, D: 9}
			wantDate := fmt.Sprintf("%04d-%02d-%02d", y, int(m), 9)
			if got := d.String(); got != wantDate {
				t.Errorf("Date.String() = %q, want %q", got, wantDate)
			}
			if got, _ := json.Marshal(d); string(got) != `"`+wantDate+`"` {
				t.Errorf("json.Marshal(%v) = %s, want %q", wantDate, got, wantDate)
			}
		}
	}
	if got, _ := json.Marshal(coalition.Month(0)); string(got) != "null" {
		t.Errorf("zero Month = %s, want null", got)
	}
	if got, _ := json.Marshal(coalition.Date{}); string(got) != "null" {
		t.Errorf("zero Date = %s, want null", got)
	}
}

// TestDateCompareIsTimes: Before and After, which compare fields, say
// what comparing the dates' times says, for real dates and impossible
// ones alike.
func TestDateCompareIsTimes(t *testing.T) {
	var ds []coalition.Date
	for _, y := range []int{-1, 0, 1, 1899, 1900, 1990, 2000, 2023, 2024, 2100, 2400, 999_999, 1_000_001} {
		for m := -1; m <= 14; m++ {
			for _, d := range []int{-1, 0, 1, 2, 15, 27, 28, 29, 30, 31, 32, 60} {
				ds = append(ds, coalition.Date{Y: y, M: time.Month(m), D: d})
			}
		}
	}
	for _, a := range ds {
		for _, b := range ds {
			if got, want := a.Before(b), a.Time().Before(b.Time()); got != want {
				t.Fatalf("%+v.Before(%+v) = %v, want %v", a, b, got, want)
			}
			if got, want := a.After(b), a.Time().After(b.Time()); got != want {
				t.Fatalf("%+v.After(%+v) = %v, want %v", a, b, got, want)
			}
		}
	}
}
