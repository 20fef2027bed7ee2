package inventory

import (
	"encoding/json"
	"log/slog"
	"sort"
	"time"
)

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
	ID       int64     `json:"id"`
	CycleID  *string   `json:"cycle_id"` // nil for writes through the API or an import
	At       time.Time `json:"at"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"` // a uuid, or the normalised MAC for a BMC
	Action   Action    `json:"action"`
	Changes  Changes   `json:"changes"`
	Source   Source    `json:"source"`
}

// LogValue renders changes as {field: {old, new}} with plain values, so that
// both the JSON and the text log handlers print what an operator can read.
func (cs Changes) LogValue() slog.Value {
	names := make([]string, 0, len(cs))
	for n := range cs {
		names = append(names, n)
	}
	sort.Strings(names)
	attrs := make([]slog.Attr, len(names))
	for i, n := range names {
		attrs[i] = slog.Group(n, slog.Any("old", plainValue(cs[n].Old)), slog.Any("new", plainValue(cs[n].New)))
	}
	return slog.GroupValue(attrs...)
}

// plainValue dereferences pointers and turns raw JSON into text.
func plainValue(v any) any {
	switch x := v.(type) {
	case *string:
		return derefOrNil(x)
	case *int64:
		return derefOrNil(x)
	case *PowerState:
		return derefOrNil(x)
	case *time.Time:
		return derefOrNil(x)
	case json.RawMessage:
		if len(x) == 0 {
			return nil
		}
		return jsonText(x)
	}
	return v
}

func derefOrNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// jsonText is a JSON document that logs as itself in both handlers.
type jsonText json.RawMessage

func (j jsonText) String() string               { return string(j) }
func (j jsonText) MarshalJSON() ([]byte, error) { return json.RawMessage(j), nil }
