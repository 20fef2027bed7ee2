package mirrorref_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"rackflow/coresim"
)

// The generator draws small sites from small pools, so that values collide
// all the time: duplicate rack ids, chassis pairs and component keys, rack
// names that equal another rack's default name, MACs claimed twice or held by
// a DPU, serials that move between types, unknown rack references, malformed
// integer labels, and pulls that fail, come back empty or are truncated.

// sequence is one generated test case: the rows seeded before the first
// cycle, the guard, and one manifest per cycle.
type sequence struct {
	seed      uint64
	guard     guardConfig
	initial   *refDB
	manifests []*coresim.Manifest
}

// gen draws from one seeded source. It remembers the entries it removed, so
// that a later cycle can bring one back (a resurrection).
type gen struct {
	r       *rand.Rand
	removed []removedEntry
}

// removedEntry is a rack (rack set) or a component of type typ.
type removedEntry struct {
	typ  string
	rack coresim.ExpectedRack
	comp coresim.ExpectedComponent
}

func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }
func (g *gen) pick(vs ...string) string { return vs[g.r.IntN(len(vs))] }
func (g *gen) n(lo, hi int) int         { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) index(n int) int          { return g.r.IntN(n) }
func pickOne[T any](g *gen, vs []T) T   { return vs[g.r.IntN(len(vs))] }
func (g *gen) uuid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0xfff, b&0xffffffffffff)
}

// Guards: the default (which small sites never trip), a tight one that holds
// often, and none.
var guards = []guardConfig{{ratio: 0.10, min: 20}, {ratio: 0.3, min: 0}, {ratio: 1, min: 0}}

// generate draws the sequence for a seed.
func generate(seed uint64) *sequence {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
	return g.sequence(seed)
}

func (g *gen) sequence(seed uint64) *sequence {
	seq := &sequence{seed: seed, guard: guards[seed%uint64(len(guards))], initial: g.initialRows()}
	m := g.manifest()
	for range g.n(3, 6) {
		seq.manifests = append(seq.manifests, g.withFaults(m))
		m = g.mutate(m)
	}
	return seq
}

// Pools.
var (
	rackIDPool   = []string{"r1", "r2", "r3", "r4", "r5"}
	rackSerials  = []string{"S1", "S2", "S3", "S4", "S5", "S6"}
	serialPool   = []string{"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"}
	intRawValues = []string{"", "1", "2", "3", "abc", "-1", " 7 ", "007", "2147483648", "2147483647", "+4", "1.5", "0"}
)

// mac draws a host BMC MAC: usually one of fourteen addresses in any accepted
// form, sometimes a DPU's address, sometimes an invalid one.
func (g *gen) mac() string {
	switch {
	case g.chance(0.08):
		return g.pick("", "bad", "00:00:00:00:00:00", "FF-FF-FF-FF-FF-FF", "aa:bb:cc:00:00:01:02:03", "aa:bb:cc:00:00")
	case g.chance(0.1):
		return g.macForm(0xdd00_0000_0000 + uint64(g.n(1, 2)))
	}
	return g.macForm(0xaabb_cc00_0000 + uint64(g.n(1, 14)))
}

func (g *gen) macForm(v uint64) string {
	h := fmt.Sprintf("%012x", v)
	pairs := []string{h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12]}
	switch g.index(5) {
	case 0:
		return strings.ToUpper(strings.Join(pairs, "-"))
	case 1:
		return h[0:4] + "." + h[4:8] + "." + h[8:12]
	case 2:
		return strings.ToUpper(h)
	case 3:
		return " " + strings.Join(pairs, ":") + " "
	}
	return strings.Join(pairs, ":")
}

func (g *gen) rack() coresim.ExpectedRack {
	l := map[string]string{}
	if !g.chance(0.08) {
		l["chassis.manufacturer"] = g.pick("Foxconn", "Foxconn", " Foxconn ", "Wiwynn")
	}
	if !g.chance(0.08) {
		l["chassis.serial-number"] = pickOne(g, rackSerials)
	}
	if g.chance(0.3) {
		l["chassis.model"] = g.pick("M1", "M2", " ")
	}
	if g.chance(0.3) {
		l["location.room"] = g.pick("hall-1", "hall-2")
	}
	if g.chance(0.2) {
		l["location.region"] = g.pick("eu", "us")
	}
	return coresim.ExpectedRack{
		RackID:      g.pick(append(rackIDPool, "", " r2 ")...),
		Name:        g.pick("", "", "n1", "n2", "n3", "r1", "r3", "Foxconn-S1", "Foxconn-S2"),
		Description: g.pick("", "", "note", "other"),
		Labels:      coresim.LabelMap(l),
	}
}

func (g *gen) component() coresim.ExpectedComponent {
	l := map[string]string{}
	if !g.chance(0.06) {
		l["manufacturer"] = g.pick("NV", "NV", "NV", " NV ", "AMD")
	}
	if g.chance(0.5) {
		l["model"] = g.pick("M1", "M2", "")
	}
	for _, k := range []string{"slot_id", "tray_idx", "host_id"} {
		if g.chance(0.5) {
			l[k] = pickOne(g, intRawValues)
		}
	}
	serial := pickOne(g, serialPool)
	if g.chance(0.04) {
		serial = ""
	}
	return coresim.ExpectedComponent{
		Serial: serial,
		BMCMAC: g.mac(),
		BMCIP:  g.pick("", "10.0.0.1", " 10.0.0.2 "),
		RackID: g.pick("", "", "r1", "r2", "r3", "r4", "r5", "zz", " r1 "),
		Name:   g.pick("", "", "x1", "x2"),
		Labels: coresim.LabelMap(l),
	}
}

func (g *gen) manifest() *coresim.Manifest {
	m := &coresim.Manifest{Version: 1}
	for range g.n(0, 6) {
		m.Expected.Racks = append(m.Expected.Racks, g.rack())
	}
	for _, t := range componentTypes {
		list := componentList(m, t)
		for range g.n(0, 5) {
			*list = append(*list, g.component())
		}
	}
	return m
}

func componentList(m *coresim.Manifest, t string) *[]coresim.ExpectedComponent {
	switch t {
	case typeCompute:
		return &m.Expected.Machines
	case typeNVSwitch:
		return &m.Expected.Switches
	}
	return &m.Expected.PowerShelves
}

// clone copies the lists, so that mutating the copy leaves m alone. Entries
// are values; their Labels are replaced, never edited.
func clone(m *coresim.Manifest) *coresim.Manifest {
	c := *m
	c.Expected.Racks = slices.Clone(m.Expected.Racks)
	c.Expected.Machines = slices.Clone(m.Expected.Machines)
	c.Expected.Switches = slices.Clone(m.Expected.Switches)
	c.Expected.PowerShelves = slices.Clone(m.Expected.PowerShelves)
	c.Faults = slices.Clone(m.Faults)
	return &c
}

// withFaults returns m with faults drawn for this cycle: each expected pull
// may fail, come back empty or be truncated.
func (g *gen) withFaults(m *coresim.Manifest) *coresim.Manifest {
	c := clone(m)
	c.Faults = nil
	for _, name := range append([]string{"rack"}, componentTypes...) {
		f := coresim.Fault{RPC: rpcOf[name]}
		switch {
		case g.chance(0.05):
			// The client retries UNAVAILABLE with a real backoff, so most
			// failures use a code it does not retry.
			f.Error = g.pick("UNAVAILABLE", "INTERNAL", "INTERNAL", "INTERNAL", "PERMISSION_DENIED")
		case g.chance(0.05):
			f.Empty = true
		case g.chance(0.06):
			f.Keep = ptr(g.n(0, 3))
		default:
			continue
		}
		c.Faults = append(c.Faults, f)
	}
	return c
}

// mutate returns the next cycle's site: one to three edits of m.
func (g *gen) mutate(m *coresim.Manifest) *coresim.Manifest {
	c := clone(m)
	c.Faults = nil
	for range g.n(1, 3) {
		pickOne(g, mutations)(g, c)
	}
	return c
}

var mutations = []func(*gen, *coresim.Manifest){
	addRack, addRack, dropRack, replaceRack, swapRackIDs, swapRackChassis, duplicateRack,
	addComponent, addComponent, dropComponent, replaceComponent, retypeComponent,
	duplicateComponent, shareMAC, swapMACs, relabelComponent, dropType, regenerate,
	restore, restore, reboard, reboard,
}

func addRack(g *gen, m *coresim.Manifest) { m.Expected.Racks = append(m.Expected.Racks, g.rack()) }

func dropRack(g *gen, m *coresim.Manifest) {
	if n := len(m.Expected.Racks); n > 0 {
		i := g.index(n)
		g.removed = append(g.removed, removedEntry{typ: "rack", rack: m.Expected.Racks[i]})
		m.Expected.Racks = slices.Clip(slices.Delete(m.Expected.Racks, i, i+1))
	}
}

func replaceRack(g *gen, m *coresim.Manifest) {
	if n := len(m.Expected.Racks); n > 0 {
		m.Expected.Racks[g.index(n)] = g.rack()
	}
}

// swapRackIDs exchanges the rack_ids of two racks: a rename in Core.
func swapRackIDs(g *gen, m *coresim.Manifest) {
	rs := m.Expected.Racks
	if len(rs) < 2 {
		return
	}
	i, j := g.index(len(rs)), g.index(len(rs))
	rs[i].RackID, rs[j].RackID = rs[j].RackID, rs[i].RackID
}

// swapRackChassis exchanges the chassis pairs of two racks (mirror.md
// example 11).
func swapRackChassis(g *gen, m *coresim.Manifest) {
	rs := m.Expected.Racks
	if len(rs) < 2 {
		return
	}
	i, j := g.index(len(rs)), g.index(len(rs))
	li, lj := labels(rs[i].Labels), labels(rs[j].Labels)
	for _, k := range []string{"chassis.manufacturer", "chassis.serial-number"} {
		li[k], lj[k] = lj[k], li[k]
	}
	rs[i].Labels, rs[j].Labels = coresim.LabelMap(li), coresim.LabelMap(lj)
}

// duplicateRack adds an entry sharing the rack_id or the chassis pair of an
// existing one.
func duplicateRack(g *gen, m *coresim.Manifest) {
	rs := m.Expected.Racks
	if len(rs) == 0 {
		return
	}
	d, other := rs[g.index(len(rs))], g.rack()
	if g.chance(0.5) {
		d.Labels = other.Labels
	} else {
		d.RackID = other.RackID
	}
	d.Name = other.Name
	at := g.index(len(rs) + 1)
	m.Expected.Racks = slices.Insert(rs, at, d)
}

// randomType picks a component type that has entries, or any when none has.
func (g *gen) randomType(m *coresim.Manifest, nonEmpty bool) string {
	t := pickOne(g, componentTypes)
	if !nonEmpty {
		return t
	}
	for range 6 {
		if len(*componentList(m, t)) > 0 {
			return t
		}
		t = pickOne(g, componentTypes)
	}
	return t
}

func addComponent(g *gen, m *coresim.Manifest) {
	l := componentList(m, g.randomType(m, false))
	*l = append(*l, g.component())
}

func dropComponent(g *gen, m *coresim.Manifest) {
	t := g.randomType(m, true)
	l := componentList(m, t)
	if len(*l) > 0 {
		i := g.index(len(*l))
		g.removed = append(g.removed, removedEntry{typ: t, comp: (*l)[i]})
		*l = slices.Clip(slices.Delete(*l, i, i+1))
	}
}

func replaceComponent(g *gen, m *coresim.Manifest) {
	l := componentList(m, g.randomType(m, true))
	if len(*l) > 0 {
		(*l)[g.index(len(*l))] = g.component()
	}
}

// retypeComponent moves an entry to another type's list: the same serial is
// now, say, a switch instead of a machine.
func retypeComponent(g *gen, m *coresim.Manifest) {
	from := componentList(m, g.randomType(m, true))
	to := componentList(m, g.randomType(m, false))
	if len(*from) == 0 {
		return
	}
	i := g.index(len(*from))
	e := (*from)[i]
	if g.chance(0.7) {
		*from = slices.Clip(slices.Delete(*from, i, i+1))
	}
	*to = append(*to, e)
}

// duplicateComponent adds an entry with the key of an existing one and
// different values.
func duplicateComponent(g *gen, m *coresim.Manifest) {
	l := componentList(m, g.randomType(m, true))
	if len(*l) == 0 {
		return
	}
	d := g.component()
	orig := (*l)[g.index(len(*l))]
	d.Serial = orig.Serial
	dl := labels(d.Labels)
	dl["manufacturer"] = labels(orig.Labels)["manufacturer"]
	d.Labels = coresim.LabelMap(dl)
	*l = slices.Insert(*l, g.index(len(*l)+1), d)
}

// shareMAC gives an entry the MAC of another, maybe of another type: a
// contested MAC.
func shareMAC(g *gen, m *coresim.Manifest) {
	a, b := componentList(m, g.randomType(m, true)), componentList(m, g.randomType(m, true))
	if len(*a) == 0 || len(*b) == 0 {
		return
	}
	(*b)[g.index(len(*b))].BMCMAC = g.macLike((*a)[g.index(len(*a))].BMCMAC)
}

// macLike writes the same MAC in another accepted form, when it is valid.
func (g *gen) macLike(raw string) string {
	mac, ok := normalMAC(raw)
	if !ok {
		return raw
	}
	var v uint64
	fmt.Sscanf(strings.ReplaceAll(mac, ":", ""), "%x", &v)
	return g.macForm(v)
}

// swapMACs exchanges the MACs of two entries, maybe of different types.
func swapMACs(g *gen, m *coresim.Manifest) {
	a, b := componentList(m, g.randomType(m, true)), componentList(m, g.randomType(m, true))
	if len(*a) == 0 || len(*b) == 0 {
		return
	}
	i, j := g.index(len(*a)), g.index(len(*b))
	(*a)[i].BMCMAC, (*b)[j].BMCMAC = (*b)[j].BMCMAC, (*a)[i].BMCMAC
}

// relabelComponent redraws an entry's integer labels, model and rack.
func relabelComponent(g *gen, m *coresim.Manifest) {
	l := componentList(m, g.randomType(m, true))
	if len(*l) == 0 {
		return
	}
	i := g.index(len(*l))
	fresh := g.component()
	ll := labels(fresh.Labels)
	ll["manufacturer"] = labels((*l)[i].Labels)["manufacturer"]
	if _, ok := labels((*l)[i].Labels)["manufacturer"]; !ok {
		delete(ll, "manufacturer")
	}
	(*l)[i].Labels = coresim.LabelMap(ll)
	(*l)[i].RackID = fresh.RackID
}

// dropType empties one type's list: a mass delete.
func dropType(g *gen, m *coresim.Manifest) {
	t := g.randomType(m, true)
	for _, c := range *componentList(m, t) {
		g.removed = append(g.removed, removedEntry{typ: t, comp: c})
	}
	*componentList(m, t) = nil
}

// restore brings back an entry removed earlier, as it was.
func restore(g *gen, m *coresim.Manifest) {
	if len(g.removed) == 0 {
		return
	}
	e := pickOne(g, g.removed)
	if e.typ == "rack" {
		m.Expected.Racks = append(m.Expected.Racks, e.rack)
		return
	}
	l := componentList(m, e.typ)
	*l = append(*l, e.comp)
}

// reboard gives an entry a new BMC: a new MAC (a board swap) or a new IP.
func reboard(g *gen, m *coresim.Manifest) {
	l := componentList(m, g.randomType(m, true))
	if len(*l) == 0 {
		return
	}
	i := g.index(len(*l))
	if g.chance(0.5) {
		(*l)[i].BMCMAC = g.mac()
	} else {
		(*l)[i].BMCIP = g.pick("", "10.0.0.1", "10.0.0.3", " 10.0.0.2 ")
	}
}

// regenerate replaces the whole site.
func regenerate(g *gen, m *coresim.Manifest) {
	*m = *g.manifest()
}

// initialRows draws the rows seeded through the store before the first
// cycle: legacy racks without an external id, tombstones, operator JSON
// (including values that are not objects), components of other types, stray
// Host BMCs and the DPU BMCs the mirror must never touch.
func (g *gen) initialRows() *refDB {
	db := newRefDB()
	for range g.n(0, 5) {
		g.addInitialRack(db)
	}
	rackIDs := slices.Sorted(maps.Keys(db.racks))
	for range g.n(0, 7) {
		g.addInitialComponent(db, rackIDs)
	}
	g.addInitialBMCs(db)
	return db
}

func (g *gen) addInitialRack(db *refDB) {
	r := refRack{ID: g.uuid(), Name: g.pick("n1", "n2", "r1", "r2", "legacy-1", "Foxconn-S1"),
		Manufacturer: g.pick("Foxconn", "Foxconn", "Wiwynn"), Serial: pickOne(g, rackSerials),
		Status: g.pick("new", "ready"), Deleted: g.chance(0.3)}
	if g.chance(0.6) {
		r.ExternalID = ptr(g.pick(append(rackIDPool, "r9")...))
	}
	r.Description = pickOne(g, []any{nil, nil, map[string]any{"text": "note", "owner": "ops"}, "legacy", []any{1.0}})
	r.Location = pickOne(g, []any{nil, map[string]any{"room": "old", "row": "7"}})
	for _, o := range db.racks {
		if o.Name == r.Name || o.chassis() == r.chassis() || (r.ExternalID != nil && eqPtr(o.ExternalID, r.ExternalID)) {
			return
		}
	}
	db.racks[r.ID] = r
}

func (g *gen) addInitialComponent(db *refDB, rackIDs []string) {
	c := refComp{ID: g.uuid(), Type: g.pick(typeCompute, typeCompute, typeNVSwitch, typePowerShelf, "TorSwitch"),
		Manufacturer: g.pick("NV", "NV", "AMD"), Serial: pickOne(g, serialPool), Deleted: g.chance(0.3)}
	if g.chance(0.7) {
		c.Name = ptr(g.pick("x1", "old"))
	}
	if g.chance(0.5) {
		c.Model = ptr("M0")
	}
	if len(rackIDs) > 0 && g.chance(0.5) {
		c.RackID = ptr(pickOne(g, rackIDs))
	}
	if g.chance(0.5) {
		c.Slot, c.Tray = ptr(int64(g.n(0, 9))), ptr(int64(g.n(0, 3)))
	}
	if g.chance(0.3) {
		c.Description = map[string]any{"note": "keep"}
	}
	if g.chance(0.4) {
		c.ExternalID, c.Firmware, c.PowerState = ptr("ext-"+c.ID[:8]), ptr("1.0"), ptr(2)
	}
	if _, taken := db.compByKey(c.key()); !taken {
		db.comps[c.ID] = c
	}
}

// addInitialBMCs gives some components Host BMCs (sometimes two) and puts the
// two DPU MACs the generator's specs may claim on compute components.
func (g *gen) addInitialBMCs(db *refDB) {
	ids := slices.Sorted(maps.Keys(db.comps))
	for _, id := range ids {
		for range g.n(0, 2) {
			mac := g.macForm(0xaabb_cc00_0000 + uint64(g.n(1, 12)))
			g.addBMC(db, mac, "Host", id)
		}
	}
	var computes []string
	for _, id := range ids {
		if db.comps[id].Type == typeCompute {
			computes = append(computes, id)
		}
	}
	for n := range 2 {
		if len(computes) > 0 && g.chance(0.7) {
			g.addBMC(db, g.macForm(0xdd00_0000_0001+uint64(n)), "DPU", pickOne(g, computes))
		}
	}
}

func (g *gen) addBMC(db *refDB, raw, typ, compID string) {
	mac, _ := normalMAC(raw)
	if _, taken := db.bmcs[mac]; taken {
		return
	}
	db.bmcs[mac] = refBMC{MAC: mac, Type: typ, ComponentID: compID, IP: pickOne(g, []*string{nil, ptr("10.0.0.1"), ptr("10.9.9.9")})}
}

// describeInitial prints the seeded rows for a failure message.
func (s *sequence) describeInitial() string {
	var b strings.Builder
	t := s.initial.tables()
	for _, r := range t.Racks {
		fmt.Fprintf(&b, "  rack %s %q %s/%s external_id=%v description=%v location=%v deleted=%v\n",
			r.ID, r.Name, r.Manufacturer, r.Serial, deref(r.ExternalID), r.Description, r.Location, r.Deleted)
	}
	for _, c := range t.Components {
		fmt.Fprintf(&b, "  component %s\n", describeComp(c))
	}
	for _, bm := range t.BMCs {
		fmt.Fprintf(&b, "  bmc %s %s → %s ip %v\n", bm.MAC, bm.Type, bm.ComponentID, deref(bm.IP))
	}
	return b.String()
}

func describeComp(c refComp) string {
	return fmt.Sprintf("%s %s %s/%s name=%v model=%v rack=%v slot=%v tray=%v host=%v deleted=%v",
		c.ID, c.Type, c.Manufacturer, c.Serial, deref(c.Name), deref(c.Model), deref(c.RackID),
		deref(c.Slot), deref(c.Tray), deref(c.Host), c.Deleted)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
