package refdata

import (
	"strconv"
	"time"

	"coalition"
)

// ProcurementFile is Kiel's split of military aid to Ukraine by how it was
// sourced (all donors together, EUR bn a month).
const ProcurementFile = "kiel/procurement_trends.csv"

// ProcurementSource cites ProcurementFile.
const ProcurementSource = "Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29 (data to 04/2026), procurement_trends.csv"

// ProcurementMonth is one month of military aid to Ukraine by source, in
// EUR: from donors' stocks, bought from industry, not specified, and
// bought from the United States through NATO's PURL.
type ProcurementMonth struct {
	Month        coalition.Month `json:"month"`
	StockpileEUR float64         `json:"stockpile_eur"`
	ProcureEUR   float64         `json:"procurement_eur"`
	UnknownEUR   float64         `json:"unspecified_eur"`
	PURLEUR      float64         `json:"nato_purl_eur"`
}

// Total is the month's military aid of all four sources.
func (p ProcurementMonth) Total() float64 {
	return p.StockpileEUR + p.ProcureEUR + p.UnknownEUR + p.PURLEUR
}

// Procurement reads ProcurementFile, naming the line and field of any bad
// value.
func Procurement() ([]ProcurementMonth, error) {
	t, err := readTable(ProcurementFile)
	if err != nil {
		return nil, err
	}
	out := make([]ProcurementMonth, 0, len(t.rows))
	for i, row := range t.rows {
		y, err1 := strconv.Atoi(row["year"])
		m, err2 := strconv.Atoi(row["month"])
		if err1 != nil || err2 != nil || m < 1 || m > 12 {
			return nil, t.errorf(i, "month", "%q-%q is not a month", row["year"], row["month"])
		}
		p := ProcurementMonth{Month: coalition.MonthOf(y, time.Month(m))}
		for _, f := range []struct {
			col string
			dst *float64
		}{{"stockpile", &p.StockpileEUR}, {"procurement", &p.ProcureEUR}, {"unspecified", &p.UnknownEUR}, {"nato_purl", &p.PURLEUR}} {
			v, err := strconv.ParseFloat(row[f.col], 64)
			if err != nil || v < 0 {
				return nil, t.errorf(i, f.col, "%q is not an amount in EUR bn", row[f.col])
			}
			*f.dst = v * 1e9
		}
		out = append(out, p)
	}
	return out, nil
}

// ProcurementYear is a year of ProcurementMonth, with each source's share
// of the year's military aid.
type ProcurementYear struct {
	Year         int     `json:"year"`
	Months       int     `json:"months"` // months of data in the year
	StockpileEUR float64 `json:"stockpile_eur"`
	ProcureEUR   float64 `json:"procurement_eur"`
	UnknownEUR   float64 `json:"unspecified_eur"`
	PURLEUR      float64 `json:"nato_purl_eur"`
	TotalEUR     float64 `json:"total_eur"`
	// Shares of the total: from stocks, procured (industry and PURL
	// together), through PURL alone.
	StockpileShare float64 `json:"stockpile_share"`
	ProcuredShare  float64 `json:"procured_share"`
	PURLShare      float64 `json:"nato_purl_share"`
}

// ProcurementByYear sums the months per year, in order.
func ProcurementByYear(ms []ProcurementMonth) []ProcurementYear {
	var out []ProcurementYear
	for _, m := range ms {
		y := m.Month.Year()
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, ProcurementYear{Year: y})
		}
		p := &out[len(out)-1]
		p.Months++
		p.StockpileEUR += m.StockpileEUR
		p.ProcureEUR += m.ProcureEUR
		p.UnknownEUR += m.UnknownEUR
		p.PURLEUR += m.PURLEUR
		p.TotalEUR += m.Total()
	}
	for i := range out {
		if p := &out[i]; p.TotalEUR > 0 {
			p.StockpileShare, p.ProcuredShare, p.PURLShare = p.StockpileEUR/p.TotalEUR, (p.ProcureEUR+p.PURLEUR)/p.TotalEUR, p.PURLEUR/p.TotalEUR
		}
	}
	return out
}
