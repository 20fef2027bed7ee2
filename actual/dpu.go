package actual

import (
	"log/slog"
	"sort"

	"rackflow/inventory"
)

// dpuClaim is one host's claim on a DPU BMC MAC.
type dpuClaim struct {
	componentID string
	ip          *string
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
// listed holds each component's listed MACs.
func (p *planner) dpuClaims(live []*inventory.Component, m matching) (map[string][]dpuClaim, map[string]bool, map[string]map[string]bool) {
	claims := map[string][]dpuClaim{}
	complete, listed := map[string]bool{}, map[string]map[string]bool{}
	for _, c := range live {
		i, ok := m.pairs[c.ID]
		if !ok {
			continue
		}
		complete[c.ID], listed[c.ID] = true, map[string]bool{}
		for _, id := range p.snap.Objects[i].Machine.DPUIDs {
			dpu, ok := p.snap.DPUs[id]
			if !ok {
				complete[c.ID] = false
				continue
			}
			mac, err := inventory.NormalizeMAC(dpu.BMC.MAC)
			if err != nil {
				complete[c.ID] = false
				p.dpuConflict("DPU has an invalid BMC MAC", slog.String("dpu_id", id), slog.String("mac", dpu.BMC.MAC))
				continue
			}
			listed[c.ID][mac] = true
			claims[mac] = append(claims[mac], dpuClaim{componentID: c.ID, ip: inventory.Optional(dpu.BMC.IP)})
		}
	}
	return claims, complete, listed
}

func (p *planner) applyDPUClaim(mac string, cs []dpuClaim) {
	if len(cs) > 1 {
		p.dpuConflict("DPU BMC MAC claimed by several hosts", slog.String("mac", mac), slog.Int("hosts", len(cs)))
		return
	}
	claim := cs[0]
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
func (p *planner) deleteUnlistedDPUs(complete map[string]bool, listed map[string]map[string]bool, claims map[string][]dpuClaim) {
	for _, b := range p.st.BMCs {
		if b.Type != inventory.DPUBMC || !complete[b.ComponentID] || listed[b.ComponentID][b.MAC] {
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
