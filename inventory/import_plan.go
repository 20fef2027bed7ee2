package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ImportState is what an import is planned against: every stored row, and
// the ids (rack and component uuids, BMC MACs) that the mirror or the actual
// sync has written, which an import must never change.
type ImportState struct {
	Racks      []Rack
	Components []Component
	BMCs       []BMC
	Owned      map[string]bool
}

// PlanImport turns a validated document into the writes of one transaction,
// with one inventory_event (source import, no cycle) per row written.
//
// Records are matched to stored rows by their natural keys: racks by name,
// components by (manufacturer, serial_number), BMCs by MAC. A record with no
// stored row is inserted; one whose fields all equal the stored row writes
// nothing, so re-importing a file is a no-op; one that differs updates the
// fields it gives. A record that would change a row the mirror or the actual
// sync owns (a rack with an external id, or any row they have written), that
// names a tombstone, or that takes a unique value another row holds is
// rejected with a *RecordError wrapping ErrConflict, and nothing is written.
func PlanImport(d ImportDocument, st ImportState, at time.Time) (Writes, ImportResult, error) {
	p := newImportPlan(st, Timestamp(at))
	for i, r := range d.Racks {
		if err := p.rack(i, r); err != nil {
			return Writes{}, ImportResult{}, err
		}
	}
	for i, c := range d.Components {
		if err := p.component(i, c); err != nil {
			return Writes{}, ImportResult{}, err
		}
	}
	for i, b := range d.BMCs {
		if err := p.bmc(i, b); err != nil {
			return Writes{}, ImportResult{}, err
		}
	}
	return p.w, p.res, nil
}

type importPlan struct {
	st         ImportState
	at         time.Time
	w          Writes
	res        ImportResult
	rackByName map[string]Rack
	rackByID   map[string]Rack
	rackByKey  map[ChassisKey]Rack
	compByKey  map[ChassisKey]Component
	bmcByMAC   map[string]BMC
}

func newImportPlan(st ImportState, at time.Time) *importPlan {
	p := &importPlan{st: st, at: at, w: Writes{At: at}, rackByName: map[string]Rack{}, rackByID: map[string]Rack{},
		rackByKey: map[ChassisKey]Rack{}, compByKey: map[ChassisKey]Component{}, bmcByMAC: map[string]BMC{}}
	for _, r := range st.Racks {
		p.rackByName[r.Name], p.rackByID[r.ID], p.rackByKey[r.Chassis()] = r, r, r
	}
	for _, c := range st.Components {
		p.compByKey[c.Key()] = c
	}
	for _, b := range st.BMCs {
		p.bmcByMAC[b.MAC] = b
	}
	return p
}

func (p *importPlan) event(entity, id string, a Action, ch Changes) {
	p.w.Events = append(p.w.Events, Event{At: p.at, Entity: entity, EntityID: id, Action: a, Changes: ch, Source: SourceImport})
}

func (p *importPlan) rack(i int, in ImportRack) error {
	key := ChassisKey{Manufacturer: in.Manufacturer, SerialNumber: in.SerialNumber}
	cur, exists := p.rackByName[in.Name]
	if holder, taken := p.rackByKey[key]; taken && (!exists || holder.ID != cur.ID) {
		return conflictRecord("racks", i, "serial_number", in.SerialNumber, fmt.Sprintf("chassis %s belongs to rack %q", key, holder.Name))
	}
	if !exists {
		return p.insertRack(in)
	}
	if !cur.Live() {
		return conflictRecord("racks", i, "name", in.Name, "a deleted rack holds this name")
	}
	ch := Changes{}
	setText(ch, ColManufacturer, cur.Manufacturer, in.Manufacturer)
	setText(ch, ColSerialNumber, cur.SerialNumber, in.SerialNumber)
	setJSON(ch, ColDescription, cur.Description, in.Description)
	setJSON(ch, ColLocation, cur.Location, in.Location)
	if len(ch) == 0 {
		p.res.Racks.Unchanged++
		return nil
	}
	if cur.ExternalID != nil || p.st.Owned[cur.ID] {
		return conflictRecord("racks", i, "name", in.Name, "the rack is mirrored from Core; import cannot change it")
	}
	p.w.RackUpdates = append(p.w.RackUpdates, RowUpdate{Key: cur.ID, Changes: ch})
	p.event(EntityRack, cur.ID, ActionUpdate, ch)
	p.res.Racks.Updated++
	return nil
}

func (p *importPlan) insertRack(in ImportRack) error {
	r := Rack{ID: NewID(), Name: in.Name, Manufacturer: in.Manufacturer, SerialNumber: in.SerialNumber,
		Description: nullJSON(in.Description), Location: nullJSON(in.Location), Status: in.Status, CreatedAt: p.at, UpdatedAt: p.at}
	if r.Status == "" {
		r.Status = "new"
	}
	p.w.RackInserts = append(p.w.RackInserts, r)
	p.rackByName[r.Name], p.rackByID[r.ID], p.rackByKey[r.Chassis()] = r, r, r
	ch := Changes{ColName: {New: r.Name}, ColManufacturer: {New: r.Manufacturer}, ColSerialNumber: {New: r.SerialNumber}}
	if r.Description != nil {
		ch[ColDescription] = Change{New: r.Description}
	}
	if r.Location != nil {
		ch[ColLocation] = Change{New: r.Location}
	}
	p.event(EntityRack, r.ID, ActionInsert, ch)
	p.res.Racks.Inserted++
	return nil
}

func (p *importPlan) resolveRack(i int, ref string) (string, error) {
	r, ok := p.rackByID[ref]
	if !ok {
		r, ok = p.rackByName[ref]
	}
	switch {
	case !ok:
		return "", invalidRecord("components", i, "rack", ref, "no stored or imported rack has this id or name")
	case !r.Live():
		return "", conflictRecord("components", i, "rack", ref, "the rack is deleted")
	}
	return r.ID, nil
}

func (p *importPlan) component(i int, in ImportComponent) error {
	var rackID *string
	if in.Rack != nil {
		id, err := p.resolveRack(i, *in.Rack)
		if err != nil {
			return err
		}
		rackID = &id
	}
	key := ChassisKey{Manufacturer: in.Manufacturer, SerialNumber: in.SerialNumber}
	cur, exists := p.compByKey[key]
	if !exists {
		p.insertComponent(in, rackID)
		return nil
	}
	if !cur.Live() {
		return conflictRecord("components", i, "serial_number", in.SerialNumber, fmt.Sprintf("a deleted component holds %s", key))
	}
	ch := componentChanges(cur, in, rackID)
	if len(ch) == 0 {
		p.res.Components.Unchanged++
		return nil
	}
	if p.st.Owned[cur.ID] {
		return conflictRecord("components", i, "serial_number", in.SerialNumber, "the component is mirrored from Core; import cannot change it")
	}
	p.w.ComponentUpdates = append(p.w.ComponentUpdates, RowUpdate{Key: cur.ID, Changes: ch})
	p.event(EntityComponent, cur.ID, ActionUpdate, ch)
	p.res.Components.Updated++
	return nil
}

func componentChanges(cur Component, in ImportComponent, rackID *string) Changes {
	ch := Changes{}
	if in.Type != "" && in.Type != cur.Type {
		ch[ColType] = Change{Old: cur.Type, New: in.Type}
	}
	setPtr(ch, ColName, cur.Name, in.Name)
	setPtr(ch, ColModel, cur.Model, in.Model)
	setJSON(ch, ColDescription, cur.Description, in.Description)
	setPtr(ch, ColRackID, cur.RackID, rackID)
	setPtr(ch, ColSlotID, cur.SlotID, in.SlotID)
	setPtr(ch, ColTrayIndex, cur.TrayIndex, in.TrayIndex)
	setPtr(ch, ColHostID, cur.HostID, in.HostID)
	return ch
}

func (p *importPlan) insertComponent(in ImportComponent, rackID *string) {
	c := Component{ID: NewID(), Type: in.Type, Manufacturer: in.Manufacturer, SerialNumber: in.SerialNumber,
		Name: in.Name, Model: in.Model, Description: nullJSON(in.Description), RackID: rackID,
		SlotID: in.SlotID, TrayIndex: in.TrayIndex, HostID: in.HostID, UpdatedAt: p.at}
	if c.Type == "" {
		c.Type = Compute
	}
	p.w.ComponentInserts = append(p.w.ComponentInserts, c)
	p.compByKey[c.Key()] = c
	ch := Changes{ColType: {New: c.Type}, ColManufacturer: {New: c.Manufacturer}, ColSerialNumber: {New: c.SerialNumber}}
	setPtr(ch, ColName, nil, c.Name)
	setPtr(ch, ColModel, nil, c.Model)
	setJSON(ch, ColDescription, nil, c.Description)
	setPtr(ch, ColRackID, nil, c.RackID)
	setPtr(ch, ColSlotID, nil, c.SlotID)
	setPtr(ch, ColTrayIndex, nil, c.TrayIndex)
	setPtr(ch, ColHostID, nil, c.HostID)
	p.event(EntityComponent, c.ID, ActionInsert, ch)
	p.res.Components.Inserted++
}

func (p *importPlan) bmc(i int, in ImportBMC) error {
	mac, _ := NormalizeMAC(in.MAC) // Validate has checked it
	key := ChassisKey{Manufacturer: in.Component.Manufacturer, SerialNumber: in.Component.SerialNumber}
	owner, ok := p.compByKey[key]
	switch {
	case !ok:
		return invalidRecord("bmcs", i, "component.serial_number", key.SerialNumber, fmt.Sprintf("no stored or imported component %s", key))
	case !owner.Live():
		return conflictRecord("bmcs", i, "component.serial_number", key.SerialNumber, fmt.Sprintf("component %s is deleted", key))
	}
	typ := in.Type
	if typ == "" {
		typ = HostBMC
	}
	cur, exists := p.bmcByMAC[mac]
	if !exists {
		b := BMC{MAC: mac, Type: typ, ComponentID: owner.ID, IPAddress: in.IPAddress}
		p.w.BMCInserts = append(p.w.BMCInserts, b)
		p.bmcByMAC[mac] = b
		ch := Changes{ColType: {New: b.Type}, ColComponentID: {New: b.ComponentID}}
		setPtr(ch, ColIPAddress, nil, b.IPAddress)
		p.event(EntityBMC, mac, ActionInsert, ch)
		p.res.BMCs.Inserted++
		return nil
	}
	ch := Changes{}
	if typ != cur.Type {
		ch[ColType] = Change{Old: cur.Type, New: typ}
	}
	setText(ch, ColComponentID, cur.ComponentID, owner.ID)
	setPtr(ch, ColIPAddress, cur.IPAddress, in.IPAddress)
	if len(ch) == 0 {
		p.res.BMCs.Unchanged++
		return nil
	}
	if p.st.Owned[mac] || cur.Type == DPUBMC {
		return conflictRecord("bmcs", i, "mac_address", in.MAC, "the BMC is written by the mirror or the actual sync; import cannot change it")
	}
	p.w.BMCUpdates = append(p.w.BMCUpdates, RowUpdate{Key: mac, Changes: ch})
	p.event(EntityBMC, mac, ActionUpdate, ch)
	p.res.BMCs.Updated++
	return nil
}

func setText(ch Changes, col, cur, want string) {
	if cur != want {
		ch[col] = Change{Old: cur, New: want}
	}
}

// setPtr records a change when want is given and differs from cur.
func setPtr[T comparable](ch Changes, col string, cur, want *T) {
	if want != nil && !EqualPtr(cur, want) {
		ch[col] = Change{Old: cur, New: want}
	}
}

// setJSON records a change when want is given and differs from cur by
// content (key order and spacing do not count).
func setJSON(ch Changes, col string, cur, want json.RawMessage) {
	want = nullJSON(want)
	if want == nil || sameJSON(cur, want) {
		return
	}
	ch[col] = Change{Old: cur, New: want}
}

func nullJSON(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	return raw
}

func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x) // maps marshal with sorted keys
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// ImportTx is a write transaction that also tells which rows the mirror or
// the actual sync has written, so that an import can refuse to change them.
type ImportTx interface {
	Tx
	// WrittenBy returns the ids among ids of entity that have an audit event
	// from one of sources.
	WrittenBy(ctx context.Context, entity string, ids []string, sources []Source) (map[string]bool, error)
}

// OwnerSources are the writers whose rows an import never changes.
var OwnerSources = []Source{SourceMirror, SourceActual}

// Import validates d, then plans and applies it inside tx.
func Import(ctx context.Context, tx ImportTx, d ImportDocument, at time.Time) (ImportResult, error) {
	if err := d.Validate(); err != nil {
		return ImportResult{}, err
	}
	st, err := importState(ctx, tx)
	if err != nil {
		return ImportResult{}, err
	}
	w, res, err := PlanImport(d, st, at)
	if err != nil {
		return ImportResult{}, err
	}
	if err := tx.Apply(ctx, w); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

func importState(ctx context.Context, tx ImportTx) (ImportState, error) {
	var st ImportState
	var err error
	if st.Racks, err = tx.Racks(ctx); err != nil {
		return st, err
	}
	if st.Components, err = tx.Components(ctx); err != nil {
		return st, err
	}
	if st.BMCs, err = tx.BMCs(ctx); err != nil {
		return st, err
	}
	st.Owned = map[string]bool{}
	ids := map[string][]string{}
	for _, c := range st.Components {
		ids[EntityComponent] = append(ids[EntityComponent], c.ID)
	}
	for _, r := range st.Racks {
		ids[EntityRack] = append(ids[EntityRack], r.ID)
	}
	for _, b := range st.BMCs {
		ids[EntityBMC] = append(ids[EntityBMC], b.MAC)
	}
	for _, entity := range []string{EntityRack, EntityComponent, EntityBMC} {
		owned, err := tx.WrittenBy(ctx, entity, ids[entity], OwnerSources)
		if err != nil {
			return st, err
		}
		for id := range owned {
			st.Owned[id] = true
		}
	}
	return st, nil
}
