package postgres

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"rackflow/inventory"
)

// componentScan is one row of the full component read, scanned into values
// that need no allocation of their own: the uuids as bytes, the text columns
// as the driver's bytes (valid until the next row), the numbers and times as
// pgtype values. row then builds the component, taking the strings many
// rows repeat (type, manufacturer, model, firmware, rack) from seen.
type componentScan struct {
	id, rackID                             pgtype.UUID
	name, typ, manufacturer, serial, model rawText
	firmware, externalID                   rawText
	desc                                   *string
	slot, tray, host                       pgtype.Int8
	power                                  pgtype.Int4
	ingested, updated, deleted             pgtype.Timestamptz
	seen                                   *seenValues
}

// dests are the scan targets, in the order of the full read's columns.
func (s *componentScan) dests() []any {
	return []any{&s.id, &s.name, &s.typ, &s.manufacturer, &s.serial, &s.model, &s.desc, &s.firmware, &s.rackID,
		&s.slot, &s.tray, &s.host, &s.externalID, &s.power, &s.ingested, &s.updated, &s.deleted}
}

func (s *componentScan) row() (inventory.Component, error) {
	for _, t := range []struct {
		col string
		v   pgtype.Timestamptz
	}{{"ingested_at", s.ingested}, {"updated_at", s.updated}, {"deleted_at", s.deleted}} {
		if t.v.Valid && t.v.InfinityModifier != pgtype.Finite {
			return inventory.Component{}, fmt.Errorf("component %s: %s is %s, which is not an instant", uuidString(s.id), t.col, t.v.InfinityModifier)
		}
	}
	c := inventory.Component{
		ID: uuidString(s.id), Name: s.name.ptr(), Type: inventory.ComponentType(s.seen.str(s.typ.b)),
		Manufacturer: s.seen.str(s.manufacturer.b), SerialNumber: string(s.serial.b), Model: s.seen.ptr(s.model),
		Description: rawJSON(s.desc), FirmwareVersion: s.seen.ptr(s.firmware), ExternalID: s.externalID.ptr(),
		SlotID: int8Ptr(s.slot), TrayIndex: int8Ptr(s.tray), HostID: int8Ptr(s.host),
		IngestedAt: timestamptzPtr(s.ingested), UpdatedAt: s.updated.Time.UTC(), DeletedAt: timestamptzPtr(s.deleted),
	}
	if s.rackID.Valid {
		c.RackID = s.seen.rack(s.rackID.Bytes)
	}
	if s.power.Valid {
		p := inventory.PowerState(s.power.Int32)
		c.PowerState = &p
	}
	return c, nil
}

// rawText is a text column's bytes as the driver holds them; nil is NULL.
type rawText struct{ b []byte }

func (t *rawText) ScanBytes(v []byte) error {
	t.b = v
	return nil
}

func (t rawText) ptr() *string {
	if t.b == nil {
		return nil
	}
	s := string(t.b)
	return &s
}

// seenValues holds the first copy of each repeated value of one read.
type seenValues struct {
	strs  map[string]string
	ptrs  map[string]*string
	racks map[[16]byte]*string
}

func newSeenValues() *seenValues {
	return &seenValues{strs: map[string]string{}, ptrs: map[string]*string{}, racks: map[[16]byte]*string{}}
}

func (v *seenValues) str(b []byte) string {
	if s, ok := v.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	v.strs[s] = s
	return s
}

func (v *seenValues) ptr(t rawText) *string {
	if t.b == nil {
		return nil
	}
	if p, ok := v.ptrs[string(t.b)]; ok {
		return p
	}
	p := t.ptr()
	v.ptrs[*p] = p
	return p
}

func (v *seenValues) rack(id [16]byte) *string {
	if p, ok := v.racks[id]; ok {
		return p
	}
	p := inventory.Ptr(uuidString(pgtype.UUID{Bytes: id, Valid: true}))
	v.racks[id] = p
	return p
}

// uuidString is the uuid's canonical text form, as PostgreSQL prints it.
func uuidString(u pgtype.UUID) string {
	var b [36]byte
	hex.Encode(b[0:8], u.Bytes[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u.Bytes[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u.Bytes[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u.Bytes[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u.Bytes[10:16])
	return string(b[:])
}

func int8Ptr(v pgtype.Int8) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func timestamptzPtr(v pgtype.Timestamptz) *time.Time {
	if !v.Valid {
		return nil
	}
	t := v.Time.UTC()
	return &t
}
