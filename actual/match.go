package actual

import (
	"log/slog"
	"slices"
	"sort"

	"rackflow/inventory"
)

// matching is the outcome of matching live components of one type to Core
// objects.
type matching struct {
	pairs     map[string]int // component id -> object index
	bySerial  int
	ambiguous map[string]bool // component ids left unmatched as ambiguous
	findings  []inventory.Finding
}

// match pairs each live component with the object whose MAC equals one of the
// component's Host BMC MACs, then (for Compute) falls back to a unique DMI
// chassis serial. A component that matches several objects, or an object that
// several components match, leaves everyone involved unmatched.
func match(comps []*inventory.Component, hostMACs func(componentID string) []string, objs []Object, serialFallback bool) matching {
	m := matching{pairs: map[string]int{}, ambiguous: map[string]bool{}}
	byMAC := map[string]int{}
	for i, o := range objs {
		if o.MAC != "" {
			byMAC[o.MAC] = i
		}
	}
	claims := map[int][]string{}
	var unmatched []*inventory.Component
	for _, c := range comps {
		cands := candidates(hostMACs(c.ID), byMAC)
		switch len(cands) {
		case 0:
			unmatched = append(unmatched, c)
		case 1:
			claims[cands[0]] = append(claims[cands[0]], c.ID)
		default:
			m.markAmbiguous("component matches several Core objects", []string{c.ID}, objectList(objs, cands))
		}
	}
	m.settle(claims, objs)
	if serialFallback {
		m.matchBySerial(unmatched, objs, claims)
	}
	return m
}

// candidates lists the objects whose MAC is one of macs, each once, in
// order. A component has one or two host MACs, so the list is kept without
// a set.
func candidates(macs []string, byMAC map[string]int) []int {
	var out []int
	for _, mac := range macs {
		if i, ok := byMAC[mac]; ok && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// settle turns claims into pairs; an object claimed twice matches nobody.
func (m *matching) settle(claims map[int][]string, objs []Object) {
	idx := make([]int, 0, len(claims))
	for i := range claims {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		ids := claims[i]
		if len(ids) == 1 {
			m.pairs[ids[0]] = i
			continue
		}
		m.markAmbiguous("several components match one Core object", ids, []string{objs[i].ID})
	}
}

// matchBySerial tries components that matched nothing by MAC against the
// objects nothing claimed, by a serial exactly one such object has.
func (m *matching) matchBySerial(comps []*inventory.Component, objs []Object, macClaims map[int][]string) {
	bySerial := map[string][]int{}
	for i, o := range objs {
		if _, claimed := macClaims[i]; !claimed && o.Serial != "" {
			bySerial[o.Serial] = append(bySerial[o.Serial], i)
		}
	}
	claims := map[int][]string{}
	for _, c := range comps {
		if idx := bySerial[c.SerialNumber]; len(idx) == 1 {
			claims[idx[0]] = append(claims[idx[0]], c.ID)
		}
	}
	before := len(m.pairs)
	m.settle(claims, objs)
	m.bySerial = len(m.pairs) - before
}

func (m *matching) markAmbiguous(reason string, compIDs, objIDs []string) {
	for _, id := range compIDs {
		m.ambiguous[id] = true
	}
	m.findings = append(m.findings, inventory.Finding{Level: slog.LevelError, Msg: "ambiguous match left unmatched",
		Attrs: []slog.Attr{slog.String("reason", reason), slog.Any("component_ids", compIDs), slog.Any("core_ids", objIDs)}})
}

func objectList(objs []Object, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = objs[j].ID
	}
	return out
}
