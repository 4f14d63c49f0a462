package http

import "net/http"

// addRoutes lists the whole HTTP surface, one line per route.
func addRoutes(mux *http.ServeMux, s *server) {
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /readyz", s.handle(s.readyz))
	mux.Handle("GET /api/v1/openapi.yaml", s.handle(s.openapi))
	mux.Handle("GET /api/v1/categories", s.handle(s.listCategories))
	mux.Handle("GET /api/v1/countries", s.handle(s.listCountries))
	mux.Handle("GET /api/v1/countries/{iso3}", s.handle(s.getCountry))
	mux.Handle("GET /api/v1/groups", s.handle(s.listGroups))
	mux.Handle("GET /api/v1/coalitions", s.handle(s.listCoalitions))
	mux.Handle("GET /api/v1/coalitions/{id}", s.handle(s.getCoalition))
	mux.Handle("GET /api/v1/donors", s.handle(s.listDonors))
	mux.Handle("GET /api/v1/pledges", s.handle(s.listPledges))
	mux.Handle("GET /api/v1/pledges/{id}", s.handle(s.getPledge))
	mux.Handle("GET /api/v1/engagements", s.handle(s.listEngagements))
	mux.Handle("GET /api/v1/engagements/{id}", s.handle(s.getEngagement))
	mux.Handle("GET /api/v1/targets", s.handle(s.getTargets))
	mux.Handle("GET /api/v1/prospects", s.handle(s.getProspects))
	mux.Handle("GET /api/v1/coverage", s.handle(s.getCoverage))
	mux.Handle("GET /api/v1/scenarios/builtin/{name}", s.handle(s.getBuiltinScenario))
	mux.Handle("POST /api/v1/scenarios/run", s.handle(s.runScenario))
	mux.Handle("POST /api/v1/scenarios", s.handle(s.createScenario))
	mux.Handle("GET /api/v1/scenarios", s.handle(s.listScenarios))
	mux.Handle("GET /api/v1/scenarios/{id}", s.handle(s.getScenario))
	mux.Handle("GET /api/", s.handle(s.apiNotFound))
	mux.Handle("GET /static/", s.static())
	mux.Handle("GET /{$}", s.handlePage(s.overviewPage))
	mux.Handle("GET /donors", s.handlePage(s.donorsPage))
	mux.Handle("GET /donors.csv", s.handle(s.donorsCSV))
	mux.Handle("GET /countries/{iso3}", s.handlePage(s.countryPage))
	mux.Handle("GET /coalitions", s.handlePage(s.coalitionsPage))
	mux.Handle("GET /coalitions/{id}", s.handlePage(s.coalitionPage))
	mux.Handle("GET /engagements", s.handlePage(s.engagementsPage))
	mux.Handle("GET /csv/{chart}", s.handle(s.chartCSV))
}
