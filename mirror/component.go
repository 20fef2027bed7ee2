package mirror

import (
	"log/slog"

	"rackflow/inventory"
)

// Labels an expected component carries.
const (
	labelManufacturer = "manufacturer"
	labelModel        = "model"
	labelSlotID       = "slot_id"
	labelTrayIndex    = "tray_idx"
	labelHostID       = "host_id"
)

// ComponentPull is the outcome of one GetAllExpected{Machines,Switches,
// PowerShelves} call.
type ComponentPull struct {
	Type    inventory.ComponentType
	Outcome Outcome
	Specs   []inventory.ExpectedComponent
	Err     error
}

// IntLabel is a parsed integer label. Malformed means Core sent something
// that is not a valid value: an update keeps the stored value, an insert
// writes NULL. Value is nil when the label is unknown or malformed.
type IntLabel struct {
	Value     *int64
	Malformed bool
}

// ComponentSpec is one deduplicated, valid Core component, normalised.
type ComponentSpec struct {
	Type inventory.ComponentType
	// Pos is the entry's position in Core's response.
	Pos       int
	Key       inventory.ChassisKey
	MAC       string  // normalised host BMC MAC
	IP        *string // host BMC IP; nil when Core has none
	Name      string  // the metadata name, else the serial number
	Model     *string
	SlotID    IntLabel
	TrayIndex IntLabel
	HostID    IntLabel
	// RackRef is Core's rack_id; "" means no rack.
	RackRef string
}

// PreparedComponents is one type's pull after normalisation, deduplication
// and validation. It is computed once per cycle: it feeds that type's own
// transaction and the settlement of contested MACs in every other one.
type PreparedComponents struct {
	Type inventory.ComponentType
	// Outcome is Empty when the pull succeeded without valid rows.
	Outcome Outcome
	Err     error
	Specs   []ComponentSpec
	// Seen holds every natural key the response names, valid or not; no
	// row of this type with such a key is deleted.
	Seen map[inventory.ChassisKey]bool
	// Counters holds pulled, skipped_invalid and skipped_duplicate.
	Counters Counters
	// Findings are the input warnings. PlanComponents repeats them in its
	// plan, so a caller that logs the plan need not log these.
	Findings []Finding
	// macs holds the MAC of every spec, and macTwice each MAC that more
	// than one spec names, so that settling contested MACs need not look
	// at every spec. SettleClaims drops specs without updating them: they
	// may name MACs no spec claims any longer, never miss one.
	macs     map[string]struct{}
	macTwice []string
}

// PrepareComponents normalises, deduplicates and validates one pull, in that
// order.
func PrepareComponents(pull ComponentPull) PreparedComponents {
	p := PreparedComponents{Type: pull.Type, Outcome: pull.Outcome, Err: pull.Err,
		Seen: make(map[inventory.ChassisKey]bool, len(pull.Specs))}
	if pull.Outcome == Error {
		p.find(errorf("expected pull failed; type skipped", slog.String("type", string(pull.Type)), slog.Any("error", pull.Err)))
		return p
	}
	p.Counters.Pulled = len(pull.Specs)
	kept := p.dedupe(pull.Specs)
	if len(kept) > 0 {
		p.Specs = make([]ComponentSpec, 0, len(kept))
	}
	for _, e := range kept {
		if s, ok := p.validate(e); ok {
			p.Specs = append(p.Specs, s)
		}
	}
	p.indexMACs()
	if p.Outcome == Rows && len(p.Specs) == 0 {
		p.Outcome = Empty
	}
	if p.Outcome == Empty {
		p.find(warn("expected pull returned no valid rows; delete phase skipped",
			slog.String("type", string(pull.Type)), slog.Int("pulled", len(pull.Specs))))
	}
	return p
}

func (p *PreparedComponents) find(f Finding) { p.Findings = append(p.Findings, f) }

func (p *PreparedComponents) indexMACs() {
	p.macs = make(map[string]struct{}, len(p.Specs))
	for _, s := range p.Specs {
		if _, twice := p.macs[s.MAC]; twice {
			p.macTwice = append(p.macTwice, s.MAC)
		}
		p.macs[s.MAC] = struct{}{}
	}
}

// entry is a raw Core component with its position and trimmed key.
type entry struct {
	pos int
	key inventory.ChassisKey
	raw inventory.ExpectedComponent
}

func (e entry) hasKey() bool { return e.key.Manufacturer != "" && e.key.SerialNumber != "" }

// dedupe keeps the last entry of each natural key. Every entry with a full
// key is seen for the type, dropped or not.
func (p *PreparedComponents) dedupe(raw []inventory.ExpectedComponent) []entry {
	entries := make([]entry, len(raw))
	last := make(map[inventory.ChassisKey]int, len(raw))
	for i, r := range raw {
		entries[i] = entry{pos: i, raw: r, key: inventory.ChassisKey{
			Manufacturer: clean(r.Labels[labelManufacturer]), SerialNumber: clean(r.SerialNumber)}}
		if entries[i].hasKey() {
			p.Seen[entries[i].key] = true
			last[entries[i].key] = i
		}
	}
	// Filtered in place: a dropped entry's winner comes later, so it is
	// still unmoved when it is looked up.
	kept := entries[:0]
	for _, e := range entries {
		if w := last[e.key]; e.hasKey() && w != e.pos {
			p.dropDuplicate(e, entries[w])
			continue
		}
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

func (p *PreparedComponents) dropDuplicate(dropped, kept entry) {
	p.Counters.SkippedDuplicate++
	p.find(warn("duplicate component in Core response dropped; the last entry wins",
		slog.String("type", string(p.Type)), slog.String("manufacturer", dropped.key.Manufacturer),
		slog.String("serial_number", dropped.key.SerialNumber), slog.Int("dropped_position", dropped.pos),
		slog.String("dropped_mac", dropped.raw.BMCMAC), slog.Int("kept_position", kept.pos),
		slog.String("kept_mac", kept.raw.BMCMAC)))
}

// validate checks the required fields and normalises the rest.
func (p *PreparedComponents) validate(e entry) (ComponentSpec, bool) {
	attrs := []slog.Attr{slog.String("type", string(p.Type)), slog.Int("position", e.pos),
		slog.String("manufacturer", e.key.Manufacturer), slog.String("serial_number", e.key.SerialNumber)}
	if !e.hasKey() {
		p.Counters.SkippedInvalid++
		p.find(warn("component skipped: manufacturer and serial number are required", attrs...))
		return ComponentSpec{}, false
	}
	mac, err := inventory.NormalizeMAC(e.raw.BMCMAC)
	if err != nil {
		p.Counters.SkippedInvalid++
		p.find(warn("component skipped: host BMC MAC is missing or invalid", append(attrs, slog.String("mac", e.raw.BMCMAC))...))
		return ComponentSpec{}, false
	}
	return p.spec(e, mac), true
}

func (p *PreparedComponents) spec(e entry, mac string) ComponentSpec {
	return ComponentSpec{
		Type: p.Type, Pos: e.pos, Key: e.key, MAC: mac,
		IP:        inventory.Optional(e.raw.BMCIP),
		Name:      firstNonEmpty(clean(e.raw.Name), e.key.SerialNumber),
		Model:     inventory.Optional(e.raw.Labels[labelModel]),
		SlotID:    p.intLabel(e, labelSlotID),
		TrayIndex: p.intLabel(e, labelTrayIndex),
		HostID:    p.intLabel(e, labelHostID),
		RackRef:   clean(e.raw.RackID),
	}
}

func (p *PreparedComponents) intLabel(e entry, key string) IntLabel {
	raw := e.raw.Labels[key]
	v, ok := parseIntLabel(raw)
	if !ok {
		p.find(warn("component integer label is malformed",
			slog.String("type", string(p.Type)), slog.String("serial_number", e.key.SerialNumber),
			slog.String("label", key), slog.String("value", raw)))
	}
	return IntLabel{Value: v, Malformed: !ok}
}

// SettleClaims records, after type t's transaction, what t's specs still claim
// in the cycle's later transactions: nothing when the transaction rolled back,
// and no spec it skipped as a conflict otherwise. Contested MACs are settled
// among the remaining claims, so a spec that was never written can never win
// a MAC that nobody would then receive.
func SettleClaims(prepared map[inventory.ComponentType]PreparedComponents, plan ComponentPlan, committed bool) {
	p, ok := prepared[plan.Type]
	if !ok {
		return
	}
	if !committed {
		delete(prepared, plan.Type)
		return
	}
	if len(plan.Conflicts) == 0 {
		return
	}
	skipped := make(map[inventory.ChassisKey]bool, len(plan.Conflicts))
	for _, k := range plan.Conflicts {
		skipped[k] = true
	}
	kept := make([]ComponentSpec, 0, len(p.Specs))
	for _, s := range p.Specs {
		if !skipped[s.Key] {
			kept = append(kept, s)
		}
	}
	p.Specs = kept
	prepared[plan.Type] = p
}
