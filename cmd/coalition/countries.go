package main

import (
	"context"
	"fmt"
	"strings"

	"coalition"
)

func runCountries(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "countries", "countries [--group NATO|EU|G7|AUKUS|FVEY|COW2025] [--json] [--db ...]", "coalition countries --group COW2025", "print JSON")
	group := c.fs.String("group", "", "only members of this group or coalition")
	s, _, err := c.open(ctx, e, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "countries")
	cs, err := s.FindCountries(ctx, coalition.CountryFilter{Group: *group})
	if err != nil {
		return err
	}
	return c.print(e, nonNil(cs), func() error { return printCountries(e, cs) })
}

func printCountries(e *env, cs []*coalition.Country) error {
	tw := table(e.stdout)
	fmt.Fprintln(tw, "ISO3\tNAME\tGDP (USD bn)\tPOP (m)\tDEFENCE % GDP (NATO or SIPRI, their own GDP)\tGROUPS")
	for _, c := range cs {
		def := "–"
		if c.DefencePctGDP != nil {
			def = fmt.Sprintf("%.2f (%s %d)", *c.DefencePctGDP, c.DefenceSource, c.DefenceYear)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ISO3, c.Name, optf(c.GDPUSDBn, "%.1f"), optf(c.PopulationM, "%.2f"), def, strings.Join(c.Groups, " "))
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\n%d countries. GDP and population: World Bank 2023. Defence: NATO 2024e (NATO definition) or SIPRI 2024 as marked.\n", len(cs))
	return nil
}

func optf(p *float64, format string) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf(format, *p)
}
