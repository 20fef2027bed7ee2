package mirror

import "rackflow/inventory"

// ComponentState is what one component transaction reads: every rack,
// component and BMC row, tombstones included.
type ComponentState struct {
	Racks      []inventory.Rack
	Components []inventory.Component
	BMCs       []inventory.BMC
}
