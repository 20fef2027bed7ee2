package main

import (
	"context"
	"strings"
)

func init() {
	commands["drift"] = command{summary: "list drift (or 'drift summary') from a running server's API", run: runDrift}
}

// driftCommand is `rackflow drift`: GET /v1/drift, open drift by default.
var driftCommand = listCommand{
	name: "drift",
	path: "/v1/drift",
	filters: []filter{
		{flag: "state", param: "state", help: "open (the server's default), resolved or all", kind: oneFilter},
		{flag: "type", param: "type", help: "drift type: missing_in_actual, missing_in_expected or mismatch"},
		{flag: "component-type", param: "component_type", help: "component type: Compute, NVSwitch or PowerShelf"},
		{flag: "field", param: "field", help: "a differing field: slot_id, tray_index, host_id, rack_id or serial_number"},
		{flag: "rack", param: "rack", help: "rack id or name"},
		{flag: "min-age", param: "min_age", help: "drift open at least this long (90m, 24h, 3d)", kind: durationFilter},
		{flag: "opened-after", param: "opened_after", help: "drift first seen at or after this time (RFC 3339, or an age such as 24h)", kind: timeFilter},
		{flag: "opened-before", param: "opened_before", help: "drift first seen before this time (RFC 3339, or an age such as 7d)", kind: timeFilter},
	},
	table: []column{
		{"AGE", driftAge},
		field("DRIFT_TYPE", "drift_type"),
		field("COMPONENT_TYPE", "component_type"),
		{"COMPONENT", componentRef},
		{"RACK", rackRef},
		{"DIFFS", diffsText},
	},
	wide: []column{
		field("ID", "id"),
		field("STATE", "state"),
		timeField("FIRST_SEEN_AT", "first_seen_at"),
		timeField("LAST_SEEN_AT", "last_seen_at"),
		timeField("RESOLVED_AT", "resolved_at"),
		field("COMPONENT_ID", "component_id"),
		field("EXTERNAL_ID", "external_id"),
	},
}

func runDrift(ctx context.Context, args []string, o IO) int {
	if len(args) > 0 && args[0] == "summary" {
		return runDriftSummary(ctx, args[1:], o)
	}
	return driftCommand.run(ctx, args, o)
}

// driftAge is how long a drift has been open (or was, once resolved).
func driftAge(it item) string {
	if s, ok := it.number("age_seconds"); ok {
		return ageText(s)
	}
	return ""
}

// componentRef names a drift's component: its serial number, else its Core
// id, else its row id.
func componentRef(it item) string {
	for _, path := range []string{"serial_number", "external_id", "component_id"} {
		if s := it.text(path); s != "" {
			return s
		}
	}
	return ""
}

// diffsText shows a drift's diffs as field: expected -> actual.
func diffsText(it item) string {
	var parts []string
	for _, d := range it.list("diffs") {
		m, ok := d.(map[string]any)
		if !ok {
			continue
		}
		di := item(m)
		parts = append(parts, di.text("field_name")+": "+di.text("expected_value")+" -> "+di.text("actual_value"))
	}
	return strings.Join(parts, "; ")
}
