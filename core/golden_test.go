package core

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// The golden encodings of core-wire.md, produced with Core's own protocol
// definitions. They are the only check that our field numbers and types
// match Core's.
const (
	goldenRackList    = "0a85010a050a03613132120d0a0b67623230302d6e766c37321a6d0a085261636b20413132120648616c6c20311a1f0a14636861737369732e6d616e7566616374757265721207466f78636f6e6e1a1f0a15636861737369732e73657269616c2d6e756d6265721206534e2d4131321a170a0d6c6f636174696f6e2e726f6f6d120668616c6c2d31"
	goldenMachine     = "0a1141413a42423a43433a30303a30303a3031120561646d696e1a0270772209534e2d432d30303031323e0a076131322d6330311204747261791a170a0c6d616e7566616374757265721207466f78636f6e6e1a0c0a07736c6f745f69641201311a060a04666c616742260a2430623666326630652d303030302d343030302d383030302d30303030303030303030303152050a03613132720831302e302e302e31"
	goldenSwitch      = "0a1161613a62623a63633a30303a30313a30311201751a01702206534e2d532d312a1e0a037377311a170a0c6d616e7566616374757265721207466f78636f6e6e32050a036131323a026e7542026e704a040a026531521161613a62623a63633a30303a30313a30325a0831302e302e312e31"
	goldenPowerShelf  = "0a1161613a62623a63633a30303a30323a30311201751a01702206534e2d502d312a0831302e302e322e31321c0a037073311a150a0c6d616e756661637475726572120544656c74613a050a0361313242040a027031"
	goldenActual      = "0a0a0a08666d313030682d313a0552656164795227422522035053312a034253313209534e2d432d30303031420547423230304a07466f78636f6e6e580262260a0831302e302e302e31121161613a62623a63633a30303a30303a3031220732352e30342e31d2010a0a08666d313030642d31d2010a0a08666d313030642d32ea02050a03613132"
	goldenBuildInfo   = "0a0876323032362e3035920303f00107"
	goldenPowerOpts   = "0a0e18012a0a0a08666d313030682d310a0e18022a0a0a08666d313030682d32"
	goldenPositions   = "0a120a0a0a08666d313030682d31100518012000"
	goldenSwitchObj   = "0a060a0473772d312a117b227374617465223a227265616479227d321d0a0831302e302e312e31121161613a62623a63633a30303a30313a303152050a03613132"
	goldenShelfObj    = "0a060a0470732d312a0572656164794213121161613a62623a63633a30303a30323a303152050a03613132"
	goldenInvRequest  = "12100a060a0473772d310a060a0473772d32"
	goldenInvResponse = "0a5f0a060a0473772d3112556a0d0a01732206534e2d532d316801720b0a01632a06534e2d532d317a2a0a114669726d77617265496e76656e746f727912150a03424d431209424d4320696d6167651a03312e329a010a0a03626d631203312e330a150a130a0473772d3210031a096e6f207265706f7274"
)

// decodeGolden decodes hex into msg, re-encodes it and checks that the new
// bytes decode back to the same value.
func decodeGolden(t *testing.T, hexBytes string, msg proto.Message) {
	t.Helper()
	raw, err := hex.DecodeString(hexBytes)
	if err != nil {
		t.Fatalf("bad fixture: %v", err)
	}
	if err := proto.Unmarshal(raw, msg); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	again, err := proto.Marshal(msg)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back := msg.ProtoReflect().New().Interface()
	if err := proto.Unmarshal(again, back); err != nil {
		t.Fatalf("Unmarshal of re-encoded bytes: %v", err)
	}
	if diff := cmp.Diff(msg, back, protocmp.Transform(), protocmp.IgnoreUnknown()); diff != "" {
		t.Errorf("re-encoded value differs (-decoded +re-decoded):\n%s", diff)
	}
}

func str(s string) *string { return &s }
func i32(n int32) *int32   { return &n }
func i64(n int64) *int64   { return &n }

func assertProto(t *testing.T, got, want proto.Message) {
	t.Helper()
	if diff := cmp.Diff(want, got, protocmp.Transform(), protocmp.IgnoreUnknown()); diff != "" {
		t.Errorf("decoded message (-want +got):\n%s", diff)
	}
}

func assertDomain(t *testing.T, got, want any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("domain value (-want +got):\n%s", diff)
	}
}

func TestGolden_ExpectedRackList(t *testing.T) {
	var got pb.ExpectedRackList
	decodeGolden(t, goldenRackList, &got)
	assertProto(t, &got, &pb.ExpectedRackList{ExpectedRacks: []*pb.ExpectedRack{{
		RackId:        &pb.RackId{Id: "a12"},
		RackProfileId: &pb.RackProfileId{Id: "gb200-nvl72"},
		Metadata: &pb.Metadata{Name: "Rack A12", Description: "Hall 1", Labels: []*pb.Label{
			{Key: "chassis.manufacturer", Value: str("Foxconn")},
			{Key: "chassis.serial-number", Value: str("SN-A12")},
			{Key: "location.room", Value: str("hall-1")},
		}},
	}}})
	assertDomain(t, expectedRack(got.GetExpectedRacks()[0]), inventory.ExpectedRack{
		RackID: "a12", ProfileID: "gb200-nvl72", Name: "Rack A12", Description: "Hall 1",
		Labels: map[string]string{"chassis.manufacturer": "Foxconn", "chassis.serial-number": "SN-A12", "location.room": "hall-1"},
	})
}

func TestGolden_ExpectedMachine(t *testing.T) {
	var got pb.ExpectedMachine
	decodeGolden(t, goldenMachine, &got)
	assertProto(t, &got, &pb.ExpectedMachine{
		BmcMacAddress: "AA:BB:CC:00:00:01", BmcUsername: "admin", BmcPassword: "pw",
		ChassisSerialNumber: "SN-C-0001",
		Metadata: &pb.Metadata{Name: "a12-c01", Description: "tray", Labels: []*pb.Label{
			{Key: "manufacturer", Value: str("Foxconn")},
			{Key: "slot_id", Value: str("1")},
			{Key: "flag"},
		}},
		Id:           &pb.UUID{Value: "0b6f2f0e-0000-4000-8000-000000000001"},
		RackId:       &pb.RackId{Id: "a12"},
		BmcIpAddress: str("10.0.0.1"),
	})
	d := expectedMachine(&got)
	assertDomain(t, d, inventory.ExpectedComponent{
		Type: inventory.Compute, BMCMAC: "AA:BB:CC:00:00:01", BMCIP: "10.0.0.1", SerialNumber: "SN-C-0001",
		Name: "a12-c01", Description: "tray",
		Labels:     map[string]string{"manufacturer": "Foxconn", "slot_id": "1"},
		RackID:     "a12",
		ExpectedID: "0b6f2f0e-0000-4000-8000-000000000001",
	})
	assertNoSecrets(t, d, "admin", "pw")
}

func TestGolden_ExpectedSwitchSkipsNVOSCredentials(t *testing.T) {
	var got pb.ExpectedSwitch
	decodeGolden(t, goldenSwitch, &got)
	assertProto(t, &got, &pb.ExpectedSwitch{
		BmcMacAddress: "aa:bb:cc:00:01:01", BmcUsername: "u", BmcPassword: "p",
		SwitchSerialNumber: "SN-S-1",
		Metadata:           &pb.Metadata{Name: "sw1", Labels: []*pb.Label{{Key: "manufacturer", Value: str("Foxconn")}}},
		RackId:             &pb.RackId{Id: "a12"},
		ExpectedSwitchId:   &pb.UUID{Value: "e1"},
		NvosMacAddresses:   []string{"aa:bb:cc:00:01:02"},
		BmcIpAddress:       "10.0.1.1",
	})
	if len(got.ProtoReflect().GetUnknown()) == 0 {
		t.Error("fields 7 and 8 should be kept as unknown fields, found none")
	}
	d := expectedSwitch(&got)
	assertDomain(t, d, inventory.ExpectedComponent{
		Type: inventory.NVSwitch, BMCMAC: "aa:bb:cc:00:01:01", BMCIP: "10.0.1.1", SerialNumber: "SN-S-1",
		Name: "sw1", Labels: map[string]string{"manufacturer": "Foxconn"}, RackID: "a12", ExpectedID: "e1",
		NVOSMACs: []string{"aa:bb:cc:00:01:02"},
	})
	assertNoSecrets(t, d, `"u"`, `"p"`, `"nu"`, `"np"`)
}

func TestGolden_ExpectedPowerShelf(t *testing.T) {
	var got pb.ExpectedPowerShelf
	decodeGolden(t, goldenPowerShelf, &got)
	assertProto(t, &got, &pb.ExpectedPowerShelf{
		BmcMacAddress: "aa:bb:cc:00:02:01", BmcUsername: "u", BmcPassword: "p",
		ShelfSerialNumber: "SN-P-1", BmcIpAddress: "10.0.2.1",
		Metadata:             &pb.Metadata{Name: "ps1", Labels: []*pb.Label{{Key: "manufacturer", Value: str("Delta")}}},
		RackId:               &pb.RackId{Id: "a12"},
		ExpectedPowerShelfId: &pb.UUID{Value: "p1"},
	})
	d := expectedPowerShelf(&got)
	assertDomain(t, d, inventory.ExpectedComponent{
		Type: inventory.PowerShelf, BMCMAC: "aa:bb:cc:00:02:01", BMCIP: "10.0.2.1", SerialNumber: "SN-P-1",
		Name: "ps1", Labels: map[string]string{"manufacturer": "Delta"}, RackID: "a12", ExpectedID: "p1",
	})
	assertNoSecrets(t, d, `"u"`, `"p"`)
}

func TestGolden_MachineFlatLayout(t *testing.T) {
	var got pb.Machine
	decodeGolden(t, goldenActual, &got)
	assertProto(t, &got, &pb.Machine{
		Id:    &pb.MachineId{Id: "fm100h-1"},
		State: "Ready",
		DiscoveryInfo: &pb.DiscoveryInfo{DmiData: &pb.DmiData{
			ProductSerial: "PS1", BoardSerial: "BS1", ChassisSerial: "SN-C-0001", ProductName: "GB200", SysVendor: "Foxconn",
		}},
		MachineType:             pb.MachineType_MACHINE_TYPE_HOST,
		BmcInfo:                 &pb.BmcInfo{Ip: str("10.0.0.1"), Mac: str("aa:bb:cc:00:00:01"), FirmwareVersion: str("25.04.1")},
		AssociatedDpuMachineIds: []*pb.MachineId{{Id: "fm100d-1"}, {Id: "fm100d-2"}},
		RackId:                  &pb.RackId{Id: "a12"},
	})
	assertDomain(t, machine(&got), inventory.Machine{
		ID: "fm100h-1", State: "Ready", Type: inventory.MachineHost,
		BMC:    inventory.BMCInfo{IP: "10.0.0.1", MAC: "aa:bb:cc:00:00:01", FirmwareVersion: "25.04.1"},
		DMI:    inventory.DMIData{ProductSerial: "PS1", BoardSerial: "BS1", ChassisSerial: "SN-C-0001", ProductName: "GB200", SysVendor: "Foxconn"},
		DPUIDs: []string{"fm100d-1", "fm100d-2"},
		RackID: "a12",
	})
}

func TestGolden_BuildInfo(t *testing.T) {
	var got pb.BuildInfo
	decodeGolden(t, goldenBuildInfo, &got)
	assertProto(t, &got, &pb.BuildInfo{BuildVersion: "v2026.05", RuntimeConfig: &pb.RuntimeConfig{MaxFindByIds: 7}})
	assertDomain(t, buildInfo(&got), inventory.BuildInfo{BuildVersion: "v2026.05", MaxFindByIDs: 7})
}

func TestGolden_PowerOptionResponse(t *testing.T) {
	var got pb.PowerOptionResponse
	decodeGolden(t, goldenPowerOpts, &got)
	assertProto(t, &got, &pb.PowerOptionResponse{Response: []*pb.PowerOptions{
		{DesiredState: pb.PowerState_POWER_STATE_ON, ActualState: pb.PowerState_POWER_STATE_OFF, HostId: &pb.MachineId{Id: "fm100h-1"}},
		{ActualState: pb.PowerState_POWER_STATE_POWER_MANAGER_DISABLED, HostId: &pb.MachineId{Id: "fm100h-2"}},
	}})
	assertDomain(t, convertAll(got.GetResponse(), powerOption), []inventory.PowerOption{
		{MachineID: "fm100h-1", Desired: inventory.PowerOn, Actual: inventory.PowerOff},
		{MachineID: "fm100h-2", Desired: inventory.PowerOn, Actual: inventory.PowerDisabled},
	})
}

func TestGolden_MachinePositionInfoKeepsExplicitZero(t *testing.T) {
	var got pb.MachinePositionInfoList
	decodeGolden(t, goldenPositions, &got)
	assertProto(t, &got, &pb.MachinePositionInfoList{MachinePositionInfo: []*pb.MachinePositionInfo{{
		MachineId: &pb.MachineId{Id: "fm100h-1"}, PhysicalSlotNumber: i32(5), ComputeTrayIndex: i32(1), TopologyId: i32(0),
	}}})
	assertDomain(t, position(got.GetMachinePositionInfo()[0]), inventory.Position{
		MachineID: "fm100h-1", Slot: i64(5), Tray: i64(1), Host: i64(0),
	})
}

func TestGolden_Switch(t *testing.T) {
	var got pb.Switch
	decodeGolden(t, goldenSwitchObj, &got)
	assertProto(t, &got, &pb.Switch{
		Id: &pb.SwitchId{Id: "sw-1"}, ControllerState: `{"state":"ready"}`,
		BmcInfo: &pb.BmcInfo{Ip: str("10.0.1.1"), Mac: str("aa:bb:cc:00:01:01")},
		RackId:  &pb.RackId{Id: "a12"},
	})
	assertDomain(t, switchDevice(&got), inventory.Device{
		ID: "sw-1", ControllerState: `{"state":"ready"}`,
		BMC: inventory.BMCInfo{IP: "10.0.1.1", MAC: "aa:bb:cc:00:01:01"}, RackID: "a12",
	})
}

func TestGolden_PowerShelf(t *testing.T) {
	var got pb.PowerShelf
	decodeGolden(t, goldenShelfObj, &got)
	assertProto(t, &got, &pb.PowerShelf{
		Id: &pb.PowerShelfId{Id: "ps-1"}, ControllerState: "ready",
		BmcInfo: &pb.BmcInfo{Mac: str("aa:bb:cc:00:02:01")},
		RackId:  &pb.RackId{Id: "a12"},
	})
	assertDomain(t, powerShelfDevice(&got), inventory.Device{
		ID: "ps-1", ControllerState: "ready", BMC: inventory.BMCInfo{MAC: "aa:bb:cc:00:02:01"}, RackID: "a12",
	})
}

func TestGolden_ComponentInventoryRequest(t *testing.T) {
	var got pb.GetComponentInventoryRequest
	decodeGolden(t, goldenInvRequest, &got)
	want, err := inventoryRequest(inventory.NVSwitch, []string{"sw-1", "sw-2"})
	if err != nil {
		t.Fatal(err)
	}
	assertProto(t, &got, want)
	// Our encoder's bytes for the request we build must be Core's bytes.
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(raw); got != goldenInvRequest {
		t.Errorf("encoded request = %s, want %s", got, goldenInvRequest)
	}
}

func TestGolden_ComponentInventoryResponse(t *testing.T) {
	var got pb.GetComponentInventoryResponse
	decodeGolden(t, goldenInvResponse, &got)
	off := pb.SystemPowerState_SYSTEM_POWER_STATE_OFF
	assertProto(t, &got, &pb.GetComponentInventoryResponse{Entries: []*pb.ComponentInventoryEntry{
		{
			Result: &pb.ComponentResult{ComponentId: "sw-1"},
			Report: &pb.EndpointExplorationReport{
				Systems: []*pb.ComputerSystem{{Id: "s", SerialNumber: str("SN-S-1"), PowerState: off}},
				Chassis: []*pb.Chassis{{Id: "c", SerialNumber: str("SN-S-1")}},
				Service: []*pb.Service{{Id: "FirmwareInventory", Inventories: []*pb.Inventory{
					{Id: "BMC", Description: str("BMC image"), Version: str("1.2")},
				}}},
				FirmwareVersions: map[string]string{"bmc": "1.3"},
			},
		},
		{Result: &pb.ComponentResult{ComponentId: "sw-2", Status: pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_NOT_FOUND, Error: "no report"}},
	}})
	entries, err := inventoryEntries("GetComponentInventory", []string{"sw-1", "sw-2"}, got.GetEntries())
	if err != nil {
		t.Fatal(err)
	}
	assertDomain(t, entries, []inventory.InventoryEntry{
		{ComponentID: "sw-1", Status: inventory.InventorySuccess, Report: &inventory.InventoryReport{
			Systems:          []inventory.ReportSystem{{ID: "s", SerialNumber: "SN-S-1", PowerState: inventory.PowerOff}},
			Chassis:          []inventory.ReportChassis{{ID: "c", SerialNumber: "SN-S-1"}},
			Services:         []inventory.ReportService{{ID: "FirmwareInventory", Inventories: []inventory.ReportInventory{{ID: "BMC", Description: "BMC image", Version: "1.2"}}}},
			FirmwareVersions: map[string]string{"bmc": "1.3"},
		}},
		{ComponentID: "sw-2", Status: inventory.InventoryNotFound, Error: "no report"},
	})
	if got := entries[0].Report.BMCFirmware(); got != "1.3" {
		t.Errorf("BMCFirmware() = %q, want 1.3", got)
	}
}

// assertNoSecrets fails if any secret appears in the JSON form of v.
func assertNoSecrets(t *testing.T, v any, secrets ...string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("domain value carries secret %s: %s", s, raw)
		}
	}
}
