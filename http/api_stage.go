package http

import (
	"net/http"

	"coalition"
)

// The stage history of a pledge (issue 16 §1): GET …/history is readable
// by whoever may read the pledge (the store's visibility rule), POST
// …/stages appends a step. Appending needs no If-Match: a history only
// grows, and two steps recorded at once both count; the pledge's new
// version is in the answer.

// historyOutput is a pledge's history and the figures derived from it.
type historyOutput struct {
	PledgeID int64                  `json:"pledge_id"`
	Figures  coalition.StageFigures `json:"figures"`
	Entries  []coalition.StageEntry `json:"entries"`
}

func (s *server) getPledgeHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, f, err := s.store.PledgeHistory(r.Context(), id)
	if err != nil {
		return err
	}
	if h == nil {
		h = []coalition.StageEntry{}
	}
	return encode(w, r, http.StatusOK, historyOutput{PledgeID: id, Figures: f, Entries: h})
}

// stageInput is a step a client records. The euro amount is derived (at
// the pledge's announcement rate), never sent: amount_eur_minor is not a
// field, and sending it is a 400 like any unknown field.
type stageInput struct {
	Stage      coalition.PledgeStatus `json:"stage"`
	Date       coalition.Date         `json:"date"`
	Amount     coalition.Money        `json:"amount"` // currency defaults to the pledge's
	Source     string                 `json:"source"`
	Correction string                 `json:"correction"`
}

// stageOutput is the step recorded, the pledge as it now is, and its
// figures.
type stageOutput struct {
	Entry   *coalition.StageEntry  `json:"entry"`
	Pledge  *coalition.Pledge      `json:"pledge"`
	Figures coalition.StageFigures `json:"figures"`
}

func (s *server) recordStage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decode[stageInput](w, r)
	if err != nil {
		return err
	}
	e := &coalition.StageEntry{PledgeID: id, Stage: in.Stage, Date: in.Date, Amount: in.Amount, Source: in.Source, Correction: in.Correction}
	p, err := s.store.RecordStage(r.Context(), e)
	if err != nil {
		return err
	}
	_, f, err := s.store.PledgeHistory(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	w.Header().Set("Location", "/api/v1/pledges/"+itoa(id)+"/history")
	return encode(w, r, http.StatusCreated, stageOutput{Entry: e, Pledge: p, Figures: f})
}
