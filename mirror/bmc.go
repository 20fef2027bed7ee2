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
func settleMACs(prepared map[inventory.ComponentType]PreparedComponents, cur ComponentState) macContest {
	macs, claims := macClaims(prepared, cur)
	owners := hostOwners(cur)
	contest := macContest{}
	for _, mac := range macs {
		if cs := claims[mac]; len(cs) > 1 {
			contest[mac] = winningClaim(cs, owners[mac])
		}
	}
	return contest
}

// macClaims lists each MAC's claims in type order, then response order, with
// the MACs in first-claim order.
func macClaims(prepared map[inventory.ComponentType]PreparedComponents, cur ComponentState) ([]string, map[string][]macClaim) {
	rows := make(map[inventory.ChassisKey]*inventory.Component, len(cur.Components))
	for i := range cur.Components {
		rows[cur.Components[i].Key()] = &cur.Components[i]
	}
	specs := 0
	for _, p := range prepared {
		specs += len(p.Specs)
	}
	claims := make(map[string][]macClaim, specs)
	var macs []string
	for _, t := range inventory.MirroredTypes {
		prep := prepared[t]
		for i := range prep.Specs {
			s := &prep.Specs[i]
			if c, ok := rows[s.Key]; ok && c.Live() && c.Type != t {
				continue // skipped_conflict in its own transaction
			}
			if claims[s.MAC] == nil {
				macs = append(macs, s.MAC)
			}
			claims[s.MAC] = append(claims[s.MAC], macClaim{t, s})
		}
	}
	return macs, claims
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
	orig  map[string]inventory.BMC
	rows  map[string]inventory.BMC   // absent means deleted
	hosts map[string]map[string]bool // component id → its Host MACs
}

func newBMCModel(cur ComponentState) *bmcModel {
	m := &bmcModel{orig: make(map[string]inventory.BMC, len(cur.BMCs)), rows: make(map[string]inventory.BMC, len(cur.BMCs)),
		hosts: make(map[string]map[string]bool, len(cur.Components))}
	for _, b := range cur.BMCs {
		m.orig[b.MAC] = b
		m.set(b)
	}
	return m
}

func (m *bmcModel) set(b inventory.BMC) {
	if old, ok := m.rows[b.MAC]; ok {
		delete(m.hosts[old.ComponentID], b.MAC)
	}
	m.rows[b.MAC] = b
	if b.Type == inventory.HostBMC {
		if m.hosts[b.ComponentID] == nil {
			m.hosts[b.ComponentID] = map[string]bool{}
		}
		m.hosts[b.ComponentID][b.MAC] = true
	}
}

func (m *bmcModel) remove(mac string) {
	delete(m.hosts[m.rows[mac].ComponentID], mac)
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
	for _, other := range sortedKeys(m.hosts[componentID]) {
		if other != mac {
			m.remove(other)
		}
	}
	return nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
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

func (m *bmcModel) macs() []string {
	set := map[string]bool{}
	for mac := range m.orig {
		set[mac] = true
	}
	for mac := range m.rows {
		set[mac] = true
	}
	return sortedKeys(set)
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
