package main

func init() {
	commands["cycles"] = command{summary: "list inventory cycles from a running server's API", run: cyclesCommand.run}
}

// cyclesCommand is `rackflow cycles`: GET /v1/cycles, newest first.
var cyclesCommand = listCommand{
	name: "cycles",
	path: "/v1/cycles",
	filters: []filter{
		{flag: "status", param: "status", help: "cycle status: running, ok, partial or failed"},
		{flag: "trigger", param: "trigger", help: "why the cycle ran: interval, manual, startup or once"},
	},
	table: []column{
		field("ID", "id"),
		timeField("STARTED_AT", "started_at"),
		field("STATUS", "status"),
		field("TRIGGER", "trigger"),
		{"DURATION", cycleDuration},
		field("INSTANCE", "instance"),
	},
	wide: []column{
		timeField("FINISHED_AT", "finished_at"),
		field("MIRROR", "mirror_enabled"),
		field("ERROR", "error"),
	},
}

// cycleDuration is a finished cycle's duration, from duration_seconds when
// the API sends it, else from its timestamps.
func cycleDuration(it item) string {
	if s, ok := it.number("duration_seconds"); ok {
		return durationText(s)
	}
	return spanText(it.text("started_at"), it.text("finished_at"))
}
