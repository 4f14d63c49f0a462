// Command bareparse is the reference of the IATI scale benchmark: a bare
// encoding/xml pass (RawToken, as the importer uses) over a file, counting
// elements and transactions, doing nothing else.
package main

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareparse:", err)
		os.Exit(1)
	}
	defer f.Close()
	start := time.Now()
	d := xml.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	elems, txs := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bareparse:", err)
			os.Exit(1)
		}
		if s, ok := tok.(xml.StartElement); ok {
			elems++
			if s.Name.Local == "transaction" {
				txs++
			}
		}
	}
	fmt.Printf("elements=%d transactions=%d seconds=%.2f\n", elems, txs, time.Since(start).Seconds())
}
