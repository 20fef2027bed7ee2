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
// rows is cur.Components indexed by natural key (keyIndex).
func settleMACs(prepared map[inventory.ComponentType]PreparedComponents, cur ComponentState,
	rows map[inventory.ChassisKey]*inventory.Component) macContest {
	claims := macClaims(prepared, rows)
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

// keyIndex indexes components by natural key, pointing into comps.
func keyIndex(comps []inventory.Component) map[inventory.ChassisKey]*inventory.Component {
	out := make(map[inventory.ChassisKey]*inventory.Component, len(comps))
	for i := range comps {
		out[comps[i].Key()] = &comps[i]
	}
	return out
}

// macClaims lists the claims of each MAC claimed more than once, in type
// order, then response order. A MAC claimed once costs no slice of its own.
func macClaims(prepared map[inventory.ComponentType]PreparedComponents,
	rows map[inventory.ChassisKey]*inventory.Component) map[string][]macClaim {
	specs := 0
	for _, p := range prepared {
		specs += len(p.Specs)
	}
	first := make(map[string]macClaim, specs)
	contested := map[string][]macClaim{}
	for _, t := range inventory.MirroredTypes {
		prep := prepared[t]
		for i := range prep.Specs {
			s := &prep.Specs[i]
			if c, ok := rows[s.Key]; ok && c.Live() && c.Type != t {
				continue // skipped_conflict in its own transaction
			}
			f, seen := first[s.MAC]
			switch {
			case !seen:
				first[s.MAC] = macClaim{t, s}
			case contested[s.MAC] == nil:
				contested[s.MAC] = []macClaim{f, {t, s}}
			default:
				contested[s.MAC] = append(contested[s.MAC], macClaim{t, s})
			}
		}
	}
	return contested
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
// becomes a single eviction.
type bmcModel struct {
	read  []inventory.BMC // the rows read, in the store's order
	orig  map[string]inventory.BMC
	rows  map[string]inventory.BMC // absent means deleted
	hosts map[string][]string      // component id → its Host MACs, each once
}

func newBMCModel(cur ComponentState) *bmcModel {
	m := &bmcModel{read: cur.BMCs, orig: make(map[string]inventory.BMC, len(cur.BMCs)), rows: make(map[string]inventory.BMC, len(cur.BMCs)),
		hosts: make(map[string][]string, len(cur.Components))}
	for _, b := range cur.BMCs {
		m.orig[b.MAC] = b
		m.set(b)
	}
	return m
}

func (m *bmcModel) set(b inventory.BMC) {
	if old, ok := m.rows[b.MAC]; ok {
		m.dropHost(old.ComponentID, b.MAC)
	}
	m.rows[b.MAC] = b
	if b.Type == inventory.HostBMC && !slices.Contains(m.hosts[b.ComponentID], b.MAC) {
		m.hosts[b.ComponentID] = append(m.hosts[b.ComponentID], b.MAC)
	}
}

// dropHost takes mac off the component's Host MACs, in place.
func (m *bmcModel) dropHost(componentID, mac string) {
	if macs, ok := m.hosts[componentID]; ok {
		m.hosts[componentID] = slices.DeleteFunc(macs, func(x string) bool { return x == mac })
	}
}

func (m *bmcModel) remove(mac string) {
	m.dropHost(m.rows[mac].ComponentID, mac)
	delete(m.rows, mac)
}

// claim gives the component exactly one Host BMC, Core's MAC with Core's IP,
// evicting a Host BMC of another component if need be. It refuses a MAC that
// is a DPU BMC, returning that row and leaving the component's BMCs alone.
func (m *bmcModel) claim(componentID, mac string, ip *string) (refused *inventory.BMC) {
	if b, ok := m.rows[mac]; ok && b.Type == inventory.DPUBMC {
		return &b
	}
	m.set(inventory.BMC{MAC: mac, Type: inventory.HostBMC, ComponentID: componentID, IPAddress: ip})
	if hosts := m.hosts[componentID]; len(hosts) > 1 {
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
	for _, r := range p.rows {
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
// events and counters.
func (p *componentPlanner) emitBMCs() (events []inventory.Event) {
	var deletes, moves, inserts, updates []inventory.Event
	for _, mac := range p.bmcs.macs() {
		before, had := p.bmcs.orig[mac]
		after, has := p.bmcs.rows[mac]
		switch {
		case had && !has:
			deletes = append(deletes, p.deleteBMC(before))
		case !had && has:
			inserts = append(inserts, p.insertBMC(after))
		case before.ComponentID != after.ComponentID:
			moves = append(moves, p.moveBMC(before, after))
		case !inventory.EqualPtr(before.IPAddress, after.IPAddress):
			updates = append(updates, p.updateBMC(before, after))
		}
	}
	return slices.Concat(deletes, moves, inserts, updates)
}

// macs lists every MAC read or in the model, sorted, each once. The rows
// read come first in the store's order, which is already (nearly) sorted and
// so sorts in close to linear time.
func (m *bmcModel) macs() []string {
	out := make([]string, 0, len(m.read))
	for _, b := range m.read {
		out = append(out, b.MAC)
	}
	for mac := range m.rows {
		if _, read := m.orig[mac]; !read {
			out = append(out, mac)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
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
