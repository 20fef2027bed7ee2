package mirror

import (
	"log/slog"
	"slices"

	"rackflow/inventory"
)

// macClaim is one spec's claim on a host BMC MAC.
type macClaim struct {
	t    inventory.ComponentType
	spec *ComponentSpec
}

// macContest is the settlement of every MAC claimed by more than one spec:
// the winning claim per contested MAC.
type macContest map[string]macClaim

// settleMACs settles contested MACs across the cycle's specs, using this
// transaction's read. Specs that conflict with a live row of another type do
// not claim anything. The spec matching the MAC's current Host owner wins, so
// a settled MAC never flip-flops; otherwise type order, then response order.
// ix indexes cur.
func settleMACs(prepared map[inventory.ComponentType]PreparedComponents, cur ComponentState, ix *inventory.RowIndex) macContest {
	claims := macClaims(prepared, ix)
	contest := make(macContest, len(claims))
	if len(claims) == 0 {
		return contest
	}
	owners := hostOwners(cur)
	for mac, cs := range claims {
		contest[mac] = winningClaim(cs, owners[mac])
	}
	return contest
}

// macClaims lists the claims of each MAC claimed more than once, in type
// order, then response order. Only the specs whose MAC another spec also
// names are looked at.
func macClaims(prepared map[inventory.ComponentType]PreparedComponents, ix *inventory.RowIndex) map[string][]macClaim {
	contested := map[string][]macClaim{}
	shared := sharedMACs(prepared)
	if len(shared) == 0 {
		return contested
	}
	for _, t := range inventory.MirroredTypes {
		prep := prepared[t]
		for i := range prep.Specs {
			s := &prep.Specs[i]
			if _, ok := shared[s.MAC]; !ok {
				continue
			}
			if c, ok := ix.Component(s.Key); ok && c.Live() && c.Type != t {
				continue // skipped_conflict in its own transaction
			}
			contested[s.MAC] = append(contested[s.MAC], macClaim{t, s})
		}
	}
	for mac, cs := range contested {
		if len(cs) < 2 {
			delete(contested, mac)
		}
	}
	return contested
}

// sharedMACs returns every MAC that more than one prepared spec names, of
// one type or of two: each pair of types is intersected by walking the
// smaller one.
func sharedMACs(prepared map[inventory.ComponentType]PreparedComponents) map[string]struct{} {
	shared := map[string]struct{}{}
	for i, a := range inventory.MirroredTypes {
		for _, mac := range prepared[a].macTwice {
			shared[mac] = struct{}{}
		}
		for _, b := range inventory.MirroredTypes[i+1:] {
			small, large := prepared[a].macs, prepared[b].macs
			if len(small) > len(large) {
				small, large = large, small
			}
			for mac := range small {
				if _, ok := large[mac]; ok {
					shared[mac] = struct{}{}
				}
			}
		}
	}
	return shared
}

// hostOwners maps each Host BMC's MAC to its owner's natural key.
func hostOwners(cur ComponentState) map[string]inventory.ChassisKey {
	keys := make(map[string]inventory.ChassisKey, len(cur.Components))
	for _, c := range cur.Components {
		keys[c.ID] = c.Key()
	}
	owners := make(map[string]inventory.ChassisKey, len(cur.BMCs))
	for _, b := range cur.BMCs {
		if k, ok := keys[b.ComponentID]; ok && b.Type == inventory.HostBMC {
			owners[b.MAC] = k
		}
	}
	return owners
}

// winningClaim picks from claims already in type order, then response order.
func winningClaim(claims []macClaim, owner inventory.ChassisKey) macClaim {
	for _, c := range claims {
		if c.spec.Key == owner {
			return c
		}
	}
	return claims[0]
}

// bmcModel is the BMC rows as the transaction's operations leave them. Each
// operation edits the model, and the writes are the difference between the
// rows read and the model, so each row and each MAC gets at most one
// operation: a host BMC deleted from one component and claimed by another
// becomes a single eviction. The rows read are the index's, shared and never
// changed; the model keeps only what the operations changed.
type bmcModel struct {
	ix    *inventory.RowIndex
	edits map[string]bmcEdit  // MAC → its row now
	hosts map[string][]string // component id → its Host MACs now, for components whose MACs changed
}

// bmcEdit is an operation's result for one MAC: its row, or gone.
type bmcEdit struct {
	row  inventory.BMC
	gone bool
}

func newBMCModel(ix *inventory.RowIndex) *bmcModel {
	return &bmcModel{ix: ix, edits: map[string]bmcEdit{}, hosts: map[string][]string{}}
}

// row is the MAC's row as the operations so far leave it.
func (m *bmcModel) row(mac string) (inventory.BMC, bool) {
	if e, edited := m.edits[mac]; edited {
		return e.row, !e.gone
	}
	b, ok := m.ix.BMC(mac)
	return b, ok
}

// hostsOf is the component's Host MACs as the operations so far leave them.
func (m *bmcModel) hostsOf(componentID string) []string {
	if h, edited := m.hosts[componentID]; edited {
		return h
	}
	return m.ix.HostMACs(componentID)
}

func (m *bmcModel) set(b inventory.BMC) {
	if old, ok := m.row(b.MAC); ok {
		m.dropHost(old.ComponentID, b.MAC)
	}
	m.edits[b.MAC] = bmcEdit{row: b}
	if hosts := m.hostsOf(b.ComponentID); b.Type == inventory.HostBMC && !slices.Contains(hosts, b.MAC) {
		m.hosts[b.ComponentID] = append(slices.Clip(hosts), b.MAC) // never into the index's array
	}
}

// dropHost takes mac off the component's Host MACs.
func (m *bmcModel) dropHost(componentID, mac string) {
	if hosts := m.hostsOf(componentID); slices.Contains(hosts, mac) {
		m.hosts[componentID] = without(hosts, mac)
	}
}

func (m *bmcModel) remove(mac string) {
	if old, ok := m.row(mac); ok {
		m.dropHost(old.ComponentID, mac)
		m.edits[mac] = bmcEdit{gone: true}
	}
}

// claim gives the component exactly one Host BMC, Core's MAC with Core's IP,
// evicting a Host BMC of another component if need be. It refuses a MAC that
// is a DPU BMC, returning that row and leaving the component's BMCs alone.
func (m *bmcModel) claim(componentID, mac string, ip *string) (refused *inventory.BMC) {
	b, ok := m.row(mac)
	if ok && b.Type == inventory.DPUBMC {
		return &b
	}
	if !ok || b.Type != inventory.HostBMC || b.ComponentID != componentID || !inventory.EqualPtr(b.IPAddress, ip) { // else it already is that row
		m.set(inventory.BMC{MAC: mac, Type: inventory.HostBMC, ComponentID: componentID, IPAddress: ip})
	}
	if hosts := m.hostsOf(componentID); len(hosts) > 1 {
		others := slices.Sorted(slices.Values(hosts))
		for _, other := range others {
			if other != mac {
				m.remove(other)
			}
		}
	}
	return nil
}

// reconcileBMCs runs the host BMC rules for every mirrored component of the
// type, in response order. A spec that lost a contested MAC leaves its
// component's BMCs unchanged.
func (p *componentPlanner) reconcileBMCs(contest macContest) {
	for i := range p.rows {
		r := &p.rows[i]
		if w, contested := contest[r.spec.MAC]; contested && w.spec != r.spec {
			p.plan.Counters.BMCContested++
			p.find(warn("host BMC MAC is claimed by another component; BMCs left unchanged",
				slog.String("mac", r.spec.MAC), slog.String("type", string(p.t)),
				slog.String("serial_number", r.spec.Key.SerialNumber),
				slog.String("winner_type", string(w.t)), slog.String("winner_serial_number", w.spec.Key.SerialNumber)))
			continue
		}
		if b := p.bmcs.claim(r.cur.ID, r.spec.MAC, r.spec.IP); b != nil {
			p.plan.Counters.BMCRefused++
			p.find(errorf("host BMC refused: the MAC belongs to a DPU BMC",
				slog.String("mac", b.MAC), slog.String("owner_id", b.ComponentID),
				slog.String("component_id", r.cur.ID), slog.String("type", string(p.t)),
				slog.String("serial_number", r.spec.Key.SerialNumber)))
		}
	}
}

// emitBMCs turns the model's difference from the rows read into writes,
// events and counters, in MAC order. Only the MACs an operation touched can
// differ.
func (p *componentPlanner) emitBMCs() (events []inventory.Event) {
	var deletes, moves, inserts, updates []inventory.Event
	for _, mac := range p.bmcs.touched() {
		before, had := p.bmcs.ix.BMC(mac)
		after, has := p.bmcs.row(mac)
		switch {
		case had && !has:
			deletes = append(deletes, p.deleteBMC(before))
		case !had && has:
			inserts = append(inserts, p.insertBMC(after))
		case !had:
		case before.ComponentID != after.ComponentID:
			moves = append(moves, p.moveBMC(before, after))
		case !inventory.EqualPtr(before.IPAddress, after.IPAddress):
			updates = append(updates, p.updateBMC(before, after))
		}
	}
	return slices.Concat(deletes, moves, inserts, updates)
}

// touched lists the MACs an operation set or removed, sorted.
func (m *bmcModel) touched() []string {
	out := make([]string, 0, len(m.edits))
	for mac := range m.edits {
		out = append(out, mac)
	}
	slices.Sort(out)
	return out
}

func (p *componentPlanner) deleteBMC(b inventory.BMC) inventory.Event {
	p.plan.Writes.BMCDeletes = append(p.plan.Writes.BMCDeletes, b.MAC)
	p.plan.Counters.BMCDeleted++
	ch := inventory.Changes{inventory.ColComponentID: {Old: b.ComponentID}}
	if b.IPAddress != nil {
		ch[inventory.ColIPAddress] = inventory.Change{Old: b.IPAddress, New: (*string)(nil)}
	}
	return p.opt.event(inventory.EntityBMC, b.MAC, inventory.ActionHardDelete, ch)
}

func (p *componentPlanner) insertBMC(b inventory.BMC) inventory.Event {
	p.plan.Writes.BMCInserts = append(p.plan.Writes.BMCInserts, b)
	p.plan.Counters.BMCInserted++
	ch := inventory.Changes{inventory.ColType: {New: string(b.Type)}, inventory.ColComponentID: {New: b.ComponentID}}
	setIfPresent(ch, inventory.ColIPAddress, b.IPAddress)
	return p.opt.event(inventory.EntityBMC, b.MAC, inventory.ActionInsert, ch)
}

// moveBMC is an eviction: the row takes its new owner and IP in one write.
func (p *componentPlanner) moveBMC(before, after inventory.BMC) inventory.Event {
	ch := inventory.Changes{
		inventory.ColComponentID: {Old: before.ComponentID, New: after.ComponentID},
		inventory.ColIPAddress:   {Old: before.IPAddress, New: after.IPAddress},
	}
	p.plan.Writes.BMCMoves = append(p.plan.Writes.BMCMoves, inventory.RowUpdate{Key: before.MAC, Changes: ch})
	p.plan.Counters.BMCEvicted++
	return p.opt.event(inventory.EntityBMC, before.MAC, inventory.ActionEvict, ch)
}

func (p *componentPlanner) updateBMC(before, after inventory.BMC) inventory.Event {
	ch := inventory.Changes{inventory.ColIPAddress: {Old: before.IPAddress, New: after.IPAddress}}
	p.plan.Writes.BMCUpdates = append(p.plan.Writes.BMCUpdates, inventory.RowUpdate{Key: before.MAC, Changes: ch})
	p.plan.Counters.BMCUpdated++
	return p.opt.event(inventory.EntityBMC, before.MAC, inventory.ActionUpdate, ch)
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
