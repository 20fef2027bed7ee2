package main

func init() {
	commands["components"] = command{summary: "list components from a running server's API", run: componentsCommand.run}
}

// componentsCommand is `rackflow components`: GET /v1/components.
var componentsCommand = listCommand{
	name: "components",
	path: "/v1/components",
	filters: []filter{
		{flag: "rack", param: "rack", help: "rack id or name"},
		{flag: "type", param: "type", help: "component type: Compute, NVSwitch, PowerShelf, …"},
		{flag: "serial", param: "serial", help: "serial number"},
		{flag: "external-id", param: "external_id", help: "Core id"},
		{flag: "bmc-mac", param: "bmc_mac", help: "BMC MAC address"},
		{flag: "deleted", param: "deleted", help: "false (the server's default): live components; true: soft-deleted ones; all", kind: oneFilter},
	},
	table: []column{
		field("TYPE", "type"),
		field("NAME", "name"),
		field("SERIAL_NUMBER", "serial_number"),
		{"RACK", rackRef},
		field("SLOT", "slot_id"),
		field("TRAY", "tray_index"),
		field("EXTERNAL_ID", "external_id"),
		{"POWER", powerText},
	},
	wide: []column{
		field("ID", "id"),
		field("MANUFACTURER", "manufacturer"),
		field("MODEL", "model"),
		field("FIRMWARE", "firmware_version"),
		field("HOST_ID", "host_id"),
		timeField("UPDATED_AT", "updated_at"),
		timeField("DELETED_AT", "deleted_at"),
	},
}

// rackRef names an item's rack: its name when the API gives it, else its id.
func rackRef(it item) string {
	for _, path := range []string{"rack_name", "rack.name", "rack_id"} {
		if s := it.text(path); s != "" {
			return s
		}
	}
	return ""
}

// powerText shows a stored power state by name.
func powerText(it item) string {
	v := it.get("power_state")
	if s, ok := v.(string); ok {
		return s
	}
	n, ok := it.number("power_state")
	if !ok {
		return ""
	}
	switch n {
	case 1:
		return "off"
	case 2:
		return "on"
	case 3:
		return "disabled"
	}
	return "unknown"
}
