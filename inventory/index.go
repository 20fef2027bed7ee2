package inventory

// RowIndex is what the planners look up in one read of the rack, component
// and bmc tables: components by natural key, live racks by Core's id, BMC
// rows by MAC and each component's Host MACs. Building it costs a few maps
// over every row, so a cycle whose steps plan from the same rows builds it
// once and gives it to each of them. It points into the rows it indexes and
// is valid only while they are unchanged; nobody writes to it.
type RowIndex struct {
	byKey   map[ChassisKey]*Component // into the rows indexed
	rackIDs map[string]string         // live racks: external id → id
	bmcRows []BMC                     // the rows indexed
	bmcs    map[string]int32          // MAC → position in bmcRows
	hosts   map[string][]string       // component id → its Host MACs, in read order
}

// NewRowIndex indexes one read of the three tables.
func NewRowIndex(racks []Rack, comps []Component, bmcs []BMC) *RowIndex {
	ix := &RowIndex{byKey: make(map[ChassisKey]*Component, len(comps)), rackIDs: make(map[string]string, len(racks)),
		bmcRows: bmcs, bmcs: make(map[string]int32, len(bmcs)), hosts: make(map[string][]string, len(comps))}
	for i := range comps {
		ix.byKey[comps[i].Key()] = &comps[i]
	}
	for _, r := range racks {
		if r.Live() && r.ExternalID != nil {
			ix.rackIDs[*r.ExternalID] = r.ID
		}
	}
	for i, b := range bmcs { // MACs are unique: the table's key
		ix.bmcs[b.MAC] = int32(i)
		if b.Type == HostBMC {
			ix.hosts[b.ComponentID] = append(ix.hosts[b.ComponentID], b.MAC)
		}
	}
	return ix
}

// Component returns the row, live or tombstone, of any type, with natural key k.
func (ix *RowIndex) Component(k ChassisKey) (*Component, bool) {
	c, ok := ix.byKey[k]
	return c, ok
}

// LiveRack returns the id of the live rack Core knows as externalID.
func (ix *RowIndex) LiveRack(externalID string) (string, bool) {
	id, ok := ix.rackIDs[externalID]
	return id, ok
}

// BMC returns the BMC row with the (normalised) MAC.
func (ix *RowIndex) BMC(mac string) (BMC, bool) {
	i, ok := ix.bmcs[mac]
	if !ok {
		return BMC{}, false
	}
	return ix.bmcRows[i], true
}

// HostMACs returns the MACs of the component's Host BMC rows, in the order
// read. The slice is the index's: callers must not change it.
func (ix *RowIndex) HostMACs(componentID string) []string { return ix.hosts[componentID] }
