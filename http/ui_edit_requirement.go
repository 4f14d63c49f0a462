package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"coalition"
)

// A coalition's requirements on its page, and the forms that set them:
// add (POST /coalitions/{id}/requirements), edit (GET and POST
// /requirements/{id}/edit) and delete (POST /requirements/{id}/delete).
// Who may write them is the store's rule (coalition.CanManageCoalition);
// the page only hides the forms from those it would refuse.

// requirementRow is one requirement of the coalition page's table.
type requirementRow struct {
	*coalition.Requirement
	Category string // its label
	Monthly  float64
}

// requirementRows are coalition c's requirements as the user in ctx may
// see them.
func (s *server) requirementRows(ctx context.Context, c *coalition.Coalition) ([]requirementRow, error) {
	qs, _, err := s.store.FindRequirements(ctx, coalition.RequirementFilter{CoalitionID: &c.ID, Limit: coalition.MaxPageSize})
	if err != nil {
		return nil, err
	}
	rows := make([]requirementRow, 0, len(qs))
	for _, q := range qs {
		label := q.Category
		if cat, ok := coalition.CategoryByCode(q.Category); ok {
			label = cat.Label
		}
		rows = append(rows, requirementRow{Requirement: q, Category: label, Monthly: q.MonthlyEUR()})
	}
	return rows, nil
}

// requirementForm is a requirement as its form shows it: text, as typed.
type requirementForm struct {
	Recipient, Category, Amount, Quantity, UnitValue, From, To, Priority string
	Visibility, Source, Capability, Unit, AsOf, Note, Version            string
}

// requirementFields maps the store's field names to the form's.
var requirementFields = map[string]string{"amount_eur_minor": "amount", "unit_value_eur_minor": "unit_value", "coalition_id": "visibility"}

// requirementLabels name the form's fields in a problem.
var requirementLabels = map[string]string{"recipient": "Recipient", "category": "Category", "amount": "Amount per month (EUR)",
	"quantity": "Quantity", "unit_value": "Unit value (EUR)", "from": "From", "to": "To", "priority": "Priority",
	"visibility": "Visibility", "source": "Source", "capability": "Capability", "unit": "Unit", "as_of": "As of", "note": "Note",
	"confirm": "Confirmation"}

// newRequirementForm is the form pre-filled with q.
func newRequirementForm(q *coalition.Requirement) requirementForm {
	f := requirementForm{Recipient: q.Recipient, Category: q.Category, Amount: euroText(q.AmountEUR),
		Priority: strconv.Itoa(q.Priority), Visibility: string(q.Visibility), Source: q.Source, Capability: q.Capability,
		Unit: q.Unit, AsOf: q.AsOf, Note: q.Note, Version: strconv.FormatInt(q.Version, 10)}
	if q.Quantity != nil {
		f.Quantity, f.UnitValue = strconv.FormatInt(*q.Quantity, 10), euroText(q.UnitValue)
	}
	if q.From != 0 {
		f.From = q.From.String()
	}
	if q.To != 0 {
		f.To = q.To.String()
	}
	return f
}

// blankRequirementForm is the add form of coalition c: its recipient, and
// visible to the coalition.
func blankRequirementForm(c *coalition.Coalition) requirementForm {
	return requirementForm{Recipient: c.Recipient, Visibility: string(coalition.CoalitionVis), Priority: "1"}
}

// postedRequirementForm reads the form as posted.
func postedRequirementForm(r *http.Request) (requirementForm, error) {
	v, err := postedForm(r)
	if err != nil {
		return requirementForm{}, err
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return requirementForm{Recipient: strings.ToUpper(g("recipient")), Category: g("category"), Amount: g("amount"),
		Quantity: g("quantity"), UnitValue: g("unit_value"), From: g("from"), To: g("to"), Priority: g("priority"),
		Visibility: g("visibility"), Source: g("source"), Capability: g("capability"), Unit: g("unit"), AsOf: g("as_of"),
		Note: g("note"), Version: g("version")}, nil
}

// requirement reads the form into a requirement of coalition c; what is
// not a number, amount or month is an Invalid error naming its field, the
// rest is the store's to check.
func (f requirementForm) requirement(c *coalition.Coalition) (*coalition.Requirement, error) {
	q := &coalition.Requirement{CoalitionID: &c.ID, Recipient: f.Recipient, Category: f.Category,
		Visibility: coalition.Visibility(f.Visibility), Source: f.Source, Capability: f.Capability, Unit: f.Unit,
		AsOf: f.AsOf, Note: f.Note}
	var prio *int64
	var err error
	if q.AmountEUR, err = formEuros("amount", f.Amount); err != nil {
		return nil, err
	}
	if q.Quantity, err = formInt("quantity", f.Quantity); err != nil {
		return nil, err
	}
	if q.UnitValue, err = formEuros("unit_value", f.UnitValue); err != nil {
		return nil, err
	}
	if q.From, err = formMonth("from", f.From); err != nil {
		return nil, err
	}
	if q.To, err = formMonth("to", f.To); err != nil {
		return nil, err
	}
	if prio, err = formInt("priority", f.Priority); err != nil {
		return nil, err
	}
	if prio != nil {
		q.Priority = int(*prio)
	}
	return q, nil
}

// update reads the form into an update of every field it shows, at the
// version it was opened at. The recipient is not editable (the store's
// RequirementUpdate has none).
func (f requirementForm) update(c *coalition.Coalition) (coalition.RequirementUpdate, error) {
	q, err := f.requirement(c)
	if err != nil {
		return coalition.RequirementUpdate{}, err
	}
	return coalition.RequirementUpdate{Version: formVersion(f.Version), Category: &q.Category, AmountEUR: &q.AmountEUR,
		Quantity: q.Quantity, UnitValue: &q.UnitValue, From: &q.From, To: &q.To, Priority: &q.Priority,
		Visibility: &q.Visibility, Source: &q.Source, Capability: &q.Capability, Unit: &q.Unit, AsOf: &q.AsOf,
		Note: &q.Note}, nil
}

// requirementVisibilities are the form's choices, the usual one first.
var requirementVisibilities = []coalition.Visibility{coalition.CoalitionVis, coalition.Public, coalition.Confidential}

// requirementEditData is the data of requirement.html: the add form after
// a problem, or the edit form of one requirement.
type requirementEditData struct {
	page
	Coalition  *coalition.Coalition
	ID         int64 // 0: a new requirement
	Form       requirementForm
	Errors     formErrors
	Categories []coalition.Category
	Visibility []coalition.Visibility
}

func (s *server) renderRequirementForm(w http.ResponseWriter, status int, c *coalition.Coalition, id int64, f requirementForm, problem string, errs formErrors) error {
	title := "New requirement"
	if id != 0 {
		title = "Edit requirement"
	}
	d := requirementEditData{page: s.newPage(title+" · "+c.Name, "coalitions"), Coalition: c, ID: id, Form: f, Errors: errs,
		Categories: coalition.Categories, Visibility: requirementVisibilities}
	d.Problem = problem
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "requirement.html", d)
}

// requirementCoalition finds requirement {id} and its coalition, as the
// user may see them.
func (s *server) requirementCoalition(r *http.Request) (*coalition.Requirement, *coalition.Coalition, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	q, err := s.store.FindRequirement(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if q.CoalitionID == nil {
		return nil, nil, coalition.Errorf(coalition.NotFound, "requirement %d belongs to no coalition: edit it through the API", id)
	}
	c, err := s.store.FindCoalition(r.Context(), *q.CoalitionID)
	return q, c, err
}

// coalitionRequirementsURL is where a saved form goes back to.
func coalitionRequirementsURL(c *coalition.Coalition) string {
	return "/coalitions/" + strconv.FormatInt(c.ID, 10) + "#requirements"
}

// requirementCreate adds a requirement to coalition {id}
// (POST /coalitions/{id}/requirements).
func (s *server) requirementCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.findCoalition(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := postedRequirementForm(r)
	if err != nil {
		return err
	}
	q, err := f.requirement(c)
	if err == nil {
		err = s.store.CreateRequirement(r.Context(), q)
	}
	if err != nil {
		if !editable(err) {
			return err
		}
		problem, errs := formProblem(err, requirementFields, requirementLabels)
		return s.renderRequirementForm(w, statusOf[coalition.ErrorKind(err)], c, 0, f, problem, errs)
	}
	http.Redirect(w, r, coalitionRequirementsURL(c), http.StatusSeeOther)
	return nil
}

// requirementEditPage is the edit form of requirement {id}, for those who
// may set the coalition's requirements.
func (s *server) requirementEditPage(w http.ResponseWriter, r *http.Request) error {
	q, c, err := s.requirementCoalition(r)
	if err != nil {
		return err
	}
	if !coalition.CanManageCoalition(coalition.UserFrom(r.Context()), q.CoalitionID) {
		return coalition.Errorf(coalition.Forbidden, "only the coalition's coordinators set its requirements")
	}
	return s.renderRequirementForm(w, http.StatusOK, c, q.ID, newRequirementForm(q), "", nil)
}

// requirementUpdate saves the edit form of requirement {id}
// (POST /requirements/{id}/edit) at the version it was opened at.
func (s *server) requirementUpdate(w http.ResponseWriter, r *http.Request) error {
	q, c, err := s.requirementCoalition(r)
	if err != nil {
		return err
	}
	f, err := postedRequirementForm(r)
	if err != nil {
		return err
	}
	f.Recipient = q.Recipient
	upd, err := f.update(c)
	if err == nil {
		_, err = s.store.UpdateRequirement(r.Context(), q.ID, upd)
	}
	if err != nil {
		return s.requirementRefused(w, r, q, c, f, err)
	}
	http.Redirect(w, r, coalitionRequirementsURL(c), http.StatusSeeOther)
	return nil
}

// requirementDelete deletes requirement {id} at the version its form
// shows, once the box confirming it is ticked
// (POST /requirements/{id}/delete).
func (s *server) requirementDelete(w http.ResponseWriter, r *http.Request) error {
	q, c, err := s.requirementCoalition(r)
	if err != nil {
		return err
	}
	if _, err := postedForm(r); err != nil {
		return err
	}
	err = coalition.FieldError("confirm", "tick the box to confirm that the requirement is to be deleted")
	if confirmed(r) {
		err = s.store.DeleteRequirement(r.Context(), q.ID, formVersion(r.PostForm.Get("version")))
	}
	if err != nil {
		return s.requirementRefused(w, r, q, c, newRequirementForm(q), err)
	}
	http.Redirect(w, r, coalitionRequirementsURL(c), http.StatusSeeOther)
	return nil
}

// requirementRefused answers an edit or delete the store refused: the
// edit form with the problem named, as posted, or, when the requirement
// changed meanwhile, as it now is; anything else is the error page.
func (s *server) requirementRefused(w http.ResponseWriter, r *http.Request, q *coalition.Requirement, c *coalition.Coalition, f requirementForm, err error) error {
	if !editable(err) {
		return err
	}
	problem, errs := formProblem(err, requirementFields, requirementLabels)
	if coalition.ErrorKind(err) == coalition.Conflict {
		cur, ferr := s.store.FindRequirement(r.Context(), q.ID)
		if ferr != nil {
			return ferr
		}
		f = newRequirementForm(cur)
	}
	return s.renderRequirementForm(w, statusOf[coalition.ErrorKind(err)], c, q.ID, f, problem, errs)
}
