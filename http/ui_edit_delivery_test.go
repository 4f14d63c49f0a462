package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"coalition"
)

// deliveryWorld is a server with a public GBR pledge of COW2025 (committed,
// €123 m) and one delivery against it, which the forms edit.
type deliveryWorld struct {
	*authWorld
	admin context.Context
	p     *coalition.Pledge
	d     *coalition.Delivery
}

func newDeliveryWorld(t *testing.T, engine string) *deliveryWorld {
	t.Helper()
	w := robustWorld(t, robustStore(t, engine))
	dw := &deliveryWorld{authWorld: w, admin: coalition.WithUser(context.Background(), w.users["admin"])}
	dw.p = &coalition.Pledge{Donor: "GBR", Recipient: "UKR", CoalitionID: &w.cow.ID, Category: "air-defence",
		Amount: coalition.Money{Minor: 123_000_000_00, Currency: "EUR"}, Announced: coalition.Date{Y: 2026, M: 1, D: 15},
		Status: coalition.Committed, Visibility: coalition.Public, Source: "test"}
	if err := w.store.CreatePledge(dw.admin, dw.p); err != nil {
		t.Fatal(err)
	}
	dw.d = &coalition.Delivery{PledgeID: dw.p.ID, Date: coalition.Date{Y: 2026, M: 2, D: 1}, AmountEUR: 10_000_000_00, Source: "https://example.org/first"}
	if err := w.store.CreateDelivery(dw.admin, dw.d); err != nil {
		t.Fatal(err)
	}
	return dw
}

// deliveries are the pledge's deliveries as they are stored.
func (w *deliveryWorld) deliveries(t *testing.T) []*coalition.Delivery {
	t.Helper()
	ds, _, err := w.store.FindDeliveries(w.admin, coalition.DeliveryFilter{PledgeID: w.p.ID, Limit: coalition.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// delivery reads the delivery back; nil once deleted.
func (w *deliveryWorld) delivery(t *testing.T) *coalition.Delivery {
	t.Helper()
	d, err := w.store.FindDelivery(w.admin, w.d.ID)
	if coalition.ErrorKind(err) == coalition.NotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func deliveryValues(version int64) url.Values {
	v := url.Values{"date": {"2026-03-01"}, "amount": {"2500000"}, "quantity": {"4"}, "source": {"https://example.org/second"}}
	if version != 0 {
		v.Set("version", strconv.FormatInt(version, 10))
	}
	return v
}

// TestDeliveryPage: the pledge page lists the deliveries to everyone who
// may read the pledge, and offers the forms only to those who may write
// its records.
func TestDeliveryPage(t *testing.T) {
	w := newDeliveryWorld(t, "sqlite")
	id := strconv.FormatInt(w.p.ID, 10)
	edit := "/deliveries/" + strconv.FormatInt(w.d.ID, 10) + "/edit"
	for _, c := range []struct {
		who      string
		forms    bool
		editPage int
	}{{"", false, http.StatusSeeOther}, {"fr@example.org", false, http.StatusForbidden}, {"gb@example.org", true, http.StatusOK}, {"coord@example.org", true, http.StatusOK}} {
		t.Run("as "+c.who, func(t *testing.T) {
			p := &formPoster{t: t, c: cookieClient(t, w.authWorld), base: w.srv.URL}
			if c.who != "" {
				p = signedInAs(t, w.authWorld, c.who)
			}
			status, page := p.get("/pledges/" + id)
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200", status)
			}
			if !strings.Contains(page, `id="deliveries-table"`) || !strings.Contains(page, "https://example.org/first") {
				t.Errorf("the page does not list the delivery")
			}
			for _, form := range []string{`action="/pledges/` + id + `/deliveries"`, `action="/pledges/` + id + `/stages"`, `href="` + edit + `"`} {
				if got := strings.Contains(page, form); got != c.forms {
					t.Errorf("%s shown: %v, want %v", form, got, c.forms)
				}
			}
			if status, _ := p.get(edit); status != c.editPage {
				t.Errorf("edit page: status %d, want %d", status, c.editPage)
			}
		})
	}
	t.Run("the edit form is pre-filled at the record's version", func(t *testing.T) {
		_, page := signedInAs(t, w.authWorld, "gb@example.org").get(edit)
		for _, want := range []string{`name="version" value="` + strconv.FormatInt(w.d.Version, 10) + `"`,
			`value="2026-02-01"`, `value="10000000"`, `value="https://example.org/first"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
	})
}

// TestDeliveryForms posts the pledge page's delivery and stage forms and
// the delivery's edit and delete forms as a permitted user, as a user
// without permission, with a stale version, with bad input and from
// another site, on both engines.
func TestDeliveryForms(t *testing.T) {
	for _, engine := range engines() {
		t.Run(engine, func(t *testing.T) {
			w := newDeliveryWorld(t, engine)
			t.Run("add", func(t *testing.T) { testDeliveryAdd(t, w) })
			t.Run("edit", func(t *testing.T) { testDeliveryEdit(t, w) })
			t.Run("delete", func(t *testing.T) { testDeliveryDelete(t, w) })
			t.Run("stage", func(t *testing.T) { testStageForm(t, w) })
		})
	}
}

// formCase is a form posted by someone, and what the answer must be.
type formCase struct {
	name, who string
	form      url.Values
	status    int
	says      string
}

func testDeliveryAdd(t *testing.T, w *deliveryWorld) {
	add := "/pledges/" + strconv.FormatInt(w.p.ID, 10) + "/deliveries"
	gb := signedInAs(t, w.authWorld, "gb@example.org")
	t.Run("as the donor's delegate", func(t *testing.T) {
		before := len(w.deliveries(t))
		if status, page := gb.post(add, deliveryValues(0)); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 (%.300s)", status, page)
		}
		ds := w.deliveries(t)
		if got, want := len(ds), before+1; got != want {
			t.Fatalf("%d deliveries, want %d", got, want)
		}
		var d *coalition.Delivery
		for _, x := range ds {
			if x.Source == "https://example.org/second" {
				d = x
			}
		}
		if d == nil {
			t.Fatal("the new delivery is not stored")
		}
		if got, want := d.AmountEUR, int64(2_500_000_00); got != want {
			t.Errorf("amount %d cents, want %d", got, want)
		}
		if d.Quantity == nil || *d.Quantity != 4 {
			t.Errorf("quantity %v, want 4", d.Quantity)
		}
		if !auditHas(t, w.authWorld, "delivery", "create", d.ID) {
			t.Errorf("no audit entry for the new delivery")
		}
	})
	for _, c := range []formCase{
		{"as another country's delegate", "fr@example.org", deliveryValues(0), http.StatusForbidden, "GBR"},
		{"amount not a number", "gb@example.org", with(deliveryValues(0), "amount", "much"), http.StatusBadRequest, "Amount (EUR): &#34;much&#34; is not an amount"},
		{"in the future", "gb@example.org", with(deliveryValues(0), "date", "2099-01-01"), http.StatusBadRequest, "Date: 2099-01-01 is in the future"},
		{"no source", "gb@example.org", with(deliveryValues(0), "source", ""), http.StatusBadRequest, "Source: every figure needs a source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(w.deliveries(t))
			status, page := signedInAs(t, w.authWorld, c.who).post(add, c.form)
			checkRefused(t, status, page, c.status, c.says)
			if got := len(w.deliveries(t)); got != before {
				t.Errorf("%d deliveries, want %d: something was written", got, before)
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		before := len(w.deliveries(t))
		res := postForm(t, gb.c, w.srv.URL+add, deliveryValues(0), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		if got := len(w.deliveries(t)); got != before {
			t.Errorf("%d deliveries, want %d: something was written", got, before)
		}
	})
}

func testDeliveryEdit(t *testing.T, w *deliveryWorld) {
	path := "/deliveries/" + strconv.FormatInt(w.d.ID, 10) + "/edit"
	gb := signedInAs(t, w.authWorld, "gb@example.org")
	unchanged := func(t *testing.T, want *coalition.Delivery) {
		t.Helper()
		got := w.delivery(t)
		if got == nil || got.Version != want.Version || got.AmountEUR != want.AmountEUR || got.Source != want.Source {
			t.Errorf("the delivery changed: %+v, want %+v", got, want)
		}
	}
	t.Run("as the donor's delegate", func(t *testing.T) {
		before := w.delivery(t)
		form := with(deliveryValues(before.Version), "source", "https://example.org/corrected")
		if status, page := gb.post(path, form); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 (%.300s)", status, page)
		}
		after := w.delivery(t)
		if got, want := after.AmountEUR, int64(2_500_000_00); got != want {
			t.Errorf("amount %d, want %d", got, want)
		}
		if got, want := after.Source, "https://example.org/corrected"; got != want {
			t.Errorf("source %s, want %s", got, want)
		}
		if got, want := after.Version, before.Version+1; got != want {
			t.Errorf("version %d, want %d", got, want)
		}
		if !auditHas(t, w.authWorld, "delivery", "update", w.d.ID) {
			t.Errorf("no audit entry for the edit")
		}
	})
	refuseForms(t, w.authWorld, []formRefusal{
		{"as another country's delegate", "fr@example.org", path, deliveryValues, http.StatusForbidden, "GBR"},
		{"date not a date", "gb@example.org", path, func(v int64) url.Values { return with(deliveryValues(v), "date", "March") }, http.StatusBadRequest, "Date: &#34;March&#34; is not a date"},
		{"no source", "gb@example.org", path, func(v int64) url.Values { return with(deliveryValues(v), "source", "") }, http.StatusBadRequest, "Source: every figure needs a source"},
	}, w.delivery, func(r *coalition.Delivery) int64 { return r.Version }, unchanged)
	refuseStaleAndCrossSite(t, gb, path, func(v int64) url.Values { return with(deliveryValues(v), "source", "x") }, w.delivery,
		func(r *coalition.Delivery) int64 { return r.Version }, unchanged)
}

func testDeliveryDelete(t *testing.T, w *deliveryWorld) {
	path := "/deliveries/" + strconv.FormatInt(w.d.ID, 10) + "/delete"
	gb := signedInAs(t, w.authWorld, "gb@example.org")
	form := func(version int64, confirm bool) url.Values {
		v := url.Values{"version": {strconv.FormatInt(version, 10)}}
		if confirm {
			v.Set("confirm", "yes")
		}
		return v
	}
	for _, c := range []struct {
		name, who      string
		stale, confirm bool
		status         int
		says           string
	}{
		{"without confirmation", "gb@example.org", false, false, http.StatusBadRequest, "Confirmation: tick the box"},
		{"at a stale version", "gb@example.org", true, true, http.StatusConflict, "changed by someone else"},
		{"as another country's delegate", "fr@example.org", false, true, http.StatusForbidden, "GBR"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := w.delivery(t).Version
			if c.stale {
				v--
			}
			status, page := signedInAs(t, w.authWorld, c.who).post(path, form(v, c.confirm))
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
			if !strings.Contains(page, c.says) {
				t.Errorf("the page does not say %q", c.says)
			}
			if w.delivery(t) == nil {
				t.Errorf("the delivery was deleted")
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		res := postForm(t, gb.c, w.srv.URL+path, form(w.delivery(t).Version, true), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		if w.delivery(t) == nil {
			t.Errorf("the delivery was deleted")
		}
	})
	t.Run("as the donor's delegate", func(t *testing.T) {
		if status, _ := gb.post(path, form(w.delivery(t).Version, true)); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", status)
		}
		if w.delivery(t) != nil {
			t.Errorf("the delivery is still there")
		}
		if !auditHas(t, w.authWorld, "delivery", "delete", w.d.ID) {
			t.Errorf("no audit entry for the delete")
		}
	})
}

func testStageForm(t *testing.T, w *deliveryWorld) {
	path := "/pledges/" + strconv.FormatInt(w.p.ID, 10) + "/stages"
	gb := signedInAs(t, w.authWorld, "gb@example.org")
	stages := func(t *testing.T) []coalition.StageEntry {
		t.Helper()
		h, _, err := w.store.PledgeHistory(w.admin, w.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []coalition.StageEntry
		for _, e := range h {
			if e.DeliveryID == 0 && !e.Implied {
				out = append(out, e)
			}
		}
		return out
	}
	valid := func() url.Values {
		return url.Values{"stage": {"allocated"}, "date": {"2026-02-10"}, "amount": {"60000000"}, "currency": {"EUR"}, "source": {"https://example.org/allocated"}}
	}
	t.Run("as the donor's delegate", func(t *testing.T) {
		before := len(stages(t))
		if status, page := gb.post(path, valid()); status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 (%.300s)", status, page)
		}
		after := stages(t)
		if got, want := len(after), before+1; got != want {
			t.Fatalf("%d recorded steps, want %d", got, want)
		}
		e := after[len(after)-1]
		if got, want := e.Stage, coalition.Allocated; got != want {
			t.Errorf("stage %s, want %s", got, want)
		}
		if got, want := e.Amount.Minor, int64(60_000_000_00); got != want {
			t.Errorf("amount %d, want %d", got, want)
		}
		if !auditHas(t, w.authWorld, "pledge_stage", "create", e.ID) {
			t.Errorf("no audit entry for the step")
		}
		p, err := w.store.FindPledge(w.admin, w.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Status, coalition.Allocated; got != want {
			t.Errorf("pledge status %s, want %s", got, want)
		}
	})
	for _, c := range []formCase{
		{"as another country's delegate", "fr@example.org", valid(), http.StatusForbidden, "GBR"},
		{"not a stage", "gb@example.org", with(valid(), "stage", "shipped"), http.StatusBadRequest, "Stage: &#34;shipped&#34; is not one of"},
		{"amount not a number", "gb@example.org", with(valid(), "amount", "some"), http.StatusBadRequest, "Amount: &#34;some&#34; is not an amount"},
		{"no source", "gb@example.org", with(valid(), "source", ""), http.StatusBadRequest, "Source: every figure needs a source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(stages(t))
			status, page := signedInAs(t, w.authWorld, c.who).post(path, c.form)
			if status != c.status {
				t.Errorf("status %d, want %d", status, c.status)
			}
			if !strings.Contains(page, c.says) {
				t.Errorf("the page does not say %q", c.says)
			}
			if got := len(stages(t)); got != before {
				t.Errorf("%d recorded steps, want %d: something was written", got, before)
			}
		})
	}
	t.Run("from another site", func(t *testing.T) {
		before := len(stages(t))
		res := postForm(t, gb.c, w.srv.URL+path, valid(), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
		if got := len(stages(t)); got != before {
			t.Errorf("%d recorded steps, want %d: something was written", got, before)
		}
	})
}
