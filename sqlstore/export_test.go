package sqlstore

// PerRowRollup makes s keep the rollup triggers on during a Load into an
// empty database, as before load_rollup.go: the reference the bulk path is
// compared with.
func PerRowRollup(s *Store) { s.perRowRollup = true }

// BulkRollups is how many Loads of s computed the rollup once after their
// pledges instead of through the triggers.
func BulkRollups(s *Store) int64 { return s.bulkRollups.Load() }

// MakeAt is MakeImage with the clock at at instead of the image's.
var MakeAt = makeAt
