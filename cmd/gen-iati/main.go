// Command gen-iati writes a synthetic IATI 2.03 activity file for the
// import scale benchmark (scripts/iati-scale): N transactions spread over
// activities of donor governments to Ukraine, in EUR, USD and GBP with
// value dates from 2022 to 2025. The output is deterministic.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("transactions", 1_000_000, "number of transactions")
	per := flag.Int("per-activity", 10, "transactions per activity")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen-iati:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = bufio.NewWriterSize(f, 1<<20)
	}
	if err := generate(w, *n, *per); err != nil {
		fmt.Fprintln(os.Stderr, "gen-iati:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen-iati:", err)
		os.Exit(1)
	}
}

// donors are IATI organisation refs of governments in the reference data.
var donors = []string{"GB-GOV-1", "XM-DAC-5", "XM-DAC-8", "US-GOV-1", "XM-DAC-4", "XM-DAC-7", "XM-DAC-3", "XM-DAC-10"}

var types = []string{"12", "2", "3", "3", "3"}

var currencies = []string{"EUR", "USD", "GBP", "EUR"}

func generate(w *bufio.Writer, n, per int) error {
	if per < 1 {
		per = 1
	}
	fmt.Fprintln(w, `<?xml version="1.0" encoding="UTF-8"?>`)
	fmt.Fprintln(w, `<iati-activities version="2.03" generated-datetime="2025-06-30T12:00:00Z">`)
	for a := 0; a*per < n; a++ {
		donor := donors[a%len(donors)]
		fmt.Fprintf(w, `  <iati-activity default-currency="EUR" humanitarian="%d">
    <iati-identifier>%s-SYN-%07d</iati-identifier>
    <reporting-org ref="%s" type="10"><narrative>Synthetic donor %s</narrative></reporting-org>
    <title><narrative>Synthetic activity %d</narrative></title>
    <activity-date type="1" iso-date="2022-03-01"/>
    <activity-date type="3" iso-date="2026-12-31"/>
    <recipient-country code="UA" percentage="100"/>
    <sector vocabulary="1" code="%s" percentage="100"/>
`, a%2, donor, a, donor, donor, a, []string{"23630", "72010", "51010", "15210"}[a%4])
		for t := 0; t < per && a*per+t < n; t++ {
			i := a*per + t
			month := i % 44 // 2022-01 … 2025-08
			y, m := 2022+month/12, month%12+1
			day := i%28 + 1
			cur := currencies[i%len(currencies)]
			fmt.Fprintf(w, `    <transaction ref="T-%d">
      <transaction-type code="%s"/>
      <transaction-date iso-date="%04d-%02d-%02d"/>
      <value currency="%s" value-date="%04d-%02d-%02d">%d.%02d</value>
      <receiver-org ref="XM-DAC-41114" receiver-activity-id="XM-DAC-41114-UKR-%d" type="40"><narrative>UNDP</narrative></receiver-org>
    </transaction>
`, t, types[i%len(types)], y, m, day, cur, y, m, day, 10_000+(i*7919)%5_000_000, i%100, a)
		}
		fmt.Fprintln(w, `  </iati-activity>`)
	}
	fmt.Fprintln(w, `</iati-activities>`)
	return nil
}
