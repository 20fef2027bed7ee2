package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"rackflow/inventory"
)

// cycleRow is a cycle in a table.
type cycleRow struct {
	ID, Started, Ago, Trigger, Duration, Instance, Error string
	Status                                               inventory.CycleStatus
}

func newCycleRow(c inventory.Cycle, now time.Time) cycleRow {
	row := cycleRow{ID: c.ID, Started: timestamp(c.StartedAt), Ago: age(now.Sub(c.StartedAt)), Trigger: string(c.Trigger),
		Instance: c.Instance, Status: c.Status, Error: deref(c.Error, ""), Duration: "running"}
	if c.FinishedAt != nil {
		row.Duration = duration(c.FinishedAt.Sub(c.StartedAt))
	}
	if row.Error == "" {
		row.Error = failedSteps(c.Steps)
	}
	return row
}

// failedSteps names the steps that failed, for a cycle without an error of
// its own (a partial one).
func failedSteps(steps json.RawMessage) string {
	var failed []string
	for _, s := range stepRows(steps) {
		if s.Failed {
			failed = append(failed, s.Phase+" "+s.Type)
		}
	}
	if len(failed) == 0 {
		return ""
	}
	return "failed: " + strings.Join(failed, ", ")
}

// cyclesView is the data of the cycles list.
type cyclesView struct {
	Total int
	Rows  []cycleRow
	Next  string
}

func (h *handler) cycles(w http.ResponseWriter, r *http.Request) {
	l, err := h.cfg.Reader.ListCycles(r.Context(), inventory.CycleQuery{Page: inventory.Page{Limit: pageSize, Cursor: r.FormValue("cursor")}})
	if err != nil {
		h.fail(w, r, "cycles", err)
		return
	}
	now := h.cfg.Now()
	v := cyclesView{Total: l.Total}
	for _, c := range l.Items {
		v.Rows = append(v.Rows, newCycleRow(c, now))
	}
	if l.NextCursor != "" {
		v.Next = "/cycles?" + url.Values{"cursor": {l.NextCursor}}.Encode()
	}
	h.render(w, r, http.StatusOK, "cycles", "cycles", "Cycles", v)
}

// cycleView is the data of a cycle page.
type cycleView struct {
	cycleRow
	Finished      string
	MirrorEnabled bool
	Steps         []stepRow
	Events        []eventRow
	EventTotal    int
	Next          string
	Paged         bool
}

// stepRow is one step of a cycle, from sync_cycle.steps.
type stepRow struct {
	Phase, Type, Duration, Error string
	// Stages splits the duration: "pull 1.2s · plan 80ms · apply 300ms".
	Stages   string
	Counters []string
	Held     int
	Failed   bool
	Notes    []string
}

// stepStages are the timed parts of a step, in the order a step runs them.
var stepStages = []string{"pull", "plan", "apply"}

func (h *handler) cycle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := h.cfg.Reader.Cycle(r.Context(), id)
	if err != nil {
		h.fail(w, r, "cycle", err)
		return
	}
	cursor := r.FormValue("cursor")
	events, err := h.cfg.Reader.ListEvents(r.Context(), inventory.EventQuery{CycleID: []string{c.ID},
		Page: inventory.Page{Limit: pageSize, Cursor: cursor, OrderBy: "id"}})
	if err != nil {
		h.fail(w, r, "cycle events", err)
		return
	}
	v := cycleView{cycleRow: newCycleRow(c, h.cfg.Now()), MirrorEnabled: c.MirrorEnabled,
		Steps: stepRows(c.Steps), Events: eventRows(events.Items), EventTotal: events.Total, Paged: cursor != ""}
	if c.FinishedAt != nil {
		v.Finished = timestamp(*c.FinishedAt)
	}
	if events.NextCursor != "" {
		v.Next = "/cycles/" + url.PathEscape(c.ID) + "?" + url.Values{"cursor": {events.NextCursor}}.Encode()
	}
	h.render(w, r, http.StatusOK, "cycle", "cycles", "Cycle "+shortID(c.ID), v)
}

// stepOrder is the order of a cycle's steps, as it runs them.
var stepOrder = []string{"rack", "Compute", "NVSwitch", "PowerShelf"}

// stepRows reads sync_cycle.steps. Steps carry their counters as numbers
// beside error, held, optional_errors, flags and duration_seconds; a steps
// document that does not parse shows no steps rather than an error page.
func stepRows(raw json.RawMessage) []stepRow {
	var phases map[string]map[string]map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &phases) != nil {
		return nil
	}
	var out []stepRow
	for _, phase := range []string{"mirror", "actual"} {
		steps := phases[phase]
		for _, name := range orderedSteps(steps) {
			out = append(out, newStepRow(phase, name, steps[name]))
		}
	}
	return out
}

func orderedSteps(steps map[string]map[string]any) []string {
	rank := func(n string) int {
		for i, s := range stepOrder {
			if s == n {
				return i
			}
		}
		return len(stepOrder)
	}
	names := make([]string, 0, len(steps))
	for n := range steps {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}

func newStepRow(phase, name string, m map[string]any) stepRow {
	row := stepRow{Phase: phase, Type: name, Duration: "–"}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch val := m[k]; k {
		case "error":
			row.Error, row.Failed = fmt.Sprint(val), true
		case "held":
			if ids, ok := val.([]any); ok {
				row.Held = len(ids)
			}
		case "duration_seconds":
			if s, ok := val.(float64); ok {
				row.Duration = duration(seconds(s))
			}
		case "pull_seconds", "plan_seconds", "apply_seconds":
			// Read below, in stage order.
		case "optional_errors":
			if errs, ok := val.(map[string]any); ok {
				for call, e := range errs {
					row.Notes = append(row.Notes, fmt.Sprintf("%s failed: %v", call, e))
				}
				sort.Strings(row.Notes)
			}
		case "flags":
			if flags, ok := val.([]any); ok {
				for _, f := range flags {
					row.Notes = append(row.Notes, fmt.Sprint(f))
				}
			}
		default:
			if n, ok := val.(float64); ok && n != 0 {
				row.Counters = append(row.Counters, fmt.Sprintf("%s=%v", k, n))
			}
		}
	}
	row.Stages = stageText(m)
	return row
}

// stageText lists the stage times a step recorded; "" when it recorded none.
func stageText(m map[string]any) string {
	var parts []string
	for _, st := range stepStages {
		if v, ok := m[st+"_seconds"].(float64); ok {
			parts = append(parts, st+" "+duration(seconds(v)))
		}
	}
	return strings.Join(parts, " · ")
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
