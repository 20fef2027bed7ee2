package mirror

import (
	"cmp"
	"log/slog"
	"slices"
	"strings"

	"rackflow/inventory"
)

// attr is one of a rack's unique values.
type attr int

const (
	attrName    attr = iota // rack_name_idx, over all rows
	attrChassis             // rack_manufacturer_serial_idx, over all rows
	attrExt                 // rack_external_id_idx, over non-NULL values
	numAttrs
)

var attrNames = [numAttrs]string{"name", "chassis", "external_id"}

// claimKey is one unique value of one index.
type claimKey struct {
	a attr
	v string
}

// value returns the value the row holds for a in the end state as it now
// stands: the desired value while its change stands, the current one otherwise.
func (r *rackRow) value(a attr) (string, bool) {
	if r.change[a] {
		return wantValue(r.want, a)
	}
	return rackValue(r.cur, a)
}

func wantValue(d *desiredRack, a attr) (string, bool) {
	switch a {
	case attrName:
		return d.name, true
	case attrChassis:
		return chassisValue(d.chassis), true
	}
	return d.rackID, d.rackID != ""
}

func rackValue(r inventory.Rack, a attr) (string, bool) {
	switch a {
	case attrName:
		return r.Name, true
	case attrChassis:
		return chassisValue(r.Chassis()), true
	}
	if r.ExternalID == nil {
		return "", false
	}
	return *r.ExternalID, true
}

func chassisValue(k inventory.ChassisKey) string { return k.Manufacturer + "\x00" + k.SerialNumber }

// tentative reports whether the row's claim on a may still be reverted. An
// existing row at its current value is a permanent claim.
func (r *rackRow) tentative(a attr) bool { return r.isNew || r.change[a] }

// resolveUnique reverts desired changes until no unique value is held twice
// in the end state: a greatest fixed point. Claims that can no longer change
// are settled first, because a permanent holder always wins; only then does
// contention between changes pick a winner, and only where that winner is not
// itself losing elsewhere, so that no change is reverted for a winner that
// does not survive.
func (p *rackPlanner) resolveUnique() {
	for p.revertBlocked() || p.resolveContention() {
	}
}

// claims groups the end state's rows by the unique values they hold, in a
// deterministic order.
func (p *rackPlanner) claims() ([]claimKey, map[claimKey][]*rackRow) {
	groups := map[claimKey][]*rackRow{}
	var keys []claimKey
	for _, r := range p.rows {
		if !r.holds() {
			continue
		}
		for a := range numAttrs {
			if v, ok := r.value(a); ok {
				k := claimKey{a, v}
				if groups[k] == nil {
					keys = append(keys, k)
				}
				groups[k] = append(groups[k], r)
			}
		}
	}
	return keys, groups
}

// revertBlocked reverts every change whose target a permanent claim holds.
func (p *rackPlanner) revertBlocked() bool {
	keys, groups := p.claims()
	reverted := false
	for _, k := range keys {
		holder := permanentHolder(groups[k], k.a)
		if holder == nil {
			continue
		}
		for _, r := range groups[k] {
			if r != holder && r.holds() && r.tentative(k.a) {
				p.revert(r, k.a, holder)
				reverted = true
			}
		}
	}
	return reverted
}

func permanentHolder(group []*rackRow, a attr) *rackRow {
	for _, r := range group {
		if !r.tentative(a) {
			return r
		}
	}
	return nil
}

// unit is what one revert undoes: an existing row's change of one value, or a
// whole insert.
type unit struct {
	r *rackRow
	a attr
}

func unitOf(r *rackRow, a attr) unit {
	if r.isNew {
		return unit{r, numAttrs}
	}
	return unit{r, a}
}

// resolveContention settles values that several changes want and nobody keeps:
// the lowest rack_id wins. It reverts only the losers of winners that win all
// their contests, then lets revertBlocked see the consequences.
func (p *rackPlanner) resolveContention() bool {
	keys, groups := p.claims()
	losers := map[unit]bool{}
	best := map[claimKey]*rackRow{}
	for _, k := range keys {
		if g := groups[k]; len(g) > 1 {
			best[k] = slices.MinFunc(g, contentionOrder)
			for _, r := range g {
				if r != best[k] {
					losers[unitOf(r, k.a)] = true
				}
			}
		}
	}
	reverted := false
	for _, k := range keys {
		if b := best[k]; b != nil && !losers[unitOf(b, k.a)] {
			for _, r := range groups[k] {
				if r != b && r.holds() {
					p.revert(r, k.a, b)
					reverted = true
				}
			}
		}
	}
	return reverted
}

// contentionOrder orders changes by the Core rack_id they mirror, NULL last;
// the chassis pair, unique after deduplication, breaks ties between NULLs.
func contentionOrder(a, b *rackRow) int {
	ia, ib := a.want.rackID, b.want.rackID
	if (ia == "") != (ib == "") {
		if ia == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(chassisValue(a.want.chassis), chassisValue(b.want.chassis)))
}

func (p *rackPlanner) revert(r *rackRow, a attr, holder *rackRow) {
	if r.isNew {
		r.dropped = true
	} else {
		r.change[a] = false
		r.reverted[a] = true
	}
	v, _ := wantValue(r.want, a)
	what := attrNames[a]
	if r.isNew {
		what = "insert"
	}
	p.find(warn("rack change reverted: the value is held by another rack",
		append(r.want.attrs(""), slog.String("change", what), slog.String("field", attrNames[a]),
			slog.String("value", displayValue(a, v)), slog.String("holder_id", holder.cur.ID),
			slog.String("holder_rack_id", holderRackID(holder)))...))
}

func holderRackID(r *rackRow) string {
	if r.want != nil {
		return r.want.rackID
	}
	v, _ := rackValue(r.cur, attrExt)
	return v
}

func displayValue(a attr, v string) string {
	if a == attrChassis {
		m, s, _ := strings.Cut(v, "\x00")
		return inventory.ChassisKey{Manufacturer: m, SerialNumber: s}.String()
	}
	return v
}

// collectGarbage marks for GC every old, unmatched tombstone that holds a
// value a surviving change needs. Such a tombstone holds nothing in the end
// state, but the indexes still cover it.
func (p *rackPlanner) collectGarbage() {
	stale := map[claimKey]*rackRow{}
	for _, r := range p.rows {
		if !r.isNew && !r.holds() {
			for a := range numAttrs {
				if v, ok := rackValue(r.cur, a); ok {
					stale[claimKey{a, v}] = r
				}
			}
		}
	}
	for _, r := range p.rows {
		for a := range numAttrs {
			if v, ok := r.value(a); ok && r.holds() && r.tentative(a) && stale[claimKey{a, v}] != nil {
				stale[claimKey{a, v}].gc = true
			}
		}
	}
}
