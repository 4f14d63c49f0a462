package http

import (
	"net/http"

	"coalition"
	"coalition/report"
)

// getForce answers GET /api/v1/coalitions/{id}/force?without-condition=:
// the sourcing view of the coalition's force requirement as the caller may
// see it, as coalition force --json does (report.Force).
func (s *server) getForce(w http.ResponseWriter, r *http.Request) error {
	rep, err := report.Force(r.Context(), s.store, r.PathValue("id"), r.URL.Query()["without-condition"])
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

func forceLineVersion(l *coalition.ForceLine) int64   { return l.Version }
func forceOfferVersion(o *coalition.ForceOffer) int64 { return o.Version }

// createForceLine answers POST /api/v1/force/lines (the coalition's
// coordinators): a line of the force requirement.
func (s *server) createForceLine(w http.ResponseWriter, r *http.Request) error {
	l, err := decode[coalition.ForceLine](w, r)
	if err != nil {
		return err
	}
	l.ID, l.Version = 0, 0
	if l.Visibility == "" {
		l.Visibility = coalition.CoalitionVis
	}
	if err := s.store.CreateForceLine(r.Context(), &l); err != nil {
		return err
	}
	setETag(w, l.Version)
	return encode(w, r, http.StatusCreated, l)
}

func (s *server) getForceLine(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindForceLine, forceLineVersion)
}

func (s *server) updateForceLine(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.ForceLineUpdate, v int64) { u.Version = v }, s.store.UpdateForceLine, forceLineVersion)
}

func (s *server) deleteForceLine(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteForceLine)
}

// createForceOffer answers POST /api/v1/force/offers: a member's offer
// against a line, written as the member's pledges are. Offers are
// confidential unless the body says otherwise, as offers usually are.
func (s *server) createForceOffer(w http.ResponseWriter, r *http.Request) error {
	o, err := decode[coalition.ForceOffer](w, r)
	if err != nil {
		return err
	}
	o.ID, o.Version, o.CoalitionID = 0, 0, 0
	if o.Visibility == "" {
		o.Visibility = coalition.Confidential
	}
	if err := s.store.CreateForceOffer(r.Context(), &o); err != nil {
		return err
	}
	setETag(w, o.Version)
	return encode(w, r, http.StatusCreated, o)
}

func (s *server) getForceOffer(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindForceOffer, forceOfferVersion)
}

func (s *server) updateForceOffer(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.ForceOfferUpdate, v int64) { u.Version = v }, s.store.UpdateForceOffer, forceOfferVersion)
}

func (s *server) deleteForceOffer(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteForceOffer)
}
