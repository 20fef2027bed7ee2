package sqlkit

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"rackflow/inventory"
)

// Kind is how a column's value travels in a JSON payload and is cast in SQL.
type Kind int

// Column kinds.
const (
	Text Kind = iota
	UUID
	Int
	JSON
	Time
)

// Move says how a unique column gives up its value in the first step of a
// unique-value move (schema.md).
type Move int

// Move rules.
const (
	NoMove      Move = iota
	MoveToNull       // nullable column: set to NULL
	Placeholder      // NOT NULL column: set to inventory.MovingPlaceholder(id)
)

// Column describes one updatable column.
type Column struct {
	Name string
	Kind Kind
	Move Move
}

// Table lists the columns a RowUpdate may set on one table.
type Table struct {
	Name    string
	Key     string
	Columns []Column
}

// Column returns the named column, or false.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// The updatable columns of each inventory table.
var (
	RackTable = Table{Name: "rack", Key: "id", Columns: []Column{
		{inventory.ColName, Text, Placeholder},
		{inventory.ColManufacturer, Text, Placeholder},
		{inventory.ColSerialNumber, Text, Placeholder},
		{inventory.ColDescription, JSON, NoMove},
		{inventory.ColLocation, JSON, NoMove},
		{inventory.ColExternalID, Text, MoveToNull},
		{inventory.ColDeletedAt, Time, NoMove},
	}}
	ComponentTable = Table{Name: "component", Key: "id", Columns: []Column{
		{inventory.ColName, Text, NoMove},
		{inventory.ColType, Text, NoMove},
		{inventory.ColManufacturer, Text, Placeholder},
		{inventory.ColSerialNumber, Text, Placeholder},
		{inventory.ColModel, Text, NoMove},
		{inventory.ColDescription, JSON, NoMove},
		{inventory.ColFirmwareVersion, Text, NoMove},
		{inventory.ColRackID, UUID, NoMove},
		{inventory.ColSlotID, Int, NoMove},
		{inventory.ColTrayIndex, Int, NoMove},
		{inventory.ColHostID, Int, NoMove},
		{inventory.ColExternalID, Text, MoveToNull},
		{inventory.ColPowerState, Int, NoMove},
		{inventory.ColDeletedAt, Time, NoMove},
	}}
	BMCTable = Table{Name: "bmc", Key: "mac_address", Columns: []Column{
		{inventory.ColType, Text, NoMove},
		{inventory.ColComponentID, UUID, NoMove},
		{inventory.ColIPAddress, Text, NoMove},
	}}
)

// UpdatePayload encodes updates as a JSON array of objects, each holding "key"
// and one member per column it sets. It returns the columns set by any row, in
// table order. An unknown column or a value of the wrong type is an error that
// names it.
func UpdatePayload(t Table, ups []inventory.RowUpdate) (payload []byte, cols []Column, err error) {
	used := map[string]bool{}
	docs := make([]map[string]any, len(ups))
	for i, u := range ups {
		key := u.Key
		if t.Key == "mac_address" {
			n, err := inventory.NormalizeMAC(key)
			if err != nil {
				return nil, nil, fmt.Errorf("sqlkit: bmc update: %w", err)
			}
			key = n
		}
		doc := map[string]any{"key": key}
		for name, ch := range u.Changes {
			_, ok := t.Column(name)
			if !ok {
				return nil, nil, fmt.Errorf("sqlkit: %s %s: %w: column %q cannot be updated", t.Name, u.Key, inventory.ErrInvalid, name)
			}
			v, err := EncodeValue(ch.New)
			if err != nil {
				return nil, nil, fmt.Errorf("sqlkit: %s %s column %s: %w", t.Name, u.Key, name, err)
			}
			doc[name] = v
			used[name] = true
		}
		docs[i] = doc
	}
	for _, c := range t.Columns {
		if used[c.Name] {
			cols = append(cols, c)
		}
	}
	payload, err = json.Marshal(docs)
	return payload, cols, err
}

// EncodeValue converts a Change value into what its JSON payload carries:
// nil, a string, an int64, a bool or raw JSON. Timestamps become TimeLayout text.
func EncodeValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string, int64, bool:
		return x, nil
	case int:
		return int64(x), nil
	case inventory.ComponentType:
		return string(x), nil
	case inventory.BMCType:
		return string(x), nil
	case inventory.PowerState:
		return int64(x), nil
	case json.RawMessage:
		if len(x) == 0 {
			return nil, nil
		}
		return x, nil
	case time.Time:
		return FormatTime(x), nil
	case *string:
		return deref(x), nil
	case *int64:
		return deref(x), nil
	case *inventory.PowerState:
		if x == nil {
			return nil, nil
		}
		return int64(*x), nil
	case *time.Time:
		if x == nil {
			return nil, nil
		}
		return FormatTime(*x), nil
	}
	return nil, fmt.Errorf("%w: unsupported value type %T", inventory.ErrInvalid, v)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// ChangesJSON encodes an event's changes as {"field": {"old": …, "new": …}},
// with keys sorted.
func ChangesJSON(cs inventory.Changes) ([]byte, error) {
	return appendChanges(make([]byte, 0, 64*len(cs)+2), cs)
}

// ChangesFromJSON decodes stored event changes. Values come back as JSON
// decodes them: strings, float64 numbers, nil, maps.
func ChangesFromJSON(b []byte) (inventory.Changes, error) {
	var raw map[string]struct {
		Old any `json:"old"`
		New any `json:"new"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("sqlkit: event changes: %w", err)
	}
	cs := make(inventory.Changes, len(raw))
	for k, v := range raw {
		cs[k] = inventory.Change{Old: v.Old, New: v.New}
	}
	return cs, nil
}

// SortedKeys returns the keys of m in order; used to keep statements stable.
func SortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// DefaultLimit caps listing queries that ask for no limit.
const DefaultLimit = 1000

// Limit returns n, or DefaultLimit when n is not positive.
func Limit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return n
}

// StepsJSON returns a cycle's steps for storage; nil is an empty object.
func StepsJSON(b []byte) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}
