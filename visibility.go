package coalition

import "fmt"

// Visibility says who may see a record.
type Visibility string

const (
	Public       Visibility = "public"       // everyone, including anonymous readers
	CoalitionVis Visibility = "coalition"    // members and coordinators of the record's coalition
	Confidential Visibility = "confidential" // the owning country's delegates, coordinators, admins
)

func (v Visibility) Valid() bool {
	return v == Public || v == CoalitionVis || v == Confidential
}

func indexed(list string, i int, field string) string {
	if field == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}
