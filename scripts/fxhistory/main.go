// Command fxhistory computes the ECB's monthly average euro reference
// rates of 1999-01 to 2021-12 from the ECB's daily history
// (eurofxref-hist.csv, the ECB's wide layout) for the currencies of
// refdata's fx_eur_monthly.csv, the way that file was made: the arithmetic
// mean of the daily rates published in the month, rounded half to even
// to two more decimals than the month's daily quotes. A currency quoted on
// only some of a month's ECB days has no rate that month. It writes
// data/fx_eur_monthly_1999_2021.csv (month, then one column per currency;
// empty: no rate), which the domain package embeds (fxhistory.go).
//
//	go run ./scripts/fxhistory eurofxref-hist.csv > data/fx_eur_monthly_1999_2021.csv
package main

import (
	"encoding/csv"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
)

var currencies = strings.Fields("USD GBP JPY CAD AUD NZD NOK SEK DKK CHF PLN CZK HUF RON BGN KRW TRY ISK CNY INR")

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: fxhistory eurofxref-hist.csv")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "fxhistory:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	days := map[string]int{}
	quotes := map[[2]string][]string{}
	for _, row := range rows[1:] {
		if len(row) == 0 || len(row[0]) < 7 {
			continue
		}
		m := row[0][:7]
		if m < "1999-01" || m > "2021-12" {
			continue
		}
		days[m]++
		for _, c := range currencies {
			i, ok := col[c]
			if !ok {
				return fmt.Errorf("no %s column", c)
			}
			if v := row[i]; v != "" && v != "N/A" {
				quotes[[2]string{m, c}] = append(quotes[[2]string{m, c}], v)
			}
		}
	}
	var months []string
	for m := range days {
		months = append(months, m)
	}
	slices.Sort(months)
	fmt.Println("month," + strings.Join(currencies, ","))
	for _, m := range months {
		cells := []string{m}
		for _, c := range currencies {
			q := quotes[[2]string{m, c}]
			if len(q) != days[m] {
				cells = append(cells, "") // none, or only some of the month's days
				continue
			}
			v, err := mean(q)
			if err != nil {
				return fmt.Errorf("%s %s: %w", m, c, err)
			}
			cells = append(cells, v)
		}
		fmt.Println(strings.Join(cells, ","))
	}
	return nil
}

// mean is the exact mean of the quotes, rounded half to even to two more
// decimals than the longest quote.
func mean(quotes []string) (string, error) {
	sum, dec := new(big.Rat), 0
	for _, q := range quotes {
		v, ok := new(big.Rat).SetString(q)
		if !ok {
			return "", fmt.Errorf("%q is not a rate", q)
		}
		sum.Add(sum, v)
		if i := strings.IndexByte(q, '.'); i >= 0 {
			dec = max(dec, len(q)-i-1)
		}
	}
	sum.Quo(sum, new(big.Rat).SetInt64(int64(len(quotes))))
	dec += 2
	// Round half to even at dec decimals.
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec)), nil)
	x := new(big.Rat).Mul(sum, new(big.Rat).SetInt(scale))
	n, rem := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	twice := new(big.Int).Mul(rem, big.NewInt(2))
	if c := twice.Cmp(x.Denom()); c > 0 || c == 0 && n.Bit(0) == 1 {
		n.Add(n, big.NewInt(1))
	}
	s := n.String()
	for len(s) <= dec {
		s = "0" + s
	}
	return s[:len(s)-dec] + "." + s[len(s)-dec:], nil
}
