package http

import (
	"context"
	"fmt"
	"net/http"

	"coalition"
)

// stageRow is one pledge on the country page with the figures of its stage
// history (coalition.DeriveStages): how far it got, and from which source
// it was announced.
type stageRow struct {
	Pledge                                     *coalition.Pledge
	Figures                                    coalition.StageFigures
	Announced, Committed, Allocated, Delivered float64 // EUR, for eur
	Steps                                      int     // entries in its history, deliveries included
}

func newStageRow(p *coalition.Pledge, f coalition.StageFigures, steps int) stageRow {
	return stageRow{Pledge: p, Figures: f, Steps: steps, Announced: float64(f.AnnouncedEUR) / 100,
		Committed: float64(f.CommittedEUR) / 100, Allocated: float64(f.AllocatedEUR) / 100, Delivered: float64(f.DeliveredEUR) / 100}
}

// maxStageRows bounds the country page's list of pledges entered by people.
const maxStageRows = 50

// pledgeStages lists the pledges of donor entered by people (bulk releases
// are summed in the charts above; their history is the one their record
// implies), at most maxStageRows, with their stage figures, as the user
// in ctx may see them.
func (s *server) pledgeStages(ctx context.Context, donor string) ([]stageRow, error) {
	ps, _, err := s.store.FindPledges(ctx, coalition.PledgeFilter{Donor: donor, People: true, Limit: maxStageRows})
	if err != nil {
		return nil, err
	}
	rows := make([]stageRow, 0, len(ps))
	for _, p := range ps {
		h, f, err := s.store.PledgeHistory(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, newStageRow(p, f, len(h)))
	}
	return rows, nil
}

// pledgeData is the pledge page: the record, its figures and its history.
type pledgeData struct {
	page
	Pledge     *coalition.Pledge
	Donor      string // the donor's name
	Row        stageRow
	Entries    []historyRow
	Deliveries []deliveryRow
	// Forms record deliveries and stages (ui_edit_delivery.go); nil for
	// readers who may not write the pledge's records (the store refuses
	// them anyway).
	Forms *pledgeForms
}

// historyRow is one entry of the history table, in euros for eur.
type historyRow struct {
	coalition.StageEntry
	EUR float64
}

// pledgePage shows one pledge stage by stage, as whoever asks may see it:
// a pledge hidden from them is a 404, like its API.
func (s *server) pledgePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.pledgePageData(r)
	if err != nil {
		return err
	}
	if d.Forms != nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.render(w, http.StatusOK, "pledge.html", d)
}

// pledgePageData is the pledge page of pledge {id}, its forms empty.
func (s *server) pledgePageData(r *http.Request) (pledgeData, error) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return pledgeData{}, err
	}
	p, err := s.store.FindPledge(ctx, id)
	if err != nil {
		return pledgeData{}, err
	}
	h, f, err := s.store.PledgeHistory(ctx, id)
	if err != nil {
		return pledgeData{}, err
	}
	names, err := s.countryNames(ctx)
	if err != nil {
		return pledgeData{}, err
	}
	d := pledgeData{page: s.newPage(fmt.Sprintf("%s: pledge of %s", names[p.Donor], p.Announced), "donors"), Pledge: p, Donor: names[p.Donor], Row: newStageRow(p, f, len(h))}
	for _, e := range h {
		d.Entries = append(d.Entries, historyRow{StageEntry: e, EUR: float64(e.AmountEUR) / 100})
	}
	if d.Deliveries, err = s.pledgeDeliveries(ctx, id); err != nil {
		return pledgeData{}, err
	}
	if coalition.CanWrite(coalition.UserFrom(ctx), p.Donor, p.CoalitionID) {
		d.Forms = newPledgeForms(p)
	}
	return d, nil
}
