package http

import (
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// A risk event's edit page (GET and POST /risk-events/{id}/edit) and its
// delete form (POST /risk-events/{id}/delete), linked from the country
// page. What a person may change is what the store's RiskEventUpdate
// holds: the label and the assumptions (probability, factor and why);
// the date, kind and source come from the calendar it was loaded from.
// Who may is the store's rule (coalition.CanEditRisk).

// riskEventForm is a risk event's editable fields as its form shows them.
type riskEventForm struct {
	Label, Probability, Factor, Assumption, Version string
	Errors                                          formErrors // the problem, by field
}

// riskEventLabels name the form's fields in a problem.
var riskEventLabels = map[string]string{"label": "Event", "probability": "Probability (0–1)", "factor": "Factor",
	"assumption": "Assumption", "confirm": "Confirmation"}

func newRiskEventForm(e *coalition.RiskEvent) riskEventForm {
	return riskEventForm{Label: e.Label, Probability: strconv.FormatFloat(e.Probability, 'f', -1, 64),
		Factor: strconv.FormatFloat(e.Factor, 'f', -1, 64), Assumption: e.Assumption, Version: strconv.FormatInt(e.Version, 10)}
}

func postedRiskEventForm(r *http.Request) (riskEventForm, error) {
	v, err := postedForm(r)
	if err != nil {
		return riskEventForm{}, err
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return riskEventForm{Label: g("label"), Probability: g("probability"), Factor: g("factor"), Assumption: g("assumption"),
		Version: g("version")}, nil
}

// update is the form as an update of every field it shows.
func (f riskEventForm) update() (coalition.RiskEventUpdate, error) {
	upd := coalition.RiskEventUpdate{Version: formVersion(f.Version), Label: &f.Label, Assumption: &f.Assumption}
	var err error
	if upd.Probability, err = formFloat("probability", f.Probability); err != nil {
		return upd, err
	}
	if upd.Factor, err = formFloat("factor", f.Factor); err != nil {
		return upd, err
	}
	return upd, nil
}

// riskEventEditData is the data of risk-event.html.
type riskEventEditData struct {
	page
	Event *coalition.RiskEvent
	Form  riskEventForm
}

func (s *server) renderRiskEventForm(w http.ResponseWriter, status int, e *coalition.RiskEvent, f riskEventForm, problem string) error {
	d := riskEventEditData{page: s.newPage("Edit risk event", "risk"), Event: e, Form: f}
	d.Problem = problem
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "risk-event.html", d)
}

func (s *server) findRiskEvent(r *http.Request) (*coalition.RiskEvent, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.FindRiskEvent(r.Context(), id)
}

// riskEventEditPage is the edit form of risk event {id}, for those who may
// edit risk events.
func (s *server) riskEventEditPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findRiskEvent(r)
	if err != nil {
		return err
	}
	if !coalition.CanEditRisk(coalition.UserFrom(r.Context())) {
		return coalition.Errorf(coalition.Forbidden, "only admins and coordinators edit risk events")
	}
	return s.renderRiskEventForm(w, http.StatusOK, e, newRiskEventForm(e), "")
}

// riskEventsURL is the country page's list, where a saved form goes back to.
func riskEventsURL(e *coalition.RiskEvent) string { return "/countries/" + e.ISO3 + "#risk-events" }

// riskEventUpdate saves the edit form of risk event {id}
// (POST /risk-events/{id}/edit) at the version it was opened at.
func (s *server) riskEventUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findRiskEvent(r)
	if err != nil {
		return err
	}
	f, err := postedRiskEventForm(r)
	if err != nil {
		return err
	}
	upd, err := f.update()
	if err == nil {
		_, err = s.store.UpdateRiskEvent(r.Context(), e.ID, upd)
	}
	if err != nil {
		return s.riskEventRefused(w, r, e, f, err)
	}
	http.Redirect(w, r, riskEventsURL(e), http.StatusSeeOther)
	return nil
}

// riskEventDelete deletes risk event {id} at the version its form shows,
// once the box confirming it is ticked (POST /risk-events/{id}/delete).
func (s *server) riskEventDelete(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findRiskEvent(r)
	if err != nil {
		return err
	}
	if _, err := postedForm(r); err != nil {
		return err
	}
	err = coalition.FieldError("confirm", "tick the box to confirm that the risk event is to be deleted")
	if confirmed(r) {
		err = s.store.DeleteRiskEvent(r.Context(), e.ID, formVersion(r.PostForm.Get("version")))
	}
	if err != nil {
		return s.riskEventRefused(w, r, e, newRiskEventForm(e), err)
	}
	http.Redirect(w, r, riskEventsURL(e), http.StatusSeeOther)
	return nil
}

// riskEventRefused answers an edit or delete the store refused: the edit
// form with the problem named, as posted, or, when the event changed
// meanwhile, as it now is; anything else is the error page.
func (s *server) riskEventRefused(w http.ResponseWriter, r *http.Request, e *coalition.RiskEvent, f riskEventForm, err error) error {
	if !editable(err) {
		return err
	}
	problem, errs := formProblem(err, nil, riskEventLabels)
	if coalition.ErrorKind(err) == coalition.Conflict {
		cur, ferr := s.store.FindRiskEvent(r.Context(), e.ID)
		if ferr != nil {
			return ferr
		}
		e, f = cur, newRiskEventForm(cur)
	}
	f.Errors = errs
	return s.renderRiskEventForm(w, statusOf[coalition.ErrorKind(err)], e, f, problem)
}
