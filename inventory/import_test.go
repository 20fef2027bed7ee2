package inventory

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var importAt = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func sampleImport() ImportDocument {
	return ImportDocument{
		Racks: []ImportRack{{Name: "legacy-1", Manufacturer: "Foxconn", SerialNumber: "LR-1",
			Location: json.RawMessage(`{"region":"eu","room":"h1"}`)}},
		Components: []ImportComponent{
			{Type: "TorSwitch", Manufacturer: "Arista", SerialNumber: "TOR-1", Rack: Ptr("legacy-1"), SlotID: Ptr[int64](40)},
			{Manufacturer: "Quanta", SerialNumber: "Q-1", Rack: Ptr("legacy-1"), SlotID: Ptr[int64](1), TrayIndex: Ptr[int64](0)},
		},
		BMCs: []ImportBMC{{MAC: "AA-BB-CC-00-10-01", Component: ImportComponentRef{Manufacturer: "Quanta", SerialNumber: "Q-1"}, IPAddress: Ptr("10.1.0.1")}},
	}
}

// applied is st after w, enough for a second plan.
func applied(st ImportState, w Writes) ImportState {
	st.Racks = append(append([]Rack(nil), st.Racks...), w.RackInserts...)
	st.Components = append(append([]Component(nil), st.Components...), w.ComponentInserts...)
	st.BMCs = append(append([]BMC(nil), st.BMCs...), w.BMCInserts...)
	return st
}

func TestPlanImport_InsertsEveryRecordWithAnImportEvent(t *testing.T) {
	w, res, err := PlanImport(sampleImport(), ImportState{}, importAt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Racks.Inserted != 1 || res.Components.Inserted != 2 || res.BMCs.Inserted != 1 {
		t.Fatalf("result = %+v", res)
	}
	rack := w.RackInserts[0]
	if rack.Status != "new" || rack.ExternalID != nil || !ValidID(rack.ID) {
		t.Errorf("rack = %+v", rack)
	}
	if c := w.ComponentInserts[1]; c.Type != Compute || *c.RackID != rack.ID {
		t.Errorf("a component without a type = %+v, want Compute in the imported rack", c)
	}
	if b := w.BMCInserts[0]; b.MAC != "aa:bb:cc:00:10:01" || b.Type != HostBMC || b.ComponentID != w.ComponentInserts[1].ID {
		t.Errorf("bmc = %+v", b)
	}
	if len(w.Events) != 4 {
		t.Fatalf("%d events, want 4", len(w.Events))
	}
	for _, e := range w.Events {
		if e.Source != SourceImport || e.CycleID != nil || e.Action != ActionInsert || !e.At.Equal(importAt) {
			t.Errorf("event = %+v, want an import insert without a cycle", e)
		}
	}
}

func TestPlanImport_ReimportingTheSameFileWritesNothing(t *testing.T) {
	w, _, err := PlanImport(sampleImport(), ImportState{}, importAt)
	if err != nil {
		t.Fatal(err)
	}
	again, res, err := PlanImport(sampleImport(), applied(ImportState{}, w), importAt)
	if err != nil || !again.Empty() {
		t.Fatalf("re-import = %+v, %v; want no writes", again, err)
	}
	if res.Racks.Unchanged != 1 || res.Components.Unchanged != 2 || res.BMCs.Unchanged != 1 {
		t.Errorf("result = %+v, want everything unchanged", res)
	}
}

func TestPlanImport_UpdatesImportedRowsWithTheFieldsGiven(t *testing.T) {
	w, _, _ := PlanImport(sampleImport(), ImportState{}, importAt)
	st := applied(ImportState{}, w)
	doc := sampleImport()
	doc.Racks[0].Location = json.RawMessage(`{"room": "h2", "region": "eu"}`)
	doc.Components[1].SlotID = Ptr[int64](2)
	doc.Components[1].TrayIndex = nil // left out: keeps its value
	doc.BMCs[0].IPAddress = Ptr("10.1.0.9")
	w2, res, err := PlanImport(doc, st, importAt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Racks.Updated != 1 || res.Components.Updated != 1 || res.Components.Unchanged != 1 || res.BMCs.Updated != 1 {
		t.Fatalf("result = %+v", res)
	}
	if ch := w2.ComponentUpdates[0].Changes; len(ch) != 1 || ch[ColSlotID].New.(*int64) == nil || *ch[ColSlotID].New.(*int64) != 2 {
		t.Errorf("component changes = %v, want only slot_id 1 -> 2", ch)
	}
	if ch := w2.BMCUpdates[0].Changes; len(ch) != 1 || *ch[ColIPAddress].New.(*string) != "10.1.0.9" {
		t.Errorf("bmc changes = %v", ch)
	}
	if len(w2.Events) != 3 || w2.Events[0].Action != ActionUpdate {
		t.Errorf("events = %+v", w2.Events)
	}
}

func TestPlanImport_RefusesToChangeRowsTheMirrorOwns(t *testing.T) {
	mirrored := Rack{ID: NewID(), Name: "legacy-1", Manufacturer: "Foxconn", SerialNumber: "LR-1", ExternalID: Ptr("core-7")}
	_, _, err := PlanImport(sampleImport(), ImportState{Racks: []Rack{mirrored}}, importAt)
	wantRecordError(t, err, ErrConflict, "racks[0].name", "mirrored from Core")

	w, _, _ := PlanImport(sampleImport(), ImportState{}, importAt)
	st := applied(ImportState{}, w)
	st.Owned = map[string]bool{w.ComponentInserts[1].ID: true}
	doc := sampleImport()
	doc.Components[1].SlotID = Ptr[int64](7)
	_, _, err = PlanImport(doc, st, importAt)
	wantRecordError(t, err, ErrConflict, "components[1].serial_number", "mirrored from Core")

	// The same values are not a change, so a mirrored row may appear in a file.
	if _, _, err := PlanImport(sampleImport(), st, importAt); err != nil {
		t.Errorf("re-import over a mirrored but unchanged row: %v", err)
	}
}

func TestPlanImport_RefusesTombstonesAndTakenValues(t *testing.T) {
	dead := Rack{ID: NewID(), Name: "old", Manufacturer: "Foxconn", SerialNumber: "LR-1", DeletedAt: Ptr(importAt)}
	_, _, err := PlanImport(sampleImport(), ImportState{Racks: []Rack{dead}}, importAt)
	wantRecordError(t, err, ErrConflict, "racks[0].serial_number", `chassis Foxconn/LR-1 belongs to rack "old"`)
	dead.Name = "legacy-1"
	_, _, err = PlanImport(sampleImport(), ImportState{Racks: []Rack{dead}}, importAt)
	wantRecordError(t, err, ErrConflict, "racks[0].name", "deleted rack")
	other := Rack{ID: NewID(), Name: "other", Manufacturer: "Foxconn", SerialNumber: "LR-1"}
	_, _, err = PlanImport(sampleImport(), ImportState{Racks: []Rack{other}}, importAt)
	wantRecordError(t, err, ErrConflict, "racks[0].serial_number", `belongs to rack "other"`)
}

func TestPlanImport_AnUnknownRackOrComponentNamesTheRecord(t *testing.T) {
	doc := sampleImport()
	doc.Components[0].Rack = Ptr("nowhere")
	_, _, err := PlanImport(doc, ImportState{}, importAt)
	wantRecordError(t, err, ErrInvalid, `components[0].rack "nowhere"`, "no stored or imported rack")
	doc = sampleImport()
	doc.BMCs[0].Component.SerialNumber = "Q-404"
	_, _, err = PlanImport(doc, ImportState{}, importAt)
	wantRecordError(t, err, ErrInvalid, `bmcs[0].component.serial_number "Q-404"`, "no stored or imported component")
}

func TestImportDocument_ValidateNamesTheFirstBadRecord(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ImportDocument)
		want   string
	}{
		{"a rack without a name", func(d *ImportDocument) { d.Racks[0].Name = "" }, `racks[0].name ""`},
		{"a location that is not an object", func(d *ImportDocument) { d.Racks[0].Location = json.RawMessage(`"eu"`) }, `racks[0].location`},
		{"a repeated rack", func(d *ImportDocument) { d.Racks = append(d.Racks, d.Racks[0]) }, `racks[1].name "legacy-1": repeats racks[0]`},
		{"a component without a serial", func(d *ImportDocument) { d.Components[1].SerialNumber = " " }, `components[1].serial_number`},
		{"a negative slot", func(d *ImportDocument) { d.Components[0].SlotID = Ptr[int64](-1) }, `components[0].slot_id "-1"`},
		{"a repeated component", func(d *ImportDocument) {
			d.Components[1].Manufacturer, d.Components[1].SerialNumber = "Arista", "TOR-1"
		}, `components[1].serial_number "TOR-1"`},
		{"a type too long", func(d *ImportDocument) { d.Components[0].Type = "AVeryLongTypeName17" }, `components[0].type`},
		{"a bad MAC", func(d *ImportDocument) { d.BMCs[0].MAC = "aa:bb" }, `bmcs[0].mac_address "aa:bb"`},
		{"a bad BMC type", func(d *ImportDocument) { d.BMCs[0].Type = "iLO" }, `bmcs[0].type "iLO"`},
		{"a repeated MAC in another form", func(d *ImportDocument) {
			d.BMCs = append(d.BMCs, d.BMCs[0])
			d.BMCs[1].MAC = "aabb.cc00.1001"
		}, `bmcs[1].mac_address "aabb.cc00.1001": repeats bmcs[0]`},
		{"a NUL in a rack name", func(d *ImportDocument) { d.Racks[0].Name = "legacy\x001" }, `racks[0].name "legacy\x001": holds a NUL`},
		{"a NUL in a component's model", func(d *ImportDocument) { d.Components[0].Model = Ptr("m\x00") }, `components[0].model`},
		{"a NUL in a BMC's address", func(d *ImportDocument) { d.BMCs[0].IPAddress = Ptr("10.0.0.1\x00") }, `bmcs[0].ip_address`},
		{"a NUL in a description key", func(d *ImportDocument) {
			d.Racks[0].Description = json.RawMessage(`{"a": {"k\u0000": 1}}`)
		}, `racks[0].description`},
		{"a NUL in a location value", func(d *ImportDocument) {
			d.Racks[0].Location = json.RawMessage(`{"rooms": ["a", "\u0000"]}`)
		}, `racks[0].location`},
		{"a number out of range", func(d *ImportDocument) {
			d.Components[0].Description = json.RawMessage(`{"watts": 1e999999}`)
		}, `components[0].description "{\"watts\": 1e999999}": holds the number 1e999999, out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleImport()
			tt.change(&d)
			wantRecordError(t, d.Validate(), ErrInvalid, tt.want, "")
		})
	}
	if err := (ImportDocument{}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("an empty document: %v, want ErrInvalid", err)
	}
}

func wantRecordError(t *testing.T, err, kind error, where, why string) {
	t.Helper()
	re, ok := IsRecordError(err)
	if !ok || !errors.Is(err, kind) || !strings.Contains(err.Error(), where) || !strings.Contains(re.Reason, why) {
		t.Fatalf("got %v, want a record error (%v) at %s saying %q", err, kind, where, why)
	}
}

func TestImportCounts_LogAsSnakeCaseAttributes(t *testing.T) {
	var buf strings.Builder
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("import applied", "racks", ImportCounts{Inserted: 2, Unchanged: 1})
	if want := `"racks":{"inserted":2,"updated":0,"unchanged":1}`; !strings.Contains(buf.String(), want) {
		t.Errorf("log %s lacks %s", buf.String(), want)
	}
}
