package analysis

import (
	"math"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
)

func fp(v float64) *float64 { return &v }

func capNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestCapabilityGapByHand: a small case worked on paper. The United States
// withdraws. Deliveries are dated 24 Feb 2026, four years (1,461 days =
// 4 × 365.25) after 24 Feb 2022, so a pace is the units delivered / 4.
//
// Air defence. Pledged: USA 3 Patriot (€3,000) and 12 NASAMS (€1,200),
// Germany 10 IRIS-T SLM (8 delivered, €1,000), France 2 SAMP/T (€800).
// Total 27 units and €6,000; lost 15 units and €4,200: withdrawn share by
// value 4,200/6,000 = 0.7, by units 15/27. Only the US supplied NASAMS and
// Patriot.
//   - medium-range role (IRIS-T SLM, NASAMS): 12 lost; Germany delivered
//     8, 2 a year. Made by DEU, NOR and USA; outside the US, Diehl's latest
//     output is 10 a year (the 2025 statement replaces the 2024 one of 4)
//     and Norway publishes none: capacity at least 10 (incomplete), gap
//     12 − 10 = 2; target 12.
//   - long-range role (Patriot, SAMP/T): 3 lost; France delivered 2, 0.5 a
//     year. FRA and ITA make SAMP/T but publish no figure: unassessed.
//   - category: capacity 10, target 12, gap 2, unassessed 3, others
//     delivered 10 at 2.5 a year.
//
// Artillery. Pledged: USA 40 HIMARS (€4,000) and 100 M777 (€2,000), France
// 30 Caesar (24 delivered, €600), the UK 20 M777 (no value, no date: counted
// to the as-of day). Total 190 units, €6,600; lost 140 and €6,000: share
// 6,000/6,600. Only the US supplied HIMARS.
//   - 155 mm howitzer (Caesar, M777): 100 lost; France 24 + UK 20 = 44
//     delivered, 6 + 5 = 11 a year. Made by FRA, GBR, USA; KNDS's 72 a
//     year, the UK without a figure: capacity at least 72, gap 28.
//   - rocket launcher (HIMARS): 40 lost; only the US makes it (Lockheed's
//     60 a year is withdrawn with it): capacity 0, complete, gap 40.
//   - category: capacity 72, gap 28 + 40 = 68, unassessed 0.
func TestCapabilityGapByHand(t *testing.T) {
	by := coalition.Date{Y: 2026, M: 2, D: 24}
	in := CapabilityGapInput{
		Withdraw: []string{"USA"},
		Since:    coalition.Date{Y: 2022, M: 2, D: 24},
		AsOf:     by,
		Systems: []CapabilitySystem{
			{Name: "Patriot", Role: "long-range-air-defence", Producers: []string{"USA"}},
			{Name: "SAMP/T", Role: "long-range-air-defence", Producers: []string{"FRA", "ITA"}},
			{Name: "IRIS-T SLM", Role: "medium-range-air-defence", Producers: []string{"DEU"}},
			{Name: "NASAMS", Role: "medium-range-air-defence", Producers: []string{"NOR", "USA"}},
			{Name: "HIMARS", Role: "rocket-launcher", Producers: []string{"USA"}},
			{Name: "Caesar", Role: "155-mm-howitzer", Producers: []string{"FRA"}},
			{Name: "M777", Role: "155-mm-howitzer", Producers: []string{"GBR", "USA"}},
		},
		Capacity: []CapabilityCapacity{
			{Role: "medium-range-air-defence", System: "IRIS-T SLM", Producer: "Diehl Defence", Countries: []string{"DEU"}, UnitsPerYear: 4, AsOf: coalition.Date{Y: 2024, M: 1, D: 1}, Source: "s1"},
			{Role: "medium-range-air-defence", System: "IRIS-T SLM", Producer: "Diehl Defence", Countries: []string{"DEU"}, UnitsPerYear: 10, AsOf: coalition.Date{Y: 2025, M: 1, D: 1}, Source: "s2"},
			{Role: "medium-range-air-defence", System: "IRIS-T SLM", Producer: "Diehl Defence", Countries: []string{"DEU"}, UnitsPerYear: 12, Target: true, AsOf: coalition.Date{Y: 2025, M: 1, D: 1}, Source: "s3"},
			{Role: "155-mm-howitzer", System: "Caesar", Producer: "KNDS France", Countries: []string{"FRA"}, UnitsPerYear: 72, AsOf: coalition.Date{Y: 2025, M: 4, D: 2}, Source: "s4"},
			{Role: "rocket-launcher", System: "HIMARS", Producer: "Lockheed Martin", Countries: []string{"USA"}, UnitsPerYear: 60, AsOf: coalition.Date{Y: 2023, M: 2, D: 28}, Source: "s5"},
		},
		Holdings: []CapabilityHolding{
			{Donor: "USA", System: "Patriot", Category: "air-defence", Pledged: 3, Delivered: 3, ValueEUR: fp(3000), DeliveredBy: by},
			{Donor: "USA", System: "NASAMS", Category: "air-defence", Pledged: 12, Delivered: 10, ValueEUR: fp(1200), DeliveredBy: by},
			{Donor: "DEU", System: "IRIS-T SLM", Category: "air-defence", Pledged: 10, Delivered: 8, ValueEUR: fp(1000), DeliveredBy: by},
			{Donor: "FRA", System: "SAMP/T", Category: "air-defence", Pledged: 2, Delivered: 2, ValueEUR: fp(800), DeliveredBy: by},
			{Donor: "USA", System: "HIMARS", Category: "artillery", Pledged: 40, Delivered: 40, ValueEUR: fp(4000), DeliveredBy: by},
			{Donor: "USA", System: "M777", Category: "artillery", Pledged: 100, Delivered: 100, ValueEUR: fp(2000), DeliveredBy: by},
			{Donor: "FRA", System: "Caesar", Category: "artillery", Pledged: 30, Delivered: 24, ValueEUR: fp(600), DeliveredBy: by},
			{Donor: "GBR", System: "M777", Category: "artillery", Pledged: 20, Delivered: 20},
		},
	}
	got := CapabilityGap(in)
	if !check.Facts(t, check.Eq("categories", len(got), 2)) {
		return
	}
	ad, art := got[0], got[1]
	check.Facts(t,
		check.Eq("first category", ad.Category, "air-defence"),
		check.Eq("air-defence lost units", ad.LostUnits, int64(15)),
		check.Eq("air-defence lost delivered", ad.LostDelivered, int64(13)),
		check.Eq("air-defence lost EUR", ad.LostEUR, 4200.0),
		check.Eq("air-defence total units", ad.TotalUnits, int64(27)),
		check.Eq("air-defence share basis", ad.ShareBasis, "value"),
		check.Holds("air-defence withdrawn share 0.7", capNear(ad.WithdrawnShare, 0.7), ad.WithdrawnShare, "0.7"),
		check.Holds("air-defence unit share 15/27", capNear(ad.WithdrawnUnitShare, 15.0/27), ad.WithdrawnUnitShare, "15/27"),
		check.Eq("air-defence only US", strings.Join(ad.OnlyWithdrawn, ","), "NASAMS,Patriot"),
		check.Eq("air-defence capacity", ad.AnnualCapacity, 10.0),
		check.Eq("air-defence target", ad.AnnualCapacityTarget, 12.0),
		check.Eq("air-defence gap", ad.GapAfterOneYear, 2.0),
		check.Eq("air-defence unassessed", ad.UnassessedUnits, int64(3)),
		check.Eq("air-defence others delivered", ad.RemainingDelivered, int64(10)),
		check.Holds("air-defence others' pace 2.5", capNear(ad.RemainingPacePerYear, 2.5), ad.RemainingPacePerYear, "2.5"),
		check.Eq("air-defence roles", len(ad.Roles), 2),
		check.Eq("alternatives: Diehl with a figure; Norway, France, Italy without", len(ad.Alternatives), 4),
	)
	if len(ad.Roles) == 2 {
		med, long := ad.Roles[0], ad.Roles[1]
		check.Facts(t,
			check.Eq("first role", med.Role, "medium-range-air-defence"),
			check.Eq("medium lost", med.LostUnits, int64(12)),
			check.Holds("medium capacity 10", med.AnnualCapacity != nil && *med.AnnualCapacity == 10, med.AnnualCapacity, "10"),
			check.Eq("medium complete", med.CapacityComplete, false),
			check.Holds("medium gap 2", med.GapAfterOneYear != nil && *med.GapAfterOneYear == 2, med.GapAfterOneYear, "2"),
			check.Holds("medium pace 2", capNear(med.RemainingPacePerYear, 2), med.RemainingPacePerYear, "2"),
			check.Eq("Norway named without a figure", med.Alternatives[1].Producer+"|"+med.Alternatives[1].System, "NOR|NASAMS"),
			check.Holds("Norway has no figure", med.Alternatives[1].UnitsPerYear == nil, med.Alternatives[1].UnitsPerYear, "nil"),
			check.Eq("long-range role", long.Role, "long-range-air-defence"),
			check.Holds("long-range capacity unknown", long.AnnualCapacity == nil && long.GapAfterOneYear == nil, long.AnnualCapacity, "nil"),
			check.Holds("long-range pace 0.5", capNear(long.RemainingPacePerYear, 0.5), long.RemainingPacePerYear, "0.5"),
		)
	}
	check.Facts(t,
		check.Eq("second category", art.Category, "artillery"),
		check.Eq("artillery lost units", art.LostUnits, int64(140)),
		check.Eq("artillery lost EUR", art.LostEUR, 6000.0),
		check.Holds("artillery share 6000/6600", capNear(art.WithdrawnShare, 6000.0/6600), art.WithdrawnShare, "0.909"),
		check.Eq("artillery only US", strings.Join(art.OnlyWithdrawn, ","), "HIMARS"),
		check.Eq("artillery capacity", art.AnnualCapacity, 72.0),
		check.Eq("artillery gap", art.GapAfterOneYear, 68.0),
		check.Eq("artillery unassessed", art.UnassessedUnits, int64(0)),
		check.Eq("artillery others delivered", art.RemainingDelivered, int64(44)),
		check.Holds("artillery pace 11", capNear(art.RemainingPacePerYear, 11), art.RemainingPacePerYear, "11"),
	)
	if len(art.Roles) == 2 {
		how, mlrs := art.Roles[0], art.Roles[1]
		check.Facts(t,
			check.Eq("howitzer role", how.Role, "155-mm-howitzer"),
			check.Holds("howitzer gap 28", how.GapAfterOneYear != nil && *how.GapAfterOneYear == 28, how.GapAfterOneYear, "28"),
			check.Eq("howitzer incomplete (UK)", how.CapacityComplete, false),
			check.Eq("rocket role", mlrs.Role, "rocket-launcher"),
			check.Holds("no rocket launcher outside the US: capacity 0", mlrs.AnnualCapacity != nil && *mlrs.AnnualCapacity == 0, mlrs.AnnualCapacity, "0"),
			check.Eq("rocket complete", mlrs.CapacityComplete, true),
			check.Holds("rocket gap 40", mlrs.GapAfterOneYear != nil && *mlrs.GapAfterOneYear == 40, mlrs.GapAfterOneYear, "40"),
			check.Eq("no alternative producer", len(mlrs.Alternatives), 0),
		)
	}
	// Without a withdrawal of its producer, Lockheed's HIMARS output counts:
	// if France withdraws instead, the rocket-launcher role loses nothing
	// and the 155 mm role loses France's 30 Caesar against the capacity of
	// nobody with a figure (KNDS is withdrawn, the UK and US publish none).
	in.Withdraw = []string{"FRA"}
	got = CapabilityGap(in)
	art = got[1]
	check.Facts(t,
		check.Eq("FRA: artillery lost", art.LostUnits, int64(30)),
		check.Eq("FRA: unassessed", art.UnassessedUnits, int64(30)),
		check.Eq("FRA: gap over assessed roles", art.GapAfterOneYear, 0.0),
	)
}
