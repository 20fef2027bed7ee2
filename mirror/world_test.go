package mirror

import (
	"encoding/json"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// world is an in-memory copy of the three mirrored tables, used only to
// assert the end state a plan describes. It applies Writes in the documented
// order and checks every unique index and foreign key afterwards; it is not a
// stand-in for a store.
type world struct {
	racks map[string]inventory.Rack
	comps map[string]inventory.Component
	bmcs  map[string]inventory.BMC
}

func newWorld(racks []inventory.Rack, comps []inventory.Component, bmcs []inventory.BMC) *world {
	w := &world{racks: map[string]inventory.Rack{}, comps: map[string]inventory.Component{}, bmcs: map[string]inventory.BMC{}}
	for _, r := range racks {
		w.racks[r.ID] = r
	}
	for _, c := range comps {
		w.comps[c.ID] = c
	}
	for _, b := range bmcs {
		w.bmcs[b.MAC] = b
	}
	return w
}

func sortedValues[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]T, 0, len(m))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

func (w *world) Racks() []inventory.Rack           { return sortedValues(w.racks) }
func (w *world) Components() []inventory.Component { return sortedValues(w.comps) }
func (w *world) BMCs() []inventory.BMC             { return sortedValues(w.bmcs) }

func (w *world) state() ComponentState {
	return ComponentState{Racks: w.Racks(), Components: w.Components(), BMCs: w.BMCs()}
}

// apply performs one transaction's writes and checks the result.
func (w *world) apply(t testing.TB, wr inventory.Writes) {
	t.Helper()
	before := w.state()
	defer func() { checkApplied(t, before, wr, w.state()) }()
	checkOneOperationEach(t, wr)
	for _, u := range wr.ComponentRackClears {
		w.updateComponent(t, u, wr.At)
	}
	for _, id := range wr.RackDeletes {
		w.gcRack(t, id)
	}
	for _, u := range wr.RackUpdates {
		w.updateRack(t, u, wr.At)
	}
	for _, r := range wr.RackInserts {
		mustBeNew(t, w.racks, r.ID, "rack")
		w.racks[r.ID] = r
	}
	for _, u := range wr.RackSoftDeletes {
		w.updateRack(t, u, wr.At)
	}
	w.applyComponentWrites(t, wr)
	w.checkConstraints(t)
}

func (w *world) applyComponentWrites(t testing.TB, wr inventory.Writes) {
	t.Helper()
	for _, mac := range wr.BMCDeletes {
		mustExist(t, w.bmcs, mac, "bmc")
		delete(w.bmcs, mac)
	}
	if len(wr.ComponentDeletes) > 0 {
		t.Fatalf("the mirror never hard-deletes components, got %v", wr.ComponentDeletes)
	}
	for _, c := range wr.ComponentInserts {
		mustBeNew(t, w.comps, c.ID, "component")
		w.comps[c.ID] = c
	}
	for _, u := range wr.ComponentUpdates {
		w.updateComponent(t, u, wr.At)
	}
	for _, u := range wr.BMCMoves {
		w.updateBMC(t, u)
	}
	for _, b := range wr.BMCInserts {
		mustBeNew(t, w.bmcs, b.MAC, "bmc")
		w.bmcs[b.MAC] = b
	}
	for _, u := range wr.BMCUpdates {
		w.updateBMC(t, u)
	}
	for _, u := range wr.ComponentSoftDeletes {
		w.updateComponent(t, u, wr.At)
	}
}

func mustExist[T any](t testing.TB, m map[string]T, key, what string) {
	t.Helper()
	if _, ok := m[key]; !ok {
		t.Fatalf("write to missing %s %s", what, key)
	}
}

func mustBeNew[T any](t testing.TB, m map[string]T, key, what string) {
	t.Helper()
	if _, ok := m[key]; ok {
		t.Fatalf("insert of existing %s %s", what, key)
	}
}

func (w *world) gcRack(t testing.TB, id string) {
	t.Helper()
	mustExist(t, w.racks, id, "rack")
	if w.racks[id].Live() {
		t.Fatalf("GC of live rack %s", id)
	}
	for _, c := range w.comps {
		if c.RackID != nil && *c.RackID == id {
			t.Fatalf("GC of rack %s while component %s still references it", id, c.ID)
		}
	}
	delete(w.racks, id)
}

// updateRack sets the changed columns and updated_at, as every rack write does.
func (w *world) updateRack(t testing.TB, u inventory.RowUpdate, at time.Time) {
	t.Helper()
	mustExist(t, w.racks, u.Key, "rack")
	r := w.racks[u.Key]
	r.UpdatedAt = at
	for col, c := range u.Changes {
		switch col {
		case inventory.ColName:
			r.Name = as[string](t, col, c.New)
		case inventory.ColManufacturer:
			r.Manufacturer = as[string](t, col, c.New)
		case inventory.ColSerialNumber:
			r.SerialNumber = as[string](t, col, c.New)
		case inventory.ColDescription:
			r.Description = as[json.RawMessage](t, col, c.New)
		case inventory.ColLocation:
			r.Location = as[json.RawMessage](t, col, c.New)
		case inventory.ColExternalID:
			r.ExternalID = as[*string](t, col, c.New)
		case inventory.ColDeletedAt:
			r.DeletedAt = as[*time.Time](t, col, c.New)
		default:
			t.Fatalf("the mirror must not write rack column %s", col)
		}
	}
	w.racks[u.Key] = r
}

func (w *world) updateComponent(t testing.TB, u inventory.RowUpdate, at time.Time) {
	t.Helper()
	mustExist(t, w.comps, u.Key, "component")
	c := w.comps[u.Key]
	c.UpdatedAt = at
	for col, ch := range u.Changes {
		switch col {
		case inventory.ColName:
			c.Name = as[*string](t, col, ch.New)
		case inventory.ColType:
			c.Type = inventory.ComponentType(as[string](t, col, ch.New))
		case inventory.ColModel:
			c.Model = as[*string](t, col, ch.New)
		case inventory.ColRackID:
			c.RackID = as[*string](t, col, ch.New)
		case inventory.ColSlotID:
			c.SlotID = as[*int64](t, col, ch.New)
		case inventory.ColTrayIndex:
			c.TrayIndex = as[*int64](t, col, ch.New)
		case inventory.ColHostID:
			c.HostID = as[*int64](t, col, ch.New)
		case inventory.ColDeletedAt:
			c.DeletedAt = as[*time.Time](t, col, ch.New)
		default:
			t.Fatalf("the mirror must not write component column %s", col)
		}
	}
	w.comps[u.Key] = c
}

func (w *world) updateBMC(t testing.TB, u inventory.RowUpdate) {
	t.Helper()
	mustExist(t, w.bmcs, u.Key, "bmc")
	b := w.bmcs[u.Key]
	for col, ch := range u.Changes {
		switch col {
		case inventory.ColComponentID:
			b.ComponentID = as[string](t, col, ch.New)
		case inventory.ColIPAddress:
			b.IPAddress = as[*string](t, col, ch.New)
		default:
			t.Fatalf("the mirror must not write bmc column %s", col)
		}
	}
	w.bmcs[u.Key] = b
}

// as checks that a change carries the Go type the store serialises by.
func as[T any](t testing.TB, col string, v any) T {
	t.Helper()
	got, ok := v.(T)
	if !ok {
		var want T
		t.Fatalf("column %s: value %#v has type %T, want %T", col, v, v, want)
	}
	return got
}

// checkConstraints asserts every unique index and foreign key of schema.md.
func (w *world) checkConstraints(t testing.TB) {
	t.Helper()
	for _, v := range w.violations() {
		t.Error(v)
	}
}

// violations lists every broken unique index and foreign key.
func (w *world) violations() []string {
	var out []string
	unique := func(index string, key func(string) (string, bool), ids []string) {
		seen := map[string]string{}
		for _, id := range ids {
			k, ok := key(id)
			if !ok {
				continue
			}
			if strings.HasPrefix(k, "\u0001") {
				out = append(out, fmt.Sprintf("%s: row %s kept a placeholder %q", index, id, k))
			}
			if other, dup := seen[k]; dup {
				out = append(out, fmt.Sprintf("%s violated: %s and %s both hold %q", index, other, id, k))
			}
			seen[k] = id
		}
	}
	rackIDs, compIDs := keysOf(w.racks), keysOf(w.comps)
	unique("rack_name_idx", func(id string) (string, bool) { return w.racks[id].Name, true }, rackIDs)
	unique("rack_manufacturer_serial_idx", func(id string) (string, bool) { return w.racks[id].Chassis().String(), true }, rackIDs)
	unique("rack_external_id_idx", func(id string) (string, bool) {
		e := w.racks[id].ExternalID
		if e != nil && *e == "" {
			out = append(out, fmt.Sprintf("rack %s has an empty external id", id))
		}
		return deref(e), e != nil
	}, rackIDs)
	unique("component_manufacturer_serial_idx", func(id string) (string, bool) { return w.comps[id].Key().String(), true }, compIDs)
	return append(out, w.foreignKeyViolations()...)
}

func (w *world) foreignKeyViolations() []string {
	var out []string
	for _, c := range w.comps {
		if c.RackID != nil {
			if _, ok := w.racks[*c.RackID]; !ok {
				out = append(out, fmt.Sprintf("component %s references missing rack %s", c.ID, *c.RackID))
			}
		}
	}
	for _, b := range w.bmcs {
		if _, ok := w.comps[b.ComponentID]; !ok {
			out = append(out, fmt.Sprintf("bmc %s references missing component %s", b.MAC, b.ComponentID))
		}
	}
	return out
}

func keysOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkOneOperationEach asserts that each row and each MAC is written at most
// once, and that each entity has at most one event, in one transaction.
func checkOneOperationEach(t testing.TB, wr inventory.Writes) {
	t.Helper()
	seen := map[string]bool{}
	once := func(kind, key string) {
		if seen[kind+" "+key] {
			t.Errorf("%s %s gets more than one operation", kind, key)
		}
		seen[kind+" "+key] = true
	}
	for _, id := range wr.RackDeletes {
		once("rack", id)
	}
	for _, r := range wr.RackInserts {
		once("rack", r.ID)
	}
	for _, us := range [][]inventory.RowUpdate{wr.RackUpdates, wr.RackSoftDeletes} {
		for _, u := range us {
			once("rack", u.Key)
		}
	}
	for _, c := range wr.ComponentInserts {
		once("component", c.ID)
	}
	for _, us := range [][]inventory.RowUpdate{wr.ComponentUpdates, wr.ComponentSoftDeletes, wr.ComponentRackClears} {
		for _, u := range us {
			once("component", u.Key)
		}
	}
	for _, mac := range wr.BMCDeletes {
		once("bmc", mac)
	}
	for _, b := range wr.BMCInserts {
		once("bmc", b.MAC)
	}
	for _, us := range [][]inventory.RowUpdate{wr.BMCMoves, wr.BMCUpdates} {
		for _, u := range us {
			once("bmc", u.Key)
		}
	}
	events := map[string]bool{}
	for _, e := range wr.Events {
		k := e.Entity + " " + e.EntityID
		if events[k] {
			t.Errorf("%s has more than one event", k)
		}
		events[k] = true
		if e.Source != inventory.SourceMirror {
			t.Errorf("event %s has source %s", k, e.Source)
		}
	}
	if want := len(seen); len(events) != want {
		t.Errorf("%d events for %d written rows", len(events), want)
	}
}

// eventFor returns the event of one entity, failing when there is none.
func eventFor(t testing.TB, wr inventory.Writes, entity, id string) inventory.Event {
	t.Helper()
	for _, e := range wr.Events {
		if e.Entity == entity && e.EntityID == id {
			return e
		}
	}
	t.Fatalf("no %s event for %s in %s", entity, id, describeEvents(wr.Events))
	return inventory.Event{}
}

func describeEvents(es []inventory.Event) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\n  %s %s %s %v", e.Action, e.Entity, e.EntityID, changeKeys(e.Changes))
	}
	return b.String()
}

func changeKeys(ch inventory.Changes) []string {
	return keysOf(ch)
}

// checkApplied checks that Applied, which a dry run uses to carry one step's
// end state to the next, agrees with this world on every planned write.
func checkApplied(t testing.TB, before ComponentState, wr inventory.Writes, after ComponentState) {
	t.Helper()
	got := Applied(before, wr)
	slices.SortFunc(got.Racks, func(a, b inventory.Rack) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(got.Components, func(a, b inventory.Component) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(got.BMCs, func(a, b inventory.BMC) int { return strings.Compare(a.MAC, b.MAC) })
	opts := []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(inventory.Rack{}, "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(inventory.Component{}, "UpdatedAt")}
	if diff := cmp.Diff(after, got, opts...); diff != "" {
		t.Fatalf("Applied disagrees with the applied writes (-world +Applied):\n%s", diff)
	}
}
