package actual

import (
	"log/slog"
	"slices"
	"sort"

	"rackflow/inventory"
)

// dpuClaim is the first host's claim on a DPU BMC MAC, and how many hosts
// claim it in all (more than one is a conflict).
type dpuClaim struct {
	componentID string
	ip          *string
	hosts       int
}

// dpus projects each matched host's DPUs into DPU BMC rows of its compute
// component: inserts, IP updates, moves from another component, and deletes of
// rows Core no longer lists. This is the only writer of DPU BMC rows.
func (p *planner) dpus(live []*inventory.Component, m matching) {
	claims, complete, listed := p.dpuClaims(live, m)
	macs := make([]string, 0, len(claims))
	for mac := range claims {
		macs = append(macs, mac)
	}
	sort.Strings(macs)
	for _, mac := range macs {
		p.applyDPUClaim(mac, claims[mac])
	}
	p.deleteUnlistedDPUs(complete, listed, claims)
}

// dpuClaims gathers, per DPU MAC, the hosts that list it. complete records the
// components whose listed DPUs are all in the snapshot with a valid MAC;
// listed holds each component's listed MACs (a host lists a few DPUs, so a
// slice rather than a set).
func (p *planner) dpuClaims(live []*inventory.Component, m matching) (map[string]dpuClaim, map[string]bool, map[string][]string) {
	claims := make(map[string]dpuClaim, 2*len(m.pairs))
	complete, listed := make(map[string]bool, len(m.pairs)), make(map[string][]string, len(m.pairs))
	for _, c := range live {
		i, ok := m.pairs[c.ID]
		if !ok {
			continue
		}
		complete[c.ID] = true
		ids := p.snap.Objects[i].DPUIDs
		macs := make([]string, 0, len(ids))
		for _, id := range ids {
			dpu, ok := p.snap.DPUs[id]
			if !ok {
				complete[c.ID] = false
				continue
			}
			mac, err := inventory.NormalizeMAC(dpu.MAC)
			if err != nil {
				complete[c.ID] = false
				p.dpuConflict("DPU has an invalid BMC MAC", slog.String("dpu_id", id), slog.String("mac", dpu.MAC))
				continue
			}
			macs = append(macs, mac)
			if first, ok := claims[mac]; ok {
				first.hosts++
				claims[mac] = first
			} else {
				claims[mac] = dpuClaim{componentID: c.ID, ip: inventory.Optional(dpu.IP), hosts: 1}
			}
		}
		listed[c.ID] = macs
	}
	return claims, complete, listed
}

func (p *planner) applyDPUClaim(mac string, claim dpuClaim) {
	if claim.hosts > 1 {
		p.dpuConflict("DPU BMC MAC claimed by several hosts", slog.String("mac", mac), slog.Int("hosts", claim.hosts))
		return
	}
	row, ok := p.st.Index.BMC(mac)
	switch {
	case !ok:
		p.plan.Writes.BMCInserts = append(p.plan.Writes.BMCInserts, inventory.BMC{MAC: mac, Type: inventory.DPUBMC, ComponentID: claim.componentID, IPAddress: claim.ip})
		p.event(inventory.EntityBMC, mac, inventory.ActionInsert, inventory.Changes{
			inventory.ColType: {New: string(inventory.DPUBMC)}, inventory.ColComponentID: {New: claim.componentID}, inventory.ColIPAddress: {New: claim.ip}})
		p.plan.Counters.DPUInserted++
	case row.Type == inventory.HostBMC:
		p.dpuConflict("DPU BMC MAC is stored as a Host BMC", slog.String("mac", mac), slog.String("owner", row.ComponentID))
	default:
		p.updateDPU(row, claim)
	}
}

// updateDPU moves a DPU row to its host and refreshes its IP, when either changed.
func (p *planner) updateDPU(row inventory.BMC, claim dpuClaim) {
	cs := inventory.Changes{}
	if row.ComponentID != claim.componentID {
		cs[inventory.ColComponentID] = inventory.Change{Old: row.ComponentID, New: claim.componentID}
	}
	if !inventory.EqualPtr(row.IPAddress, claim.ip) {
		cs[inventory.ColIPAddress] = inventory.Change{Old: row.IPAddress, New: claim.ip}
	}
	if len(cs) == 0 {
		return
	}
	p.plan.Writes.BMCUpdates = append(p.plan.Writes.BMCUpdates, inventory.RowUpdate{Key: row.MAC, Changes: cs})
	p.event(inventory.EntityBMC, row.MAC, inventory.ActionUpdate, cs)
	p.plan.Counters.DPUUpdated++
}

// deleteUnlistedDPUs deletes a matched host's DPU rows that Core no longer
// lists for it, unless some of its listed DPUs could not be read this cycle,
// or another host claims the MAC (a move, or a conflict left alone).
func (p *planner) deleteUnlistedDPUs(complete map[string]bool, listed map[string][]string, claims map[string]dpuClaim) {
	for _, b := range p.st.BMCs {
		if b.Type != inventory.DPUBMC || !complete[b.ComponentID] || slices.Contains(listed[b.ComponentID], b.MAC) {
			continue
		}
		if _, claimed := claims[b.MAC]; claimed {
			continue
		}
		p.plan.Writes.BMCDeletes = append(p.plan.Writes.BMCDeletes, b.MAC)
		p.event(inventory.EntityBMC, b.MAC, inventory.ActionHardDelete, inventory.Changes{
			inventory.ColComponentID: {Old: b.ComponentID, New: nil}, inventory.ColIPAddress: {Old: b.IPAddress, New: nil}})
		p.plan.Counters.DPUDeleted++
	}
}

func (p *planner) dpuConflict(msg string, attrs ...slog.Attr) {
	p.plan.Counters.DPUConflicts++
	p.plan.Findings = append(p.plan.Findings, inventory.Finding{Level: slog.LevelWarn, Msg: msg, Attrs: attrs})
}
