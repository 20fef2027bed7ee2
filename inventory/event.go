package inventory

import "time"

// Entity names recorded in inventory_event.entity.
const (
	EntityRack      = "rack"
	EntityComponent = "component"
	EntityBMC       = "bmc"
)

// Action is what a write did, recorded in inventory_event.action. When one
// entity is resurrected or adopted and also changed in one transaction, it gets
// one event whose action follows the precedence resurrect, adopt, update.
type Action string

// Actions.
const (
	ActionInsert     Action = "insert"
	ActionUpdate     Action = "update"
	ActionAdopt      Action = "adopt"
	ActionResurrect  Action = "resurrect"
	ActionSoftDelete Action = "soft_delete"
	ActionHardDelete Action = "hard_delete"
	ActionEvict      Action = "evict"
	ActionGC         Action = "gc"
)

// Source is who made a write, recorded in inventory_event.source.
type Source string

// Sources.
const (
	SourceMirror Source = "mirror"
	SourceActual Source = "actual"
	SourceAPI    Source = "api"
	SourceImport Source = "import"
)

// Change is one field's net change within a transaction. Old and New hold the
// column's Go value: nil, string, int64, PowerState, json.RawMessage, a
// time.Time, or a pointer to one of those (a nil pointer is NULL).
type Change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// Changes maps a column name to its change.
type Changes map[string]Change

// Event is one row of the inventory_event audit table. ID is assigned by the
// store on insert and is zero before that.
type Event struct {
	ID       int64
	CycleID  *string // nil for writes through the API or an import
	At       time.Time
	Entity   string
	EntityID string // a uuid, or the normalised MAC for a BMC
	Action   Action
	Changes  Changes
	Source   Source
}
