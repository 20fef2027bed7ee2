package mirrorref_test

import (
	"encoding/json"
	"maps"

	"rackflow/inventory"
)

// The reference model keeps the three mirrored tables as maps of plain rows.
// Rows are values, so copying a map copies the table; JSON columns are kept
// decoded and are replaced, never edited in place.

// refRack is a rack row: the columns the mirror owns, and those it must leave
// alone.
type refRack struct {
	ID           string
	Name         string
	Manufacturer string
	Serial       string
	ExternalID   *string
	Description  any // decoded JSON; nil is NULL
	Location     any
	Status       string
	Deleted      bool
}

func (r refRack) chassis() string { return r.Manufacturer + "/" + r.Serial }

// refComp is a component row.
type refComp struct {
	ID           string
	Name         *string
	Type         string
	Manufacturer string
	Serial       string
	Model        *string
	RackID       *string
	Slot         *int64
	Tray         *int64
	Host         *int64
	Description  any
	ExternalID   *string // runtime columns: the mirror never writes them
	Firmware     *string
	PowerState   *int
	Deleted      bool
}

func (c refComp) key() string { return c.Manufacturer + "/" + c.Serial }

// refBMC is a bmc row, keyed by its normalised MAC.
type refBMC struct {
	MAC         string
	Type        string
	ComponentID string
	IP          *string
}

// refDB is the model's database.
type refDB struct {
	racks map[string]refRack // by id
	comps map[string]refComp // by id
	bmcs  map[string]refBMC  // by MAC
	// cov counts the awkward cases the model met, shared by clones; nil
	// counts nothing.
	cov coverage
	// counts holds this cycle's counters that the test compares, by step
	// and counter name.
	counts map[string]map[string]int
}

// coverage counts, by name, how often the model applied a rule worth
// covering, so that the test can show the generator reaches every one.
type coverage map[string]int

// count adds one to a step's counter.
func (db *refDB) count(step, counter string) {
	if db.counts[step] == nil {
		db.counts[step] = map[string]int{}
	}
	db.counts[step][counter]++
}

func (db *refDB) note(what string) {
	if db.cov != nil {
		db.cov[what]++
	}
}

func newRefDB() *refDB {
	return &refDB{racks: map[string]refRack{}, comps: map[string]refComp{}, bmcs: map[string]refBMC{}}
}

func (db *refDB) clone() *refDB {
	return &refDB{racks: maps.Clone(db.racks), comps: maps.Clone(db.comps), bmcs: maps.Clone(db.bmcs), cov: db.cov}
}

// Rows the model inserts get a placeholder id naming their natural key; after
// the real cycle, bind swaps each placeholder for the id the store chose.
const (
	newRackPrefix = "new-rack:"
	newCompPrefix = "new-component:"
)

// bind replaces placeholder ids with the ids of the store's rows that have the
// same natural key. A placeholder with no such row stays, so the comparison
// shows it.
func (db *refDB) bind(storeRacks []inventory.Rack, storeComps []inventory.Component) {
	rackIDs := map[string]string{}
	for _, r := range storeRacks {
		rackIDs[newRackPrefix+r.Manufacturer+"/"+r.SerialNumber] = r.ID
	}
	compIDs := map[string]string{}
	for _, c := range storeComps {
		compIDs[newCompPrefix+c.Manufacturer+"/"+c.SerialNumber] = c.ID
	}
	racks := make(map[string]refRack, len(db.racks))
	for id, r := range db.racks {
		if real, ok := rackIDs[id]; ok {
			r.ID = real
		}
		racks[r.ID] = r
	}
	comps := make(map[string]refComp, len(db.comps))
	for id, c := range db.comps {
		if c.RackID != nil {
			if real, ok := rackIDs[*c.RackID]; ok {
				c.RackID = &real
			}
		}
		if real, ok := compIDs[id]; ok {
			c.ID = real
		}
		comps[c.ID] = c
	}
	for mac, b := range db.bmcs {
		if real, ok := compIDs[b.ComponentID]; ok {
			b.ComponentID = real
			db.bmcs[mac] = b
		}
	}
	db.racks, db.comps = racks, comps
}

// decodeJSON turns a stored JSON column into a value compared by content.
func decodeJSON(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "undecodable: " + string(raw)
	}
	return v
}

// encodeJSON is the stored form of a decoded JSON value; nil is NULL.
func encodeJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("mirrorref: encoding JSON: " + err.Error())
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
