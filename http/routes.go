package http

// accessRules gives every route its rule (see access.go). A route without
// one answers 500 and fails TestEveryRouteHasAnAccessRule.
var accessRules = map[string]access{
	"GET /healthz": anyone, "GET /readyz": anyone, "GET /metrics": auditor, "GET /api/v1/openapi.yaml": anyone,
	"GET /api/v1/categories": anyone, "GET /api/v1/countries": anyone, "GET /api/v1/countries/{iso3}": anyone,
	"GET /api/v1/groups": anyone, "GET /api/v1/coalitions": anyone, "GET /api/v1/coalitions/{id}": anyone,
	"GET /api/v1/donors": anyone, "GET /api/v1/donors/monthly": anyone, "GET /api/v1/pledges": anyone, "GET /api/v1/pledges/{id}": anyone,
	"GET /api/v1/engagements": anyone, "GET /api/v1/engagements/{id}": anyone,
	"GET /api/v1/deliveries": anyone, "GET /api/v1/requirements": anyone, "GET /api/v1/risk-events": anyone, "GET /api/v1/risk-events/{id}": anyone,
	"GET /api/v1/targets": anyone, "GET /api/v1/prospects": anyone, "GET /api/v1/coverage": anyone,
	"GET /api/v1/scenarios/builtin/{name}": anyone, "POST /api/v1/scenarios/run": anyone,
	"GET /api/v1/scenarios": anyone, "GET /api/v1/scenarios/{id}": anyone,
	"POST /api/v1/risk": anyone, "GET /api/v1/risk/coalition/{code}": anyone,
	"GET /api/v1/export/{what}": anyone, "POST /api/v1/imports": writer,
	"GET /api/": anyone, "GET /static/": anyone,
	"GET /{$}": anyone, "GET /donors": anyone, "GET /donors.csv": anyone, "GET /countries/{iso3}": anyone,
	"GET /coalitions": anyone, "GET /coalitions/{id}": anyone, "GET /engagements": anyone, "GET /csv/{chart}": anyone,
	"GET /scenarios": anyone, "GET /risk": anyone, "GET /targets": anyone,
	"POST /api/v1/login": anyone, "GET /login": anyone, "POST /login": anyone,

	"POST /api/v1/logout": signedIn, "GET /api/v1/me": signedIn, "POST /api/v1/me/password": signedIn,
	"GET /api/v1/tokens": signedIn, "POST /api/v1/tokens": signedIn, "DELETE /api/v1/tokens/{id}": signedIn,
	"POST /logout": signedIn, "GET /account": signedIn, "POST /account": signedIn,

	"POST /api/v1/pledges": writer, "PATCH /api/v1/pledges/{id}": writer, "DELETE /api/v1/pledges/{id}": writer,
	"POST /api/v1/deliveries": writer, "POST /api/v1/requirements": writer, "POST /api/v1/engagements": writer,
	"PATCH /api/v1/coalitions/{id}": writer, "PATCH /api/v1/risk-events/{id}": writer, "POST /api/v1/scenarios": writer,

	"POST /api/v1/ingest": writer, "POST /api/v1/proposals/{id}/accept": writer, "POST /api/v1/proposals/{id}/reject": writer,
	"GET /api/v1/proposals": signedIn, "GET /api/v1/proposals/{id}": signedIn, "GET /review": signedIn, "POST /review": writer,

	"GET /api/v1/audit": auditor, "GET /api/v1/audit/verify": auditor, "GET /audit": auditor,

	"GET /api/v1/users": adminOnly, "GET /api/v1/users/{id}": adminOnly, "POST /api/v1/users": adminOnly, "PATCH /api/v1/users/{id}": adminOnly,
	"GET /admin/users": adminOnly, "POST /admin/users": adminOnly,
}

// addRoutes lists the whole HTTP surface, one line per route.
func addRoutes(mux *router, s *server) {
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /readyz", s.handle(s.readiness))
	mux.Handle("GET /metrics", s.handle(s.metricsPage))
	mux.Handle("GET /api/v1/openapi.yaml", s.handle(s.openapi))
	mux.Handle("GET /api/v1/categories", s.handle(s.listCategories))
	mux.Handle("GET /api/v1/countries", s.handle(s.listCountries))
	mux.Handle("GET /api/v1/countries/{iso3}", s.handle(s.getCountry))
	mux.Handle("GET /api/v1/groups", s.handle(s.listGroups))
	mux.Handle("GET /api/v1/coalitions", s.handle(s.listCoalitions))
	mux.Handle("GET /api/v1/coalitions/{id}", s.handle(s.getCoalition))
	mux.Handle("GET /api/v1/donors", s.handle(s.listDonors))
	mux.Handle("GET /api/v1/donors/monthly", s.handle(s.listDonorMonths))
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
	mux.Handle("POST /api/v1/risk", s.handle(s.postRisk))
	mux.Handle("GET /api/v1/risk/coalition/{code}", s.handle(s.getRiskCoalition))
	mux.Handle("GET /api/v1/deliveries", s.handle(s.listDeliveries))
	mux.Handle("GET /api/v1/requirements", s.handle(s.listRequirements))
	mux.Handle("GET /api/v1/risk-events", s.handle(s.listRiskEvents))
	mux.Handle("GET /api/v1/risk-events/{id}", s.handle(s.getRiskEvent))
	mux.Handle("POST /api/v1/pledges", s.handle(s.createPledge))
	mux.Handle("PATCH /api/v1/pledges/{id}", s.handle(s.updatePledge))
	mux.Handle("DELETE /api/v1/pledges/{id}", s.handle(s.deletePledge))
	mux.Handle("POST /api/v1/deliveries", s.handle(s.createDelivery))
	mux.Handle("POST /api/v1/requirements", s.handle(s.createRequirement))
	mux.Handle("POST /api/v1/engagements", s.handle(s.createEngagement))
	mux.Handle("PATCH /api/v1/coalitions/{id}", s.handle(s.updateCoalition))
	mux.Handle("PATCH /api/v1/risk-events/{id}", s.handle(s.updateRiskEvent))
	mux.Handle("POST /api/v1/login", s.handle(s.apiLogin))
	mux.Handle("POST /api/v1/logout", s.handle(s.apiLogout))
	mux.Handle("GET /api/v1/me", s.handle(s.apiMe))
	mux.Handle("POST /api/v1/me/password", s.handle(s.apiPassword))
	mux.Handle("GET /api/v1/tokens", s.handle(s.apiListTokens))
	mux.Handle("POST /api/v1/tokens", s.handle(s.apiCreateToken))
	mux.Handle("DELETE /api/v1/tokens/{id}", s.handle(s.apiRevokeToken))
	mux.Handle("GET /api/v1/users", s.handle(s.apiListUsers))
	mux.Handle("POST /api/v1/users", s.handle(s.apiCreateUser))
	mux.Handle("GET /api/v1/users/{id}", s.handle(s.apiGetUser))
	mux.Handle("PATCH /api/v1/users/{id}", s.handle(s.apiUpdateUser))
	mux.Handle("GET /api/v1/audit", s.handle(s.apiAudit))
	mux.Handle("GET /api/v1/audit/verify", s.handle(s.apiAuditVerify))
	mux.Handle("POST /api/v1/imports", s.handle(s.postImport))
	mux.Handle("GET /api/v1/export/{what}", s.handle(s.getExport))
	mux.Handle("GET /api/", s.handle(s.apiNotFound))
	mux.Handle("GET /static/", s.static())
	mux.Handle("GET /{$}", s.handlePage(s.overviewPage))
	mux.Handle("GET /donors", s.handlePage(s.donorsPage))
	mux.Handle("GET /donors.csv", s.handle(s.donorsCSV))
	mux.Handle("GET /countries/{iso3}", s.handlePage(s.countryPage))
	mux.Handle("GET /coalitions", s.handlePage(s.coalitionsPage))
	mux.Handle("GET /coalitions/{id}", s.handlePage(s.coalitionPage))
	mux.Handle("GET /engagements", s.handlePage(s.engagementsPage))
	mux.Handle("GET /scenarios", s.handlePage(s.scenariosPage))
	mux.Handle("GET /risk", s.handlePage(s.riskPage))
	mux.Handle("GET /targets", s.handlePage(s.targetsPage))
	mux.Handle("GET /csv/{chart}", s.handle(s.chartCSV))
	mux.Handle("GET /login", s.handlePage(s.loginPage))
	mux.Handle("POST /login", s.handlePage(s.loginSubmit))
	mux.Handle("POST /logout", s.handlePage(s.logoutSubmit))
	mux.Handle("GET /account", s.handlePage(s.accountPage))
	mux.Handle("POST /account", s.handlePage(s.accountSubmit))
	mux.Handle("GET /admin/users", s.handlePage(s.usersPage))
	mux.Handle("POST /admin/users", s.handlePage(s.usersSubmit))
	mux.Handle("GET /audit", s.handlePage(s.auditPage))
	mux.Handle("POST /api/v1/ingest", s.handle(s.postIngest))
	mux.Handle("GET /api/v1/proposals", s.handle(s.listProposals))
	mux.Handle("GET /api/v1/proposals/{id}", s.handle(s.getProposal))
	mux.Handle("POST /api/v1/proposals/{id}/accept", s.handle(s.acceptProposal))
	mux.Handle("POST /api/v1/proposals/{id}/reject", s.handle(s.rejectProposal))
	mux.Handle("GET /review", s.handlePage(s.reviewPage))
	mux.Handle("POST /review", s.handlePage(s.reviewSubmit))
}
