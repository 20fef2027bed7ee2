package mirrorref_test

import (
	"maps"
	"slices"

	"rackflow/coresim"
)

// The component transactions, from mirror.md's "Components" and "Host BMC
// reconciliation" sections.

// intValue is a parsed integer label.
type intValue struct {
	v         *int64
	malformed bool
}

func parseLabel(l map[string]string, key string) intValue {
	raw, present := l[key]
	v, bad := intLabel(raw, present)
	return intValue{v, bad}
}

// compSpec is one Core component after normalisation.
type compSpec struct {
	typ          string
	pos          int
	manufacturer string
	serial       string
	mac          string
	macValid     bool
	ip           *string
	name         string
	model        *string
	slot         intValue
	tray         intValue
	host         intValue
	rackRef      string
	// judged is set once the spec's own transaction has run this cycle;
	// skippedConflict is then its outcome.
	judged          bool
	skippedConflict bool
}

func newCompSpec(t string, pos int, e coresim.ExpectedComponent) *compSpec {
	l := labels(e.Labels)
	s := &compSpec{typ: t, pos: pos, manufacturer: trim(l["manufacturer"]), serial: trim(e.Serial),
		ip: optional(e.BMCIP), model: optional(l["model"]),
		slot: parseLabel(l, "slot_id"), tray: parseLabel(l, "tray_idx"), host: parseLabel(l, "host_id"),
		rackRef: trim(e.RackID)}
	s.mac, s.macValid = normalMAC(e.BMCMAC)
	s.name = firstOf(trim(e.Name), s.serial)
	return s
}

func (s *compSpec) hasKey() bool { return s.manufacturer != "" && s.serial != "" }
func (s *compSpec) key() string  { return s.manufacturer + "/" + s.serial }

// prepared is one type's pull: failed, or its deduplicated valid specs, the
// keys it names and whether its delete phase runs.
type prepared struct {
	failed  bool
	deletes bool
	specs   []*compSpec
	seen    map[string]bool
}

// prepare deduplicates (the last entry of a key wins; every entry with a full
// key is seen), then validates.
func prepare(db *refDB, t string, p pull[coresim.ExpectedComponent]) prepared {
	if p.failed {
		db.note("component pull failed")
		return prepared{failed: true}
	}
	out := prepared{seen: map[string]bool{}}
	var all []*compSpec
	for i, e := range p.entries {
		s := newCompSpec(t, i, e)
		all = append(all, s)
		if s.hasKey() {
			out.seen[s.key()] = true
		}
	}
	for i, s := range all {
		if s.hasKey() && slices.ContainsFunc(all[i+1:], func(later *compSpec) bool { return later.hasKey() && later.key() == s.key() }) {
			db.note("component duplicate dropped")
			continue // a later entry has the same key
		}
		switch {
		case !s.hasKey():
			db.note("component without manufacturer or serial skipped")
		case !s.macValid:
			db.note("component with an invalid MAC skipped")
		default:
			out.specs = append(out.specs, s)
		}
	}
	// Zero rows, or zero valid rows, make the pull empty: no delete phase.
	out.deletes = len(out.specs) > 0
	if !out.deletes {
		db.note("component pull empty or without valid rows")
	}
	return out
}

// compByKey finds the row with a natural key, of any type, live or tombstone.
func (db *refDB) compByKey(key string) (refComp, bool) {
	for _, c := range db.comps {
		if c.key() == key {
			return c, true
		}
	}
	return refComp{}, false
}

// conflicts says whether a spec names a live row of another type.
func (db *refDB) conflicts(s *compSpec) bool {
	c, ok := db.compByKey(s.key())
	return ok && !c.Deleted && c.Type != s.typ
}

// mirrorComponents runs type t's transaction and returns the ids whose deletes
// the guard held.
func (db *refDB) mirrorComponents(t string, all map[string]prepared, g guardConfig) []string {
	p := all[t]
	if p.failed {
		return nil
	}
	winners := db.settleMACs(all)
	start := db.clone()
	var mirrored []*compSpec
	ids := map[*compSpec]string{}
	for _, s := range p.specs {
		id, ok := db.mirrorComponent(s)
		s.judged, s.skippedConflict = true, !ok
		if ok {
			mirrored = append(mirrored, s)
			ids[s] = id
		}
	}
	var held []string
	if p.deletes {
		held = db.deleteUnseen(start, t, p.seen, g)
	}
	for _, s := range mirrored {
		if w, contested := winners[s.mac]; contested && w != s {
			db.note("losing spec of a contested MAC leaves its BMCs unchanged")
			db.count(t, "bmc_contested")
			continue // a losing spec leaves its component's BMCs unchanged
		}
		if !db.claimHostBMC(ids[s], s.mac, s.ip) {
			db.count(t, "bmc_refused")
		}
	}
	return held
}

// mirrorComponent updates, resurrects or inserts the spec's row and returns
// its id; false when the key belongs to a live row of another type.
func (db *refDB) mirrorComponent(s *compSpec) (string, bool) {
	c, found := db.compByKey(s.key())
	switch {
	case !found:
		c = refComp{ID: newCompPrefix + s.key(), Type: s.typ, Manufacturer: s.manufacturer, Serial: s.serial}
		c.Name, c.Model = ptr(s.name), s.model
		c.Slot, c.Tray, c.Host = s.slot.v, s.tray.v, s.host.v
		var ok bool
		c.RackID, ok = db.resolveRack(s.rackRef)
		db.noteSpec(s, "insert", ok)
	case !c.Deleted && c.Type != s.typ:
		db.note("component conflicting with a live row of another type skipped")
		db.count(s.typ, "skipped_conflict")
		return "", false
	default:
		db.noteResurrect(c, s)
		c.Name, c.Type, c.Model, c.Deleted = ptr(s.name), s.typ, s.model, false
		rack, ok := db.resolveRack(s.rackRef)
		if ok {
			c.RackID = rack
		}
		db.noteSpec(s, "update", ok)
		keepIfMalformed(&c.Slot, s.slot)
		keepIfMalformed(&c.Tray, s.tray)
		keepIfMalformed(&c.Host, s.host)
	}
	db.comps[c.ID] = c
	return c.ID, true
}

func (db *refDB) noteResurrect(c refComp, s *compSpec) {
	switch {
	case c.Deleted && c.Type != s.typ:
		db.note("component tombstone resurrected as another type")
	case c.Deleted:
		db.note("component resurrected")
	}
}

func (db *refDB) noteSpec(s *compSpec, what string, rackResolved bool) {
	if !rackResolved {
		db.note("unresolved rack reference on " + what)
	}
	if s.slot.malformed || s.tray.malformed || s.host.malformed {
		db.note("malformed integer label on " + what)
	}
}

func keepIfMalformed(field **int64, l intValue) {
	if !l.malformed {
		*field = l.v
	}
}

// resolveRack maps a Core rack_id to a live rack's id. An empty reference is
// NULL; false means it does not resolve.
func (db *refDB) resolveRack(ref string) (*string, bool) {
	if ref == "" {
		return nil, true
	}
	for _, r := range db.racks {
		if !r.Deleted && r.ExternalID != nil && *r.ExternalID == ref {
			return ptr(r.ID), true
		}
	}
	return nil, false
}

// deleteUnseen soft-deletes the live rows of type t (as read at the start of
// the transaction) whose key the pull did not name, unless the guard holds.
func (db *refDB) deleteUnseen(start *refDB, t string, seen map[string]bool, g guardConfig) []string {
	var planned []string
	live := 0
	for _, c := range start.comps {
		if c.Type == t && !c.Deleted {
			live++
			if !seen[c.key()] {
				planned = append(planned, c.ID)
			}
		}
	}
	slices.Sort(planned)
	if g.holds(len(planned), live) {
		db.note("component deletes held")
		for range planned {
			db.count(t, "held_deletes")
		}
		return planned
	}
	for _, id := range planned {
		db.note("component soft-deleted")
		db.count(t, "soft_deleted")
		c := db.comps[id]
		c.Deleted = true
		db.comps[id] = c
	}
	return nil
}

// settleMACs returns the winner of every contested MAC. Claims come from the
// valid specs of every type whose pull succeeded, except those that are
// skipped_conflict. For a type whose transaction already ran this cycle that
// is a fact; for this type and later ones it is judged on this transaction's
// read (a live row of another type has the key). The spec whose key is the
// MAC's Host owner wins, then type order, then response order.
func (db *refDB) settleMACs(all map[string]prepared) map[string]*compSpec {
	winners := db.settle(all, db.claims)
	for mac, w := range winners {
		db.noteContest(mac, w, all)
	}
	return winners
}

// settle picks the winners among the specs counted.
func (db *refDB) settle(all map[string]prepared, counted func(*compSpec) bool) map[string]*compSpec {
	claims := map[string][]*compSpec{}
	for _, t := range componentTypes {
		for _, s := range all[t].specs {
			if counted(s) {
				claims[s.mac] = append(claims[s.mac], s)
			}
		}
	}
	winners := map[string]*compSpec{}
	for mac, cs := range claims {
		if len(cs) < 2 {
			continue
		}
		winners[mac] = cs[0]
		if owner, ok := db.hostOwnerKey(mac); ok {
			if i := slices.IndexFunc(cs, func(s *compSpec) bool { return s.key() == owner }); i >= 0 {
				winners[mac] = cs[i]
			}
		}
	}
	return winners
}

func (db *refDB) noteContest(mac string, winner *compSpec, all map[string]prepared) {
	db.note("contested MAC")
	for _, t := range componentTypes {
		for _, s := range all[t].specs {
			if s.mac != mac || s == winner || !db.claims(s) {
				continue
			}
			if s.typ != winner.typ {
				db.note("contested MAC across types")
			}
			if typeIndex(s.typ) < typeIndex(winner.typ) || s.typ == winner.typ && s.pos < winner.pos {
				db.note("contested MAC kept by its owner over type and response order")
			}
		}
	}
}

func typeIndex(t string) int { return slices.Index(componentTypes, t) }

// claims says whether a spec's MAC counts in this transaction's settlement.
func (db *refDB) claims(s *compSpec) bool {
	if s.judged {
		return !s.skippedConflict
	}
	return !db.conflicts(s)
}

func (db *refDB) hostOwnerKey(mac string) (string, bool) {
	b, ok := db.bmcs[mac]
	if !ok || b.Type != "Host" {
		return "", false
	}
	c, ok := db.comps[b.ComponentID]
	return c.key(), ok
}

// claimHostBMC gives the component exactly one Host BMC, Core's MAC with
// Core's IP: the row with that MAC is kept, evicted from another component or
// inserted, and every other Host BMC of the component is deleted. A MAC that
// is a DPU BMC is refused and the component's BMCs stay as they are.
func (db *refDB) claimHostBMC(compID, mac string, ip *string) (claimed bool) {
	b, exists := db.bmcs[mac]
	switch {
	case exists && b.Type == "DPU":
		db.note("host BMC refused: the MAC is a DPU BMC")
		return false
	case exists && b.ComponentID != compID:
		db.note("host BMC evicted from another component")
	case exists && !eqPtr(b.IP, ip):
		db.note("host BMC IP updated")
	case !exists:
		db.note("host BMC inserted")
	}
	db.bmcs[mac] = refBMC{MAC: mac, Type: "Host", ComponentID: compID, IP: ip}
	for _, other := range slices.Collect(maps.Keys(db.bmcs)) {
		if b := db.bmcs[other]; other != mac && b.ComponentID == compID && b.Type == "Host" {
			db.note("other host BMC of the component deleted")
			delete(db.bmcs, other)
		}
	}
	return true
}

// cycle runs one mirror cycle over the manifest the simulator serves and
// returns the held ids per step ("rack" and each type).
func (db *refDB) cycle(m *coresim.Manifest, g guardConfig) map[string][]string {
	db.noteFaults(m)
	db.counts = map[string]map[string]int{}
	racks := serve(m, rpcOf["rack"], m.Expected.Racks)
	all := map[string]prepared{}
	for _, t := range componentTypes {
		all[t] = prepare(db, t, serve(m, rpcOf[t], componentsOf(m, t)))
	}
	held := map[string][]string{"rack": db.mirrorRacks(racks, g)}
	for _, t := range componentTypes {
		held[t] = db.mirrorComponents(t, all, g)
	}
	return held
}

func (db *refDB) noteFaults(m *coresim.Manifest) {
	for _, f := range m.Faults {
		switch {
		case f.Error == "UNAVAILABLE":
			db.note("pull failed with UNAVAILABLE")
		case f.Empty:
			db.note("pull empty by fault")
		case f.Keep != nil:
			db.note("pull truncated by keep")
		}
	}
}
