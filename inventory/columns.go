package inventory

// Column names, as they appear in Change maps, inventory_event.changes and the
// tables themselves. Rack and component share the names they have in common.
const (
	ColName            = "name"
	ColType            = "type"
	ColManufacturer    = "manufacturer"
	ColSerialNumber    = "serial_number"
	ColModel           = "model"
	ColDescription     = "description"
	ColLocation        = "location"
	ColFirmwareVersion = "firmware_version"
	ColRackID          = "rack_id"
	ColSlotID          = "slot_id"
	ColTrayIndex       = "tray_index"
	ColHostID          = "host_id"
	ColExternalID      = "external_id"
	ColPowerState      = "power_state"
	ColDeletedAt       = "deleted_at"
	ColComponentID     = "component_id"
	ColIPAddress       = "ip_address"
)
