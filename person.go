package coalition

import "context"

// Person is someone who holds or held an office.
type Person struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	Offices []Office `json:"offices"`
}

// Office is a term in an office of a country (or organisation, as NATO/EUI/UNO).
type Office struct {
	ISO3   string `json:"iso3"`
	Title  string `json:"title"` // e.g. "President", "Prime Minister"
	Start  Date   `json:"start"`
	End    Date   `json:"end"` // zero: still in office
	Source string `json:"source"`
}

// HeldOn reports whether the term covers d.
func (o Office) HeldOn(d Date) bool {
	if d.Before(o.Start) {
		return false
	}
	return o.End.IsZero() || d.Before(o.End)
}

// OfficeOn returns the office the person held on d, if any.
func (p *Person) OfficeOn(d Date) (Office, bool) {
	for _, o := range p.Offices {
		if o.HeldOn(d) {
			return o, true
		}
	}
	return Office{}, false
}

func (p *Person) Validate() error {
	if p.Name == "" {
		return FieldError("name", "is required")
	}
	if err := CheckText("name", p.Name, MaxNameBytes); err != nil {
		return err
	}
	for i, a := range p.Aliases {
		if err := CheckText(indexed("aliases", i, ""), a, MaxNameBytes); err != nil {
			return err
		}
	}
	for i, o := range p.Offices {
		switch {
		case o.ISO3 == "":
			return FieldError(indexed("offices", i, "iso3"), "is required")
		case o.Title == "":
			return FieldError(indexed("offices", i, "title"), "is required")
		case o.Start.IsZero():
			return FieldError(indexed("offices", i, "start"), "is required")
		case !o.End.IsZero() && o.End.Before(o.Start):
			return FieldError(indexed("offices", i, "end"), "is before start")
		case o.Source == "":
			return FieldError(indexed("offices", i, "source"), "is required")
		}
		if err := firstError(
			CheckText(indexed("offices", i, "iso3"), o.ISO3, MaxNameBytes),
			CheckText(indexed("offices", i, "title"), o.Title, MaxNameBytes),
			checkDateFrom(indexed("offices", i, "start"), o.Start, MinOfficeDate),
			checkDateFrom(indexed("offices", i, "end"), o.End, MinOfficeDate),
			CheckText(indexed("offices", i, "source"), o.Source, MaxSourceBytes),
		); err != nil {
			return err
		}
	}
	return nil
}

// PersonStore keeps people and their offices (public data).
type PersonStore interface {
	FindPeople(ctx context.Context, name string) ([]*Person, error)
	// UpsertPerson creates or replaces the person with that name.
	UpsertPerson(ctx context.Context, p *Person) error
}
