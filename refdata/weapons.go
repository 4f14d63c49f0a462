package refdata

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// WeaponsFile is Kiel's heavy-weapons file: deliveries per donor (by name)
// and category.
const WeaponsFile = "kiel/weapons.csv"

// WeaponsSource cites it.
const WeaponsSource = "Kiel Institute for the World Economy, Ukraine Support Tracker, Release 29, weapons.csv (heavy weapons delivered)"

// Weapon is one row of weapons.csv: a donor's heavy weapons delivered in
// one category.
type Weapon struct {
	ISO3     string  // the donor, resolved from Kiel's name through countries.csv
	Donor    string  // the donor's name as Kiel spells it
	Category string  // Tanks, Howitzers, Air Defense, IFV, MLRS
	Number   int     // units delivered
	EUR      float64 // Kiel's estimated market value
	List     string  // the systems, as Kiel lists them
}

var weapons struct {
	once sync.Once
	rows []Weapon
	err  error
}

// Weapons returns every row of weapons.csv in the file's order, parsed
// once. Each donor is keyed by its ISO3 code: a name that is not a country
// of countries.csv is an error naming the line, so a display name edited in
// a store cannot hide a donor's rows.
func Weapons() ([]Weapon, error) {
	weapons.once.Do(func() { weapons.rows, weapons.err = readWeapons() })
	return weapons.rows, weapons.err
}

// WeaponsOf returns the rows of one donor, by ISO3 code.
func WeaponsOf(iso3 string) ([]Weapon, error) {
	all, err := Weapons()
	if err != nil {
		return nil, err
	}
	var out []Weapon
	for _, w := range all {
		if w.ISO3 == iso3 {
			out = append(out, w)
		}
	}
	return out, nil
}

func readWeapons() ([]Weapon, error) {
	countries, err := readTable("countries.csv")
	if err != nil {
		return nil, err
	}
	iso := map[string]string{}
	for _, c := range countries.rows {
		iso[strings.ToLower(c["name"])] = c["iso3"]
	}
	f, err := Open(WeaponsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseWeapons(iso, f)
}

// parseWeapons reads weapons.csv, resolving donors by iso (lower-case
// name → ISO3).
func parseWeapons(iso map[string]string, in io.Reader) ([]Weapon, error) {
	r := csv.NewReader(in)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", WeaponsFile, err)
	}
	want := []string{"donor", "category", "number_of_weapons", "monetary_value_eur", "weapons_list"}
	if strings.Join(head, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("%s:1: header is %v, want %v", WeaponsFile, head, want)
	}
	var out []Weapon
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", WeaponsFile, err)
		}
		line, _ := r.FieldPos(0)
		code := iso[strings.ToLower(strings.TrimSpace(rec[0]))]
		if code == "" {
			return nil, fmt.Errorf("%s:%d: donor: %q is not the name of a country in countries.csv", WeaponsFile, line, rec[0])
		}
		n, err := strconv.Atoi(rec[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: number_of_weapons: %q is not a whole number", WeaponsFile, line, rec[2])
		}
		v, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: monetary_value_eur: %q is not a number", WeaponsFile, line, rec[3])
		}
		out = append(out, Weapon{ISO3: code, Donor: rec[0], Category: rec[1], Number: n, EUR: v, List: rec[4]})
	}
}
