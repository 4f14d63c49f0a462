package importer

import (
	"strconv"
	"strings"
)

// IATI transactions with a negative value are reversals (valid IATI: a
// disbursement returned, a commitment reduced). They are netted against
// the activity's transactions of the same type, currency, provider and
// recipient country:
// the latest earlier one first, then earlier ones, then later ones. The
// reversal records nothing itself (skipped, counted); the transactions it
// reduced record their net amount, and their provenance says by how much
// (extra "netted"); one netted to zero records nothing. A reversal with
// nothing left to net against is skipped too, counted apart.

// iatiNet is what reversals did to one transaction.
type iatiNet struct {
	reversal bool  // the transaction is a reversal
	unnetted bool  // a reversal with nothing (or not enough) to net against
	minus    int64 // minor units taken off by reversals
	by       []int // the lines of those reversals
}

// iatiNetReversals nets the negative transactions of act.
func iatiNetReversals(act *iatiActivity) {
	for i, tx := range act.txs {
		v, cur, ok := iatiMinor(act, tx)
		if !ok || v >= 0 {
			continue
		}
		tx.net.reversal = true
		left := -v
		for _, j := range iatiNetOrder(i, len(act.txs)) {
			o := act.txs[j]
			if o.net.reversal || o.typ != tx.typ || o.provider.ref != tx.provider.ref || o.country != tx.country {
				continue
			}
			ov, ocur, ok := iatiMinor(act, o)
			if !ok || ocur != cur || ov-o.net.minus <= 0 {
				continue
			}
			take := min(left, ov-o.net.minus)
			o.net.minus += take
			o.net.by = append(o.net.by, tx.line)
			if left -= take; left == 0 {
				break
			}
		}
		tx.net.unnetted = left > 0
	}
}

// iatiNetOrder is the order in which transaction i's reversal looks for
// transactions to net against: i-1 down to 0, then i+1 up to n-1.
func iatiNetOrder(i, n int) []int {
	out := make([]int, 0, n-1)
	for j := i - 1; j >= 0; j-- {
		out = append(out, j)
	}
	for j := i + 1; j < n; j++ {
		out = append(out, j)
	}
	return out
}

// iatiMinor is a transaction's value in minor units and its currency, ok
// false when either is unreadable (the transaction is then refused by the
// usual path).
func iatiMinor(act *iatiActivity, tx *iatiTx) (int64, string, bool) {
	cur := strings.ToUpper(tx.cur)
	if cur == "" {
		cur = strings.ToUpper(act.defCur)
	}
	if cur == "" || tx.value == "" {
		return 0, "", false
	}
	v, err := parseDecimal(tx.value, 1, cur)
	return v, cur, err == nil
}

// iatiNetSkip is why a transaction records nothing because of reversals,
// "" when it records its (net) amount.
func iatiNetSkip(act *iatiActivity, tx *iatiTx) string {
	switch {
	case tx.net.unnetted:
		return "reversal with nothing to net against in its activity"
	case tx.net.reversal:
		return "reversal netted against its activity"
	case tx.net.minus > 0:
		if v, _, ok := iatiMinor(act, tx); ok && v-tx.net.minus <= 0 {
			return "netted to zero by a reversal"
		}
	}
	return ""
}

// iatiNetNote is the provenance note of a netted transaction.
func iatiNetNote(tx *iatiTx, cur string) string {
	lines := make([]string, len(tx.net.by))
	for i, l := range tx.net.by {
		lines[i] = strconv.Itoa(l)
	}
	return "-" + strconv.FormatInt(tx.net.minus, 10) + " minor units of " + cur + " by the reversal at line " + strings.Join(lines, ", ")
}
