package main

import (
	"sort"
	"strings"
)

func init() {
	commands["events"] = command{summary: "list the audit trail from a running server's API", run: eventsCommand.run}
}

// eventsCommand is `rackflow events`: GET /v1/events.
var eventsCommand = listCommand{
	name: "events",
	path: "/v1/events",
	filters: []filter{
		{flag: "entity", param: "entity", help: "entity: rack, component or bmc"},
		{flag: "entity-id", param: "entity_id", help: "entity id: a uuid, or a BMC's MAC"},
		{flag: "action", param: "action", help: "action: insert, update, adopt, resurrect, soft_delete, hard_delete, evict or gc"},
		{flag: "source", param: "source", help: "source: mirror, actual, api or import"},
		{flag: "cycle", param: "cycle_id", help: "cycle id"},
		{flag: "since", param: "since", help: "events at or after this time (RFC 3339, or an age such as 24h)", kind: timeFilter},
		{flag: "until", param: "until", help: "events before this time (RFC 3339, or an age such as 1h)", kind: timeFilter},
	},
	table: []column{
		timeField("AT", "at"),
		field("ENTITY", "entity"),
		field("ENTITY_ID", "entity_id"),
		field("ACTION", "action"),
		field("SOURCE", "source"),
		{"FIELDS", changedFields},
	},
	wide: []column{
		field("ID", "id"),
		field("CYCLE_ID", "cycle_id"),
		{"CHANGES", changesText},
	},
}

// changedFields lists the fields an event changed, in name order.
func changedFields(it item) string {
	return strings.Join(sortedKeys(it.obj("changes")), ",")
}

// changesText shows an event's changes as field: old -> new.
func changesText(it item) string {
	ch := it.obj("changes")
	parts := make([]string, 0, len(ch))
	for _, k := range sortedKeys(ch) {
		c := item(nil)
		if m, ok := ch[k].(map[string]any); ok {
			c = m
		}
		parts = append(parts, k+": "+jsonText(c.get("old"))+" -> "+jsonText(c.get("new")))
	}
	return strings.Join(parts, "; ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
