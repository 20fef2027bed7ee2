package mirror

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"rackflow/inventory"
)

func TestAdvanced_FollowsInsertsUpdatesAndDeletesInTheStoresOrder(t *testing.T) {
	at := time.Date(2026, 12, 3, 18, 0, 0, 123456789, time.UTC)
	old := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	st := ComponentState{
		Racks: []inventory.Rack{{ID: "r1", Name: "rack-1", UpdatedAt: old}},
		Components: []inventory.Component{
			{ID: "c2", Type: inventory.Compute, UpdatedAt: old},
			{ID: "c4", Type: inventory.NVSwitch, UpdatedAt: old, RackID: inventory.Ptr("r1")},
		},
		BMCs: []inventory.BMC{
			{MAC: "aa:00:00:00:00:02", Type: inventory.HostBMC, ComponentID: "c2"},
			{MAC: "aa:00:00:00:00:04", Type: inventory.HostBMC, ComponentID: "c4"},
		},
	}
	power := inventory.PowerState(1)
	w := inventory.Writes{At: at,
		ComponentInserts:    []inventory.Component{{ID: "c3", Type: inventory.Compute, Name: inventory.Ptr("n3")}},
		ComponentUpdates:    []inventory.RowUpdate{{Key: "c2", Changes: inventory.Changes{inventory.ColExternalID: {New: inventory.Ptr("m-2")}, inventory.ColPowerState: {New: &power}}}},
		ComponentRackClears: []inventory.RowUpdate{{Key: "c4", Changes: inventory.Changes{inventory.ColRackID: {Old: inventory.Ptr("r1"), New: (*string)(nil)}}}},
		BMCDeletes:          []string{"AA-00-00-00-00-04"},
		BMCInserts:          []inventory.BMC{{MAC: "AA:00:00:00:00:01", Type: inventory.DPUBMC, ComponentID: "c2"}},
		BMCUpdates:          []inventory.RowUpdate{{Key: "aa:00:00:00:00:02", Changes: inventory.Changes{inventory.ColIPAddress: {New: inventory.Ptr("10.0.0.2")}}}},
		RackSoftDeletes:     []inventory.RowUpdate{{Key: "r1", Changes: inventory.Changes{inventory.ColDeletedAt: {New: at}}}},
	}
	got, ok := Advanced(st, w)
	if !ok {
		t.Fatal("Advanced gave up on writes it can follow")
	}
	ts := inventory.Timestamp(at)
	want := ComponentState{
		Racks: []inventory.Rack{{ID: "r1", Name: "rack-1", UpdatedAt: ts, DeletedAt: &ts}},
		Components: []inventory.Component{
			{ID: "c2", Type: inventory.Compute, UpdatedAt: ts, ExternalID: inventory.Ptr("m-2"), PowerState: &power},
			{ID: "c3", Type: inventory.Compute, Name: inventory.Ptr("n3"), UpdatedAt: ts},
			{ID: "c4", Type: inventory.NVSwitch, UpdatedAt: ts},
		},
		BMCs: []inventory.BMC{
			{MAC: "aa:00:00:00:00:01", Type: inventory.DPUBMC, ComponentID: "c2"},
			{MAC: "aa:00:00:00:00:02", Type: inventory.HostBMC, ComponentID: "c2", IPAddress: inventory.Ptr("10.0.0.2")},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Advanced (-want +got):\n%s", diff)
	}
}

func TestAdvanced_GivesUpWhereOnlyAReadCanTell(t *testing.T) {
	st := ComponentState{Components: []inventory.Component{{ID: "c1"}}, Racks: []inventory.Rack{{ID: "r1"}}}
	for name, w := range map[string]inventory.Writes{
		"rack insert":           {RackInserts: []inventory.Rack{{ID: "r2"}}},
		"rack delete":           {RackDeletes: []string{"r1"}},
		"component delete":      {ComponentDeletes: []string{"c1"}},
		"component description": {ComponentInserts: []inventory.Component{{ID: "c2", Description: json.RawMessage(`{"a": 1}`)}}},
		"rack location":         {RackUpdates: []inventory.RowUpdate{{Key: "r1", Changes: inventory.Changes{inventory.ColLocation: {New: json.RawMessage(`{}`)}}}}},
		"unknown column":        {ComponentUpdates: []inventory.RowUpdate{{Key: "c1", Changes: inventory.Changes{"colour": {New: "red"}}}}},
		"wrong value type":      {ComponentUpdates: []inventory.RowUpdate{{Key: "c1", Changes: inventory.Changes{inventory.ColSlotID: {New: "7"}}}}},
		"invalid MAC":           {BMCInserts: []inventory.BMC{{MAC: "not-a-mac", ComponentID: "c1"}}},
	} {
		if _, ok := Advanced(st, w); ok {
			t.Errorf("%s: Advanced followed writes whose result only a read can tell", name)
		}
	}
}
