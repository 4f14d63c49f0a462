package coalition

// What an edit of a pledge record (PATCH, `UpdatePledge`) says in the
// pledge's stage history: the store appends these entries so that the
// history keeps telling the whole story and its derived figures agree
// with the record. An edit that changes the amount is an announced entry
// of the difference; one that moves the status forward is a step of the
// new stage; one that moves it back is a correction that cancels the
// later stages' steps. All are dated the day of the edit.

// EditEntries returns the entries an edit of before into after appends to
// before's history h (PledgeHistory), or the error that refuses the edit:
// lowering the amount below what was delivered (CheckPledgeAmount), or
// moving the status back, without a correction.
// source is the source the edit names for a new stage (else the pledge's);
// correction the reason the edit gives (PledgeUpdate.Correction).
func EditEntries(before, after *Pledge, h []StageEntry, today Date, source, correction string) ([]StageEntry, error) {
	f := DeriveStages(h)
	var out []StageEntry
	if before.Amount != after.Amount || before.AmountEUR != after.AmountEUR {
		if after.AmountEUR < before.AmountEUR && correction == "" {
			if err := CheckPledgeAmount(after, f); err != nil {
				return nil, err
			}
		}
		out = append(out, amountEntries(before, after, today, correction)...)
	}
	if after.Status == before.Status || after.Status == f.Stage {
		return out, nil
	}
	if source == "" {
		source = after.Source
	}
	step := func(s PledgeStatus, amount Money, eur int64) StageEntry {
		return StageEntry{PledgeID: after.ID, Stage: s, Date: today, Amount: amount, AmountEUR: eur, FXRate: after.FXRate,
			FXMonth: after.FXMonth, Source: source, Correction: correction}
	}
	if StageBefore(f.Stage, after.Status) {
		return append(out, forwardEntries(f, after, step)...), nil
	}
	back, err := backEntries(h, f, after, correction, step)
	if err != nil {
		return nil, err
	}
	return append(out, back...), nil
}

// amountEntries is the announced entry of an amount edit: the difference
// in the same currency, or the old amount taken back and the new one
// announced when the currency changed.
func amountEntries(before, after *Pledge, today Date, correction string) []StageEntry {
	if correction == "" {
		correction = "amount edited from " + before.Amount.String() + " to " + after.Amount.String()
	}
	e := StageEntry{PledgeID: after.ID, Stage: Announced, Date: today, Source: after.Source, Correction: correction,
		FXRate: after.FXRate, FXMonth: after.FXMonth}
	if before.Amount.Currency == after.Amount.Currency {
		e.Amount = Money{Minor: after.Amount.Minor - before.Amount.Minor, Currency: after.Amount.Currency}
		e.AmountEUR = after.AmountEUR - before.AmountEUR
		return []StageEntry{e}
	}
	old := e
	old.Amount, old.AmountEUR = Money{Minor: -before.Amount.Minor, Currency: before.Amount.Currency}, -before.AmountEUR
	old.FXRate, old.FXMonth = before.FXRate, before.FXMonth
	e.Amount, e.AmountEUR = after.Amount, after.AmountEUR
	return []StageEntry{old, e}
}

// forwardEntries are the steps of a status moved forward: every stage
// passed (committed, allocated, delivered up to the new status; or
// cancelled) that has no figure yet gets the pledge's whole amount, one
// that has a figure a step without an amount. The delivered stage gets the
// whole amount only when the pledge has no deliveries (the house's rule:
// delivered without deliveries is delivered in full, unitemised).
func forwardEntries(f StageFigures, p *Pledge, step func(PledgeStatus, Money, int64) StageEntry) []StageEntry {
	if p.Status == Cancelled {
		return []StageEntry{step(Cancelled, p.Amount, p.AmountEUR)}
	}
	var out []StageEntry
	for _, s := range []PledgeStatus{Committed, Allocated, Delivered} {
		if !StageBefore(f.Stage, s) || StageBefore(p.Status, s) {
			continue
		}
		if f.Figure(s) != 0 {
			out = append(out, step(s, Money{Currency: p.Amount.Currency}, 0))
			continue
		}
		out = append(out, step(s, p.Amount, p.AmountEUR))
	}
	return out
}

// backEntries are the corrections of a status moved back: the recorded
// steps of every stage after the new status are taken back (per currency,
// so the figures return to zero), with the reason. Deliveries are records
// of their own and stay: corrected or deleted as deliveries, they are
// then checked against what remains (CheckDelivery).
func backEntries(h []StageEntry, f StageFigures, p *Pledge, correction string, step func(PledgeStatus, Money, int64) StageEntry) ([]StageEntry, error) {
	if correction == "" {
		return nil, FieldError("correction", "moving pledge %d back from %s to %s is a correction: say why (correction)", p.ID, f.Stage, p.Status)
	}
	var out []StageEntry
	for _, s := range []PledgeStatus{Committed, Allocated, Delivered, Cancelled} {
		if !StageBefore(p.Status, s) {
			continue
		}
		minor, eur := map[string]int64{}, map[string]int64{}
		var curs []string
		for _, e := range h {
			if e.Stage != s || e.DeliveryID != 0 {
				continue
			}
			if _, ok := minor[e.Amount.Currency]; !ok {
				curs = append(curs, e.Amount.Currency)
			}
			minor[e.Amount.Currency] += e.Amount.Minor
			eur[e.Amount.Currency] += e.AmountEUR
		}
		if len(curs) == 0 {
			continue
		}
		n := len(out)
		for _, c := range curs {
			if minor[c] != 0 || eur[c] != 0 {
				out = append(out, step(s, Money{Minor: -minor[c], Currency: c}, -eur[c]))
			}
		}
		if len(out) == n { // steps without an amount: a correction ends them
			out = append(out, step(s, Money{Currency: curs[0]}, 0))
		}
	}
	return out, nil
}
