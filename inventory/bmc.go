package inventory

// BMCType is the role of a BMC within its component.
type BMCType string

// BMC types.
const (
	// HostBMC is the component's own BMC. The mirror keeps exactly one per component.
	HostBMC BMCType = "Host"
	// DPUBMC is the BMC of a DPU inside a compute tray, written only by the actual sync.
	DPUBMC BMCType = "DPU"
)

// BMC is a row of the bmc table, keyed by its normalised MAC. Credentials are
// deliberately absent: rackflow never stores, logs or returns them.
type BMC struct {
	MAC         string  `json:"mac_address"`
	Type        BMCType `json:"type"`
	ComponentID string  `json:"component_id"`
	IPAddress   *string `json:"ip_address"`
}
