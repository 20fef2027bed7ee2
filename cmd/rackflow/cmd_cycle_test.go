package main

import (
	"strings"
	"testing"
)

func TestStepsText_ListsStepsInRunOrderWithDurationsCountersAndNotes(t *testing.T) {
	c := mustItem(t, `{"steps": {
		"actual": {"Compute": {"matched": 4, "unmatched": 0, "duration_seconds": 0.0421}},
		"mirror": {"PowerShelf": {"error": "pull failed: UNAVAILABLE"},
		           "rack": {"inserted": 2, "pulled": 2, "duration_seconds": 1.5, "pull_seconds": 1.2, "plan_seconds": 0.2, "apply_seconds": 0.1, "held": ["r-1", "r-2"]},
		           "Compute": {"pulled": 4, "optional_errors": {"FindMachineIds": "timeout"}, "flags": ["empty_pull"]}}}}`)
	want := "" +
		"PHASE   STEP        STATUS   DURATION  COUNTERS             NOTES\n" +
		"mirror  rack        ok       1.50s     inserted=2 pulled=2  held=2\n" +
		"mirror  Compute     partial  -         pulled=4             empty_pull; FindMachineIds failed: timeout\n" +
		"mirror  PowerShelf  failed   -         -                    error: pull failed: UNAVAILABLE\n" +
		"actual  Compute     ok       42ms      matched=4            -\n"
	if got := stepsText(cycleSteps(c), false); got != want {
		t.Errorf("steps:\n%s\nwant:\n%s", got, want)
	}
	wide := stepsText(cycleSteps(c), true)
	for _, want := range []string{"DURATION  PULL   PLAN   APPLY  COUNTERS", "1.50s     1.20s  200ms  100ms  inserted=2 pulled=2", "held: r-1,r-2"} {
		if !strings.Contains(wide, want) {
			t.Errorf("wide steps lack %q:\n%s", want, wide)
		}
	}
}

func TestCycleHeader_ShowsDurationFromTheTimestamps(t *testing.T) {
	c := mustItem(t, `{"id": "cy-1", "status": "ok", "trigger": "manual", "instance": "h:1", "mirror_enabled": true,
		"started_at": "2026-03-01T10:00:00Z", "finished_at": "2026-03-01T10:00:02.5Z", "error": null}`)
	for _, want := range []string{"cycle:       cy-1\n", "mirror:      on\n", "duration:    2.50s\n", "finished_at: 2026-03-01T10:00:02Z\n"} {
		if got := cycleHeader(c); !strings.Contains(got, want) {
			t.Errorf("header lacks %q:\n%s", want, got)
		}
	}
}

func TestSummaryText_ShowsTheOldestDriftAndEachBreakdown(t *testing.T) {
	s := mustItem(t, `{"total": 3, "oldest_first_seen_at": "2026-03-01T10:00:00Z", "oldest_age_seconds": 90000,
		"by_type": [{"drift_type": "mismatch", "component_type": "Compute", "count": 3}],
		"age_buckets": [{"label": "<1h", "count": 0}, {"label": "1d-7d", "count": 3}],
		"top_racks": [{"rack_id": "r-1", "rack_name": "rack-a", "count": 3}]}`)
	want := "" +
		"open drift: 3\n" +
		"oldest:     1d1h (first seen 2026-03-01T10:00:00Z)\n" +
		"\n" +
		"DRIFT_TYPE  COMPONENT_TYPE  COUNT\n" +
		"mismatch    Compute         3\n" +
		"\n" +
		"AGE    COUNT\n" +
		"<1h    0\n" +
		"1d-7d  3\n" +
		"\n" +
		"RACK    COUNT\n" +
		"rack-a  3\n"
	if got := summaryText(s); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}
