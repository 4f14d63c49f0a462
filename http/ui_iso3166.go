package http

// isoNumeric maps the ISO 3166-1 alpha-3 codes of refdata/data/countries.csv
// to their ISO 3166-1 numeric codes, which world-atlas (Natural Earth)
// uses as feature ids in static/vendor/countries-110m.json.
//
// Source: ISO 3166-1:2020, Codes for the representation of names of
// countries, as published on the ISO Online Browsing Platform
// (https://www.iso.org/obp/ui/#search/code/) and mirrored by the UN
// Statistics Division's M49 table
// (https://unstats.un.org/unsd/methodology/m49/overview/); Taiwan (158) is
// in ISO 3166-1 but not in M49. Malta (470) has no feature at the 1:110m
// scale; it stays in the tables. TestISONumeric checks every entry against
// the feature names of the bundled atlas.
var isoNumeric = map[string]string{
	"ALB": "008", "AUS": "036", "AUT": "040", "BEL": "056", "BRA": "076",
	"BGR": "100", "CAN": "124", "CHN": "156", "HRV": "191", "CYP": "196",
	"CZE": "203", "DNK": "208", "EST": "233", "FIN": "246", "FRA": "250",
	"DEU": "276", "GRC": "300", "HUN": "348", "ISL": "352", "IND": "356",
	"IRL": "372", "ITA": "380", "JPN": "392", "LVA": "428", "LTU": "440",
	"LUX": "442", "MLT": "470", "MNE": "499", "NLD": "528", "NZL": "554",
	"MKD": "807", "NOR": "578", "POL": "616", "PRT": "620", "ROU": "642",
	"RUS": "643", "SAU": "682", "SVK": "703", "SVN": "705", "KOR": "410",
	"ESP": "724", "SWE": "752", "CHE": "756", "TWN": "158", "TUR": "792",
	"UKR": "804", "GBR": "826", "USA": "840",
}
