package http

import (
	"net/http"

	"coalition"
)

type auditData struct {
	page
	Entries []*coalition.AuditEntry
	Intact  bool
	Count   int64
	Reason  string
	Next    *int64
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.AuditFilter{Entity: p.str("entity"), Action: p.str("action"), After: p.int64("after", 0, 0, 1<<62), Limit: 200}
	if p.err != nil {
		return p.err
	}
	d := auditData{page: s.newPage("Audit log", "account")}
	items, more, err := s.store.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	d.Entries = items
	if more && len(items) > 0 {
		d.Next = &items[len(items)-1].Seq
	}
	if coalition.IsAdmin(coalition.UserFrom(r.Context())) {
		n, broken, reason, err := s.store.VerifyAudit(r.Context())
		if err != nil {
			return err
		}
		d.Count, d.Intact, d.Reason = n, broken == 0, reason
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusOK, "audit.html", d)
}
