package http

import (
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// An engagement's edit page (GET and POST /engagements/{id}/edit) and its
// delete form (POST /engagements/{id}/delete), linked from the
// engagements page. The participants are not edited here (the API's
// PATCH sets them); the rest of the record is. Who may edit is the
// store's rule (coalition.CanWrite on the first participant and the
// coalition).

// markEditable marks the rows of es (in the same order) the user may
// edit.
func markEditable(rows []engagementRow, es []*coalition.Engagement, u *coalition.User) []engagementRow {
	for i, e := range es {
		rows[i].Edit = len(e.Participants) > 0 && coalition.CanWrite(u, e.Participants[0].ISO3, e.CoalitionID)
	}
	return rows
}

// engagementForm is an engagement's editable fields as its form shows them.
type engagementForm struct {
	Date, Kind, Title, Summary, Topics, Asks, Outcomes, Visibility, Source, Version string
	Errors                                                                          formErrors // the problem, by field
}

// engagementFields maps the store's field names to the form's: a topic
// is the topics field.
func engagementField(field string) string {
	if strings.HasPrefix(field, "topics[") {
		return "topics"
	}
	return field
}

// engagementLabels name the form's fields in a problem.
var engagementLabels = map[string]string{"date": "Date", "kind": "Kind", "title": "Title", "summary": "Summary",
	"topics": "Topics", "asks": "Asks", "outcomes": "Outcomes", "visibility": "Visibility", "source": "Source", "confirm": "Confirmation"}

func newEngagementForm(e *coalition.Engagement) engagementForm {
	return engagementForm{Date: e.Date.String(), Kind: string(e.Kind), Title: e.Title, Summary: e.Summary,
		Topics: strings.Join(e.Topics, ", "), Asks: e.Asks, Outcomes: e.Outcomes, Visibility: string(e.Visibility),
		Source: e.Source, Version: strconv.FormatInt(e.Version, 10)}
}

func postedEngagementForm(r *http.Request) (engagementForm, error) {
	v, err := postedForm(r)
	if err != nil {
		return engagementForm{}, err
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return engagementForm{Date: g("date"), Kind: g("kind"), Title: g("title"), Summary: g("summary"), Topics: g("topics"),
		Asks: g("asks"), Outcomes: g("outcomes"), Visibility: g("visibility"), Source: g("source"), Version: g("version")}, nil
}

// update is the form as an update of every field it shows.
func (f engagementForm) update() (coalition.EngagementUpdate, error) {
	d, err := formDate("date", f.Date)
	if err != nil {
		return coalition.EngagementUpdate{}, err
	}
	topics := []string{}
	for _, t := range strings.Split(f.Topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			topics = append(topics, t)
		}
	}
	kind, vis := coalition.EngagementKind(f.Kind), coalition.Visibility(f.Visibility)
	return coalition.EngagementUpdate{Version: formVersion(f.Version), Date: &d, Kind: &kind, Title: &f.Title, Summary: &f.Summary,
		Topics: &topics, Asks: &f.Asks, Outcomes: &f.Outcomes, Visibility: &vis, Source: &f.Source}, nil
}

// engagementEditData is the data of engagement.html.
type engagementEditData struct {
	page
	Engagement *coalition.Engagement
	Form       engagementForm
	Kinds      []coalition.EngagementKind
	Visibility []coalition.Visibility
}

func (s *server) renderEngagementForm(w http.ResponseWriter, status int, e *coalition.Engagement, f engagementForm, problem string) error {
	d := engagementEditData{page: s.newPage("Edit engagement", "engagements"), Engagement: e, Form: f,
		Kinds: coalition.EngagementKinds, Visibility: []coalition.Visibility{coalition.Public, coalition.CoalitionVis, coalition.Confidential}}
	d.Problem = problem
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "engagement.html", d)
}

func (s *server) findEngagement(r *http.Request) (*coalition.Engagement, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.FindEngagement(r.Context(), id)
}

// engagementEditPage is the edit form of engagement {id}, for those who
// may edit it.
func (s *server) engagementEditPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findEngagement(r)
	if err != nil {
		return err
	}
	if rows := markEditable([]engagementRow{{}}, []*coalition.Engagement{e}, coalition.UserFrom(r.Context())); !rows[0].Edit {
		return coalition.Errorf(coalition.Forbidden, "you may not change this engagement")
	}
	return s.renderEngagementForm(w, http.StatusOK, e, newEngagementForm(e), "")
}

// engagementsURL is the engagements page, where a saved form goes back to.
const engagementsURL = "/engagements"

// engagementUpdate saves the edit form of engagement {id}
// (POST /engagements/{id}/edit) at the version it was opened at.
func (s *server) engagementUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findEngagement(r)
	if err != nil {
		return err
	}
	f, err := postedEngagementForm(r)
	if err != nil {
		return err
	}
	upd, err := f.update()
	if err == nil {
		_, err = s.store.UpdateEngagement(r.Context(), e.ID, upd)
	}
	if err != nil {
		return s.engagementRefused(w, r, e, f, err)
	}
	http.Redirect(w, r, engagementsURL, http.StatusSeeOther)
	return nil
}

// engagementDelete deletes engagement {id} at the version its form shows,
// once the box confirming it is ticked (POST /engagements/{id}/delete).
func (s *server) engagementDelete(w http.ResponseWriter, r *http.Request) error {
	e, err := s.findEngagement(r)
	if err != nil {
		return err
	}
	if _, err := postedForm(r); err != nil {
		return err
	}
	err = coalition.FieldError("confirm", "tick the box to confirm that the engagement is to be deleted")
	if confirmed(r) {
		err = s.store.DeleteEngagement(r.Context(), e.ID, formVersion(r.PostForm.Get("version")))
	}
	if err != nil {
		return s.engagementRefused(w, r, e, newEngagementForm(e), err)
	}
	http.Redirect(w, r, engagementsURL, http.StatusSeeOther)
	return nil
}

// engagementRefused answers an edit or delete the store refused: the edit
// form with the problem named, as posted, or, when the engagement changed
// meanwhile, as it now is; anything else is the error page.
func (s *server) engagementRefused(w http.ResponseWriter, r *http.Request, e *coalition.Engagement, f engagementForm, err error) error {
	if !editable(err) {
		return err
	}
	problem, errs := formProblem(err, nil, engagementLabels)
	if len(errs) == 1 {
		for k, v := range errs {
			errs = formErrors{engagementField(k): v}
		}
	}
	if coalition.ErrorKind(err) == coalition.Conflict {
		cur, ferr := s.store.FindEngagement(r.Context(), e.ID)
		if ferr != nil {
			return ferr
		}
		e, f = cur, newEngagementForm(cur)
	}
	f.Errors = errs
	return s.renderEngagementForm(w, statusOf[coalition.ErrorKind(err)], e, f, problem)
}
