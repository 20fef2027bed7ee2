package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
)

func init() {
	commands["cycle"] = command{summary: "show one inventory cycle and its steps: cycle ID", run: show{name: "cycle", arg: "cycle ID", print: showCycle}.run}
}

// showCycle prints /v1/cycles/{id}.
func showCycle(ctx context.Context, c *apiClient, id, format string, o IO) error {
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/v1/cycles/"+url.PathEscape(id), nil, &raw); err != nil {
		return err
	}
	return printCycle(o.Out, format, raw)
}

func printCycle(w io.Writer, format string, raw json.RawMessage) error {
	cy, err := decodeItem(raw)
	if err != nil {
		return err
	}
	steps := cycleSteps(cy)
	switch format {
	case outJSON:
		return writeObject(w, cy)
	case outCSV:
		return stepsCSV(w, steps)
	}
	_, err = io.WriteString(w, cycleHeader(cy)+"\n"+stepsText(steps, format == outWide))
	return err
}

// cycleHeader is the cycle's record, one "key: value" a line.
func cycleHeader(c item) string {
	rows := [][2]string{
		{"cycle", c.text("id")},
		{"status", c.text("status")},
		{"trigger", c.text("trigger")},
		{"instance", c.text("instance")},
		{"mirror", onOff(c.get("mirror_enabled"))},
		{"started_at", timeText(c.text("started_at"))},
		{"finished_at", timeText(c.text("finished_at"))},
		{"duration", cycleDuration(c)},
	}
	if e := c.text("error"); e != "" {
		rows = append(rows, [2]string{"error", e})
	}
	var b strings.Builder
	for _, kv := range rows {
		fmt.Fprintf(&b, "%-12s %s\n", kv[0]+":", tableCell(kv[1]))
	}
	return b.String()
}

func onOff(v any) string {
	switch v {
	case true:
		return "on"
	case false:
		return "off"
	}
	return ""
}

// cycleStep is one step of sync_cycle.steps.
type cycleStep struct {
	phase, name string
	result      item
}

// stepOrder is the order in which a cycle runs its steps; steps of other
// names follow in name order.
var stepOrder = map[string][]string{
	"mirror": {"rack", "Compute", "NVSwitch", "PowerShelf"},
	"actual": {"Compute", "NVSwitch", "PowerShelf"},
}

// cycleSteps lists the cycle's steps, mirror first, each phase in run order.
func cycleSteps(c item) []cycleStep {
	var out []cycleStep
	for _, phase := range []string{"mirror", "actual"} {
		results := c.obj("steps." + phase)
		names := sortedKeys(results)
		rank := func(n string) int {
			for i, o := range stepOrder[phase] {
				if o == n {
					return i
				}
			}
			return len(stepOrder[phase])
		}
		sort.SliceStable(names, func(i, j int) bool { return rank(names[i]) < rank(names[j]) })
		for _, n := range names {
			m, _ := results[n].(map[string]any)
			out = append(out, cycleStep{phase, n, m})
		}
	}
	return out
}

// outcome is ok, partial (an optional call failed) or failed.
func (s cycleStep) outcome() string {
	switch {
	case s.result.text("error") != "":
		return "failed"
	case len(s.result.obj("optional_errors")) > 0:
		return "partial"
	}
	return "ok"
}

// seconds shows one of the step's times (duration_seconds, pull_seconds,
// plan_seconds, apply_seconds), or "" when the cycle did not record it.
func (s cycleStep) seconds(key string) string {
	if d, ok := s.result.number(key); ok {
		return durationText(d)
	}
	return ""
}

// counters are the step's non-zero counters as name=value, in name order;
// its times are not counters.
func (s cycleStep) counters() string {
	var parts []string
	for _, k := range sortedKeys(s.result) {
		if strings.HasSuffix(k, "_seconds") {
			continue
		}
		if n, ok := s.result.number(k); ok && n != 0 {
			parts = append(parts, k+"="+s.result.text(k))
		}
	}
	return strings.Join(parts, " ")
}

// notes are what a step reports besides counters: held deletes, flags and
// errors. wide lists the held ids themselves.
func (s cycleStep) notes(wide bool) string {
	var parts []string
	if held := s.result.list("held"); len(held) > 0 {
		if wide {
			parts = append(parts, "held: "+valueText(held))
		} else {
			parts = append(parts, fmt.Sprintf("held=%d", len(held)))
		}
	}
	for _, f := range s.result.list("flags") {
		parts = append(parts, valueText(f))
	}
	opt := s.result.obj("optional_errors")
	for _, k := range sortedKeys(opt) {
		parts = append(parts, k+" failed: "+opt.text(k))
	}
	if e := s.result.text("error"); e != "" {
		parts = append(parts, "error: "+e)
	}
	return strings.Join(parts, "; ")
}

// stepsText is the table of steps with their outcome, duration, counters
// and notes; wide adds where the time went (pull, plan, apply).
func stepsText(steps []cycleStep, wide bool) string {
	if len(steps) == 0 {
		return "no steps recorded\n"
	}
	columns := []column{field("PHASE", "phase"), field("STEP", "step"), field("STATUS", "status"), field("DURATION", "duration_seconds")}
	if wide {
		columns = append(columns, field("PULL", "pull_seconds"), field("PLAN", "plan_seconds"), field("APPLY", "apply_seconds"))
	}
	columns = append(columns, field("COUNTERS", "counters"), field("NOTES", "notes"))
	var b strings.Builder
	t := newTable(&b, columns)
	for _, s := range steps {
		row := item{"phase": s.phase, "step": s.name, "status": s.outcome(), "counters": s.counters(), "notes": s.notes(wide)}
		for _, k := range []string{"duration_seconds", "pull_seconds", "plan_seconds", "apply_seconds"} {
			row[k] = s.seconds(k)
		}
		t.row(row)
	}
	t.flush() //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}

// stepsCSV writes one record per step.
func stepsCSV(w io.Writer, steps []cycleStep) error {
	cw := csv.NewWriter(w)
	times := []string{"duration_seconds", "pull_seconds", "plan_seconds", "apply_seconds"}
	cw.Write(append(append([]string{"phase", "step", "status"}, times...), "counters", "notes")) //nolint:errcheck // reported by Error
	for _, s := range steps {
		record := []string{s.phase, s.name, s.outcome()}
		for _, k := range times {
			record = append(record, s.result.text(k))
		}
		cw.Write(append(record, s.counters(), s.notes(true))) //nolint:errcheck // reported by Error
	}
	cw.Flush()
	return cw.Error()
}
