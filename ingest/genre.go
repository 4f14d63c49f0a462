package ingest

// Commentary (issue 20): an opinion column, a comment or an analysis piece
// reports and argues; it does not announce. Its amounts are mentions, with
// the reason, so that a reviewer is not asked to accept a pledge from a
// text whose author gives nothing. The genre is read only from a label at
// the very start of the text ("Opinion |", "Comment:", "ANALYSIS -"), as
// newspapers and wire services print it, never from the word elsewhere
// ("asked for comment").

// genreLabels are the labels that mark a text as commentary.
var genreLabels = map[string]bool{"opinion": true, "comment": true, "commentary": true, "analysis": true,
	"editorial": true, "op-ed": true, "column": true, "viewpoint": true}

// labelEnds are the marks that end a genre label: a bar, colon, dash or full stop.
var labelEnds = map[string]bool{"|": true, ":": true, "-": true, "–": true, "—": true, ".": true}

// commentary reports whether the text opens with a genre label.
func (d *doc) commentary() bool {
	if len(d.toks) < 2 || !genreLabels[d.toks[0].norm] {
		return false
	}
	return labelEnds[d.toks[1].norm] || d.toks[1].newline
}

// commentaryMentions turns the pledges of a commentary into mentions.
func (d *doc) commentaryMentions() {
	if !d.commentary() {
		return
	}
	for i := range d.amounts {
		a := &d.amounts[i]
		if a.kind == KindPledge {
			a.kind, a.reason = KindMention, "a commentary (the text is labelled "+d.toks[0].text+"): it reports, it does not announce"
			a.donor, a.donors, a.joint, a.trig = "", nil, nil, -1
		}
	}
}
