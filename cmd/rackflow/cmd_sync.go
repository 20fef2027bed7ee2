package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"rackflow/cycle"
	"rackflow/internal/sqlkit"
	"rackflow/inventory"
)

func init() {
	commands["sync"] = command{summary: "run one inventory cycle (--once)", run: runSync}
}

func runSync(ctx context.Context, args []string, o IO) int {
	fs := newFlags("sync", o)
	var cfg serviceConfig
	cfg.register(fs, o)
	once := fs.Bool("once", false, "run exactly one cycle (required)")
	allow := fs.Bool("allow-mass-delete", false, "release the deletes the mass-delete guard held in the latest cycle")
	asJSON := fs.Bool("json", false, "print the sync_cycle record as JSON")
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	if !*once {
		fmt.Fprintln(o.Err, "rackflow sync: --once is required (use 'rackflow serve' to run cycles continuously)")
		return 1
	}
	svc, err := cfg.open(ctx, o)
	if err != nil {
		return fail(o, "sync", err)
	}
	defer svc.Close()
	release, err := svc.lead(ctx)
	if err != nil {
		return fail(o, "sync", err)
	}
	defer release()
	res, err := svc.runner().Run(ctx, cycle.Request{Trigger: inventory.TriggerOnce, AllowMassDelete: *allow})
	if err != nil {
		return fail(o, "sync", err)
	}
	if *asJSON {
		printCycleJSON(o.Out, res.Cycle)
	} else {
		printSteps(o.Out, res.Steps)
		fmt.Fprintf(o.Out, "status: %s\n", res.Cycle.Status)
	}
	return statusCode(res.Cycle.Status)
}

// statusCode maps a cycle status to sync's exit code.
func statusCode(s inventory.CycleStatus) int {
	switch s {
	case inventory.CycleOK:
		return 0
	case inventory.CyclePartial:
		return 3
	}
	return 1
}

// cycleJSON is the JSON form of a sync_cycle record.
type cycleJSON struct {
	ID            string          `json:"id"`
	StartedAt     string          `json:"started_at"`
	FinishedAt    *string         `json:"finished_at"`
	Trigger       string          `json:"trigger"`
	Instance      string          `json:"instance"`
	MirrorEnabled bool            `json:"mirror_enabled"`
	Status        string          `json:"status"`
	Steps         json.RawMessage `json:"steps"`
	Error         *string         `json:"error"`
}

func toCycleJSON(c inventory.Cycle) cycleJSON {
	var fin *string
	if c.FinishedAt != nil {
		s := sqlkit.FormatTime(*c.FinishedAt)
		fin = &s
	}
	return cycleJSON{ID: c.ID, StartedAt: sqlkit.FormatTime(c.StartedAt), FinishedAt: fin, Trigger: string(c.Trigger),
		Instance: c.Instance, MirrorEnabled: c.MirrorEnabled, Status: string(c.Status), Steps: c.Steps, Error: c.Error}
}

func printCycleJSON(w io.Writer, c inventory.Cycle) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(toCycleJSON(c)) //nolint:errcheck // stdout
}

// printSteps prints one line per phase and type: its outcome and its non-zero
// counters.
func printSteps(w io.Writer, s cycle.Steps) {
	phases := []struct {
		name  string
		steps map[string]cycle.Step
		order []string
	}{
		{"mirror", s.Mirror, []string{cycle.RackStep, "Compute", "NVSwitch", "PowerShelf"}},
		{"actual", s.Actual, []string{"Compute", "NVSwitch", "PowerShelf"}},
	}
	for _, p := range phases {
		for _, name := range p.order {
			st, ok := p.steps[name]
			if !ok {
				continue
			}
			fmt.Fprintf(w, "%-6s %-10s %-7s %s\n", p.name, name, stepOutcome(st), stepDetail(st))
		}
	}
}

func stepOutcome(st cycle.Step) string {
	switch {
	case st.Failed():
		return "failed"
	case len(st.OptionalErrors) > 0:
		return "partial"
	}
	return "ok"
}

// stepDetail renders a step's non-zero counters in name order, then its held
// deletes, flags and errors.
func stepDetail(st cycle.Step) string {
	b, _ := json.Marshal(st.Counters) // counters are plain structs
	var counters map[string]float64
	json.Unmarshal(b, &counters) //nolint:errcheck // an empty map prints nothing
	var parts []string
	for k, v := range counters {
		if v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%g", k, v))
		}
	}
	sort.Strings(parts)
	if len(st.Held) > 0 {
		parts = append(parts, fmt.Sprintf("held=%d", len(st.Held)))
	}
	for _, f := range st.Flags {
		parts = append(parts, f)
	}
	for name, msg := range st.OptionalErrors {
		parts = append(parts, fmt.Sprintf("%s failed: %s", name, msg))
	}
	if st.Err != nil {
		parts = append(parts, "error: "+oneLine(st.Err.Error()))
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, " ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
