package mirror

import "rackflow/inventory"

// Index is what a component step's planner looks up in one read of the
// inventory: components by natural key, live racks by Core's id, and the
// BMC rows by MAC and each component's Host MACs. Building it costs a few
// maps over every row, so a cycle whose steps plan from the same rows builds
// it once (NewIndex) and gives it to each step in Options.Index. It is read
// only; a planner keeps its own edits beside it.
type Index struct {
	byKey   map[inventory.ChassisKey]*inventory.Component // into the rows indexed
	rackIDs map[string]string                             // live racks: external id → id
	bmcs    map[string]inventory.BMC                      // by MAC
	hosts   map[string][]string                           // component id → its Host MACs, in read order
}

// NewIndex indexes st. The index points into st's rows: it is valid only
// while they are unchanged.
func NewIndex(st ComponentState) *Index {
	ix := &Index{byKey: keyIndex(st.Components), rackIDs: make(map[string]string, len(st.Racks)),
		bmcs: make(map[string]inventory.BMC, len(st.BMCs)), hosts: make(map[string][]string, len(st.Components))}
	for _, r := range st.Racks {
		if r.Live() && r.ExternalID != nil {
			ix.rackIDs[*r.ExternalID] = r.ID
		}
	}
	for _, b := range st.BMCs { // MACs are unique: the table's key
		ix.bmcs[b.MAC] = b
		if b.Type == inventory.HostBMC {
			ix.hosts[b.ComponentID] = append(ix.hosts[b.ComponentID], b.MAC)
		}
	}
	return ix
}

// index returns opt's index, or one built from cur when there is none.
func (o Options) index(cur ComponentState) *Index {
	if o.Index != nil {
		return o.Index
	}
	return NewIndex(cur)
}

// without returns macs less mac, in a new slice.
func without(macs []string, mac string) []string {
	out := make([]string, 0, len(macs))
	for _, m := range macs {
		if m != mac {
			out = append(out, m)
		}
	}
	return out
}
