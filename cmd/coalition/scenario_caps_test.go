package main

import "testing"

// scenarioCapFigures are a custom scenario's figures (scenarioFigures)
// plus what each member is asked for per category and the caps from data
// with their amounts: the CLI and the API must agree on all of them.
func scenarioCapFigures(t *testing.T, v map[string]any) figures {
	f := scenarioFigures("plan", "existing_eur", "result")(t, v)
	for _, r := range list(v["plan"]) {
		iso, _ := r["iso3"].(string)
		cats, _ := r["extra_by_category"].(map[string]any)
		for c, x := range cats {
			f[iso+"/extra "+c], _ = x.(float64)
		}
	}
	for _, c := range list(v["caps"]) {
		iso, _ := c["iso3"].(string)
		kind, _ := c["kind"].(string)
		cat, _ := c["category"].(string)
		f[iso+"/cap "+kind+" "+cat], _ = c["cap_eur"].(float64)
	}
	return f
}
