package http

import (
	"context"

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
		rows = append(rows, stageRow{Pledge: p, Figures: f, Steps: len(h), Announced: float64(f.AnnouncedEUR) / 100,
			Committed: float64(f.CommittedEUR) / 100, Allocated: float64(f.AllocatedEUR) / 100, Delivered: float64(f.DeliveredEUR) / 100})
	}
	return rows, nil
}
