package core

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	pb "rackflow/coreproto"
	"rackflow/coresim"
	"rackflow/inventory"
)

func strp(s string) *string { return &s }
func i32p(n int32) *int32   { return &n }

// roundTripSite holds one of everything, with values chosen so that a field
// read from the wrong place shows up.
func roundTripSite(layout string) *coresim.Manifest {
	return &coresim.Manifest{
		Version: 1,
		Core:    coresim.CoreConfig{BuildVersion: "sim-rt", MaxFindByIDs: u32(7), MachineLayout: layout},
		Expected: coresim.Expected{
			Racks: []coresim.ExpectedRack{
				{RackID: "a12", Profile: "gb200-nvl72", Name: "Rack A12", Description: "Hall 1",
					Labels: coresim.Labels{{Key: "k", Value: strp("1")}, {Key: "k", Value: strp("2")}, {Key: "unset"}}},
				{Profile: "p"},
			},
			Machines: []coresim.ExpectedComponent{{
				ID: "u-1", BMCMAC: "AA:BB:CC:00:00:01", BMCIP: "10.0.0.1", BMCUser: "rt-user", BMCPassword: "rt-pass",
				Serial: "SN-C-1", RackID: "a12", Name: "a12-c01", Description: "tray", SKU: "sku-1",
				FallbackDPUSerials: []string{"D1", "D2"}, Labels: coresim.LabelMap(map[string]string{"slot_id": "1"}),
			}},
			Switches: []coresim.ExpectedComponent{{
				ID: "u-2", BMCMAC: "aa:bb:cc:00:01:01", BMCIP: "10.0.1.1", BMCUser: "rt-user", BMCPassword: "rt-pass",
				Serial: "SN-S-1", RackID: "a12", Name: "sw1", NVOSMACs: []string{"aa:bb:cc:00:01:02"},
			}},
			PowerShelves: []coresim.ExpectedComponent{{
				ID: "u-3", BMCMAC: "aa:bb:cc:00:02:01", BMCIP: "10.0.2.1", BMCUser: "rt-user", BMCPassword: "rt-pass",
				Serial: "SN-P-1", Name: "ps1",
			}},
		},
		Actual: coresim.Actual{
			Machines: []coresim.ActualMachine{
				{ID: "h1", Type: coresim.TypeHost, BMCMAC: "aa:bb:cc:00:00:01", BMCIP: "10.0.0.1", ChassisSerial: "SN-C-1",
					RackID: "a12", Firmware: "25.04.1", Power: coresim.PowerOff, State: "Ready", DPUs: []string{"d1"},
					Position: &coresim.Position{Slot: i32p(5), Tray: i32p(1), Host: i32p(0)}},
				{ID: "d1", Type: coresim.TypeDPU, BMCMAC: "aa:bb:cc:00:10:01", Power: coresim.PowerDisabled,
					Position: &coresim.Position{Tray: i32p(1)}},
			},
			Switches:     []coresim.ActualDevice{{ID: "sw1", BMCMAC: "aa:bb:cc:00:01:01", BMCIP: "10.0.1.1", RackID: "a12", Serial: "SN-S-1", Firmware: "1.0", FirmwareSource: coresim.SourceInventoryID, Power: coresim.PowerOn, State: "ready"}},
			PowerShelves: []coresim.ActualDevice{{ID: "ps1", BMCMAC: "aa:bb:cc:00:02:01", State: "ready"}},
		},
	}
}

func TestClient_RoundTripsEveryRPC(t *testing.T) {
	for _, layout := range []string{"flat", "nested"} {
		t.Run(layout, func(t *testing.T) {
			c, _, _ := startSim(t, roundTripSite(layout), nil)
			ctx := ctxT(t)
			check := func(name string, got any, err error, want any) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
			v, err := c.Version(ctx)
			check("Version", v, err, inventory.BuildInfo{BuildVersion: "sim-rt", MaxFindByIDs: 7})
			racks, err := c.ExpectedRacks(ctx)
			check("ExpectedRacks", racks, err, []inventory.ExpectedRack{
				{RackID: "a12", ProfileID: "gb200-nvl72", Name: "Rack A12", Description: "Hall 1", Labels: map[string]string{"k": "2"}},
				{ProfileID: "p"},
			})
			em, err := c.ExpectedComponents(ctx, inventory.Compute)
			check("expected machines", em, err, []inventory.ExpectedComponent{{
				Type: inventory.Compute, BMCMAC: "AA:BB:CC:00:00:01", BMCIP: "10.0.0.1", SerialNumber: "SN-C-1",
				Name: "a12-c01", Description: "tray", Labels: map[string]string{"slot_id": "1"}, RackID: "a12",
				ExpectedID: "u-1", SKU: "sku-1", FallbackDPUSerials: []string{"D1", "D2"},
			}})
			es, err := c.ExpectedComponents(ctx, inventory.NVSwitch)
			check("expected switches", es, err, []inventory.ExpectedComponent{{
				Type: inventory.NVSwitch, BMCMAC: "aa:bb:cc:00:01:01", BMCIP: "10.0.1.1", SerialNumber: "SN-S-1",
				Name: "sw1", RackID: "a12", ExpectedID: "u-2", NVOSMACs: []string{"aa:bb:cc:00:01:02"},
			}})
			ep, err := c.ExpectedComponents(ctx, inventory.PowerShelf)
			check("expected power shelves", ep, err, []inventory.ExpectedComponent{{
				Type: inventory.PowerShelf, BMCMAC: "aa:bb:cc:00:02:01", BMCIP: "10.0.2.1", SerialNumber: "SN-P-1",
				Name: "ps1", ExpectedID: "u-3",
			}})
			ids, err := c.MachineIDs(ctx)
			check("MachineIDs", ids, err, []string{"h1", "d1"})
			ms, err := c.Machines(ctx, ids)
			check("Machines", ms, err, []inventory.Machine{
				{ID: "h1", State: "Ready", Type: inventory.MachineHost, RackID: "a12", DPUIDs: []string{"d1"},
					BMC: inventory.BMCInfo{IP: "10.0.0.1", MAC: "aa:bb:cc:00:00:01", FirmwareVersion: "25.04.1"},
					DMI: inventory.DMIData{ChassisSerial: "SN-C-1"}},
				{ID: "d1", Type: inventory.MachineDPU, BMC: inventory.BMCInfo{MAC: "aa:bb:cc:00:10:01"}},
			})
			po, err := c.PowerOptions(ctx, ids)
			check("PowerOptions", po, err, []inventory.PowerOption{
				{MachineID: "h1", Desired: inventory.PowerOff, Actual: inventory.PowerOff},
				{MachineID: "d1", Desired: inventory.PowerDisabled, Actual: inventory.PowerDisabled},
			})
			pos, err := c.Positions(ctx, ids)
			check("Positions", pos, err, []inventory.Position{
				{MachineID: "h1", Slot: i64(5), Tray: i64(1), Host: i64(0)},
				{MachineID: "d1", Tray: i64(1)},
			})
			swIDs, err := c.SwitchIDs(ctx)
			check("SwitchIDs", swIDs, err, []string{"sw1"})
			sw, err := c.Switches(ctx, swIDs)
			check("Switches", sw, err, []inventory.Device{{ID: "sw1", ControllerState: "ready", RackID: "a12",
				BMC: inventory.BMCInfo{IP: "10.0.1.1", MAC: "aa:bb:cc:00:01:01", FirmwareVersion: "1.0"}}})
			psIDs, err := c.PowerShelfIDs(ctx)
			check("PowerShelfIDs", psIDs, err, []string{"ps1"})
			ps, err := c.PowerShelves(ctx, psIDs)
			check("PowerShelves", ps, err, []inventory.Device{{ID: "ps1", ControllerState: "ready", BMC: inventory.BMCInfo{MAC: "aa:bb:cc:00:02:01"}}})
			inv, err := c.ComponentInventory(ctx, inventory.Compute, ids)
			check("ComponentInventory machines", inv, err, []inventory.InventoryEntry{
				{ComponentID: "h1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{
					Systems:          []inventory.ReportSystem{{ID: "System.Embedded.1", SerialNumber: "SN-C-1", PowerState: inventory.PowerOff}},
					Chassis:          []inventory.ReportChassis{{ID: "Chassis.Embedded.1", SerialNumber: "SN-C-1"}},
					FirmwareVersions: map[string]string{"bmc": "25.04.1"},
				}},
				{ComponentID: "d1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{
					Systems: []inventory.ReportSystem{{ID: "System.Embedded.1", PowerState: inventory.PowerUnknown}},
				}},
			})
			swInv, err := c.ComponentInventory(ctx, inventory.NVSwitch, swIDs)
			check("ComponentInventory switches", swInv, err, []inventory.InventoryEntry{
				{ComponentID: "sw1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{
					Systems:  []inventory.ReportSystem{{ID: "System.Embedded.1", SerialNumber: "SN-S-1", PowerState: inventory.PowerOn}},
					Chassis:  []inventory.ReportChassis{{ID: "Chassis.Embedded.1", SerialNumber: "SN-S-1"}},
					Services: []inventory.ReportService{{ID: "FirmwareInventory", Inventories: []inventory.ReportInventory{{ID: "BMC", Version: "1.0"}}}},
				}},
			})
			psInv, err := c.ComponentInventory(ctx, inventory.PowerShelf, psIDs)
			check("ComponentInventory power shelves", psInv, err, []inventory.InventoryEntry{
				{ComponentID: "ps1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{}},
			})
		})
	}
}

func TestMachine_NestedStatusWinsEvenWhenEmpty(t *testing.T) {
	flat := &pb.DiscoveryInfo{DmiData: &pb.DmiData{ChassisSerial: "FLAT"}}
	m := &pb.Machine{
		Id:                      &pb.MachineId{Id: "h"},
		DiscoveryInfo:           flat,
		AssociatedDpuMachineIds: []*pb.MachineId{{Id: "flat-dpu"}},
		Status:                  &pb.MachineStatus{},
	}
	got := machine(m)
	if got.DMI != (inventory.DMIData{}) || got.DPUIDs != nil {
		t.Errorf("with status set, flat fields must be ignored: %+v", got)
	}
	m.Status = nil
	got = machine(m)
	if got.DMI.ChassisSerial != "FLAT" || len(got.DPUIDs) != 1 {
		t.Errorf("without status, flat fields are read: %+v", got)
	}
}

func TestFlattenLabels_DropsUnsetAndLastKeyWins(t *testing.T) {
	got := flattenLabels([]*pb.Label{{Key: "a", Value: strp("1")}, {Key: "b"}, {Key: "a", Value: strp("")}, {Key: "c", Value: strp("x")}, {Key: "c"}})
	if diff := cmp.Diff(map[string]string{"a": "", "c": "x"}, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
}

func TestPowerStateMappings(t *testing.T) {
	for in, want := range map[pb.PowerState]inventory.PowerState{
		pb.PowerState_POWER_STATE_ON: inventory.PowerOn, pb.PowerState_POWER_STATE_OFF: inventory.PowerOff,
		pb.PowerState_POWER_STATE_POWER_MANAGER_DISABLED: inventory.PowerDisabled, pb.PowerState(9): inventory.PowerUnknown,
	} {
		if got := powerState(in); got != want {
			t.Errorf("powerState(%v) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[pb.SystemPowerState]inventory.PowerState{
		pb.SystemPowerState_SYSTEM_POWER_STATE_ON: inventory.PowerOn, pb.SystemPowerState_SYSTEM_POWER_STATE_POWERING_ON: inventory.PowerOn,
		pb.SystemPowerState_SYSTEM_POWER_STATE_OFF: inventory.PowerOff, pb.SystemPowerState_SYSTEM_POWER_STATE_POWERING_OFF: inventory.PowerOff,
		pb.SystemPowerState_SYSTEM_POWER_STATE_PAUSED: inventory.PowerUnknown, pb.SystemPowerState_SYSTEM_POWER_STATE_UNKNOWN: inventory.PowerUnknown,
	} {
		if got := systemPowerState(in); got != want {
			t.Errorf("systemPowerState(%v) = %v, want %v", in, got, want)
		}
	}
}
