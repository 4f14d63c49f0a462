package http

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"coalition"
)

// A pledge's deliveries and stages on its page, and the forms that record
// them: a delivery (POST /pledges/{id}/deliveries), a stage (POST
// /pledges/{id}/stages), and a delivery's edit page (GET and POST
// /deliveries/{id}/edit) with its delete form (POST
// /deliveries/{id}/delete). Who may write them is the store's rule
// (coalition.CanWrite on the pledge's donor and coalition); the page only
// hides the forms from those it would refuse.

// deliveryForm is a delivery as its form shows it: text, as typed.
type deliveryForm struct {
	Date, Amount, Quantity, Source, OverDelivery, Version string
	Errors                                                formErrors // the problem, by field
}

// deliveryFields maps the store's field names to the form's.
var deliveryFields = map[string]string{"amount_eur_minor": "amount"}

// deliveryLabels name the form's fields in a problem.
var deliveryLabels = map[string]string{"date": "Date", "amount": "Amount (EUR)", "quantity": "Quantity", "source": "Source",
	"over_delivery": "Why more than allocated", "confirm": "Confirmation"}

func newDeliveryForm(d *coalition.Delivery) deliveryForm {
	f := deliveryForm{Date: d.Date.String(), Amount: euroText(d.AmountEUR), Source: d.Source, OverDelivery: d.OverDelivery,
		Version: strconv.FormatInt(d.Version, 10)}
	if d.Quantity != nil {
		f.Quantity = strconv.FormatInt(*d.Quantity, 10)
	}
	return f
}

func postedDeliveryForm(r *http.Request) (deliveryForm, error) {
	v, err := postedForm(r)
	if err != nil {
		return deliveryForm{}, err
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return deliveryForm{Date: g("date"), Amount: g("amount"), Quantity: g("quantity"), Source: g("source"),
		OverDelivery: g("over_delivery"), Version: g("version")}, nil
}

// delivery reads the form into a delivery of pledge; what is not a date,
// amount or number is an Invalid error naming its field.
func (f deliveryForm) delivery(pledge int64) (*coalition.Delivery, error) {
	d := &coalition.Delivery{PledgeID: pledge, Source: f.Source, OverDelivery: f.OverDelivery}
	var err error
	if d.Date, err = formDate("date", f.Date); err != nil {
		return nil, err
	}
	if d.AmountEUR, err = formEuros("amount", f.Amount); err != nil {
		return nil, err
	}
	if d.Quantity, err = formInt("quantity", f.Quantity); err != nil {
		return nil, err
	}
	return d, nil
}

// update is the form as an update of every field it shows, at the version
// it was opened at.
func (f deliveryForm) update(pledge int64) (coalition.DeliveryUpdate, error) {
	d, err := f.delivery(pledge)
	if err != nil {
		return coalition.DeliveryUpdate{}, err
	}
	return coalition.DeliveryUpdate{Version: formVersion(f.Version), Date: &d.Date, AmountEUR: &d.AmountEUR,
		Quantity: d.Quantity, Source: &d.Source, OverDelivery: &d.OverDelivery}, nil
}

// stageForm is a stage entry as its form shows it.
type stageForm struct {
	Stage, Date, Amount, Currency, Source, Correction string
}

// stageFields maps the store's field names to the form's.
var stageFields = map[string]string{"amount.minor": "amount", "amount.currency": "currency", "amount_eur_minor": "amount"}

// stageLabels name the form's fields in a problem.
var stageLabels = map[string]string{"stage": "Stage", "date": "Date", "amount": "Amount", "currency": "Currency",
	"source": "Source", "correction": "Why (a correction)"}

func postedStageForm(r *http.Request) (stageForm, error) {
	v, err := postedForm(r)
	if err != nil {
		return stageForm{}, err
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return stageForm{Stage: g("stage"), Date: g("date"), Amount: g("amount"), Currency: strings.ToUpper(g("currency")),
		Source: g("source"), Correction: g("correction")}, nil
}

// entry reads the form into a step of pledge p's history.
func (f stageForm) entry(p *coalition.Pledge) (*coalition.StageEntry, error) {
	e := &coalition.StageEntry{PledgeID: p.ID, Stage: coalition.PledgeStatus(f.Stage), Source: f.Source, Correction: f.Correction,
		Amount: coalition.Money{Currency: f.Currency}}
	if e.Amount.Currency == "" {
		e.Amount.Currency = p.Amount.Currency
	}
	var err error
	if e.Date, err = formDate("date", f.Date); err != nil {
		return nil, err
	}
	if f.Amount != "" {
		if e.Amount.Minor, err = coalition.ParseDecimal(strings.ReplaceAll(f.Amount, ",", ""), 1, e.Amount.Currency); err != nil {
			return nil, coalition.FieldError("amount", "%q is not an amount (e.g. 1000000 or -250000 for a correction)", f.Amount)
		}
	}
	return e, nil
}

// pledgeForms are the forms of the pledge page, for those who may write
// the pledge's records: nil for the others.
type pledgeForms struct {
	Delivery    deliveryForm
	Stage       stageForm
	StageErrors formErrors
	Stages      []coalition.PledgeStatus
}

// deliveryRow is one delivery of the pledge page's table.
type deliveryRow struct {
	*coalition.Delivery
	EUR float64
}

// pledgeDeliveries are pledge id's deliveries as the user in ctx may see
// them.
func (s *server) pledgeDeliveries(ctx context.Context, id int64) ([]deliveryRow, error) {
	ds, _, err := s.store.FindDeliveries(ctx, coalition.DeliveryFilter{PledgeID: id, Limit: coalition.MaxPageSize})
	if err != nil {
		return nil, err
	}
	rows := make([]deliveryRow, 0, len(ds))
	for _, d := range ds {
		rows = append(rows, deliveryRow{Delivery: d, EUR: float64(d.AmountEUR) / 100})
	}
	return rows, nil
}

// newPledgeForms are the empty forms of pledge p: today's date, its
// currency.
func newPledgeForms(p *coalition.Pledge) *pledgeForms {
	today := coalition.DateOf(time.Now().UTC()).String()
	return &pledgeForms{Delivery: deliveryForm{Date: today}, Stage: stageForm{Date: today, Currency: p.Amount.Currency},
		Stages: []coalition.PledgeStatus{coalition.Committed, coalition.Allocated, coalition.Announced, coalition.Cancelled}}
}

// pledgeFormAnswer answers a form of the pledge page the store refused:
// the page again with the problem, and the form as posted (set by mark);
// anything but an invalid value is the error page.
func (s *server) pledgeFormAnswer(w http.ResponseWriter, r *http.Request, err error, fields, labels map[string]string,
	mark func(*pledgeForms, formErrors)) error {
	if coalition.ErrorKind(err) != coalition.Invalid {
		return err
	}
	d, err2 := s.pledgePageData(r)
	if err2 != nil {
		return err2
	}
	problem, errs := formProblem(err, fields, labels)
	if errs == nil {
		errs = formErrors{}
	}
	d.Problem = problem
	if d.Forms != nil {
		mark(d.Forms, errs)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, http.StatusBadRequest, "pledge.html", d)
}

// pledgeURL is the pledge page, where a saved form goes back to.
func pledgeURL(id int64, anchor string) string {
	return "/pledges/" + strconv.FormatInt(id, 10) + "#" + anchor
}

// deliveryCreate records a delivery of pledge {id}
// (POST /pledges/{id}/deliveries).
func (s *server) deliveryCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := postedDeliveryForm(r)
	if err != nil {
		return err
	}
	d, err := f.delivery(id)
	if err == nil {
		err = s.store.CreateDelivery(r.Context(), d)
	}
	if err != nil {
		return s.pledgeFormAnswer(w, r, err, deliveryFields, deliveryLabels, func(pf *pledgeForms, e formErrors) {
			f.Errors = e
			pf.Delivery = f
		})
	}
	http.Redirect(w, r, pledgeURL(id, "deliveries"), http.StatusSeeOther)
	return nil
}

// stageCreate records a step of pledge {id}'s history
// (POST /pledges/{id}/stages).
func (s *server) stageCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.store.FindPledge(r.Context(), id)
	if err != nil {
		return err
	}
	f, err := postedStageForm(r)
	if err != nil {
		return err
	}
	e, err := f.entry(p)
	if err == nil {
		_, err = s.store.RecordStage(r.Context(), e)
	}
	if err != nil {
		return s.pledgeFormAnswer(w, r, err, stageFields, stageLabels, func(pf *pledgeForms, e formErrors) {
			pf.Stage, pf.StageErrors = f, e
		})
	}
	http.Redirect(w, r, pledgeURL(id, "history-title"), http.StatusSeeOther)
	return nil
}

// deliveryEditData is the data of delivery.html.
type deliveryEditData struct {
	page
	Pledge   *coalition.Pledge
	Delivery *coalition.Delivery
	Form     deliveryForm // with its errors
}

func (s *server) renderDeliveryForm(w http.ResponseWriter, status int, p *coalition.Pledge, d *coalition.Delivery, f deliveryForm, problem string, errs formErrors) error {
	f.Errors = errs
	data := deliveryEditData{page: s.newPage("Edit delivery", "donors"), Pledge: p, Delivery: d, Form: f}
	data.Problem = problem
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "delivery.html", data)
}

// deliveryPledge finds delivery {id} and its pledge, as the user may see
// them.
func (s *server) deliveryPledge(r *http.Request) (*coalition.Delivery, *coalition.Pledge, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.FindDelivery(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.store.FindPledge(r.Context(), d.PledgeID)
	return d, p, err
}

// deliveryEditPage is the edit form of delivery {id}, for those who may
// write its pledge's records.
func (s *server) deliveryEditPage(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.deliveryPledge(r)
	if err != nil {
		return err
	}
	if !coalition.CanWrite(coalition.UserFrom(r.Context()), p.Donor, p.CoalitionID) {
		return coalition.Errorf(coalition.Forbidden, "you may not edit deliveries of %s", p.Donor)
	}
	return s.renderDeliveryForm(w, http.StatusOK, p, d, newDeliveryForm(d), "", nil)
}

// deliveryUpdate saves the edit form of delivery {id}
// (POST /deliveries/{id}/edit) at the version it was opened at.
func (s *server) deliveryUpdate(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.deliveryPledge(r)
	if err != nil {
		return err
	}
	f, err := postedDeliveryForm(r)
	if err != nil {
		return err
	}
	upd, err := f.update(p.ID)
	if err == nil {
		_, err = s.store.UpdateDelivery(r.Context(), d.ID, upd)
	}
	if err != nil {
		return s.deliveryRefused(w, r, d, p, f, err)
	}
	http.Redirect(w, r, pledgeURL(p.ID, "deliveries"), http.StatusSeeOther)
	return nil
}

// deliveryDelete deletes delivery {id} at the version its form shows,
// once the box confirming it is ticked (POST /deliveries/{id}/delete).
func (s *server) deliveryDelete(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.deliveryPledge(r)
	if err != nil {
		return err
	}
	if _, err := postedForm(r); err != nil {
		return err
	}
	err = coalition.FieldError("confirm", "tick the box to confirm that the delivery is to be deleted")
	if confirmed(r) {
		err = s.store.DeleteDelivery(r.Context(), d.ID, formVersion(r.PostForm.Get("version")))
	}
	if err != nil {
		return s.deliveryRefused(w, r, d, p, newDeliveryForm(d), err)
	}
	http.Redirect(w, r, pledgeURL(p.ID, "deliveries"), http.StatusSeeOther)
	return nil
}

// deliveryRefused answers an edit or delete the store refused: the edit
// form with the problem named, as posted, or, when the delivery changed
// meanwhile, as it now is; anything else is the error page.
func (s *server) deliveryRefused(w http.ResponseWriter, r *http.Request, d *coalition.Delivery, p *coalition.Pledge, f deliveryForm, err error) error {
	if !editable(err) {
		return err
	}
	problem, errs := formProblem(err, deliveryFields, deliveryLabels)
	if coalition.ErrorKind(err) == coalition.Conflict {
		cur, ferr := s.store.FindDelivery(r.Context(), d.ID)
		if ferr != nil {
			return ferr
		}
		d, f = cur, newDeliveryForm(cur)
	}
	return s.renderDeliveryForm(w, statusOf[coalition.ErrorKind(err)], p, d, f, problem, errs)
}
