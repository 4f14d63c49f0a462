package coalition

import "context"

// Commitment is what a published dataset says a donor committed in a
// month (Kiel's "commitments" column) and how much of its commitments is
// still to be allocated (Kiel's "to_be_allocated", which a month can make
// negative when it allocates earlier commitments). These are stages of the
// same support as the donor's allocations (its pledges): the committed
// figure includes what was allocated since, so a commitment and its
// allocation are never added together; the pipeline is committed −
// allocated. Kiel gives commitments as one total, not per type.
type Commitment struct {
	ISO3             string `json:"iso3"`
	Month            Month  `json:"month"`
	CommittedEUR     int64  `json:"committed_eur_minor"`       // euro cents
	ToBeAllocatedEUR int64  `json:"to_be_allocated_eur_minor"` // euro cents, may be negative in a month
	Dataset          string `json:"dataset"`
	Release          string `json:"release"`
	Source           string `json:"source"`
	AsOf             Date   `json:"as_of"`
}

// CommitmentTotal is one donor's commitments summed over a period.
type CommitmentTotal struct {
	ISO3             string
	CommittedEUR     float64
	ToBeAllocatedEUR float64
	AsOf             Date
	Source           string
}

// CommitmentStore persists datasets' commitments. They are public records
// of published datasets.
type CommitmentStore interface {
	// ReplaceCommitments replaces every commitment of dataset with cs (a
	// release replaces the one before); admins and coordinators (CanLoad),
	// audited.
	ReplaceCommitments(ctx context.Context, dataset string, cs []Commitment) error
	// CommitmentTotals sums the commitments per donor within f's Since and
	// Until (its other fields do not apply), largest committed first.
	CommitmentTotals(ctx context.Context, f DonorFilter) ([]CommitmentTotal, error)
}
