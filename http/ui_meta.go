package http

// describe is a page's meta description: what a reader finds there, for
// search results and link previews (issue 21: no page had one). Pages of
// one country, coalition or pledge name it through their title.
func describe(title, nav string) string {
	switch nav {
	case "overview":
		return "Who supports Ukraine with what: military, financial and humanitarian support per donor and month in euros, with the source and date of every figure."
	case "donors":
		return "Support per donor in euros and as a share of GDP, by type, period and group, with sources; downloadable as CSV."
	case "countries":
		return title + ": support given and received, defence spending against NATO's targets, memberships, elections that may change support and its fair share, with sources."
	case "coalitions":
		if title == "Coalitions" {
			return "Coalitions of the willing: their members by status, what the recipient needs and how much of it is covered."
		}
		return title + ": members, what the recipient needs, how much is covered and the gap, with sources."
	case "engagements":
		return "A timeline of calls, meetings, summits, letters and statements between governments, with participants, topics and sources."
	case "scenarios":
		return "What if a member withdraws: the new gap per category and month, and a fair burden-sharing plan over the remaining members."
	case "risk":
		return "How likely the coalition is to deliver: a Monte Carlo over elections and other political risk events, with the members whose risk matters most."
	case "targets":
		return "Members of an alliance against NATO's 2% guideline and the 2025 commitment of 3.5% core defence and 5% in all by 2035, in points of GDP and in money."
	case "equipment":
		return "Equipment pledged and delivered to Ukraine: units of each system per donor and capability, with values where the source gives them."
	case "review":
		return "Proposed engagements and pledges read from news and government statements, waiting for a person to accept or reject them."
	}
	return "Coalition: plan, track and stress-test a coalition of the willing, with the source and date of every figure."
}
