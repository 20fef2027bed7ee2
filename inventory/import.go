package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// ImportDocument is the body of an import: racks, components and BMCs, the
// legacy ingestion path. Fields left out (or null) of a record keep their
// stored value; an import never clears a column.
type ImportDocument struct {
	Racks      []ImportRack      `json:"racks"`
	Components []ImportComponent `json:"components"`
	BMCs       []ImportBMC       `json:"bmcs"`
}

// ImportRack is a rack, identified by its name.
type ImportRack struct {
	Name         string          `json:"name"`
	Manufacturer string          `json:"manufacturer"`
	SerialNumber string          `json:"serial_number"`
	Description  json.RawMessage `json:"description,omitempty"`
	Location     json.RawMessage `json:"location,omitempty"`
	// Status is written when the rack is created ("new" by default).
	Status string `json:"status,omitempty"`
}

// ImportComponent is a component, identified by (manufacturer, serial_number).
type ImportComponent struct {
	Type         ComponentType   `json:"type,omitempty"`
	Manufacturer string          `json:"manufacturer"`
	SerialNumber string          `json:"serial_number"`
	Name         *string         `json:"name,omitempty"`
	Model        *string         `json:"model,omitempty"`
	Description  json.RawMessage `json:"description,omitempty"`
	// Rack is the id or name of a stored rack or of a rack in the document.
	Rack      *string `json:"rack,omitempty"`
	SlotID    *int64  `json:"slot_id,omitempty"`
	TrayIndex *int64  `json:"tray_index,omitempty"`
	HostID    *int64  `json:"host_id,omitempty"`
}

// ImportBMC is a BMC, identified by its MAC, owned by a component named by
// its natural key.
type ImportBMC struct {
	MAC       string             `json:"mac_address"`
	Type      BMCType            `json:"type,omitempty"`
	Component ImportComponentRef `json:"component"`
	IPAddress *string            `json:"ip_address,omitempty"`
}

// ImportComponentRef names a component by its natural key.
type ImportComponentRef struct {
	Manufacturer string `json:"manufacturer"`
	SerialNumber string `json:"serial_number"`
}

// ImportResult counts what an import wrote. Unchanged records wrote nothing.
type ImportResult struct {
	Racks      ImportCounts `json:"racks"`
	Components ImportCounts `json:"components"`
	BMCs       ImportCounts `json:"bmcs"`
}

// ImportCounts are the outcomes of one kind of record.
type ImportCounts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// LogValue logs the counts as snake_case attributes.
func (c ImportCounts) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("inserted", c.Inserted), slog.Int("updated", c.Updated), slog.Int("unchanged", c.Unchanged))
}

// RecordError is a rejected import record: which list, its index, the
// field and the value at fault. It wraps ErrInvalid for a malformed record
// and ErrConflict for one that collides with stored or mirrored rows.
type RecordError struct {
	List   string `json:"list"`
	Index  int    `json:"index"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	kind   error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s[%d].%s %q: %s", e.List, e.Index, e.Field, e.Value, e.Reason)
}

func (e *RecordError) Unwrap() error { return e.kind }

func invalidRecord(list string, i int, field, value, reason string) error {
	return &RecordError{List: list, Index: i, Field: field, Value: value, Reason: reason, kind: ErrInvalid}
}

func conflictRecord(list string, i int, field, value, reason string) error {
	return &RecordError{List: list, Index: i, Field: field, Value: value, Reason: reason, kind: ErrConflict}
}

// Column limits of the schema.
const (
	maxTypeLen   = 16
	maxStatusLen = 16
)

// Validate checks the whole document without looking at stored rows:
// required fields, JSON objects, MACs, BMC types, and duplicates within the
// document. The first bad record is returned as a *RecordError.
func (d ImportDocument) Validate() error {
	if len(d.Racks)+len(d.Components)+len(d.BMCs) == 0 {
		return fmt.Errorf("import: %w: the document has no racks, components or bmcs", ErrInvalid)
	}
	if err := validateImportRacks(d.Racks); err != nil {
		return err
	}
	if err := validateImportComponents(d.Components); err != nil {
		return err
	}
	return validateImportBMCs(d.BMCs)
}

func validateImportRacks(rs []ImportRack) error {
	names, chassis := map[string]int{}, map[ChassisKey]int{}
	for i, r := range rs {
		for _, f := range [][2]string{{"name", r.Name}, {"manufacturer", r.Manufacturer}, {"serial_number", r.SerialNumber}} {
			if err := required("racks", i, f[0], f[1]); err != nil {
				return err
			}
		}
		if err := jsonObject("racks", i, "description", r.Description); err != nil {
			return err
		}
		if err := jsonObject("racks", i, "location", r.Location); err != nil {
			return err
		}
		if err := storableText("racks", i, [][2]string{{"status", r.Status}}); err != nil {
			return err
		}
		if len(r.Status) > maxStatusLen {
			return invalidRecord("racks", i, "status", r.Status, fmt.Sprintf("longer than %d characters", maxStatusLen))
		}
		if j, dup := names[r.Name]; dup {
			return invalidRecord("racks", i, "name", r.Name, fmt.Sprintf("repeats racks[%d]", j))
		}
		key := ChassisKey{Manufacturer: r.Manufacturer, SerialNumber: r.SerialNumber}
		if j, dup := chassis[key]; dup {
			return invalidRecord("racks", i, "serial_number", r.SerialNumber, fmt.Sprintf("chassis %s repeats racks[%d]", key, j))
		}
		names[r.Name], chassis[key] = i, i
	}
	return nil
}

func validateImportComponents(cs []ImportComponent) error {
	keys := map[ChassisKey]int{}
	for i, c := range cs {
		if err := required("components", i, "manufacturer", c.Manufacturer); err != nil {
			return err
		}
		if err := required("components", i, "serial_number", c.SerialNumber); err != nil {
			return err
		}
		if err := storableText("components", i, [][2]string{{"type", string(c.Type)}, {"name", deref(c.Name)},
			{"model", deref(c.Model)}, {"rack", deref(c.Rack)}}); err != nil {
			return err
		}
		if len(c.Type) > maxTypeLen || c.Type != "" && strings.TrimSpace(string(c.Type)) != string(c.Type) {
			return invalidRecord("components", i, "type", string(c.Type), fmt.Sprintf("not a type name of at most %d characters", maxTypeLen))
		}
		if err := jsonObject("components", i, "description", c.Description); err != nil {
			return err
		}
		for _, f := range []struct {
			name string
			v    *int64
		}{{"slot_id", c.SlotID}, {"tray_index", c.TrayIndex}, {"host_id", c.HostID}} {
			if f.v != nil && *f.v < 0 {
				return invalidRecord("components", i, f.name, fmt.Sprint(*f.v), "negative")
			}
		}
		if c.Rack != nil && strings.TrimSpace(*c.Rack) == "" {
			return invalidRecord("components", i, "rack", *c.Rack, "empty; leave the field out for no rack")
		}
		key := ChassisKey{Manufacturer: c.Manufacturer, SerialNumber: c.SerialNumber}
		if j, dup := keys[key]; dup {
			return invalidRecord("components", i, "serial_number", c.SerialNumber, fmt.Sprintf("component %s repeats components[%d]", key, j))
		}
		keys[key] = i
	}
	return nil
}

func validateImportBMCs(bs []ImportBMC) error {
	macs := map[string]int{}
	for i, b := range bs {
		mac, err := NormalizeMAC(b.MAC)
		if err != nil {
			return invalidRecord("bmcs", i, "mac_address", b.MAC, "not a MAC address")
		}
		if b.Type != "" && b.Type != HostBMC && b.Type != DPUBMC {
			return invalidRecord("bmcs", i, "type", string(b.Type), "want Host or DPU")
		}
		if err := required("bmcs", i, "component.manufacturer", b.Component.Manufacturer); err != nil {
			return err
		}
		if err := required("bmcs", i, "component.serial_number", b.Component.SerialNumber); err != nil {
			return err
		}
		if err := storableText("bmcs", i, [][2]string{{"ip_address", deref(b.IPAddress)}}); err != nil {
			return err
		}
		if j, dup := macs[mac]; dup {
			return invalidRecord("bmcs", i, "mac_address", b.MAC, fmt.Sprintf("repeats bmcs[%d]", j))
		}
		macs[mac] = i
	}
	return nil
}

func required(list string, i int, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalidRecord(list, i, field, v, "required")
	}
	if strings.TrimSpace(v) != v {
		return invalidRecord(list, i, field, v, "has surrounding whitespace")
	}
	return storableText(list, i, [][2]string{{field, v}})
}

// nulReason is why text with U+0000 is refused: PostgreSQL stores no NUL
// character in text or jsonb, so both backends refuse it alike.
const nulReason = "holds a NUL character (\\u0000), which the database cannot store"

// storableText checks that each {field, value} holds no NUL character.
func storableText(list string, i int, fields [][2]string) error {
	for _, f := range fields {
		if strings.ContainsRune(f[1], 0) {
			return invalidRecord(list, i, f[0], f[1], nulReason)
		}
	}
	return nil
}

func jsonObject(list string, i int, field string, raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return invalidRecord(list, i, field, string(raw), "must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return invalidRecord(list, i, field, string(raw), "must be a JSON object")
	}
	if reason := unstorableJSON(v); reason != "" {
		return invalidRecord(list, i, field, string(raw), reason)
	}
	return nil
}

// unstorableJSON says why a decoded JSON value cannot be stored in a jsonb
// column, or returns "": a NUL character in a key or string, or a number
// beyond the range of a float64.
func unstorableJSON(v any) string {
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, 0) {
			return nulReason
		}
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			return fmt.Sprintf("holds the number %s, out of range", x)
		}
	case []any:
		for _, e := range x {
			if r := unstorableJSON(e); r != "" {
				return r
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, 0) {
				return nulReason
			}
			if r := unstorableJSON(e); r != "" {
				return r
			}
		}
	}
	return ""
}

// IsRecordError reports whether err names an import record.
func IsRecordError(err error) (*RecordError, bool) {
	var re *RecordError
	ok := errors.As(err, &re)
	return re, ok
}
