package main

import "strings"

func init() {
	commands["racks"] = command{summary: "list racks from a running server's API", run: racksCommand.run}
}

// racksCommand is `rackflow racks`: GET /v1/racks.
var racksCommand = listCommand{
	name: "racks",
	path: "/v1/racks",
	filters: []filter{
		{flag: "name", param: "name", help: "rack name"},
		{flag: "manufacturer", param: "manufacturer", help: "manufacturer"},
		{flag: "model", param: "model", help: "model (description.model)"},
		{flag: "status", param: "status", help: "rack status"},
		{flag: "region", param: "region", help: "location region"},
		{flag: "datacenter", param: "datacenter", help: "location datacenter"},
		{flag: "room", param: "room", help: "location room"},
		{flag: "position", param: "position", help: "location position"},
		{flag: "has-drift", param: "has_drift", help: "only racks with open drift (--has-drift=false: only racks without)", kind: boolFilter},
		{flag: "drift-type", param: "drift_type", help: "only racks with open drift of this type: missing_in_actual, missing_in_expected or mismatch"},
		{flag: "deleted", param: "deleted", help: "false (the server's default): live racks; true: soft-deleted ones; all", kind: oneFilter},
	},
	table: []column{
		field("NAME", "name"),
		field("MANUFACTURER", "manufacturer"),
		field("SERIAL_NUMBER", "serial_number"),
		field("MODEL", "description.model"),
		field("STATUS", "status"),
		{"LOCATION", locationText},
		field("DRIFT", "drift.total"),
	},
	wide: []column{
		field("ID", "id"),
		field("EXTERNAL_ID", "external_id"),
		field("MISSING_IN_ACTUAL", "drift.missing_in_actual"),
		field("MISSING_IN_EXPECTED", "drift.missing_in_expected"),
		field("MISMATCH", "drift.mismatch"),
		timeField("UPDATED_AT", "updated_at"),
		timeField("DELETED_AT", "deleted_at"),
	},
}

// locationText joins a rack's location as region/datacenter/room/position,
// leaving out the parts it lacks.
func locationText(it item) string {
	var parts []string
	for _, k := range []string{"region", "datacenter", "room", "position"} {
		if s := it.text("location." + k); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "/")
}
