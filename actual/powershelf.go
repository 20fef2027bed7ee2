package actual

import "rackflow/inventory"

// powerShelfRules are the PowerShelf differences: devices from
// FindPowerShelfIds, no serial fallback, power and firmware from the
// inventory report.
var powerShelfRules = typeRules{
	runtime:        deviceRuntime,
	serialFallback: false,
	positions:      nil,
}

func init() { rules[inventory.PowerShelf] = powerShelfRules }
