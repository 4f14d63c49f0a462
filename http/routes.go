package http

import (
	"net/http"

	"coalition"
)

// route is one line of the route table: everything the server knows of a
// route. Its handler is wrapped once, at registration (see wrap in
// access.go); no middleware looks a pattern up again.
type route struct {
	pattern string
	access  access       // who may call it (access.go)
	class   class        // its deadline, body limit and rate (ops.go)
	weight  weight       // light, or an analysis that waits for a slot (heavy.go)
	h       http.Handler // the handler itself
}

// routes is the whole HTTP surface, one line per route:
// pattern, access, class, weight, handler.
func (s *server) routes() []route {
	return []route{
		{"GET /healthz", anyone, classRead, light, s.handle(s.healthz)},
		{"GET /readyz", anyone, classRead, light, s.handle(s.readiness)},
		{"GET /metrics", auditor, classRead, light, s.handle(s.metricsPage)},
		{"GET /api/v1/openapi.yaml", anyone, classRead, light, s.handle(s.openapi)},
		{"GET /api/v1/categories", anyone, classRead, light, s.handle(s.listCategories)},
		{"GET /api/v1/countries", anyone, classRead, light, s.handle(s.listCountries)},
		{"GET /api/v1/countries/{iso3}", anyone, classRead, light, s.handle(s.getCountry)},
		{"GET /api/v1/groups", anyone, classRead, light, s.handle(s.listGroups)},
		{"GET /api/v1/datasets", anyone, classRead, light, s.handle(s.listDatasets)},
		{"GET /api/v1/coalitions", anyone, classRead, light, s.handle(s.listCoalitions)},
		{"GET /api/v1/coalitions/{id}", anyone, classRead, light, s.handle(s.getCoalition)},
		{"GET /api/v1/donors", anyone, classRead, light, s.handle(s.listDonors)},
		{"GET /api/v1/donors/monthly", anyone, classRead, light, s.handle(s.listDonorMonths)},
		{"GET /api/v1/pledges", anyone, classRead, light, s.handle(s.listPledges)},
		{"GET /api/v1/pledges/{id}", anyone, classRead, light, s.handle(s.getPledge)},
		{"GET /api/v1/engagements", anyone, classRead, light, s.handle(s.listEngagements)},
		{"GET /api/v1/engagements/{id}", anyone, classRead, light, s.handle(s.getEngagement)},
		{"GET /api/v1/targets", anyone, classRead, light, s.handle(s.getTargets)},
		{"GET /api/v1/prospects", anyone, classRead, heavy, s.handle(s.getProspects)},
		{"GET /api/v1/coverage", anyone, classRead, heavy, s.handle(s.getCoverage)},
		{"GET /api/v1/needs", anyone, classRead, light, s.handle(s.getNeeds)},
		{"GET /api/v1/scenarios/builtin/{name}", anyone, classRead, heavy, s.handle(s.getBuiltinScenario)},
		{"POST /api/v1/scenarios/run", anyone, classAnalysis, heavy, s.handle(s.runScenario)},
		{"POST /api/v1/scenarios", signedIn, classWrite, heavyWriter, s.handle(s.createScenario)},
		{"GET /api/v1/scenarios", anyone, classRead, light, s.handle(s.listScenarios)},
		{"GET /api/v1/scenarios/{id}", anyone, classRead, light, s.handle(s.getScenario)},
		{"POST /api/v1/risk", anyone, classModel, heavy, s.handle(s.postRisk)},
		{"GET /api/v1/risk/coalition/{code}", anyone, classRead, heavy, s.handle(s.getRiskCoalition)},
		{"GET /api/v1/deliveries", anyone, classRead, light, s.handle(s.listDeliveries)},
		{"GET /api/v1/deliveries/{id}", anyone, classRead, light, s.handle(s.getDelivery)},
		{"GET /api/v1/requirements", anyone, classRead, light, s.handle(s.listRequirements)},
		{"GET /api/v1/requirements/{id}", anyone, classRead, light, s.handle(s.getRequirement)},
		{"GET /api/v1/risk-events", anyone, classRead, light, s.handle(s.listRiskEvents)},
		{"GET /api/v1/risk-events/{id}", anyone, classRead, light, s.handle(s.getRiskEvent)},
		{"POST /api/v1/pledges", signedIn, classWrite, light, s.handle(s.createPledge)},
		{"PATCH /api/v1/pledges/{id}", signedIn, classWrite, light, s.handle(s.updatePledge)},
		{"DELETE /api/v1/pledges/{id}", signedIn, classWrite, light, s.handle(s.deletePledge)},
		{"POST /api/v1/deliveries", signedIn, classWrite, light, s.handle(s.createDelivery)},
		{"PATCH /api/v1/deliveries/{id}", signedIn, classWrite, light, s.handle(s.updateDelivery)},
		{"DELETE /api/v1/deliveries/{id}", signedIn, classWrite, light, s.handle(s.deleteDelivery)},
		{"POST /api/v1/requirements", signedIn, classWrite, light, s.handle(s.createRequirement)},
		{"PATCH /api/v1/requirements/{id}", signedIn, classWrite, light, s.handle(s.updateRequirement)},
		{"DELETE /api/v1/requirements/{id}", signedIn, classWrite, light, s.handle(s.deleteRequirement)},
		{"POST /api/v1/engagements", signedIn, classWrite, light, s.handle(s.createEngagement)},
		{"PATCH /api/v1/engagements/{id}", signedIn, classWrite, light, s.handle(s.updateEngagement)},
		{"DELETE /api/v1/engagements/{id}", signedIn, classWrite, light, s.handle(s.deleteEngagement)},
		{"PATCH /api/v1/coalitions/{id}", signedIn, classWrite, light, s.handle(s.updateCoalition)},
		{"PATCH /api/v1/risk-events/{id}", signedIn, classWrite, light, s.handle(s.updateRiskEvent)},
		{"DELETE /api/v1/risk-events/{id}", signedIn, classWrite, light, s.handle(s.deleteRiskEvent)},
		{"POST /api/v1/login", anyone, classSignIn, light, s.handle(s.apiLogin)},
		{"POST /api/v1/logout", signedIn, classWrite, light, s.handle(s.apiLogout)},
		{"GET /api/v1/me", signedIn, classRead, light, s.handle(s.apiMe)},
		{"POST /api/v1/me/password", signedIn, classWrite, light, s.handle(s.apiPassword)},
		{"GET /api/v1/tokens", signedIn, classRead, light, s.handle(s.apiListTokens)},
		{"POST /api/v1/tokens", signedIn, classWrite, light, s.handle(s.apiCreateToken)},
		{"DELETE /api/v1/tokens/{id}", signedIn, classWrite, light, s.handle(s.apiRevokeToken)},
		{"GET /api/v1/users", adminOnly, classRead, light, s.handle(s.apiListUsers)},
		{"GET /api/v1/users/{id}", adminOnly, classRead, light, s.handle(s.apiGetUser)},
		{"POST /api/v1/users", adminOnly, classWrite, light, s.handle(s.apiCreateUser)},
		{"PATCH /api/v1/users/{id}", adminOnly, classWrite, light, s.handle(s.apiUpdateUser)},
		{"GET /api/v1/audit", auditor, classRead, light, s.handle(s.apiAudit)},
		{"GET /api/v1/audit/verify", auditor, classRead, light, s.handle(s.apiAuditVerify)},
		{"POST /api/v1/imports", signedIn, classImport, heavyWriter, s.handle(s.postImport)},
		{"GET /api/v1/export/{what}", anyone, classRead, light, s.handle(s.getExport)},
		{"GET /api/", anyone, classRead, light, s.handle(s.apiNotFound)},
		{"GET /static/", anyone, classRead, light, s.static()},
		{"GET /{$}", anyone, classRead, light, s.handlePage(s.overviewPage)},
		{"GET /donors", anyone, classRead, light, s.handlePage(s.donorsPage)},
		{"GET /donors.csv", anyone, classRead, light, s.handle(s.donorsCSV)},
		{"GET /countries/{iso3}", anyone, classRead, light, s.handlePage(s.countryPage)},
		{"GET /coalitions", anyone, classRead, light, s.handlePage(s.coalitionsPage)},
		{"GET /coalitions/{id}", anyone, classRead, light, s.handlePage(s.coalitionPage)},
		{"GET /engagements", anyone, classRead, light, s.handlePage(s.engagementsPage)},
		{"GET /scenarios", anyone, classRead, heavy, s.handlePage(s.scenariosPage)},
		{"GET /risk", anyone, classRead, heavy, s.handlePage(s.riskPage)},
		{"GET /targets", anyone, classRead, light, s.handlePage(s.targetsPage)},
		{"GET /csv/{chart}", anyone, classRead, light, s.handle(s.chartCSV)},
		{"GET /login", anyone, classRead, light, s.handlePage(s.loginPage)},
		{"POST /login", anyone, classSignIn, light, s.handlePage(s.loginSubmit)},
		{"POST /logout", signedIn, classWrite, light, s.handlePage(s.logoutSubmit)},
		{"GET /account", signedIn, classRead, light, s.handlePage(s.accountPage)},
		{"POST /account/password", signedIn, classSmall, light, s.handlePage(s.accountPassword)},
		{"POST /account/tokens", signedIn, classSmall, light, s.handlePage(s.accountCreateToken)},
		{"POST /account/tokens/{id}/revoke", signedIn, classSmall, light, s.handlePage(s.accountRevokeToken)},
		{"GET /admin/users", adminOnly, classRead, light, s.handlePage(s.usersPage)},
		{"POST /admin/users", adminOnly, classSmall, light, s.handlePage(s.usersCreate)},
		{"POST /admin/users/{id}/disable", adminOnly, classSmall, light, s.handlePage(s.usersSetDisabled(true))},
		{"POST /admin/users/{id}/enable", adminOnly, classSmall, light, s.handlePage(s.usersSetDisabled(false))},
		{"GET /audit", auditor, classRead, light, s.handlePage(s.auditPage)},
		{"POST /api/v1/ingest", signedIn, classText, light, s.handle(s.postIngest)},
		{"GET /api/v1/proposals", signedIn, classRead, light, s.handle(s.listProposals)},
		{"GET /api/v1/proposals/{id}", signedIn, classRead, light, s.handle(s.getProposal)},
		{"POST /api/v1/proposals/{id}/accept", signedIn, classSmall, light, s.handle(s.acceptProposal)},
		{"POST /api/v1/proposals/{id}/reject", signedIn, classSmall, light, s.handle(s.rejectProposal)},
		{"GET /review", signedIn, classRead, light, s.handlePage(s.reviewPage)},
		{"POST /review", signedIn, classText, light, s.handlePage(s.reviewSubmitText)},
		{"POST /review/proposals/{id}/accept", signedIn, classText, light, s.handlePage(s.reviewDecide(coalition.Accept))}, // text: the record as edited
		{"POST /review/proposals/{id}/reject", signedIn, classSmall, light, s.handlePage(s.reviewDecide(coalition.Reject))},
	}
}
