package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"rackflow/cycle"
	"rackflow/inventory"
	"rackflow/mirror"
)

func init() {
	commands["plan"] = command{summary: "dry run of the mirror: print every planned write", run: runPlan}
}

// Exit codes of plan.
const (
	planNoChanges = 0
	planError     = 1
	planPending   = 2
)

func runPlan(ctx context.Context, args []string, o IO) int {
	fs := newFlags("plan", o)
	var cfg serviceConfig
	cfg.register(fs, o)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	svc, err := cfg.open(ctx, o)
	if err != nil {
		return fail(o, "plan", err)
	}
	defer svc.Close()
	d, err := cycle.PlanMirror(ctx, svc.db, svc.core, cfg.GuardRatio, cfg.GuardMin, time.Now())
	if err != nil {
		return fail(o, "plan", err)
	}
	report := newPlanReport(d)
	if *asJSON {
		enc := json.NewEncoder(o.Out)
		enc.SetIndent("", "  ")
		enc.Encode(report) //nolint:errcheck // stdout
	} else {
		report.print(o.Out)
	}
	switch {
	case len(d.PullErrors) > 0:
		return planError
	case d.Pending():
		return planPending
	}
	return planNoChanges
}

// planReport is the dry run as printed: one section per type.
type planReport struct {
	Pending bool          `json:"pending"`
	Types   []planSection `json:"types"`
}

type planSection struct {
	Type     string            `json:"type"`
	Error    string            `json:"error,omitempty"`
	Counters mirror.Counters   `json:"counters"`
	Held     []string          `json:"held"`
	Writes   []inventory.Event `json:"writes"`
}

func newPlanReport(d cycle.DryRun) planReport {
	r := planReport{Pending: d.Pending()}
	r.Types = append(r.Types, planSection{Type: cycle.RackStep, Error: d.PullErrors[cycle.RackStep],
		Counters: d.Racks.Counters, Held: nonNilIDs(d.Racks.Held), Writes: d.Racks.Writes.Events})
	for _, c := range d.Components {
		r.Types = append(r.Types, planSection{Type: string(c.Type), Error: d.PullErrors[string(c.Type)],
			Counters: c.Counters, Held: nonNilIDs(c.Held), Writes: c.Writes.Events})
	}
	return r
}

func nonNilIDs(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func (r planReport) print(w io.Writer) {
	for _, s := range r.Types {
		fmt.Fprintf(w, "== %s\n", s.Type)
		if s.Error != "" {
			fmt.Fprintf(w, "  pull failed: %s\n", oneLine(s.Error))
			continue
		}
		for _, e := range s.Writes {
			fmt.Fprintf(w, "  %-11s %-9s %s %s\n", e.Action, e.Entity, e.EntityID, formatChanges(e.Changes))
		}
		if len(s.Held) > 0 {
			fmt.Fprintf(w, "  held: %d soft deletes (release with --allow-mass-delete): %s\n", len(s.Held), strings.Join(s.Held, " "))
		}
		fmt.Fprintf(w, "  counters: %s\n", stepDetail(cycle.Step{Counters: s.Counters}))
	}
	if r.Pending {
		fmt.Fprintln(w, "changes pending")
	} else {
		fmt.Fprintln(w, "no changes")
	}
}

// formatChanges renders field deltas as name: old -> new, in name order.
func formatChanges(cs inventory.Changes) string {
	names := make([]string, 0, len(cs))
	for n := range cs {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s: %s -> %s", n, formatValue(cs[n].Old), formatValue(cs[n].New))
	}
	return strings.Join(parts, ", ")
}

func formatValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
