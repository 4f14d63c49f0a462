package http

import (
	"net/http"

	"coalition"
)

// pledgeInput is what a client sends to create a pledge. The store converts
// the amount to euros at the ECB monthly rate of the announcement month (or
// the nearest earlier one), which the pledge records.
type pledgeInput struct {
	Donor       string                 `json:"donor"`
	Recipient   string                 `json:"recipient"`
	CoalitionID *int64                 `json:"coalition_id"`
	Category    string                 `json:"category"`
	Amount      coalition.Money        `json:"amount"`
	Quantity    *int64                 `json:"quantity"`
	Unit        string                 `json:"unit"`
	Announced   coalition.Date         `json:"announced"`
	DeliverFrom coalition.Month        `json:"deliver_from"`
	DeliverTo   coalition.Month        `json:"deliver_to"`
	Status      coalition.PledgeStatus `json:"status"`
	Conditions  string                 `json:"conditions"`
	Visibility  coalition.Visibility   `json:"visibility"`
	Source      string                 `json:"source"`
	AsOf        coalition.Date         `json:"as_of"` // default: announced
}

func (s *server) createPledge(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[pledgeInput](w, r)
	if err != nil {
		return err
	}
	p := &coalition.Pledge{Donor: in.Donor, Recipient: in.Recipient, CoalitionID: in.CoalitionID,
		Category: in.Category, Amount: in.Amount, Quantity: in.Quantity, Unit: in.Unit, Announced: in.Announced,
		DeliverFrom: in.DeliverFrom, DeliverTo: in.DeliverTo, Status: in.Status, Conditions: in.Conditions,
		Visibility: in.Visibility, Source: in.Source, AsOf: in.AsOf}
	p.SetDefaults()
	if err := s.store.CreatePledge(r.Context(), p); err != nil {
		return err
	}
	setETag(w, p.Version)
	w.Header().Set("Location", "/api/v1/pledges/"+itoa(p.ID))
	return encode(w, r, http.StatusCreated, p)
}

func (s *server) updatePledge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	upd, err := decode[coalition.PledgeUpdate](w, r)
	if err != nil {
		return err
	}
	if upd.Version, err = ifMatch(r); err != nil {
		return err
	}
	// The euro amount is derived (coalition.ConvertPledge), never sent.
	if upd.AmountEUR != nil {
		return coalition.FieldError("amount_eur_minor", "is derived from amount at the ECB rate of the announcement month: send amount instead")
	}
	if upd.FXRate != nil {
		return coalition.FieldError("fx_rate", "is the ECB rate of the announcement month, set by the server: send amount instead")
	}
	p, err := s.store.UpdatePledge(r.Context(), id, upd)
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	return encode(w, r, http.StatusOK, p)
}

func (s *server) deletePledge(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeletePledge)
}

func (s *server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.DeliveryFilter{PledgeID: p.int64("pledge", 0, 0, 1<<62), Donor: p.iso3("donor"),
		After: p.int64("after", 0, 0, 1<<62), Limit: int(p.int64("limit", 100, 1, coalition.MaxPageSize))}
	if p.err != nil {
		return p.err
	}
	items, more, err := s.store.FindDeliveries(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(d *coalition.Delivery) int64 { return d.ID }))
}

func (s *server) createDelivery(w http.ResponseWriter, r *http.Request) error {
	d, err := decode[coalition.Delivery](w, r)
	if err != nil {
		return err
	}
	d.ID, d.Version = 0, 0
	if err := s.store.CreateDelivery(r.Context(), &d); err != nil {
		return err
	}
	setETag(w, d.Version)
	return encode(w, r, http.StatusCreated, d)
}

func (s *server) getDelivery(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindDelivery, func(x *coalition.Delivery) int64 { return x.Version })
}

// updateDelivery corrects a delivery at the version of If-Match; the store
// checks it against its pledge as it checks a new one.
func (s *server) updateDelivery(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.DeliveryUpdate, v int64) { u.Version = v }, s.store.UpdateDelivery,
		func(x *coalition.Delivery) int64 { return x.Version })
}

func (s *server) deleteDelivery(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteDelivery)
}

func (s *server) listRequirements(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.RequirementFilter{Category: p.str("category"), After: p.int64("after", 0, 0, 1<<62),
		Limit: int(p.int64("limit", 100, 1, coalition.MaxPageSize))}
	if c := p.int64("coalition", 0, 0, 1<<62); c != 0 {
		f.CoalitionID = &c
	}
	if p.err != nil {
		return p.err
	}
	items, more, err := s.store.FindRequirements(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(q *coalition.Requirement) int64 { return q.ID }))
}

func (s *server) createRequirement(w http.ResponseWriter, r *http.Request) error {
	q, err := decode[coalition.Requirement](w, r)
	if err != nil {
		return err
	}
	q.ID, q.Version = 0, 0
	if q.Visibility == "" {
		q.Visibility = coalition.CoalitionVis
	}
	if err := s.store.CreateRequirement(r.Context(), &q); err != nil {
		return err
	}
	setETag(w, q.Version)
	return encode(w, r, http.StatusCreated, q)
}

func (s *server) getRequirement(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindRequirement, func(x *coalition.Requirement) int64 { return x.Version })
}

func (s *server) updateRequirement(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.RequirementUpdate, v int64) { u.Version = v }, s.store.UpdateRequirement,
		func(x *coalition.Requirement) int64 { return x.Version })
}

func (s *server) deleteRequirement(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteRequirement)
}

func (s *server) createEngagement(w http.ResponseWriter, r *http.Request) error {
	e, err := decode[coalition.Engagement](w, r)
	if err != nil {
		return err
	}
	e.ID, e.Version = 0, 0
	if e.Visibility == "" {
		e.Visibility = coalition.Public
	}
	if err := s.store.CreateEngagement(r.Context(), &e); err != nil {
		return err
	}
	setETag(w, e.Version)
	return encode(w, r, http.StatusCreated, e)
}

func (s *server) updateEngagement(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.EngagementUpdate, v int64) { u.Version = v }, s.store.UpdateEngagement,
		func(x *coalition.Engagement) int64 { return x.Version })
}

func (s *server) deleteEngagement(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteEngagement)
}

func (s *server) updateCoalition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	upd, err := decode[coalition.CoalitionUpdate](w, r)
	if err != nil {
		return err
	}
	if upd.Version, err = ifMatch(r); err != nil {
		return err
	}
	c, err := s.store.UpdateCoalition(r.Context(), id, upd)
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return encode(w, r, http.StatusOK, c)
}

func (s *server) listRiskEvents(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.RiskEventFilter{ISO3: p.iso3("country"), From: p.date("from"), To: p.date("to")}
	if p.err != nil {
		return p.err
	}
	items, err := s.store.FindRiskEvents(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*coalition.RiskEvent{}
	}
	return encode(w, r, http.StatusOK, items)
}

func (s *server) getRiskEvent(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, s.store.FindRiskEvent, func(x *coalition.RiskEvent) int64 { return x.Version })
}

// createRiskEvent records a risk event: a date or a window (earliest,
// latest), kind, probability, factor and the source of the date.
func (s *server) createRiskEvent(w http.ResponseWriter, r *http.Request) error {
	ev, err := decode[coalition.RiskEvent](w, r)
	if err != nil {
		return err
	}
	ev.ID, ev.Version = 0, 0
	if err := s.store.CreateRiskEvent(r.Context(), &ev); err != nil {
		return err
	}
	setETag(w, ev.Version)
	return encode(w, r, http.StatusCreated, ev)
}

func (s *server) updateRiskEvent(w http.ResponseWriter, r *http.Request) error {
	return patchRecord(w, r, func(u *coalition.RiskEventUpdate, v int64) { u.Version = v }, s.store.UpdateRiskEvent,
		func(x *coalition.RiskEvent) int64 { return x.Version })
}

func (s *server) deleteRiskEvent(w http.ResponseWriter, r *http.Request) error {
	return deleteRecord(w, r, s.store.DeleteRiskEvent)
}

func itoa(v int64) string { return strconvFormat(v) }
