package inventory

import "time"

// ShareValues makes rows that hold equal values point at one copy of each:
// the strings many rows repeat (type, manufacturer, the component a BMC
// belongs to) and the values rows point at (model, firmware, rack id, power
// state, slot, tray, host, ingestion time). A read gives every row its own
// copy of each; at 10,000 racks the copies take about a hundred megabytes,
// and are a million small objects more for the GC to mark.
//
// Rows are never written through their pointers (a change replaces the
// pointer), so a shared value cannot carry one row's write into another. The
// rows are changed in place, and every value stays equal to what it was.
func ShareValues(cs []Component, bs []BMC) {
	s := sharer{strs: make(map[string]string, len(cs)), ptrs: map[string]*string{},
		ints: map[int64]*int64{}, power: map[PowerState]*PowerState{}, times: map[time.Time]*time.Time{}}
	for i := range cs {
		c := &cs[i]
		c.ID = s.str(c.ID)
		c.Type = ComponentType(s.str(string(c.Type)))
		c.Manufacturer = s.str(c.Manufacturer)
		c.Model, c.FirmwareVersion, c.RackID = sharePtr(s.ptrs, c.Model), sharePtr(s.ptrs, c.FirmwareVersion), sharePtr(s.ptrs, c.RackID)
		c.SlotID, c.TrayIndex, c.HostID = sharePtr(s.ints, c.SlotID), sharePtr(s.ints, c.TrayIndex), sharePtr(s.ints, c.HostID)
		c.PowerState, c.IngestedAt = sharePtr(s.power, c.PowerState), sharePtr(s.times, c.IngestedAt)
	}
	for i := range bs {
		b := &bs[i]
		b.Type = BMCType(s.str(string(b.Type)))
		b.ComponentID = s.str(b.ComponentID)
	}
}

// sharer holds the first copy of each value seen.
type sharer struct {
	strs  map[string]string
	ptrs  map[string]*string
	ints  map[int64]*int64
	power map[PowerState]*PowerState
	times map[time.Time]*time.Time
}

func (s *sharer) str(v string) string {
	if v == "" {
		return v
	}
	if first, ok := s.strs[v]; ok {
		return first
	}
	s.strs[v] = v
	return v
}

// sharePtr returns the first pointer seen at the value p points at.
func sharePtr[T comparable](seen map[T]*T, p *T) *T {
	if p == nil {
		return nil
	}
	if first, ok := seen[*p]; ok {
		return first
	}
	seen[*p] = p
	return p
}
