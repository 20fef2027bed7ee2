package mirrorref_test

import (
	"maps"
	"slices"

	"rackflow/coresim"
)

// The rack transaction, from mirror.md's "Racks" section, one rule at a time.

// rackEntry is one Core rack after normalisation.
type rackEntry struct {
	pos          int
	rackID       string
	manufacturer string
	serial       string
	name         string
	description  map[string]string // the owned keys Core gave a value for
	location     map[string]string
}

func newRackEntry(pos int, r coresim.ExpectedRack) *rackEntry {
	l := labels(r.Labels)
	e := &rackEntry{pos: pos, rackID: trim(r.RackID),
		manufacturer: trim(l["chassis.manufacturer"]), serial: trim(l["chassis.serial-number"]),
		description: map[string]string{}, location: map[string]string{}}
	e.name = firstOf(trim(r.Name), e.rackID, e.manufacturer+"-"+e.serial)
	setGiven(e.description, "model", l["chassis.model"])
	setGiven(e.description, "text", r.Description)
	for _, k := range []string{"region", "datacenter", "room", "position"} {
		setGiven(e.location, k, l["location."+k])
	}
	return e
}

func setGiven(m map[string]string, key, raw string) {
	if v := trim(raw); v != "" {
		m[key] = v
	}
}

func (e *rackEntry) hasChassis() bool { return e.manufacturer != "" && e.serial != "" }

// sharesKey says whether two entries are duplicates: the same rack_id, or the
// same chassis pair. Absent values are shared with nobody.
func sharesKey(a, b *rackEntry) bool {
	if a.rackID != "" && a.rackID == b.rackID {
		return true
	}
	return a.hasChassis() && b.hasChassis() && a.manufacturer == b.manufacturer && a.serial == b.serial
}

// dedupeRacks is the single scan in response order: each entry drops every
// kept entry it shares a key with, then is kept itself.
func dedupeRacks(entries []*rackEntry) []*rackEntry {
	var kept []*rackEntry
	for _, e := range entries {
		kept = slices.DeleteFunc(kept, func(k *rackEntry) bool { return sharesKey(k, e) })
		kept = append(kept, e)
	}
	return kept
}

// The three unique values of a rack row.
const (
	attrName = iota
	attrChassis
	attrExt
	numAttrs
)

// rackCand is one row of the rack transaction: an existing row, or an insert.
type rackCand struct {
	row      *refRack   // the row as read; nil for an insert
	want     *rackEntry // the Core rack it mirrors; nil when unmatched
	change   [numAttrs]bool
	reverted [numAttrs]bool
	// dropped marks an insert that the unique-value rules reverted.
	dropped    bool
	softDelete bool
	gc         bool
}

// holds says whether the row holds its unique values in the end state: live
// rows (soft-deleted or held this cycle included), matched tombstones and
// standing inserts. An old, unmatched tombstone holds nothing.
func (c *rackCand) holds() bool {
	if c.row == nil {
		return !c.dropped
	}
	return !c.gc && (!c.row.Deleted || c.want != nil)
}

// tentative says whether the row's claim on a is a change that may be reverted.
func (c *rackCand) tentative(a int) bool { return c.row == nil || c.change[a] }

// value is the row's value for a in the end state as it now stands; false
// when the row has none (a NULL external id).
func (c *rackCand) value(a int) (string, bool) {
	if c.tentative(a) {
		switch a {
		case attrName:
			return c.want.name, true
		case attrChassis:
			return c.want.manufacturer + "\x00" + c.want.serial, true
		}
		return c.want.rackID, c.want.rackID != ""
	}
	switch a {
	case attrName:
		return c.row.Name, true
	case attrChassis:
		return c.row.Manufacturer + "\x00" + c.row.Serial, true
	}
	if c.row.ExternalID == nil {
		return "", false
	}
	return *c.row.ExternalID, true
}

// currentValue is the value an existing row holds when the cycle begins.
func (c *rackCand) currentValue(a int) (string, bool) {
	saved := c.change
	c.change = [numAttrs]bool{}
	defer func() { c.change = saved }()
	return c.value(a)
}

func (c *rackCand) revert(a int) {
	if c.row == nil {
		c.dropped = true
		return
	}
	c.change[a] = false
	c.reverted[a] = true
}

// countReverts counts each Core rack once: a reverted insert, chassis pair or
// external id is a conflict; otherwise a reverted name is a name taken. (The
// spec keeps counters from overlapping; the precedence is the planner's.)
func (tx *rackTx) countReverts() {
	for _, c := range tx.cands {
		switch {
		case c.dropped || c.reverted[attrChassis] || c.reverted[attrExt]:
			tx.db.count("rack", "skipped_conflict")
		case c.reverted[attrName]:
			tx.db.count("rack", "skipped_name_taken")
		}
	}
}

// rackTx is one rack transaction of the model.
type rackTx struct {
	db       *refDB
	guard    guardConfig
	reported map[string]bool // every rack_id in the response, skipped entries included
	cands    []*rackCand
}

// mirrorRacks runs the rack transaction and returns the ids whose deletes the
// guard held.
func (db *refDB) mirrorRacks(p pull[coresim.ExpectedRack], g guardConfig) []string {
	if p.failed {
		db.note("rack pull failed")
		return nil
	}
	tx := &rackTx{db: db, guard: g, reported: map[string]bool{}}
	var all []*rackEntry
	for i, r := range p.entries {
		e := newRackEntry(i, r)
		all = append(all, e)
		if e.rackID != "" {
			tx.reported[e.rackID] = true
		}
	}
	// Duplicates are resolved before validity, as the planner does: a later
	// invalid entry drops an earlier valid one (mirror.md resolves duplicates
	// "before matching" and is silent on the order with validity).
	var valid []*rackEntry
	kept := dedupeRacks(all)
	if len(kept) < len(all) {
		db.note("rack duplicate dropped")
	}
	for _, e := range kept {
		if e.hasChassis() {
			valid = append(valid, e)
		} else {
			db.note("rack without chassis skipped")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(db.racks)) {
		r := db.racks[id]
		tx.cands = append(tx.cands, &rackCand{row: &r})
	}
	tx.match(valid)
	var held []string
	// A pull whose rows are all invalid (or that has none) is empty: no deletes.
	if len(valid) > 0 {
		held = tx.planDeletes()
	} else {
		db.note("rack pull empty or without valid rows")
	}
	tx.resolveUnique()
	tx.countReverts()
	tx.collectGarbage()
	tx.apply()
	return held
}

// match runs the three passes, each over every Core rack before the next.
func (tx *rackTx) match(valid []*rackEntry) {
	var unmatched []*rackEntry
	for _, e := range valid {
		if c := tx.byExternalID(e.rackID); e.rackID != "" && c != nil {
			tx.matchTo(c, e, false)
		} else {
			unmatched = append(unmatched, e)
		}
	}
	for _, e := range unmatched {
		if c := tx.adoptable(e); c != nil {
			tx.matchTo(c, e, true)
			tx.noteAdoption(c)
		} else {
			tx.cands = append(tx.cands, &rackCand{want: e})
		}
	}
}

func (tx *rackTx) noteAdoption(c *rackCand) {
	switch {
	case c.row.ExternalID == nil && c.change[attrExt]:
		tx.db.note("rack adopted a legacy row")
	case c.change[attrExt]:
		tx.db.note("rack adopted a row whose rack_id Core renamed")
	}
}

func (tx *rackTx) byExternalID(id string) *rackCand {
	for _, c := range tx.cands {
		if c.row != nil && c.row.ExternalID != nil && *c.row.ExternalID == id {
			return c
		}
	}
	return nil
}

// adoptable finds the unmatched row, live or tombstone, with the entry's
// chassis pair whose external id is NULL or reported by no Core rack. A Core
// rack without a rack_id adopts only a row whose external id is NULL.
func (tx *rackTx) adoptable(e *rackEntry) *rackCand {
	for _, c := range tx.cands {
		if c.row == nil || c.want != nil || c.row.Manufacturer != e.manufacturer || c.row.Serial != e.serial {
			continue
		}
		switch {
		case c.row.ExternalID == nil:
			return c
		case e.rackID != "" && !tx.reported[*c.row.ExternalID]:
			return c
		}
	}
	return nil
}

func (tx *rackTx) matchTo(c *rackCand, e *rackEntry, adopt bool) {
	c.want = e
	c.change[attrName] = c.row.Name != e.name
	c.change[attrChassis] = c.row.Manufacturer != e.manufacturer || c.row.Serial != e.serial
	c.change[attrExt] = adopt && !eqPtr(c.row.ExternalID, optional(e.rackID))
	if c.row.Deleted {
		tx.db.note("rack resurrected")
	}
}

// planDeletes soft-deletes every live, unmatched row whose external id no Core
// rack reports, unless the guard holds them all. Legacy rows (NULL external
// id) are never deleted.
func (tx *rackTx) planDeletes() []string {
	var planned []*rackCand
	live := 0
	for _, c := range tx.cands {
		if c.row == nil || c.row.Deleted {
			continue
		}
		live++
		if c.want == nil && c.row.ExternalID != nil && !tx.reported[*c.row.ExternalID] {
			planned = append(planned, c)
		}
		if c.want == nil && c.row.ExternalID == nil {
			tx.db.note("legacy rack exempt from deletes")
		}
	}
	if tx.guard.holds(len(planned), live) {
		tx.db.note("rack deletes held")
		for range planned {
			tx.db.count("rack", "held_deletes")
		}
		return idsOf(planned)
	}
	for _, c := range planned {
		c.softDelete = true
		tx.db.count("rack", "soft_deleted")
		tx.db.note("rack soft-deleted")
	}
	return nil
}

func idsOf(cs []*rackCand) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.row.ID)
	}
	slices.Sort(ids)
	return ids
}

// resolveUnique reverts changes until no value is held twice in the end
// state. A row keeping its current value always wins. Among changes only, the
// lowest rack_id wins (NULL last); the planner breaks a tie between NULL
// rack_ids by chassis pair, which the spec leaves open. Taking the single best
// contender at a time, then rechecking, means no change is reverted for a
// winner that is itself reverted later.
func (tx *rackTx) resolveUnique() {
	for tx.revertBlocked() || tx.revertContended() {
	}
}

// rivals returns the other holding rows whose end value for a equals c's.
func (tx *rackTx) rivals(c *rackCand, a int) []*rackCand {
	v, ok := c.value(a)
	if !ok || !c.holds() {
		return nil
	}
	var out []*rackCand
	for _, o := range tx.cands {
		if o == c || !o.holds() {
			continue
		}
		if ov, ok := o.value(a); ok && ov == v {
			out = append(out, o)
		}
	}
	return out
}

// revertBlocked reverts each change whose value a row keeping its current
// value holds.
func (tx *rackTx) revertBlocked() bool {
	for _, c := range tx.cands {
		for a := range numAttrs {
			if !c.holds() || !c.tentative(a) {
				continue
			}
			for _, o := range tx.rivals(c, a) {
				if !o.tentative(a) {
					tx.noteRevert(c, a)
					c.revert(a)
					return true
				}
			}
		}
	}
	return false
}

// revertContended lets the best contender of all win every value it
// contends for, reverting the others there.
func (tx *rackTx) revertContended() bool {
	var best *rackCand
	for _, c := range tx.cands {
		for a := range numAttrs {
			if c.tentative(a) && len(tx.rivals(c, a)) > 0 && (best == nil || contendsBefore(c, best)) {
				best = c
			}
		}
	}
	if best == nil {
		return false
	}
	for a := range numAttrs {
		if !best.tentative(a) {
			continue
		}
		for _, o := range tx.rivals(best, a) {
			tx.db.note("rack contention settled by rack_id")
			tx.noteRevert(o, a)
			o.revert(a)
		}
	}
	return true
}

func (tx *rackTx) noteRevert(c *rackCand, a int) {
	switch {
	case c.row == nil:
		tx.db.note("rack insert reverted")
	case a == attrName:
		tx.db.note("rack rename reverted")
	default:
		tx.db.note("rack chassis or external id change reverted")
	}
}

func contendsBefore(a, b *rackCand) bool {
	ia, ib := a.want.rackID, b.want.rackID
	if (ia == "") != (ib == "") {
		return ia != ""
	}
	if ia != ib {
		return ia < ib
	}
	return a.want.manufacturer+"\x00"+a.want.serial < b.want.manufacturer+"\x00"+b.want.serial
}

// collectGarbage marks an old, unmatched tombstone for GC when a surviving
// change needs one of its values.
func (tx *rackTx) collectGarbage() {
	for _, t := range tx.cands {
		if t.row == nil || t.holds() {
			continue
		}
		for _, c := range tx.cands {
			for a := range numAttrs {
				tv, tok := t.currentValue(a)
				cv, cok := c.value(a)
				if c.holds() && c.tentative(a) && tok && cok && tv == cv {
					t.gc = true
					tx.db.note("rack tombstone garbage-collected")
				}
			}
		}
	}
}

// apply writes the settled rows into the model.
func (tx *rackTx) apply() {
	for _, c := range tx.cands {
		switch {
		case c.gc:
			tx.db.count("rack", "tombstones_gc")
			tx.db.gcRack(c.row.ID)
		case c.row == nil && !c.dropped:
			r := refRack{ID: newRackPrefix + c.want.manufacturer + "/" + c.want.serial, Status: "new"}
			tx.db.racks[r.ID] = settleRack(r, c.want, [numAttrs]bool{true, true, true})
		case c.row != nil && c.want != nil:
			tx.noteMoves(c)
			tx.noteNotObject(c.row.Description, c.want.description)
			tx.noteNotObject(c.row.Location, c.want.location)
			tx.db.racks[c.row.ID] = settleRack(*c.row, c.want, c.change)
		case c.softDelete:
			r := *c.row
			r.Deleted = true
			tx.db.racks[r.ID] = r
		}
	}
}

// noteMoves notes a surviving change whose value another live row gives up
// in the same transaction: a swap or a chain.
func (tx *rackTx) noteMoves(c *rackCand) {
	for _, o := range tx.cands {
		if o == c || o.row == nil || !o.holds() {
			continue
		}
		for a := range numAttrs {
			v, _ := c.value(a)
			ov, ok := o.currentValue(a)
			if c.change[a] && ok && ov == v {
				tx.db.note("rack value moved between rows")
			}
		}
	}
}

func (tx *rackTx) noteNotObject(stored any, set map[string]string) {
	if _, isObject := stored.(map[string]any); stored != nil && !isObject && len(set) > 0 {
		tx.db.note("rack JSON that is not an object left alone")
	}
}

// gcRack hard-deletes a tombstone after clearing its components' rack.
func (db *refDB) gcRack(id string) {
	for cid, c := range db.comps {
		if c.RackID != nil && *c.RackID == id {
			c.RackID = nil
			db.comps[cid] = c
			db.note("component rack cleared by tombstone GC")
		}
	}
	delete(db.racks, id)
}

// settleRack applies a matched or inserted row's standing changes, its owned
// JSON keys and its resurrection.
func settleRack(r refRack, e *rackEntry, change [numAttrs]bool) refRack {
	if change[attrName] {
		r.Name = e.name
	}
	if change[attrChassis] {
		r.Manufacturer, r.Serial = e.manufacturer, e.serial
	}
	if change[attrExt] {
		r.ExternalID = optional(e.rackID)
	}
	r.Description = mergeOwned(r.Description, e.description)
	r.Location = mergeOwned(r.Location, e.location)
	r.Deleted = false
	return r
}

// mergeOwned sets the keys Core gave values for. Other keys stay; a NULL
// column becomes an object only when some key is set; a stored value that is
// not an object is left alone.
func mergeOwned(stored any, set map[string]string) any {
	if len(set) == 0 {
		return stored
	}
	var obj map[string]any
	switch s := stored.(type) {
	case nil:
		obj = map[string]any{}
	case map[string]any:
		obj = maps.Clone(s)
	default:
		return stored
	}
	for k, v := range set {
		obj[k] = v
	}
	return obj
}

// guardConfig is the mass-delete guard: delete_guard_ratio and
// delete_guard_min.
type guardConfig struct {
	ratio float64
	min   int
}

// holds says whether planned deletes out of live rows exceed
// max(min, ratio × live). A ratio of 1 turns the guard off.
func (g guardConfig) holds(planned, live int) bool {
	return g.ratio < 1 && float64(planned) > max(float64(g.min), g.ratio*float64(live))
}
