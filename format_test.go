package coalition

import "testing"

func TestFormatEUR(t *testing.T) {
	cases := []struct {
		v    float64
		dec  int
		want string
	}{
		{358.4e9, 1, "€358.4 bn"},
		{115.381e9, 2, "€115.38 bn"},
		{-985e6, 1, "-€985.0 m"},
		{350e6, 1, "€350.0 m"},
		{12_400, 1, "€12 k"},
		{950, 1, "€950"},
		{-0.2, 1, "€0"},
		{0, 1, "€0"},
		{27_361e9, 0, "€27,361 bn"},
		{1_234_567e6, 1, "€1,234.6 bn"},
		{-1_234_500e3, 1, "-€1.2 bn"},
		{12_345_600, 1, "€12.3 m"},
	}
	for _, c := range cases {
		if got := FormatEUR(c.v, c.dec); got != c.want {
			t.Errorf("FormatEUR(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{
		{0, 0, "0"}, {999, 0, "999"}, {1000, 0, "1,000"}, {27361.4, 0, "27,361"}, {1234567.891, 2, "1,234,567.89"},
		{-1854, 0, "-1,854"}, {-0.001, 1, "0.0"}, {100000, 0, "100,000"},
	} {
		if got := FormatNumber(c.v, c.dec); got != c.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	if got, want := FormatAmount("$", 27_361e9, 0), "$27,361 bn"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
