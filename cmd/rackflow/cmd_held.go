package main

import "time"

func init() {
	commands["held"] = command{summary: "list the deletes the mass-delete guard holds, from a running server's API", run: heldCommand.run}
}

// heldCommand is `rackflow held`: GET /v1/held-deletes, oldest hold first.
var heldCommand = listCommand{
	name: "held",
	path: "/v1/held-deletes",
	filters: []filter{
		{flag: "type", param: "type", help: "step type: rack, Compute, NVSwitch or PowerShelf"},
	},
	table: []column{
		field("TYPE", "type"),
		field("ENTITY_ID", "entity_id"),
		timeField("HELD_SINCE", "held_since"),
		{"HELD_FOR", func(it item) string { return since(it.text("held_since"), time.Now()) }},
		field("CYCLE_ID", "cycle_id"),
	},
	wide: []column{
		field("SINCE_CYCLE_ID", "since_cycle_id"),
	},
}
