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
	}
	for _, c := range cases {
		if got := FormatEUR(c.v, c.dec); got != c.want {
			t.Errorf("FormatEUR(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}
