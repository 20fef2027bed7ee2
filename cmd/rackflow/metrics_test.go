package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestServe_MetricsShowEachStepsStageTimes(t *testing.T) {
	p := startProc(t, serveEnv(t, tiny(t), migratedSQLite(t)), "serve", "--instance", "only")
	url := "http://" + listenAddr(t, p) + "/metrics"
	var body string
	last := `rackflow_cycle_step_duration_seconds_count{phase="actual",stage="apply",type="PowerShelf"}`
	eventually(t, 20*time.Second, "a finished cycle's step durations in /metrics", func() bool {
		body = scrape(t, url)
		return strings.Contains(body, last)
	})
	for _, phase := range []string{"mirror", "actual"} {
		types := []string{"Compute", "NVSwitch", "PowerShelf"}
		if phase == "mirror" {
			types = append(types, "rack")
		}
		for _, typ := range types {
			for _, stage := range []string{"pull", "plan", "apply", "total"} {
				re := regexp.MustCompile(`rackflow_cycle_step_duration_seconds_count\{phase="` + phase + `",stage="` + stage +
					`",type="` + typ + `"\} [1-9]`)
				if !re.MatchString(body) {
					t.Errorf("/metrics lacks a %s %s %s step duration", phase, typ, stage)
				}
			}
		}
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
