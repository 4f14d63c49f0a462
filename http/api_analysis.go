package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"coalition"
	"coalition/analysis"
	"coalition/refdata"
	"coalition/report"
)

func (p *params) float(name string, def float64) float64 {
	s := p.str(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		p.fail(name, "%q: want a non-negative number", s)
		return def
	}
	return v
}

func (p *params) month(name string) coalition.Month {
	s := p.str(name)
	if s == "" {
		return 0
	}
	m, err := coalition.ParseMonth(s)
	if err != nil {
		p.fail(name, "%v", err)
	}
	return m
}

func (s *server) getTargets(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	group := p.str("group")
	if p.err != nil {
		return p.err
	}
	return cachedJSON(w, r, s, "targets/"+group, func(ctx context.Context) (*report.TargetsReport, error) {
		return cached(ctx, s, "targets/"+group, func() (*report.TargetsReport, error) { return report.Targets(ctx, s.store, group) })
	})
}

func (s *server) getProspects(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	coal := p.str("coalition")
	gap := p.float("gap_eur", 0)
	opt := report.ProspectOptions{Coalition: coal, GapEUR: gap,
		Weights:   analysis.ProspectWeights{Capacity: p.float("w_capacity", 0), Alliances: p.float("w_alliances", 0), Support: p.float("w_support", 0)},
		Alignment: analysis.AlignmentWeights{Votes: p.float("a_votes", 0), Groups: p.float("a_groups", 0), Recent: p.float("a_recent", 0)},
		Exclude:   report.ParseISO3List(p.str("exclude")), CapHistory: p.float("cap_history", 0), CapGDPShare: p.float("cap_gdp_share", 0),
		IncludeIneligible: p.flag("include_ineligible"), Allow: report.ParseISO3List(p.str("allow"))}
	if p.err != nil {
		return p.err
	}
	rep, err := report.ProspectsWith(r.Context(), s.store, opt)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

func (s *server) getCoverage(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	coal := p.str("coalition")
	opt := report.CoverageOptions{From: p.month("from"), To: p.month("to"), Counts: p.str("counts"), Need: p.str("need")}
	records := p.date("records_as_of")
	if p.err != nil {
		return p.err
	}
	var store coalition.Store = s.store
	if !records.IsZero() { // as the brief's headline: the records of that day
		store = report.RecordsAsOf(s.store, records)
	}
	rep, err := report.Coverage(r.Context(), store, coal, opt)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

func (s *server) getBuiltinScenario(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	return cachedJSON(w, r, s, "builtin/"+name, func(ctx context.Context) (*report.BuiltinReport, error) {
		return cached(ctx, s, "builtin/"+name, func() (*report.BuiltinReport, error) { return report.BuiltinScenario(ctx, s.store, name) })
	})
}

// readBody reads a request body (at most its route's limit: ops.go).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, coalition.Errorf(coalition.Invalid, "reading the body: %v", err)
	}
	return b, nil
}

// runScenario runs an unsaved scenario: the body is a report.ScenarioSpec.
func (s *server) runScenario(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	spec, err := report.ParseScenarioSpec(b)
	if err != nil {
		return err
	}
	rep, err := report.RunScenario(r.Context(), s.store, spec)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

// saveScenarioRequest is the body of POST /api/v1/scenarios.
type saveScenarioRequest struct {
	Name       string               `json:"name"`
	Spec       json.RawMessage      `json:"spec"`
	Visibility coalition.Visibility `json:"visibility"` // default public
	// Risk, if set, also runs the risk model of the scenario's coalition
	// and saves it as the result's "risk" field (see api_risk.go).
	Risk *riskRequest `json:"risk,omitempty"`
}

// createScenario runs a spec and saves it with its result. Anonymous callers
// can save public scenarios only.
func (s *server) createScenario(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(w, r)
	if err != nil {
		return err
	}
	var req saveScenarioRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return coalition.Errorf(coalition.Invalid, "scenario: %v", err)
	}
	if len(req.Spec) == 0 {
		return coalition.FieldError("spec", "is required")
	}
	spec, err := report.ParseScenarioSpec(req.Spec)
	if err != nil {
		return coalition.FieldError("spec", "%s", strings.TrimPrefix(coalition.ErrorMessage(err), "scenario: "))
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = strings.TrimSpace(spec.Name)
	}
	if name == "" {
		return coalition.FieldError("name", "is required")
	}
	if req.Visibility == "" {
		req.Visibility = coalition.Public
	}
	if !req.Visibility.Valid() {
		return coalition.FieldError("visibility", "%q is not one of public, coalition, confidential", req.Visibility)
	}
	// Resolve the coalition first, then compute the result as the saved
	// record's narrowest audience would see the data, so that a result
	// saved for a wide audience never carries figures only its author may see.
	pre, err := report.RunScenario(coalition.WithUser(r.Context(), nil), s.store, spec)
	if err != nil {
		return err
	}
	coal, err := s.store.FindCoalitionByCode(r.Context(), pre.Spec.Coalition)
	if err != nil {
		return err
	}
	owner := ""
	if u := coalition.UserFrom(r.Context()); u != nil && u.Role == coalition.Delegate {
		owner = u.Country
	}
	if req.Visibility == coalition.Confidential && owner == "" {
		return coalition.FieldError("visibility", "a confidential scenario belongs to a delegate's country: save it as a delegate, or as coalition")
	}
	rep, err := report.RunScenario(coalition.WithUser(r.Context(), audience(req.Visibility, owner, coal.ID)), s.store, spec)
	if err != nil {
		return err
	}
	specJSON, err := json.Marshal(rep.Spec)
	if err != nil {
		return err
	}
	var result any = rep
	if req.Risk != nil {
		rk, err := scenarioRisk(coalition.WithUser(r.Context(), audience(req.Visibility, owner, coal.ID)), s.store, s.metrics, *req.Risk, coal.Code)
		if err != nil {
			return err
		}
		result = struct {
			*report.ScenarioReport
			Risk *report.RiskReport `json:"risk"`
		}{rep, rk}
	}
	resJSON, err := json.Marshal(result)
	if err != nil {
		return err
	}
	sc := &coalition.Scenario{Name: name, Spec: specJSON, Result: resJSON, CoalitionID: &coal.ID, Visibility: req.Visibility, Owner: owner}
	if err := s.store.CreateScenario(r.Context(), sc); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/scenarios/"+strconv.FormatInt(sc.ID, 10))
	return encode(w, r, http.StatusCreated, sc)
}

func (s *server) listScenarios(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	f := coalition.ScenarioFilter{
		After: p.int64("after", 0, 0, 1<<62),
		Limit: int(p.int64("limit", 100, 1, coalition.MaxPageSize)),
	}
	code := p.str("coalition")
	if p.err != nil {
		return p.err
	}
	if code != "" {
		c, err := s.store.FindCoalitionByCode(r.Context(), code)
		if coalition.ErrorKind(err) == coalition.NotFound {
			return coalition.FieldError("coalition", "%q is not a coalition code", code)
		}
		if err != nil {
			return err
		}
		f.CoalitionID = &c.ID
	}
	items, more, err := s.store.FindScenarios(r.Context(), f)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, newPage(items, more, func(sc *coalition.Scenario) int64 { return sc.ID }))
}

func (s *server) getScenario(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc, err := s.store.FindScenario(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(sc.Version, 10)))
	return encode(w, r, http.StatusOK, sc)
}

// audience is the narrowest reader of a record with that visibility: its
// view of the data is what a saved result may contain.
func audience(vis coalition.Visibility, owner string, coalitionID int64) *coalition.User {
	switch vis {
	case coalition.CoalitionVis:
		return &coalition.User{Role: coalition.Analyst, Coalitions: []int64{coalitionID}}
	case coalition.Confidential:
		return &coalition.User{Role: coalition.Delegate, Country: owner, Coalitions: []int64{coalitionID}}
	}
	return nil
}

// getNeeds lists a coalition's requirements visible to the caller
// (report.Needs, as `coalition needs --json`).
// listChannels is GET /api/v1/channels: the channels with their
// contributors' shares (as `coalition channels --json`).
func (s *server) listChannels(w http.ResponseWriter, r *http.Request) error {
	rep, err := report.Channels(r.Context(), s.store)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

// getProcurement is GET /api/v1/procurement: Kiel's split of the military
// aid to Ukraine by source (stocks, procurement, PURL), per month and year.
func (s *server) getProcurement(w http.ResponseWriter, r *http.Request) error {
	ms, err := refdata.Procurement()
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, map[string]any{
		"recipient": "UKR", "source": refdata.ProcurementSource, "as_of": refdata.KielAsOf.String(),
		"note":   "military aid of all donors together, EUR; PURL packages are counted under the allies that paid for them (/api/v1/channels)",
		"months": ms, "years": refdata.ProcurementByYear(ms)})
}

func (s *server) getNeeds(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	coal := p.str("coalition")
	if p.err != nil {
		return p.err
	}
	rep, err := report.Needs(r.Context(), s.store, coal)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}
