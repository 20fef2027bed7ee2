package actual

import "rackflow/inventory"

// switchRules are the NVSwitch differences: devices from FindSwitchIds, no
// serial fallback, power and firmware from the inventory report.
var switchRules = typeRules{
	runtime:        deviceRuntime,
	serialFallback: false,
	positions:      nil,
}

func init() { rules[inventory.NVSwitch] = switchRules }
