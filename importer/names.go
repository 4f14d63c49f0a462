package importer

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"coalition"
)

// iso3166 lists ISO 3166-1 alpha-2 and alpha-3 codes with English short
// names (ISO 3166 Maintenance Agency's list, typed in by hand; Kosovo's
// user-assigned XK/XKX as the EU and World Bank use it).
const iso3166 = `AF AFG Afghanistan|AL ALB Albania|DZ DZA Algeria|AD AND Andorra|AO AGO Angola|AG ATG Antigua and Barbuda|AR ARG Argentina|
AM ARM Armenia|AU AUS Australia|AT AUT Austria|AZ AZE Azerbaijan|BS BHS Bahamas|BH BHR Bahrain|BD BGD Bangladesh|BB BRB Barbados|
BY BLR Belarus|BE BEL Belgium|BZ BLZ Belize|BJ BEN Benin|BT BTN Bhutan|BO BOL Bolivia|BA BIH Bosnia and Herzegovina|BW BWA Botswana|
BR BRA Brazil|BN BRN Brunei|BG BGR Bulgaria|BF BFA Burkina Faso|BI BDI Burundi|CV CPV Cabo Verde|KH KHM Cambodia|CM CMR Cameroon|
CA CAN Canada|CF CAF Central African Republic|TD TCD Chad|CL CHL Chile|CN CHN China|CO COL Colombia|KM COM Comoros|CG COG Congo|
CD COD Democratic Republic of the Congo|CR CRI Costa Rica|CI CIV Cote d'Ivoire|HR HRV Croatia|CU CUB Cuba|CY CYP Cyprus|CZ CZE Czechia|
DK DNK Denmark|DJ DJI Djibouti|DM DMA Dominica|DO DOM Dominican Republic|EC ECU Ecuador|EG EGY Egypt|SV SLV El Salvador|
GQ GNQ Equatorial Guinea|ER ERI Eritrea|EE EST Estonia|SZ SWZ Eswatini|ET ETH Ethiopia|FJ FJI Fiji|FI FIN Finland|FR FRA France|
GA GAB Gabon|GM GMB Gambia|GE GEO Georgia|DE DEU Germany|GH GHA Ghana|GR GRC Greece|GD GRD Grenada|GT GTM Guatemala|GN GIN Guinea|
GW GNB Guinea-Bissau|GY GUY Guyana|HT HTI Haiti|HN HND Honduras|HU HUN Hungary|IS ISL Iceland|IN IND India|ID IDN Indonesia|IR IRN Iran|
IQ IRQ Iraq|IE IRL Ireland|IL ISR Israel|IT ITA Italy|JM JAM Jamaica|JP JPN Japan|JO JOR Jordan|KZ KAZ Kazakhstan|KE KEN Kenya|
KI KIR Kiribati|KP PRK North Korea|KR KOR South Korea|KW KWT Kuwait|KG KGZ Kyrgyzstan|LA LAO Laos|LV LVA Latvia|LB LBN Lebanon|
LS LSO Lesotho|LR LBR Liberia|LY LBY Libya|LI LIE Liechtenstein|LT LTU Lithuania|LU LUX Luxembourg|MG MDG Madagascar|MW MWI Malawi|
MY MYS Malaysia|MV MDV Maldives|ML MLI Mali|MT MLT Malta|MH MHL Marshall Islands|MR MRT Mauritania|MU MUS Mauritius|MX MEX Mexico|
FM FSM Micronesia|MD MDA Moldova|MC MCO Monaco|MN MNG Mongolia|ME MNE Montenegro|MA MAR Morocco|MZ MOZ Mozambique|MM MMR Myanmar|
NA NAM Namibia|NR NRU Nauru|NP NPL Nepal|NL NLD Netherlands|NZ NZL New Zealand|NI NIC Nicaragua|NE NER Niger|NG NGA Nigeria|
MK MKD North Macedonia|NO NOR Norway|OM OMN Oman|PK PAK Pakistan|PW PLW Palau|PS PSE Palestine|PA PAN Panama|PG PNG Papua New Guinea|
PY PRY Paraguay|PE PER Peru|PH PHL Philippines|PL POL Poland|PT PRT Portugal|QA QAT Qatar|RO ROU Romania|RU RUS Russia|RW RWA Rwanda|
KN KNA Saint Kitts and Nevis|LC LCA Saint Lucia|VC VCT Saint Vincent and the Grenadines|WS WSM Samoa|SM SMR San Marino|
ST STP Sao Tome and Principe|SA SAU Saudi Arabia|SN SEN Senegal|RS SRB Serbia|SC SYC Seychelles|SL SLE Sierra Leone|SG SGP Singapore|
SK SVK Slovakia|SI SVN Slovenia|SB SLB Solomon Islands|SO SOM Somalia|ZA ZAF South Africa|SS SSD South Sudan|ES ESP Spain|
LK LKA Sri Lanka|SD SDN Sudan|SR SUR Suriname|SE SWE Sweden|CH CHE Switzerland|SY SYR Syria|TW TWN Taiwan|TJ TJK Tajikistan|
TZ TZA Tanzania|TH THA Thailand|TL TLS Timor-Leste|TG TGO Togo|TO TON Tonga|TT TTO Trinidad and Tobago|TN TUN Tunisia|TR TUR Turkey|
TM TKM Turkmenistan|TV TUV Tuvalu|UG UGA Uganda|UA UKR Ukraine|AE ARE United Arab Emirates|GB GBR United Kingdom|US USA United States|
UY URY Uruguay|UZ UZB Uzbekistan|VU VUT Vanuatu|VA VAT Holy See|VE VEN Venezuela|VN VNM Viet Nam|YE YEM Yemen|ZM ZMB Zambia|
ZW ZWE Zimbabwe|XK XKX Kosovo|HK HKG Hong Kong|EU EUI EU institutions`

// aliases are other spellings seen in the sources (Kiel, FTS, IATI).
var aliases = map[string]string{
	"turkiye": "TUR", "türkiye": "TUR", "republic of turkiye": "TUR",
	"eu (commission and council)": "EUI", "eu institutions (commission and council)": "EUI", "european union": "EUI",
	"european commission": "EUI", "eu commission": "EUI", "european union institutions": "EUI", "eu": "EUI", "european peace facility": "EUI",
	"european investment bank": "EUI", "eib": "EUI",
	"usa": "USA", "united states of america": "USA", "us": "USA", "u.s.": "USA", "uk": "GBR", "great britain": "GBR",
	"united kingdom of great britain and northern ireland": "GBR", "korea": "KOR", "republic of korea": "KOR", "korea, republic of": "KOR",
	"czech republic": "CZE", "slovak republic": "SVK", "russian federation": "RUS", "the netherlands": "NLD", "holland": "NLD",
	"macedonia": "MKD", "republic of north macedonia": "MKD", "vietnam": "VNM", "taiwan, province of china": "TWN",
	"chinese taipei": "TWN", "ivory coast": "CIV", "côte d'ivoire": "CIV", "swaziland": "SWZ", "cape verde": "CPV",
	// UN (M49) names as OCHA FTS writes locations.
	"syrian arab republic": "SYR", "occupied palestinian territory": "PSE", "state of palestine": "PSE", "moldova, republic of": "MDA",
	"republic of moldova": "MDA", "iran, islamic republic of": "IRN", "iran (islamic republic of)": "IRN", "lao people's democratic republic": "LAO",
	"tanzania, united republic of": "TZA", "united republic of tanzania": "TZA", "venezuela, bolivarian republic of": "VEN",
	"bolivia, plurinational state of": "BOL", "democratic people's republic of korea": "PRK", "congo, the democratic republic of the": "COD",
	"libyan arab jamahiriya": "LBY", "micronesia, federated states of": "FSM", "holy see (vatican city state)": "VAT",
	// Government agencies and EU services as FTS and IATI name them (docs/importers.md).
	"european commission's humanitarian aid and civil protection department": "EUI", "echo": "EUI",
	"european commission humanitarian aid and civil protection": "EUI", "italian agency for development cooperation": "ITA",
	"united states agency for international development": "USA", "united states agency for international development (usaid)": "USA",
	"usaid": "USA", "foreign, commonwealth & development office (fcdo), united kingdom": "GBR", "foreign, commonwealth and development office": "GBR",
}

// dacDonors maps OECD DAC donor codes (IATI refs XM-DAC-<code>) to countries.
var dacDonors = map[string]string{
	"1": "AUT", "2": "BEL", "3": "DNK", "4": "FRA", "5": "DEU", "6": "ITA", "7": "NLD", "8": "NOR", "9": "PRT", "10": "SWE",
	"11": "CHE", "12": "GBR", "18": "FIN", "20": "ISL", "21": "IRL", "22": "LUX", "40": "GRC", "50": "ESP", "61": "SVN",
	"68": "CZE", "69": "SVK", "75": "HUN", "76": "POL", "82": "EST", "83": "LVA", "84": "LTU", "301": "CAN", "302": "USA",
	"701": "JPN", "742": "KOR", "801": "AUS", "820": "NZL", "918": "EUI",
}

// Names maps the names and codes donors and recipients go by to ISO3.
type Names struct {
	byKey map[string]string // normalised name or code → ISO3
	names map[string]string // ISO3 → display name
	known map[string]bool   // ISO3 codes the database holds; nil: any
}

// NewNames builds a resolver over the built-in ISO 3166 table and aliases,
// plus the names of countries (the database's). When countries is not nil,
// only their codes resolve: anything else is an error naming the closest.
func NewNames(countries []*coalition.Country) *Names {
	n := &Names{byKey: map[string]string{}, names: map[string]string{}}
	for _, e := range strings.Split(strings.ReplaceAll(iso3166, "\n", ""), "|") {
		f := strings.SplitN(strings.TrimSpace(e), " ", 3)
		if len(f) != 3 {
			continue
		}
		n.byKey[norm(f[0])], n.byKey[norm(f[1])], n.byKey[norm(f[2])] = f[1], f[1], f[1]
		n.names[f[1]] = f[2]
	}
	for k, v := range aliases {
		n.byKey[norm(k)] = v
	}
	if countries != nil {
		n.known = map[string]bool{}
		for _, c := range countries {
			n.known[c.ISO3] = true
			n.byKey[norm(c.ISO3)] = c.ISO3
			n.byKey[norm(c.Name)] = c.ISO3
			n.names[c.ISO3] = c.Name
		}
	}
	return n
}

// norm lower-cases, folds punctuation to spaces and squeezes them.
func norm(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '(' || r == ')' || r == '\'' || r == '.' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// maxName is the longest name Resolve looks up.
const maxName = 200

// Resolve maps a name, an ISO2/ISO3 code, an FTS "Norway, Government of"
// or an IATI organisation ref of a government to ISO3.
func (n *Names) Resolve(name string) (string, error) {
	s := strings.TrimSpace(name)
	if s == "" {
		return "", fmt.Errorf("is empty")
	}
	if len(s) > maxName {
		return "", fmt.Errorf("unknown country or donor %s: longer than any name (%d bytes)", quote(s), maxName)
	}
	iso, ok := n.lookup(s)
	if !ok {
		if near := n.Closest(s, 3); len(near) > 0 {
			return "", fmt.Errorf("unknown country or donor %s (closest: %s)", quote(s), strings.Join(near, ", "))
		}
		return "", fmt.Errorf("unknown country or donor %s (no country's name is close to it: `coalition countries` lists them)", quote(s))
	}
	if n.known != nil && !n.known[iso] {
		// The name is known: other countries' names would only mislead.
		return "", fmt.Errorf("%s is %s (%s), which is not a country in the database", quote(s), iso, n.names[iso])
	}
	return iso, nil
}

func (n *Names) lookup(s string) (string, bool) {
	if iso, ok := n.byKey[norm(s)]; ok {
		return iso, true
	}
	// FTS: "Norway, Government of"; "Government of Norway".
	low := strings.ToLower(s)
	for _, suf := range []string{", government of", ", the government of", " government", ", ministry of foreign affairs"} {
		if strings.HasSuffix(low, suf) {
			return n.lookup(s[:len(s)-len(suf)])
		}
	}
	for _, pre := range []string{"government of the ", "government of ", "the "} {
		if strings.HasPrefix(low, pre) {
			return n.lookup(s[len(pre):])
		}
	}
	// FTS: "Saudi Arabia (Kingdom of)".
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		return n.lookup(s[:i])
	}
	return n.lookupRef(s)
}

// lookupRef maps an IATI organisation ref of a government or of the EU
// (docs/importers.md): XM-DAC-<donor>[-<agency>] (the OECD DAC codes, e.g.
// XM-DAC-701-2, Japan's Ministry of Foreign Affairs), XI-IATI-EC_<service>
// (the European Commission's services, e.g. XI-IATI-EC_ECHO), and
// <ISO2>-GOV-<n> or <ISO2>-<n> (the government agencies of the IATI
// organisation registry, e.g. GB-GOV-1, DE-1). Refs in other registries
// (NL-KVK, GB-CHC, GB-COH, US-EIN, CZ-ICO, …: companies, charities) are
// never a government.
func (n *Names) lookupRef(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "XM-DAC-"); ok {
		donor, _, _ := strings.Cut(rest, "-")
		iso, ok := dacDonors[donor]
		return iso, ok
	}
	if strings.HasPrefix(s, "XI-IATI-EC_") || s == "XI-IATI-EC" {
		return "EUI", true
	}
	parts := strings.SplitN(s, "-", 3)
	if len(parts) < 2 || len(parts[0]) != 2 || strings.ToUpper(parts[0]) != parts[0] {
		return "", false
	}
	if parts[1] != "GOV" && strings.Trim(parts[1], "0123456789") != "" {
		return "", false // another registry: a company, a charity
	}
	if iso, ok := n.byKey[norm(parts[0])]; ok && iso != "EUI" {
		return iso, true
	}
	return "", false
}

// nearName reports whether s is within two edits of iso's name or code:
// a misspelling of that country rather than another place.
func (n *Names) nearName(s, iso string) bool {
	q := norm(s)
	return distance(q, norm(n.names[iso])) <= 2 || q == strings.ToLower(iso)
}

// Closest returns up to k known names nearest to s (edit distance), only
// those close enough to be a misspelling of s: within a quarter of its
// length (at least 2 edits), or containing it (issue 24: "TM" was offered
// Italy, Malta and the United States). FTS's and IATI's wrappers
// ("…, Government of", "Government of …", "(Kingdom of)") are left out of
// the comparison. None when nothing is close.
func (n *Names) Closest(s string, k int) []string {
	type cand struct {
		name string
		d    int
	}
	if len(s) > maxName {
		s = s[:maxName]
	}
	q := bareName(norm(s))
	limit := max(2, len([]rune(q))/4)
	seen := map[string]bool{}
	var cs []cand
	for key, iso := range n.byKey {
		if n.known != nil && !n.known[iso] {
			continue
		}
		if len(key) <= 3 {
			continue // codes are poor suggestions
		}
		label := n.names[iso] + " (" + iso + ")"
		d := distance(q, key)
		if len(q) >= 4 && (strings.Contains(key, q) || strings.Contains(q, key)) {
			d = 0 // "Kingdom of the Netherlands", "Korea"
		}
		if d <= limit {
			cs = append(cs, cand{label, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for _, c := range cs {
		if seen[c.name] {
			continue
		}
		seen[c.name] = true
		out = append(out, c.name)
		if len(out) == k {
			break
		}
	}
	return out
}

// bareName is a normalised name without the words FTS and IATI wrap a
// government's name in.
func bareName(q string) string {
	q = strings.TrimSuffix(q, " government of")
	q = strings.TrimPrefix(q, "government of ")
	q = strings.TrimPrefix(q, "the ")
	if i := strings.Index(q, " ("); i > 0 && strings.HasSuffix(q, ")") {
		q = q[:i]
	}
	return strings.TrimSpace(q)
}

// distance is the Levenshtein distance of a and b (inputs cut to 64 runes).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 {
		ra = ra[:64]
	}
	if len(rb) > 64 {
		rb = rb[:64]
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
