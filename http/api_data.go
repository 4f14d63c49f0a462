package http

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"coalition"
	"coalition/report"
)

func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	return encode(w, r, http.StatusOK, map[string]any{"status": "ok", "version": s.cfg.Version})
}

func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Ready(r.Context()); err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, map[string]any{"status": "ready"})
}

func (s *server) openapi(w http.ResponseWriter, r *http.Request) error {
	b, err := fs.ReadFile(embedded, "openapi.yaml")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml")
	_, err = w.Write(b)
	return err
}

func (s *server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	return coalition.Errorf(coalition.NotFound, "no such endpoint: %s %s (see /api/v1/openapi.yaml)", r.Method, r.URL.Path)
}

func (s *server) listCategories(w http.ResponseWriter, r *http.Request) error {
	return encode(w, r, http.StatusOK, coalition.Categories)
}

func (s *server) listCountries(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	group := strings.ToUpper(p.str("group"))
	if p.err != nil {
		return p.err
	}
	cs, err := s.store.FindCountries(r.Context(), coalition.CountryFilter{Group: group})
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*coalition.Country{}
	}
	return encode(w, r, http.StatusOK, cs)
}

func (s *server) getCountry(w http.ResponseWriter, r *http.Request) error {
	iso := strings.ToUpper(r.PathValue("iso3"))
	if !coalition.ValidISO3(iso) {
		return coalition.FieldError("iso3", "%q is not an ISO 3166-1 alpha-3 code", r.PathValue("iso3"))
	}
	c, err := s.store.FindCountry(r.Context(), iso)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, c)
}

func (s *server) listGroups(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.store.FindGroups(r.Context())
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []*coalition.Group{}
	}
	return encode(w, r, http.StatusOK, gs)
}

func (s *server) listCoalitions(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.store.FindCoalitions(r.Context())
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*coalition.Coalition{}
	}
	return encode(w, r, http.StatusOK, cs)
}

// getCoalition accepts a numeric id or a code (COW2025).
func (s *server) getCoalition(w http.ResponseWriter, r *http.Request) error {
	// Not getRecord: a coalition is also found by its code (COW2025).
	c, err := s.findCoalition(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, c.Version) // PATCH wants it back as If-Match
	return encode(w, r, http.StatusOK, c)
}

// donorParams reads the donor table's filters, shared by the API and the page.
func donorParams(r *http.Request) (coalition.DonorFilter, error) {
	p := params{r: r}
	var f coalition.DonorFilter
	if t := p.str("type"); t != "" {
		if !coalition.ValidSupportType(t) {
			p.fail("type", "%q is not one of military, financial, humanitarian, reconstruction", t)
		}
		f.Type = coalition.SupportType(t)
	}
	for _, m := range []struct {
		name string
		dst  *coalition.Month
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := p.str(m.name); v != "" {
			month, err := coalition.ParseMonth(v)
			if err != nil {
				p.fail(m.name, "%v", err)
			}
			*m.dst = month
		}
	}
	if f.Since != 0 && f.Until != 0 && f.Until < f.Since {
		p.fail("until", "is before since")
	}
	f.Group = strings.ToUpper(p.str("group"))
	if st := p.str("status"); st != "" && !report.IsStage(st) {
		for _, v := range strings.Split(st, ",") {
			ps := coalition.PledgeStatus(strings.TrimSpace(v))
			if !ps.Valid() {
				p.fail("status", "%q is not one of announced, committed, allocated, delivered, cancelled", v)
			}
			f.Statuses = append(f.Statuses, ps)
		}
	}
	return f, p.err
}

func (s *server) listDonors(w http.ResponseWriter, r *http.Request) error {
	f, err := donorParams(r)
	if err != nil {
		return err
	}
	p := params{r: r}
	gdpYear := int(p.int64("gdp_year", 0, 0, 2100))
	notPaged(&p)
	if p.err != nil {
		return p.err
	}
	attribute, err := report.ParseAttribute(r.URL.Query().Get("attribute"))
	if err != nil {
		return err
	}
	stage := r.URL.Query().Get("status")
	if !report.IsStage(stage) {
		stage = ""
	}
	key := fmt.Sprintf("donors/%+v/%s/%s/%d", f, stage, attribute, gdpYear)
	return cachedJSON(w, r, s, key, func(ctx context.Context) ([]coalition.DonorTotal, error) {
		var rows []coalition.DonorTotal
		var err error
		if attribute == report.AttributeChannel && stage == "" {
			rows, err = s.donorTotals(ctx, f)
		} else {
			rows, err = report.Donors(ctx, s.store, f, stage, attribute)
		}
		if err != nil {
			return nil, err
		}
		if rows, err = report.RebaseGDP(rows, gdpYear); err != nil {
			return nil, err
		}
		if rows == nil {
			rows = []coalition.DonorTotal{}
		}
		return rows, nil
	})
}

func (s *server) listPledges(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.PledgeFilter{
		Donor:     p.iso3("donor"),
		Recipient: p.iso3("recipient"),
		Category:  p.str("category"),
		Status:    coalition.PledgeStatus(p.str("status")),
		From:      p.date("from"),
		To:        p.date("to"),
		After:     p.int64("after", 0, 0, 1<<62),
		Limit:     int(p.int64("limit", 100, 1, coalition.MaxPageSize)),
	}
	if f.Category != "" {
		if _, ok := coalition.CategoryByCode(f.Category); !ok {
			p.fail("category", "%q is not a category (see /api/v1/categories)", f.Category)
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		p.fail("status", "%q is not one of announced, committed, allocated, delivered, cancelled", f.Status)
	}
	if t := p.str("type"); t != "" {
		if !coalition.ValidSupportType(t) {
			p.fail("type", "%q is not one of military, financial, humanitarian, reconstruction", t)
		}
		f.Type = coalition.SupportType(t)
	}
	if p.err != nil {
		return p.err
	}
	items, more, err := s.store.FindPledges(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(p *coalition.Pledge) int64 { return p.ID }))
}

func (s *server) getPledge(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindPledge, func(x *coalition.Pledge) int64 { return x.Version })
}

func (s *server) listEngagements(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.EngagementFilter{
		Country: p.iso3("country"),
		Kind:    coalition.EngagementKind(p.str("kind")),
		Topic:   p.str("topic"),
		From:    p.date("from"),
		To:      p.date("to"),
		After:   p.int64("after", 0, 0, 1<<62),
		Limit:   int(p.int64("limit", 100, 1, coalition.MaxPageSize)),
	}
	if f.Kind != "" && !f.Kind.Valid() {
		p.fail("kind", "%q is not one of call, meeting, summit, letter, statement, pledge", f.Kind)
	}
	if p.err != nil {
		return p.err
	}
	items, more, err := s.store.FindEngagements(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(e *coalition.Engagement) int64 { return e.ID }))
}

func (s *server) getEngagement(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindEngagement, func(x *coalition.Engagement) int64 { return x.Version })
}

// unpaged wraps the handler of a list that is answered whole (countries,
// groups, categories, coalitions, datasets, risk events, tokens, users):
// like the donor lists, it refuses limit and after (400 naming the
// parameter) rather than ignore them, so every list treats them alike.
func unpaged(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := params{r: r}
		if notPaged(&p); p.err != nil {
			return p.err
		}
		return h(w, r)
	}
}

// notPaged refuses limit and after on a list that is answered whole (one
// row per donor, or per donor and month): accepting and ignoring them, as
// the donor lists once did, let a client believe it had paged.
func notPaged(p *params) {
	for _, name := range []string{"limit", "after"} {
		if p.r.URL.Query().Has(name) {
			p.fail(name, "%s is not paged: it answers every row at once; leave out limit and after", p.r.URL.Path)
		}
	}
}
