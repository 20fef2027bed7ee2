package actual

import (
	"fmt"
	"log/slog"
	"sort"
	"time"

	"rackflow/inventory"
)

// typeRules is what differs between component types.
type typeRules struct {
	runtime        func(Snapshot, Object) (power *inventory.PowerState, firmware string, entryFailed bool)
	serialFallback bool
	positions      func(inventory.Component, Snapshot, Object) []inventory.Diff
	dpus           bool
}

// rules holds each type's rules; each type's file registers its own.
var rules = map[inventory.ComponentType]typeRules{}

// State is what the type's transaction read from the store.
type State struct {
	Racks      []inventory.Rack
	Components []inventory.Component // every type, tombstones included
	BMCs       []inventory.BMC
	Drifts     []inventory.Drift // open drifts of this type
	// Index, when set, indexes exactly Racks, Components and BMCs (the cycle
	// shares one among the steps that read the same rows); nil builds one.
	Index *inventory.RowIndex
}

// Options are the cycle's parameters.
type Options struct {
	Now     time.Time
	CycleID string
}

// Counters are one type's actual-sync counters, as recorded in
// sync_cycle.steps.actual.
type Counters struct {
	SnapshotObjects      int `json:"snapshot_objects"`
	Matched              int `json:"matched"`
	MatchedBySerial      int `json:"matched_by_serial"`
	Ambiguous            int `json:"ambiguous"`
	ExternalIDSet        int `json:"external_id_set"`
	ExternalIDCleared    int `json:"external_id_cleared"`
	PowerUpdated         int `json:"power_updated"`
	FirmwareUpdated      int `json:"firmware_updated"`
	DPUInserted          int `json:"dpu_inserted"`
	DPUUpdated           int `json:"dpu_updated"`
	DPUDeleted           int `json:"dpu_deleted"`
	DPUConflicts         int `json:"dpu_conflicts"`
	DriftOpened          int `json:"drift_opened"`
	DriftChanged         int `json:"drift_changed"`
	DriftResolved        int `json:"drift_resolved"`
	DriftOpen            int `json:"drift_open"`
	OptionalErrors       int `json:"optional_errors"`
	InventoryEntryErrors int `json:"inventory_entry_errors"`
}

// Plan is every write of one type's actual sync, plus what to log.
type Plan struct {
	Writes   inventory.Writes
	Counters Counters
	Findings []inventory.Finding
}

// ErrEmptySnapshot fails a type whose snapshot has no objects while live
// components of that type exist: Core never legitimately loses every object
// between two cycles.
var ErrEmptySnapshot = fmt.Errorf("%w: Core reported no objects while live components exist", inventory.ErrInvalid)

// PlanType computes the actual sync and drift of one component type.
func PlanType(snap Snapshot, st State, opt Options) (Plan, error) {
	r, ok := rules[snap.Type]
	if !ok {
		return Plan{}, fmt.Errorf("actual: %w: no rules for type %s", inventory.ErrInvalid, snap.Type)
	}
	live := liveOfType(st.Components, snap.Type)
	if len(snap.Objects) == 0 && len(live) > 0 {
		return Plan{}, fmt.Errorf("actual: %s: %w (%d live)", snap.Type, ErrEmptySnapshot, len(live))
	}
	if st.Index == nil {
		st.Index = inventory.NewRowIndex(st.Racks, st.Components, st.BMCs)
	}
	p := planner{snap: snap, st: st, opt: opt, rules: r, changes: map[string]inventory.Changes{}}
	p.plan.Writes.At = opt.Now // the updated_at of every runtime-column write
	p.plan.Counters.SnapshotObjects = len(snap.Objects)
	p.plan.Counters.OptionalErrors = len(snap.OptionalErrors())
	m := match(live, st.Index.HostMACs, snap.Objects, r.serialFallback)
	p.plan.Findings = append(p.plan.Findings, m.findings...)
	p.plan.Counters.Matched, p.plan.Counters.MatchedBySerial, p.plan.Counters.Ambiguous = len(m.pairs), m.bySerial, len(m.ambiguous)
	p.runtime(live, m)
	if r.dpus {
		p.dpus(live, m)
	}
	p.componentWrites()
	p.drift(live, m)
	return p.plan, nil
}

// planner accumulates one type's plan.
type planner struct {
	snap    Snapshot
	st      State
	opt     Options
	rules   typeRules
	plan    Plan
	changes map[string]inventory.Changes // component id -> runtime changes
	rackExt map[string]string            // rack id -> Core's rack id; built on first use
}

// liveOfType points at the live components of type t, in read order.
func liveOfType(cs []inventory.Component, t inventory.ComponentType) []*inventory.Component {
	var out []*inventory.Component
	for i := range cs {
		if cs[i].Live() && cs[i].Type == t {
			out = append(out, &cs[i])
		}
	}
	return out
}

func (p *planner) set(compID, col string, old, new any) {
	if p.changes[compID] == nil {
		p.changes[compID] = inventory.Changes{}
	}
	p.changes[compID][col] = inventory.Change{Old: old, New: new}
}

// runtime plans external ids, power and firmware of matched components.
func (p *planner) runtime(live []*inventory.Component, m matching) {
	assigned := map[string]string{} // external id -> component id taking it
	for _, c := range live {
		i, ok := m.pairs[c.ID]
		if !ok {
			continue
		}
		o := p.snap.Objects[i]
		if c.ExternalID == nil || *c.ExternalID != o.ID {
			p.set(c.ID, inventory.ColExternalID, c.ExternalID, inventory.Ptr(o.ID))
			p.plan.Counters.ExternalIDSet++
		}
		assigned[o.ID] = c.ID
		p.powerAndFirmware(*c, o)
	}
	p.clearTakenExternalIDs(assigned)
}

func (p *planner) powerAndFirmware(c inventory.Component, o Object) {
	power, firmware, entryFailed := p.rules.runtime(p.snap, o)
	if entryFailed {
		p.plan.Counters.InventoryEntryErrors++
		p.plan.Findings = append(p.plan.Findings, inventory.Finding{Level: slog.LevelWarn,
			Msg:   "inventory entry failed; keeping the values it would give",
			Attrs: []slog.Attr{slog.String("type", string(p.snap.Type)), slog.String("core_id", o.ID), slog.String("component_id", c.ID)}})
	}
	if power != nil && (c.PowerState == nil || *c.PowerState != *power) {
		p.set(c.ID, inventory.ColPowerState, c.PowerState, power)
		p.plan.Counters.PowerUpdated++
	}
	if firmware != "" && (c.FirmwareVersion == nil || *c.FirmwareVersion != firmware) {
		p.set(c.ID, inventory.ColFirmwareVersion, c.FirmwareVersion, inventory.Ptr(firmware))
		p.plan.Counters.FirmwareUpdated++
	}
}

// clearTakenExternalIDs clears an external id from any other row of the type,
// live or tombstone, that holds it while a matched component takes it. The
// store's two-step move makes swaps and chains safe.
func (p *planner) clearTakenExternalIDs(assigned map[string]string) {
	for _, c := range p.st.Components {
		if c.Type != p.snap.Type || c.ExternalID == nil {
			continue
		}
		taker, taken := assigned[*c.ExternalID]
		if !taken || taker == c.ID {
			continue
		}
		if _, reassigned := p.changes[c.ID][inventory.ColExternalID]; reassigned {
			continue
		}
		p.set(c.ID, inventory.ColExternalID, c.ExternalID, (*string)(nil))
		p.plan.Counters.ExternalIDCleared++
	}
}

// componentWrites turns the accumulated runtime changes into one update and
// one event per component.
func (p *planner) componentWrites() {
	ids := make([]string, 0, len(p.changes))
	for id := range p.changes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p.plan.Writes.ComponentUpdates = append(p.plan.Writes.ComponentUpdates, inventory.RowUpdate{Key: id, Changes: p.changes[id]})
		p.event(inventory.EntityComponent, id, inventory.ActionUpdate, p.changes[id])
	}
}

// event records one write's event. Its INFO log line is made from the event
// once the writes have committed (EventAttrs), not held beside it.
func (p *planner) event(entity, id string, action inventory.Action, cs inventory.Changes) {
	p.plan.Writes.Events = append(p.plan.Writes.Events, inventory.Event{CycleID: inventory.Ptr(p.opt.CycleID), At: p.opt.Now,
		Entity: entity, EntityID: id, Action: action, Changes: cs, Source: inventory.SourceActual})
}

// EventAttrs are the attributes of an actual-sync write's INFO log line.
func EventAttrs(e inventory.Event) []slog.Attr {
	return []slog.Attr{slog.String("source", string(e.Source)), slog.String("entity", e.Entity), slog.String("entity_id", e.EntityID),
		slog.String("action", string(e.Action)), slog.Any("changes", e.Changes)}
}
