package seed

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"coalition"
	"coalition/internal/check"
	"coalition/report"
	"coalition/sqlstore"
)

func leadsOf(l report.ForceLineView) string { return strings.Join(l.Leads, ",") }

// TestLoadForce: the bundled public record of the reassurance force loads
// once (a second seed changes nothing) and, read through the sourcing
// view as an anonymous reader, says what the record says, worked by hand
// from force_lines.csv and force_offers.csv: six lines; on land four
// conditional offers (GBR, FRA, DEU, AUS) without any stated unit, led by
// France and the UK; one headquarters, hosted by France, so nothing
// unfilled there; no quantity stated anywhere else, so no gap invented.
// Without a US backstop Germany's offer lapses; without a ceasefire only
// the headquarters stands.
func TestLoadForce(t *testing.T) {
	sys := coalition.WithUser(context.Background(), coalition.System)
	s, err := sqlstore.Open(sys, "sqlite:"+filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := Load(sys, s, false)
	if err != nil {
		t.Fatal(err)
	}
	check.Facts(t, check.Eq("lines created", rep.Created["force lines"], 6), check.Eq("offers created", rep.Created["force offers"], 9))
	rep, err = Load(sys, s, false)
	if err != nil {
		t.Fatal(err)
	}
	check.Facts(t, check.Eq("lines created again", rep.Created["force lines"], 0), check.Eq("offers created again", rep.Created["force offers"], 0),
		check.Eq("lines unchanged", rep.Unchanged["force lines"], 6), check.Eq("offers unchanged", rep.Unchanged["force offers"], 9))

	anon := context.Background()
	view, err := report.Force(anon, s, "COW2025", nil)
	if err != nil {
		t.Fatal(err)
	}
	var caps []string
	for _, l := range view.Lines {
		caps = append(caps, l.Capability)
	}
	land, command, monitoring := view.Lines[0], view.Lines[4], view.Lines[5]
	check.Facts(t,
		check.Eq("capabilities", strings.Join(caps, ","), "land,air,maritime,training,command,monitoring"),
		check.Eq("land offers", len(land.Offers), 4),
		check.Eq("land conditional units", land.Conditional, int64(0)),
		check.Eq("land unquantified", land.Unquantified, 4),
		check.Holds("land unfilled not invented", land.Unfilled == nil, land.Unfilled, "null"),
		check.Eq("land leads", leadsOf(land), "FRA,GBR"),
		check.Eq("command needed", *command.Quantity, int64(1)),
		check.Eq("command offered", command.Offered, int64(1)),
		check.Eq("command unfilled", *command.Unfilled, int64(0)),
		check.Eq("command leads", leadsOf(command), "FRA,GBR"),
		check.Eq("monitoring leads", leadsOf(monitoring), "USA"),
		check.AtLeast("sources", len(view.Sources), 5),
	)
	for _, l := range view.Lines {
		if strings.Contains(l.Source, "wikipedia") || l.AsOf == "" {
			t.Errorf("line %s: source %q as of %q", l.Capability, l.Source, l.AsOf)
		}
	}

	noBackstop, err := report.Force(anon, s, "COW2025", []string{"us-backstop"})
	if err != nil {
		t.Fatal(err)
	}
	check.Facts(t, check.Eq("lapse without a US backstop", noBackstop.Lapsed, 1),
		check.Eq("who lapses", noBackstop.Lines[0].Lapsed[0].Country, "DEU"),
		check.Eq("land offers left", len(noBackstop.Lines[0].Offers), 3))

	noCeasefire, err := report.Force(anon, s, "COW2025", []string{"ceasefire"})
	if err != nil {
		t.Fatal(err)
	}
	standing := 0
	for _, l := range noCeasefire.Lines {
		standing += len(l.Offers)
	}
	check.Facts(t, check.Eq("lapse without a ceasefire", noCeasefire.Lapsed, 7), check.Eq("standing without a ceasefire", standing, 2),
		check.Eq("headquarters still offered", noCeasefire.Lines[4].Offered, int64(1)))
}
