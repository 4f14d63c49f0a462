package http

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"coalition"
)

// TestWeaponsByISO3: the heavy-weapons chart finds a donor's rows of
// Kiel's weapons.csv by its ISO3 code, not by the display name in the
// store. Germany has 5 categories in the file (Tanks, IFV, Howitzers,
// MLRS, Air Defense); renamed "Federal Republic of Germany" in the store,
// the page and its CSV still show all 5 (they showed none: the page matched
// Kiel's spelling against the store's name).
func TestWeaponsByISO3(t *testing.T) {
	h, st := newUIServer(t)
	ctx := coalition.WithUser(context.Background(), coalition.System)
	deu, err := st.FindCountry(ctx, "DEU")
	if err != nil {
		t.Fatal(err)
	}
	deu.Name = "Federal Republic of Germany"
	if err := st.UpsertCountry(ctx, deu); err != nil {
		t.Fatal(err)
	}
	w := get(t, h, "/csv/country-weapons?iso3=DEU")
	if w.Code != 200 {
		t.Fatalf("CSV: %d %s", w.Code, w.Body)
	}
	recs, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cats []string
	for _, r := range recs[1:] {
		cats = append(cats, r[0])
	}
	if got, want := strings.Join(cats, ","), "Air Defense,Howitzers,IFV,MLRS,Tanks"; got != want {
		t.Errorf("CSV categories %q, want %q", got, want)
	}
	page := get(t, h, "/countries/DEU")
	if page.Code != 200 {
		t.Fatalf("page: %d", page.Code)
	}
	if body := page.Body.String(); !strings.Contains(body, "Leopard") || strings.Contains(body, "lists no deliveries by") {
		t.Errorf("country page: no heavy weapons for the renamed Germany")
	}
}
