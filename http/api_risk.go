package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"coalition"
	"coalition/analysis/risk"
	"coalition/report"
)

// Limits of the risk routes (docs/risk-model.md).
const (
	// MaxRiskTrials is the most trials one request may run: about 1.3 s of
	// both cores at the reference size (40 members × 10 categories × 36
	// months); more is a 400 naming "trials". The CLI has no such cap.
	MaxRiskTrials = 200_000
	// DefaultRiskTrials is the number of trials of a stored coalition's run
	// when the request names none.
	DefaultRiskTrials = report.DefaultRiskTrials
	// riskRuns is how many runs may compute at once; each uses every core.
	// Others wait for a slot, or give up when their client goes away.
	riskRuns = 2
)

var riskSlots = make(chan struct{}, riskRuns)

// riskRequest asks for the risk model of a stored coalition (POST
// /api/v1/risk with a "coalition" field, or a scenario save's "risk").
type riskRequest struct {
	Coalition          string            `json:"coalition"`
	Start              string            `json:"start"`   // YYYY-MM; default the month after the last month of support
	Horizon            int               `json:"horizon"` // months; default: to the last stored requirement, at most 36
	Trials             int               `json:"trials"`  // default 20,000; at most MaxRiskTrials
	Seed               *uint64           `json:"seed"`
	Correlation        *float64          `json:"correlation"`
	ShortfallThreshold *float64          `json:"shortfall_threshold"`
	Reliability        *risk.Reliability `json:"reliability"`
	ExactReliability   bool              `json:"exact_reliability"`
}

// options checks r and turns it into RiskModel's arguments; prefix is
// prepended to the names of fields in errors ("risk." in a scenario save).
func (rq riskRequest) options(prefix string) (coalition.Month, report.RiskOptions, error) {
	var start coalition.Month
	if rq.Start != "" {
		m, err := coalition.ParseMonth(rq.Start)
		if err != nil {
			return 0, report.RiskOptions{}, coalition.FieldError(prefix+"start", "%v", err)
		}
		start = m
	}
	if rq.Trials < 0 || rq.Trials > MaxRiskTrials {
		return 0, report.RiskOptions{}, coalition.FieldError(prefix+"trials", "want 1 to %d trials per request, got %d (run more with the CLI)", MaxRiskTrials, rq.Trials)
	}
	if rq.Horizon < 0 || rq.Horizon > report.MaxRiskHorizon {
		return 0, report.RiskOptions{}, coalition.FieldError(prefix+"horizon", "want 1 to %d months, got %d", report.MaxRiskHorizon, rq.Horizon)
	}
	if rq.Reliability != nil && rq.ExactReliability {
		return 0, report.RiskOptions{}, coalition.FieldError(prefix+"exact_reliability", "give reliability or exact_reliability, not both")
	}
	return start, report.RiskOptions{Trials: rq.Trials, Seed: rq.Seed, Correlation: rq.Correlation,
		ShortfallThreshold: rq.ShortfallThreshold, Reliability: rq.Reliability, ExactReliability: rq.ExactReliability}, nil
}

// runRisk runs a stored coalition's model on what the user in ctx may see.
func (rq riskRequest) run(ctx context.Context, s coalition.Store, obs *Metrics, prefix string) (*report.RiskReport, error) {
	start, opts, err := rq.options(prefix)
	if err != nil {
		return nil, err
	}
	in, err := report.RiskModel(ctx, s, rq.Coalition, start, rq.Horizon, opts)
	if err != nil {
		return nil, prefixField(err, prefix)
	}
	res, err := runRiskModel(ctx, obs, in.Model)
	if err != nil {
		return nil, err
	}
	return &report.RiskReport{RiskInput: in, Result: res}, nil
}

// prefixField renames the field of an Invalid error.
func prefixField(err error, prefix string) error {
	var ce *coalition.Error
	if prefix == "" || !errors.As(err, &ce) || ce.Field == "" || ce.Kind != coalition.Invalid {
		return err
	}
	return coalition.FieldError(prefix+ce.Field, "%s", ce.Message)
}

// runRiskModel runs m when a slot is free; a client that goes away (or a
// deadline) stops the wait and the run. obs (may be nil) records how long
// the run took.
func runRiskModel(ctx context.Context, obs *Metrics, m risk.Model) (risk.Result, error) {
	select {
	case riskSlots <- struct{}{}:
		defer func() { <-riskSlots }()
	case <-ctx.Done():
		return risk.Result{}, coalition.Errorf(coalition.Unavailable, "the risk run was stopped before it started: %v", ctx.Err())
	}
	began := time.Now()
	res, err := risk.Run(ctx, m, risk.Options{})
	obs.ObserveRiskRun(time.Since(began), err)
	if err != nil && ctx.Err() != nil {
		return risk.Result{}, coalition.Errorf(coalition.Unavailable, "the risk run was stopped: %v (try fewer trials)", ctx.Err())
	}
	return res, err
}

// postRisk runs a full model (the JSON of `coalition risk --input`, answered
// with the result alone) or a stored coalition's model ({"coalition": …},
// answered with the model, its sources and the result).
func (s *server) postRisk(w http.ResponseWriter, r *http.Request) error {
	b, err := io.ReadAll(r.Body) // at most its route's limit (ops.go: classModel)
	if err != nil {
		return coalition.Errorf(coalition.Invalid, "reading the body: %v", err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return coalition.Errorf(coalition.Invalid, "the body is not a JSON object: %v", err)
	}
	if _, ok := keys["coalition"]; ok {
		rq, err := decodeRiskRequest(b)
		if err != nil {
			return err
		}
		rep, err := rq.run(r.Context(), s.store, s.metrics, "")
		if err != nil {
			return err
		}
		return encode(w, r, http.StatusOK, rep)
	}
	m, err := risk.DecodeBytes(b)
	if err != nil {
		return err
	}
	if m.Trials > MaxRiskTrials {
		return coalition.FieldError("trials", "want 1 to %d trials per request, got %d (run more with the CLI)", MaxRiskTrials, m.Trials)
	}
	res, err := runRiskModel(r.Context(), s.metrics, m)
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, res)
}

// getRiskCoalition runs a stored coalition's model with the query's
// start, horizon, trials and seed.
func (s *server) getRiskCoalition(w http.ResponseWriter, r *http.Request) error {
	p := params{r: r}
	rq := riskRequest{Coalition: r.PathValue("code"), Start: p.str("start"),
		Horizon: int(p.int64("horizon", 0, 1, report.MaxRiskHorizon)),
		Trials:  int(p.int64("trials", DefaultRiskTrials, 1, MaxRiskTrials))}
	if p.str("seed") != "" {
		seed := uint64(p.int64("seed", 1, 0, 1<<62))
		rq.Seed = &seed
	}
	if p.err != nil {
		return p.err
	}
	rep, err := rq.run(r.Context(), s.store, s.metrics, "")
	if err != nil {
		return err
	}
	return encode(w, r, http.StatusOK, rep)
}

// decodeRiskRequest reads a riskRequest strictly, naming the field of the
// first problem.
func decodeRiskRequest(b []byte) (riskRequest, error) {
	var rq riskRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rq); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return rq, coalition.FieldError(ute.Field, "want %s, got %s", ute.Type, ute.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return rq, coalition.FieldError(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`),
				"is not a field of a coalition's risk request (coalition, start, horizon, trials, seed, correlation, shortfall_threshold, reliability, exact_reliability)")
		}
		return rq, coalition.Errorf(coalition.Invalid, "the body is not valid: %v", err)
	}
	if dec.More() {
		return rq, coalition.Errorf(coalition.Invalid, "the body holds more than one JSON value")
	}
	if strings.TrimSpace(rq.Coalition) == "" {
		return rq, coalition.FieldError("coalition", "is required (a coalition code such as COW2025)")
	}
	return rq, nil
}

// scenarioRisk runs the risk model of a saved scenario's coalition (code);
// errors name the fields as "risk.<field>".
func scenarioRisk(ctx context.Context, s coalition.Store, obs *Metrics, rq riskRequest, code string) (*report.RiskReport, error) {
	if rq.Coalition != "" && !strings.EqualFold(strings.TrimSpace(rq.Coalition), code) {
		return nil, coalition.FieldError("risk.coalition", "%q is not the scenario's coalition %s (leave it out)", rq.Coalition, code)
	}
	rq.Coalition = code
	return rq.run(ctx, s, obs, "risk.")
}
