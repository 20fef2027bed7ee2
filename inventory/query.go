package inventory

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Reader is the read contract of the operator surfaces (the HTTP API, the
// dashboard, the CLI through the API). The stores implement it with
// set-based queries and keyset pagination. Every filter field is a list: a
// row matches when it equals any of the values (OR); different fields
// combine with AND. Empty fields do not filter. Bad values return an error
// wrapping ErrInvalid that names the value; an unknown id or name returns an
// error wrapping ErrNotFound.
type Reader interface {
	// ListRacks lists racks with their open drift counts.
	ListRacks(ctx context.Context, q RackQuery) (List[RackView], error)
	// Rack returns one rack, by id or name, with its components and BMCs.
	Rack(ctx context.Context, idOrName string) (RackDetail, error)
	// Elevation returns a rack's slots, expected against actual.
	Elevation(ctx context.Context, idOrName string) (Elevation, error)
	// ListComponents lists components with the name of their rack.
	ListComponents(ctx context.Context, q ComponentQuery) (List[ComponentView], error)
	// Component returns one component with its BMCs, open drift, drift
	// history and latest events.
	Component(ctx context.Context, id string) (ComponentDetail, error)
	// ListDrift lists open drift, resolved drift, or both.
	ListDrift(ctx context.Context, q DriftQuery) (List[DriftItem], error)
	// DriftSummary counts open drift.
	DriftSummary(ctx context.Context, q DriftSummaryQuery) (DriftSummary, error)
	// ListCycles lists sync_cycle rows.
	ListCycles(ctx context.Context, q CycleQuery) (List[Cycle], error)
	// Cycle returns one cycle, its steps as stored.
	Cycle(ctx context.Context, id string) (Cycle, error)
	// ListEvents lists the audit trail.
	ListEvents(ctx context.Context, q EventQuery) (List[Event], error)
	// HeldDeletes lists what the mass-delete guard holds now.
	HeldDeletes(ctx context.Context, q HeldDeleteQuery) (List[HeldDelete], error)
}

// RackQuery filters racks.
type RackQuery struct {
	Name         []string
	Manufacturer []string
	// Model matches description.model.
	Model  []string
	Status []string
	// Location keys.
	Region     []string
	Datacenter []string
	Room       []string
	Position   []string
	// HasDrift, when set, keeps racks with (true) or without (false) open drift.
	HasDrift *bool
	// DriftType keeps racks with open drift of any of these types.
	DriftType []DriftType
	Deleted   Deleted
	// IncludeComponents fills RackView.Components with each rack's
	// components (live ones unless Deleted asks otherwise).
	IncludeComponents bool
	Page
}

// Validate checks the values that have a fixed vocabulary.
func (q RackQuery) Validate() error { return validDriftTypes(q.DriftType) }

// ComponentQuery filters components.
type ComponentQuery struct {
	// Rack matches the rack's id or name.
	Rack       []string
	Type       []ComponentType
	Serial     []string
	ExternalID []string
	// BMCMAC matches components that have a BMC with one of these MACs, in
	// any accepted form (see NormalizeMAC).
	BMCMAC  []string
	Deleted Deleted
	Page
}

// Validate checks the MACs.
func (q ComponentQuery) Validate() error {
	_, err := q.NormalizedMACs()
	return err
}

// NormalizedMACs returns BMCMAC in canonical form.
func (q ComponentQuery) NormalizedMACs() ([]string, error) {
	out := make([]string, len(q.BMCMAC))
	for i, m := range q.BMCMAC {
		n, err := NormalizeMAC(m)
		if err != nil {
			return nil, fmt.Errorf("bmc_mac: %w", err)
		}
		out[i] = n
	}
	return out, nil
}

// DriftState selects open drift, resolved drift, or both.
type DriftState string

// Drift states.
const (
	DriftStateOpen     DriftState = "open"
	DriftStateResolved DriftState = "resolved"
	DriftStateAll      DriftState = "all"
)

// ParseDriftState accepts open (also ""), resolved and all.
func ParseDriftState(s string) (DriftState, error) {
	switch DriftState(s) {
	case "", DriftStateOpen:
		return DriftStateOpen, nil
	case DriftStateResolved, DriftStateAll:
		return DriftState(s), nil
	}
	return "", fmt.Errorf("state %q: %w: want open, resolved or all", s, ErrInvalid)
}

// ParseDriftType accepts one of the three drift types.
func ParseDriftType(s string) (DriftType, error) {
	switch t := DriftType(s); t {
	case MissingInActual, MissingInExpected, Mismatch:
		return t, nil
	}
	return "", fmt.Errorf("drift type %q: %w: want missing_in_actual, missing_in_expected or mismatch", s, ErrInvalid)
}

func validDriftTypes(ts []DriftType) error {
	for _, t := range ts {
		if _, err := ParseDriftType(string(t)); err != nil {
			return err
		}
	}
	return nil
}

// DriftFields are the fields drift compares, in diff order.
var DriftFields = []string{ColSlotID, ColTrayIndex, ColHostID, ColRackID, ColSerialNumber}

// DriftQuery filters drift. Open drift comes from component_drift; resolved
// drift from the "resolved" rows of drift_history.
type DriftQuery struct {
	State         DriftState
	Type          []DriftType
	ComponentType []ComponentType
	// Field keeps drift with a diff of one of these fields.
	Field []string
	// Rack matches the rack (id or name) of the drifting component.
	Rack []string
	// MinAge keeps drift first seen at least this long before Now.
	MinAge time.Duration
	// OpenedAfter and OpenedBefore bound first_seen_at (inclusive, exclusive).
	OpenedAfter  time.Time
	OpenedBefore time.Time
	// Now is the reference time of ages; zero means the store's clock.
	Now time.Time
	Page
}

// Validate checks state, drift types, fields and the age.
func (q DriftQuery) Validate() error {
	if _, err := ParseDriftState(string(q.State)); err != nil {
		return err
	}
	if err := validDriftTypes(q.Type); err != nil {
		return err
	}
	for _, f := range q.Field {
		if !slices.Contains(DriftFields, f) {
			return fmt.Errorf("field %q: %w: drift compares slot_id, tray_index, host_id, rack_id and serial_number", f, ErrInvalid)
		}
	}
	if q.MinAge < 0 {
		return fmt.Errorf("min_age %v: %w: want a positive duration", q.MinAge, ErrInvalid)
	}
	return nil
}

// DriftSummaryQuery parameterises DriftSummary.
type DriftSummaryQuery struct {
	// Now is the reference time of ages; zero means the store's clock.
	Now time.Time
	// TopRacks is how many racks to rank; 0 means 10.
	TopRacks int
}

// CycleQuery filters cycles.
type CycleQuery struct {
	Status  []CycleStatus
	Trigger []Trigger
	Page
}

// EventQuery filters the audit trail. Since is inclusive, Until exclusive.
type EventQuery struct {
	Entity   []string
	EntityID []string
	Action   []Action
	Source   []Source
	CycleID  []string
	Since    time.Time
	Until    time.Time
	Page
}

// HeldDeleteQuery filters held deletes by step type ("rack", "Compute", …).
type HeldDeleteQuery struct {
	Type []string
	Page
}

// DriftCounts are a rack's or a component's open drift by drift type.
type DriftCounts struct {
	MissingInActual   int `json:"missing_in_actual"`
	MissingInExpected int `json:"missing_in_expected"`
	Mismatch          int `json:"mismatch"`
	Total             int `json:"total"`
}

// Add counts one drift of type t.
func (c *DriftCounts) Add(t DriftType) {
	switch t {
	case MissingInActual:
		c.MissingInActual++
	case MissingInExpected:
		c.MissingInExpected++
	case Mismatch:
		c.Mismatch++
	}
	c.Total++
}

// RackView is a rack in a listing: its row, its open drift counts and, when
// asked for, its components.
type RackView struct {
	Rack
	Drift      DriftCounts `json:"drift"`
	Components []Component `json:"components,omitempty"`
}

// RackDetail is one rack with its components and their BMCs (never BMC
// credentials, which rackflow does not store).
type RackDetail struct {
	Rack
	Drift      DriftCounts `json:"drift"`
	Components []Component `json:"components"`
	BMCs       []BMC       `json:"bmcs"`
}

// ComponentView is a component in a listing, with its rack's name.
type ComponentView struct {
	Component
	RackName *string `json:"rack_name"`
}

// ComponentDetail is one component with what an operator asks about it.
type ComponentDetail struct {
	Component
	RackName *string `json:"rack_name"`
	BMCs     []BMC   `json:"bmcs"`
	// Drift is the component's open drift.
	Drift []Drift `json:"drift"`
	// DriftHistory is its drift history, oldest first.
	DriftHistory []DriftHistory `json:"drift_history"`
	// Events are its latest audit events, newest first.
	Events []Event `json:"events"`
}

// ComponentEventLimit is how many events ComponentDetail carries.
const ComponentEventLimit = 50

// DriftItem is open or resolved drift in a listing. For open drift,
// LastSeenAt is checked_at and ResolvedAt is nil. For resolved drift,
// ResolvedAt is when a cycle no longer saw it, FirstSeenAt comes from its
// "opened" history row (the resolution time when that row was pruned), and
// LastSeenAt is the time of its last history row before the resolution.
type DriftItem struct {
	ID            string        `json:"id"`
	State         DriftState    `json:"state"`
	ComponentID   *string       `json:"component_id"`
	ExternalID    *string       `json:"external_id"`
	ComponentType ComponentType `json:"component_type"`
	DriftType     DriftType     `json:"drift_type"`
	Diffs         []Diff        `json:"diffs"`
	FirstSeenAt   time.Time     `json:"first_seen_at"`
	LastSeenAt    *time.Time    `json:"last_seen_at"`
	ResolvedAt    *time.Time    `json:"resolved_at"`
	AgeSeconds    int64         `json:"age_seconds"`
	RackID        *string       `json:"rack_id"`
	RackName      *string       `json:"rack_name"`
	SerialNumber  *string       `json:"serial_number"`
}

// DriftAge is how long drift has been open: until now while it is open,
// until its resolution once resolved.
func DriftAge(firstSeen time.Time, resolved *time.Time, now time.Time) time.Duration {
	end := now
	if resolved != nil {
		end = *resolved
	}
	if d := end.Sub(firstSeen); d > 0 {
		return d
	}
	return 0
}

// WithAge sets AgeSeconds from now.
func (d DriftItem) WithAge(now time.Time) DriftItem {
	d.AgeSeconds = int64(DriftAge(d.FirstSeenAt, d.ResolvedAt, now) / time.Second)
	return d
}

// HeldDelete is a soft delete the mass-delete guard holds: the step type
// ("rack" or a component type), the row's id, the latest cycle that held it
// and since when it has been held without a break.
type HeldDelete struct {
	Type         string    `json:"type"`
	EntityID     string    `json:"entity_id"`
	CycleID      string    `json:"cycle_id"`
	HeldSince    time.Time `json:"held_since"`
	SinceCycleID string    `json:"since_cycle_id"`
}

// Validate checks statuses and triggers.
func (q CycleQuery) Validate() error {
	for _, s := range q.Status {
		switch s {
		case CycleRunning, CycleOK, CyclePartial, CycleFailed:
		default:
			return fmt.Errorf("status %q: %w: want running, ok, partial or failed", s, ErrInvalid)
		}
	}
	for _, t := range q.Trigger {
		switch t {
		case TriggerInterval, TriggerManual, TriggerStartup, TriggerOnce:
		default:
			return fmt.Errorf("trigger %q: %w: want interval, manual, startup or once", t, ErrInvalid)
		}
	}
	return nil
}

// Validate checks entities, actions, sources and cycle ids.
func (q EventQuery) Validate() error {
	for _, e := range q.Entity {
		if e != EntityRack && e != EntityComponent && e != EntityBMC {
			return fmt.Errorf("entity %q: %w: want rack, component or bmc", e, ErrInvalid)
		}
	}
	for _, a := range q.Action {
		switch a {
		case ActionInsert, ActionUpdate, ActionAdopt, ActionResurrect, ActionSoftDelete, ActionHardDelete, ActionEvict, ActionGC:
		default:
			return fmt.Errorf("action %q: %w: want insert, update, adopt, resurrect, soft_delete, hard_delete, evict or gc", a, ErrInvalid)
		}
	}
	for _, s := range q.Source {
		if s != SourceMirror && s != SourceActual && s != SourceAPI && s != SourceImport {
			return fmt.Errorf("source %q: %w: want mirror, actual, api or import", s, ErrInvalid)
		}
	}
	for _, id := range q.CycleID {
		if !ValidID(id) {
			return fmt.Errorf("cycle_id %q: %w: not a lower-case uuid", id, ErrInvalid)
		}
	}
	return nil
}

// NormalizedEntityIDs returns EntityID with every value that reads as a MAC
// in its canonical form, so that a BMC's events are found whatever form the
// caller wrote its MAC in. Uuids are left as they are.
func (q EventQuery) NormalizedEntityIDs() []string {
	out := make([]string, len(q.EntityID))
	for i, id := range q.EntityID {
		out[i] = id
		if mac, err := NormalizeMAC(id); err == nil {
			out[i] = mac
		}
	}
	return out
}
