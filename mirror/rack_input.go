package mirror

import (
	"log/slog"

	"rackflow/inventory"
)

// Labels an expected rack carries.
const (
	labelChassisManufacturer = "chassis.manufacturer"
	labelChassisSerial       = "chassis.serial-number"
	labelChassisModel        = "chassis.model"
)

// ownedKey maps a JSON key the mirror owns to the label that feeds it.
type ownedKey struct{ key, label string }

var locationKeys = []ownedKey{
	{"region", "location.region"}, {"datacenter", "location.datacenter"},
	{"room", "location.room"}, {"position", "location.position"},
}

// desiredRack is one normalised Core rack.
type desiredRack struct {
	pos         int
	rackID      string // "" when Core has none
	name        string
	chassis     inventory.ChassisKey
	description map[string]string // owned keys Core gave a value for
	location    map[string]string
}

func newDesiredRack(pos int, e inventory.ExpectedRack) *desiredRack {
	d := &desiredRack{
		pos:    pos,
		rackID: clean(e.RackID),
		chassis: inventory.ChassisKey{
			Manufacturer: clean(e.Labels[labelChassisManufacturer]),
			SerialNumber: clean(e.Labels[labelChassisSerial]),
		},
		description: givenValues(map[string]string{"model": e.Labels[labelChassisModel], "text": e.Description}),
		location:    map[string]string{},
	}
	for _, k := range locationKeys {
		if v := clean(e.Labels[k.label]); v != "" {
			d.location[k.key] = v
		}
	}
	d.name = firstNonEmpty(clean(e.Name), d.rackID, d.chassis.Manufacturer+"-"+d.chassis.SerialNumber)
	return d
}

func givenValues(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v = clean(v); v != "" {
			out[k] = v
		}
	}
	return out
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (d *desiredRack) hasChassis() bool {
	return d.chassis.Manufacturer != "" && d.chassis.SerialNumber != ""
}

func (d *desiredRack) extID() *string { return inventory.Optional(d.rackID) }

// attrs names the entry in findings.
func (d *desiredRack) attrs(prefix string) []slog.Attr {
	return []slog.Attr{
		slog.String(prefix+"rack_id", d.rackID), slog.Int(prefix+"position", d.pos),
		slog.String(prefix+"manufacturer", d.chassis.Manufacturer),
		slog.String(prefix+"serial_number", d.chassis.SerialNumber),
	}
}

// rackInput is the response after deduplication and validation.
type rackInput struct {
	valid []*desiredRack
	// Reported rack ids and chassis pairs include skipped entries, so that an
	// unusable entry never causes its row to be deleted.
	reportedIDs     map[string]bool
	reportedChassis map[inventory.ChassisKey]bool
}

// readRacks normalises, deduplicates and validates the response, in that
// order, the same order components use.
func (p *rackPlanner) readRacks(entries []inventory.ExpectedRack) rackInput {
	in := rackInput{reportedIDs: map[string]bool{}, reportedChassis: map[inventory.ChassisKey]bool{}}
	all := make([]*desiredRack, len(entries))
	for i, e := range entries {
		all[i] = newDesiredRack(i, e)
		if all[i].rackID != "" {
			in.reportedIDs[all[i].rackID] = true
		}
		if all[i].hasChassis() {
			in.reportedChassis[all[i].chassis] = true
		}
	}
	for _, d := range p.dedupeRacks(all) {
		if p.validRack(d) {
			in.valid = append(in.valid, d)
		}
	}
	return in
}

// dedupeRacks runs the single scan in response order: each entry drops every
// kept entry sharing its rack_id or chassis pair, so the later entry wins.
func (p *rackPlanner) dedupeRacks(all []*desiredRack) []*desiredRack {
	byID := map[string]*desiredRack{}
	byChassis := map[inventory.ChassisKey]*desiredRack{}
	dropped := map[*desiredRack]bool{}
	for _, d := range all {
		for _, old := range []*desiredRack{byID[d.rackID], byChassis[d.chassis]} {
			if old == nil || dropped[old] {
				continue
			}
			dropped[old] = true
			p.dropDuplicateRack(old, d, byID, byChassis)
		}
		if d.rackID != "" {
			byID[d.rackID] = d
		}
		if d.hasChassis() {
			byChassis[d.chassis] = d
		}
	}
	var kept []*desiredRack
	for _, d := range all {
		if !dropped[d] {
			kept = append(kept, d)
		}
	}
	return kept
}

func (p *rackPlanner) dropDuplicateRack(old, by *desiredRack, byID map[string]*desiredRack, byChassis map[inventory.ChassisKey]*desiredRack) {
	if byID[old.rackID] == old {
		delete(byID, old.rackID)
	}
	if byChassis[old.chassis] == old {
		delete(byChassis, old.chassis)
	}
	p.plan.Counters.SkippedDuplicate++
	p.find(warn("duplicate rack in Core response dropped; the later entry wins",
		append(old.attrs("dropped_"), by.attrs("kept_")...)...))
}

// validRack checks the required chassis labels and warns about a rack that
// components will not be able to reference.
func (p *rackPlanner) validRack(d *desiredRack) bool {
	if !d.hasChassis() {
		p.plan.Counters.SkippedInvalid++
		p.find(warn("rack skipped: chassis.manufacturer and chassis.serial-number are required", d.attrs("")...))
		return false
	}
	if d.rackID == "" {
		p.find(warn("rack has no rack_id; components cannot reference it", d.attrs("")...))
	}
	return true
}
