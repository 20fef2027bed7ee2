package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"rackflow/inventory"
)

// AuditGaps checks that the audit trail accounts for every row of the rack,
// component and bmc tables, and returns one line per gap (none when the trail
// is complete):
//
//   - every row has an insert event (or an adopt event, for a rack that was
//     there before the mirror);
//   - folding the row's events in order, the last value each event gives a
//     column equals the row's current value (deleted_at by whether it is set),
//     and a column no event of an inserted row names is NULL;
//   - no row's last event is a hard delete or a GC.
//
// So a committed write without its event, or an event without its write,
// shows up as a gap.
func AuditGaps(ctx context.Context, s inventory.Store) ([]string, error) {
	rows, err := ReadRows(ctx, s)
	if err != nil {
		return nil, err
	}
	events, err := s.Events(ctx, inventory.EventFilter{Limit: 1 << 30})
	if err != nil {
		return nil, fmt.Errorf("storetest: read events: %w", err)
	}
	trail := foldEvents(events)
	var gaps []string
	for _, r := range rows.Racks {
		gaps = append(gaps, trail.check(inventory.EntityRack, r.ID, rackColumns(r))...)
	}
	for _, c := range rows.Components {
		gaps = append(gaps, trail.check(inventory.EntityComponent, c.ID, componentColumns(c))...)
	}
	for _, b := range rows.BMCs {
		gaps = append(gaps, trail.check(inventory.EntityBMC, b.MAC, bmcColumns(b))...)
	}
	return gaps, nil
}

// history is the folded events of one entity.
type history struct {
	actions []inventory.Action
	last    map[string]any // column -> the last new value an event gave it
}

type trail map[string]*history // entity + " " + id

func foldEvents(events []inventory.Event) trail {
	tr := trail{}
	for _, e := range events {
		k := e.Entity + " " + e.EntityID
		h := tr[k]
		if h == nil {
			h = &history{last: map[string]any{}}
			tr[k] = h
		}
		h.actions = append(h.actions, e.Action)
		for col, ch := range e.Changes {
			h.last[col] = ch.New
		}
	}
	return tr
}

func (tr trail) check(entity, id string, cols map[string]any) []string {
	h := tr[entity+" "+id]
	if h == nil {
		return []string{fmt.Sprintf("%s %s: no event at all", entity, id)}
	}
	var gaps []string
	if !containsAny(h.actions, inventory.ActionInsert, inventory.ActionAdopt) {
		gaps = append(gaps, fmt.Sprintf("%s %s: no insert event (actions %v)", entity, id, h.actions))
	}
	if last := h.actions[len(h.actions)-1]; last == inventory.ActionHardDelete || last == inventory.ActionGC {
		gaps = append(gaps, fmt.Sprintf("%s %s: last event is %s but the row exists", entity, id, last))
	}
	inserted := h.actions[0] == inventory.ActionInsert
	for col, want := range cols {
		got, named := h.last[col]
		if !named && !inserted {
			continue // an adopted row's value from before the mirror
		}
		if col == inventory.ColDeletedAt {
			got = got != nil
		}
		if !reflect.DeepEqual(plain(got), plain(want)) {
			gaps = append(gaps, fmt.Sprintf("%s %s: column %s is %v but its last event says %v", entity, id, col, plain(want), plain(got)))
		}
	}
	return gaps
}

func containsAny(as []inventory.Action, want ...inventory.Action) bool {
	for _, a := range as {
		for _, w := range want {
			if a == w {
				return true
			}
		}
	}
	return false
}

// plain round-trips v through JSON, so that a row's typed value and an
// event's decoded value compare alike.
func plain(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unmarshalable %T", v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return string(b)
	}
	return out
}

func rackColumns(r inventory.Rack) map[string]any {
	return map[string]any{
		inventory.ColName: r.Name, inventory.ColManufacturer: r.Manufacturer, inventory.ColSerialNumber: r.SerialNumber,
		inventory.ColDescription: r.Description, inventory.ColLocation: r.Location, inventory.ColExternalID: r.ExternalID,
		inventory.ColDeletedAt: r.DeletedAt != nil,
	}
}

func componentColumns(c inventory.Component) map[string]any {
	return map[string]any{
		inventory.ColName: c.Name, inventory.ColType: c.Type, inventory.ColManufacturer: c.Manufacturer,
		inventory.ColSerialNumber: c.SerialNumber, inventory.ColModel: c.Model, inventory.ColDescription: c.Description,
		inventory.ColFirmwareVersion: c.FirmwareVersion, inventory.ColRackID: c.RackID, inventory.ColSlotID: c.SlotID,
		inventory.ColTrayIndex: c.TrayIndex, inventory.ColHostID: c.HostID, inventory.ColExternalID: c.ExternalID,
		inventory.ColPowerState: c.PowerState, inventory.ColDeletedAt: c.DeletedAt != nil,
	}
}

func bmcColumns(b inventory.BMC) map[string]any {
	return map[string]any{
		inventory.ColType: b.Type, inventory.ColComponentID: b.ComponentID, inventory.ColIPAddress: b.IPAddress,
	}
}
