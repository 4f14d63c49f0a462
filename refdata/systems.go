package refdata

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"coalition"
)

// SystemsFile is the catalogue of weapon systems (systems_sources.md).
const SystemsFile = "systems.csv"

// SystemsSource cites the catalogue.
const SystemsSource = "Coalition systems catalogue (refdata systems.csv, systems_sources.md)"

// WeaponsDataset is the published dataset Kiel's heavy-weapons table is
// loaded as: a dataset of its own beside "kiel" (the monthly pledges), so
// that each is replaced by its own next release.
const WeaponsDataset = "kiel-weapons"

// kielCapability is the capability category of each of Kiel's heavy-weapons
// categories, for systems the catalogue does not hold.
var kielCapability = map[string]string{
	"Tanks":       coalition.CapArmour,
	"IFV":         coalition.CapArmour,
	"Howitzers":   coalition.CapArtillery,
	"MLRS":        coalition.CapArtillery,
	"Air Defense": coalition.CapAirDefence,
}

// Catalogue is the systems catalogue with the names Kiel lists them under.
type Catalogue struct {
	Systems []coalition.WeaponSystem
	byName  map[string]int // lower-case name or alias → index
}

// Lookup returns the system named name (its catalogue name or an alias,
// without regard to case).
func (c *Catalogue) Lookup(name string) (coalition.WeaponSystem, bool) {
	i, ok := c.byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return coalition.WeaponSystem{}, false
	}
	return c.Systems[i], true
}

// Systems reads the bundled catalogue.
func Systems() (*Catalogue, error) {
	t, err := readTable(SystemsFile)
	if err != nil {
		return nil, err
	}
	c := &Catalogue{byName: map[string]int{}}
	for i, row := range t.rows {
		s := coalition.WeaponSystem{Name: row["name"], Category: row["category"], Kind: row["kind"], Unit: row["unit"],
			Producers: splitSemi(row["producers"]), UnitCostSource: row["unit_cost_source"], Catalogued: true, Source: SystemsSource}
		if s.UnitCostEUR, err = optFloat(t, i, "unit_cost_eur"); err != nil {
			return nil, err
		}
		if err := s.Validate(); err != nil {
			return nil, t.errorf(i, "name", "%v", err)
		}
		for _, n := range append([]string{s.Name}, splitSemi(row["aliases"])...) {
			key := strings.ToLower(n)
			if _, dup := c.byName[key]; dup {
				return nil, t.errorf(i, "aliases", "%q names two systems", n)
			}
			c.byName[key] = len(c.Systems)
		}
		c.Systems = append(c.Systems, s)
	}
	return c, nil
}

func splitSemi(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// WeaponItem is one entry of a weapons_list: "M777 howitzer (6)".
type WeaponItem struct {
	Name  string // as Kiel spells it
	Count int
}

// itemRE is one entry: a name (which may hold parentheses of its own,
// "Modified T-72 tank (T-72A/T-72M1/M1R)") and the count in the last ones.
var itemRE = regexp.MustCompile(`^(.+?)\s*\((\d+)\)$`)

// ParseWeaponsList splits Kiel's weapons_list into its entries.
func ParseWeaponsList(list string) ([]WeaponItem, error) {
	var out []WeaponItem
	for _, part := range strings.Split(list, ";") {
		part = strings.TrimSpace(part)
		m := itemRE.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("%q is not \"name (count)\"", part)
		}
		n, err := strconv.Atoi(m[2])
		if err != nil {
			return nil, fmt.Errorf("%q: count: %w", part, err)
		}
		out = append(out, WeaponItem{Name: m[1], Count: n})
	}
	return out, nil
}

// WeaponsRelease is Kiel's heavy-weapons table as an equipment release:
// every row's weapons_list parsed into one record per donor, category and
// listed system, the systems named in the catalogue where they match, the
// systems the catalogue does not hold as systems of their own (Catalogued
// false), and the rest of the catalogue. Kiel's table counts deliveries, so each record has
// the units delivered (and pledged, which is at least as many) by the
// release's cut-off. Kiel values a donor's category as a whole: the value
// of a row with several systems is split by units (largest remainder, in
// euro cents), so the records of a row add up to Kiel's value exactly;
// each such record says so in its Note.
func WeaponsRelease() (coalition.EquipmentRelease, error) {
	rel := coalition.EquipmentRelease{Release: coalition.Release{
		Dataset: WeaponsDataset, Name: KielRelease, AsOf: KielAsOf,
		Title:  "Kiel Institute, Ukraine Support Tracker (weapons.csv, heavy weapons delivered)",
		Source: WeaponsSource, Records: coalition.ReleaseEquipment,
	}}
	cat, err := Systems()
	if err != nil {
		return rel, err
	}
	rows, err := Weapons()
	if err != nil {
		return rel, err
	}
	used := map[string]bool{}
	for _, w := range rows {
		items, err := ParseWeaponsList(w.List)
		if err != nil {
			return rel, fmt.Errorf("%s: %s %s: weapons_list: %w", WeaponsFile, w.Donor, w.Category, err)
		}
		values := splitValue(int64(w.EUR*100+0.5), items)
		for i, it := range items {
			sys, ok := cat.Lookup(it.Name)
			if !ok {
				if sys, ok = kielSystem(w.Category, it.Name); !ok {
					return rel, fmt.Errorf("%s: %s: category %q is not one of Kiel's", WeaponsFile, w.Donor, w.Category)
				}
				cat.add(sys)
			}
			if !used[sys.Name] {
				used[sys.Name] = true
				rel.Systems = append(rel.Systems, sys)
			}
			e := &coalition.Equipment{Donor: w.ISO3, System: sys.Name, Category: sys.Category,
				Pledged: int64(it.Count), Delivered: int64(it.Count), DeliveredBy: KielAsOf,
				ValueEUR: &values[i], Visibility: coalition.Public, Source: WeaponsSource,
				SourceRef: w.ISO3 + "|" + w.Category + "|" + it.Name, Dataset: WeaponsDataset, Release: KielRelease}
			if len(items) > 1 {
				e.Note = fmt.Sprintf("Kiel values %s's %s at €%.0f for %d units; this system's share is split by units", w.Donor, w.Category, w.EUR, w.Number)
			}
			rel.Records = append(rel.Records, e)
		}
	}
	// The whole catalogue goes with the release, not only the systems
	// Kiel's list names: records of other sources (155 mm shells, PAC-3
	// MSE interceptors) and requirements in units name them too.
	for _, sys := range cat.Systems {
		if sys.Catalogued && !used[sys.Name] {
			used[sys.Name] = true
			rel.Systems = append(rel.Systems, sys)
		}
	}
	return rel, nil
}

// kielSystem is a system of Kiel's list that the catalogue does not hold.
func kielSystem(kielCategory, name string) (coalition.WeaponSystem, bool) {
	c, ok := kielCapability[kielCategory]
	return coalition.WeaponSystem{Name: name, Category: c, Kind: kielCategory, Producers: []string{}, Source: WeaponsSource}, ok
}

// add puts an uncatalogued system into c, so another spelling of its name
// that differs only in case finds it.
func (c *Catalogue) add(s coalition.WeaponSystem) {
	c.byName[strings.ToLower(s.Name)] = len(c.Systems)
	c.Systems = append(c.Systems, s)
}

// splitValue splits total (euro cents) over items by their counts, by
// largest remainder, so the parts add up to total exactly.
func splitValue(total int64, items []WeaponItem) []int64 {
	var units int64
	for _, it := range items {
		units += int64(it.Count)
	}
	out := make([]int64, len(items))
	if units == 0 {
		out[0] = total
		return out
	}
	rem := make([]int64, len(items))
	left := total
	for i, it := range items {
		out[i] = total * int64(it.Count) / units
		rem[i] = total * int64(it.Count) % units
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}
