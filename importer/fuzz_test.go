package importer

import (
	"bytes"
	"errors"
	"testing"

	"coalition"
)

// The fuzz targets check that no input panics or hangs a parser, that
// every failure is Invalid input with a place (FILE:…), and that whatever
// a parser accepts is a valid record. Seeds: testdata/fuzz/<Target>/.

func checkFuzz(t *testing.T, c *Collect, err error) {
	if err != nil {
		if coalition.ErrorKind(err) != coalition.Invalid {
			t.Fatalf("error of kind %s (want invalid): %v", coalition.ErrorKind(err), err)
		}
		var re *RowError
		if es, ok := AsErrors(err); ok && len(es) == 0 || !ok && !errors.As(err, &re) && !errors.As(err, new(*coalition.Error)) {
			t.Fatalf("error without a place: %v", err)
		}
		return
	}
	for _, p := range c.Pledges {
		if verr := p.Validate(); verr != nil {
			t.Fatalf("accepted an invalid pledge %+v: %v", p, verr)
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("source_ref,donor,category,amount,currency,announced\nA,Norway,military,5,EUR,2024-01-01\n"))
	f.Add([]byte("donor,category,amount,currency,announced\n\"Nor\"\"way\",military,1e3,NOK,2024-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Collect
		_, err := CSV(bg, bytes.NewReader(data), "", testOptions("f.csv"), &c)
		checkFuzz(t, &c, err)
	})
}

func FuzzKielCSV(f *testing.F) {
	f.Add([]byte("country,iso,year,month,total,financial,humanitarian,military\nNorway,NOR,2024,1,1,0.5,0.25,0.25\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Collect
		_, err := KielCSVTo(bg, bytes.NewReader(data), testOptions("k.csv"), &c)
		checkFuzz(t, &c, err)
	})
}

func FuzzIATI(f *testing.F) {
	f.Add([]byte(`<iati-activities><iati-activity default-currency="EUR"><iati-identifier>X</iati-identifier><reporting-org ref="GB-GOV-1"/><recipient-country code="UA"/><transaction><transaction-type code="2"/><transaction-date iso-date="2024-01-01"/><value>5</value></transaction></iati-activity></iati-activities>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Collect
		_, err := IATI(bg, bytes.NewReader(data), testOptions("f.xml"), &c)
		checkFuzz(t, &c, err)
	})
}

func FuzzFTS(f *testing.F) {
	f.Add([]byte(`{"data":{"flows":[{"id":1,"status":"paid","originalAmount":5,"originalCurrency":"EUR","date":"2024-01-01","sourceObjects":[{"type":"Organization","name":"Norway, Government of"}],"destinationObjects":[{"type":"Location","name":"Ukraine"}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Collect
		_, err := FTS(bg, bytes.NewReader(data), testOptions("f.json"), &c)
		checkFuzz(t, &c, err)
	})
}

func FuzzKielXLSX(f *testing.F) {
	f.Add(kielWorkbook(f, kielMain[:3], nil))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Collect
		_, err := KielXLSX(bg, bytes.NewReader(data), testOptions("f.xlsx"), &c)
		checkFuzz(t, &c, err)
	})
}
