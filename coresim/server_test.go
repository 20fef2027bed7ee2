package coresim_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "rackflow/coreproto"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
)

// rawClient connects a generated client to a simulator serving m, to see
// exactly what goes over the wire.
func rawClient(t *testing.T, m *coresim.Manifest) (pb.ForgeClient, *coresim.Server) {
	t.Helper()
	addr, srv := simtest.Start(t, m)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pb.NewForgeClient(conn), srv
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func tiny(t *testing.T, faults ...coresim.Fault) *coresim.Manifest {
	t.Helper()
	m := simtest.Load(t, "../testdata/sites/tiny.yaml")
	m.Faults = faults
	return m
}

func mids(ids ...string) []*pb.MachineId {
	out := make([]*pb.MachineId, len(ids))
	for i, id := range ids {
		out[i] = &pb.MachineId{Id: id}
	}
	return out
}

func wantCode(t *testing.T, err error, code codes.Code) {
	t.Helper()
	if status.Code(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestServer_EnforcesMaxFindByIDs(t *testing.T) {
	m := tiny(t)
	m.Core.MaxFindByIDs = new(uint32)
	*m.Core.MaxFindByIDs = 2
	c, _ := rawClient(t, m)
	ctx := ctxT(t)
	_, err := c.FindMachinesByIds(ctx, &pb.MachinesByIdsRequest{MachineIds: mids("a", "b", "c")})
	wantCode(t, err, codes.InvalidArgument)
	_, err = c.GetComponentInventory(ctx, &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_MachineIds{MachineIds: &pb.MachineIdList{MachineIds: mids("a", "b", "c")}}})
	wantCode(t, err, codes.InvalidArgument)
	if _, err := c.FindMachinesByIds(ctx, &pb.MachinesByIdsRequest{MachineIds: mids("a", "b")}); err != nil {
		t.Fatal(err)
	}
	info, err := c.Version(ctx, &pb.VersionRequest{DisplayConfig: true})
	if err != nil || info.GetRuntimeConfig().GetMaxFindByIds() != 2 {
		t.Fatalf("Version = %v, %v; want max_find_by_ids 2", info, err)
	}
}

func TestServer_ZeroLimitMeansNoLimitAndReportsZero(t *testing.T) {
	m := tiny(t)
	m.Core.MaxFindByIDs = new(uint32)
	c, _ := rawClient(t, m)
	ids := make([]string, 500)
	for i := range ids {
		ids[i] = "x"
	}
	if _, err := c.FindMachinesByIds(ctxT(t), &pb.MachinesByIdsRequest{MachineIds: mids(ids...)}); err != nil {
		t.Fatal(err)
	}
	info, err := c.Version(ctxT(t), &pb.VersionRequest{DisplayConfig: true})
	if err != nil || info.GetRuntimeConfig() == nil || info.GetRuntimeConfig().GetMaxFindByIds() != 0 {
		t.Fatalf("Version = %v, %v; want a runtime config with 0", info, err)
	}
}

func TestServer_RejectsEmptyPositionQueryAndMissingInventoryTarget(t *testing.T) {
	c, _ := rawClient(t, tiny(t))
	_, err := c.GetMachinePositionInfo(ctxT(t), &pb.MachinePositionQuery{})
	wantCode(t, err, codes.InvalidArgument)
	_, err = c.GetComponentInventory(ctxT(t), &pb.GetComponentInventoryRequest{})
	wantCode(t, err, codes.InvalidArgument)
}

func TestServer_EmptyPowerOptionRequestMeansAllMachines(t *testing.T) {
	c, _ := rawClient(t, tiny(t))
	reply, err := c.GetPowerOptions(ctxT(t), &pb.PowerOptionRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// Three hosts have a power state; fm100h-0004 is unset and DPUs have none.
	if n := len(reply.GetResponse()); n != 3 {
		t.Errorf("got %d entries, want 3", n)
	}
}

func TestServer_FindMachineIdsIncludesDPUsOnlyWhenAsked(t *testing.T) {
	c, _ := rawClient(t, tiny(t))
	all, err := c.FindMachineIds(ctxT(t), &pb.MachineSearchConfig{IncludeDpus: true})
	if err != nil {
		t.Fatal(err)
	}
	hostsOnly, err := c.FindMachineIds(ctxT(t), &pb.MachineSearchConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.GetMachineIds()) != 6 || len(hostsOnly.GetMachineIds()) != 4 {
		t.Errorf("got %d with DPUs and %d without, want 6 and 4", len(all.GetMachineIds()), len(hostsOnly.GetMachineIds()))
	}
}

func TestServer_Faults(t *testing.T) {
	ctx := ctxT(t)
	t.Run("error fails the call and ends the list", func(t *testing.T) {
		c, _ := rawClient(t, tiny(t, coresim.Fault{RPC: "FindSwitchIds", Error: "UNAVAILABLE"}, coresim.Fault{RPC: "FindSwitchIds", Delay: coresim.Duration(time.Hour)}))
		_, err := c.FindSwitchIds(ctx, &pb.SwitchSearchFilter{})
		wantCode(t, err, codes.Unavailable)
	})
	t.Run("times limits a fault to the first calls", func(t *testing.T) {
		c, srv := rawClient(t, tiny(t, coresim.Fault{RPC: "GetAllExpectedRacks", Error: "UNAVAILABLE", Times: 2}))
		for range 2 {
			_, err := c.GetAllExpectedRacks(ctx, &emptypb.Empty{})
			wantCode(t, err, codes.Unavailable)
		}
		if _, err := c.GetAllExpectedRacks(ctx, &emptypb.Empty{}); err != nil {
			t.Fatal(err)
		}
		if srv.Calls("GetAllExpectedRacks") != 3 {
			t.Errorf("calls = %d", srv.Calls("GetAllExpectedRacks"))
		}
	})
	t.Run("delay honours the caller's deadline", func(t *testing.T) {
		c, _ := rawClient(t, tiny(t, coresim.Fault{RPC: "FindMachinesByIds", Delay: coresim.Duration(time.Hour)}))
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.FindMachinesByIds(short, &pb.MachinesByIdsRequest{MachineIds: mids("fm100h-0001")})
		wantCode(t, err, codes.DeadlineExceeded)
	})
	t.Run("extra_id and duplicate_id add rows", func(t *testing.T) {
		c, _ := rawClient(t, tiny(t, coresim.Fault{RPC: "FindSwitchesByIds", DuplicateID: true}, coresim.Fault{RPC: "FindSwitchesByIds", ExtraID: "sw-ghost"}))
		reply, err := c.FindSwitchesByIds(ctx, &pb.SwitchesByIdsRequest{SwitchIds: []*pb.SwitchId{{Id: "sw-0001"}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range reply.GetSwitches() {
			got = append(got, s.GetId().GetId())
		}
		if len(got) != 3 || got[0] != "sw-0001" || got[1] != "sw-0001" || got[2] != "sw-ghost" {
			t.Errorf("switches = %v, want [sw-0001 sw-0001 sw-ghost]", got)
		}
	})
	t.Run("ids give inventory entries a status", func(t *testing.T) {
		c, _ := rawClient(t, tiny(t, coresim.Fault{RPC: "GetComponentInventory", IDs: []string{"ps-0002"}, Error: "INTERNAL_ERROR"}))
		reply, err := c.GetComponentInventory(ctx, &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_PowerShelfIds{
			PowerShelfIds: &pb.PowerShelfIdList{Ids: []*pb.PowerShelfId{{Id: "ps-0002"}, {Id: "ps-0001"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		e := reply.GetEntries()
		if e[0].GetResult().GetStatus() != pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_INTERNAL_ERROR || e[0].GetReport() != nil {
			t.Errorf("entry 0 = %v, want INTERNAL_ERROR without report", e[0])
		}
		if e[1].GetResult().GetComponentId() != "ps-0001" || e[1].GetReport() == nil {
			t.Errorf("entry 1 = %v, want ps-0001 with a report", e[1])
		}
	})
}

func TestServer_FirmwareSourcePlacesTheVersion(t *testing.T) {
	c, _ := rawClient(t, tiny(t))
	reply, err := c.GetComponentInventory(ctxT(t), &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_MachineIds{
		MachineIds: &pb.MachineIdList{MachineIds: mids("fm100h-0001", "fm100h-0002", "fm100h-0003", "fm100h-0004")}}})
	if err != nil {
		t.Fatal(err)
	}
	e := reply.GetEntries()
	if got := e[0].GetReport().GetFirmwareVersions()["bmc"]; got != "25.04.1" {
		t.Errorf("report source: firmware_versions[bmc] = %q", got)
	}
	if inv := e[1].GetReport().GetService()[0].GetInventories()[0]; inv.GetId() != "BMC" || inv.GetVersion() != "25.04.1" {
		t.Errorf("inventory_id source: %v", inv)
	}
	if inv := e[2].GetReport().GetService()[0].GetInventories()[0]; inv.GetDescription() != "BMC image" || inv.GetVersion() != "25.03.9" {
		t.Errorf("inventory_description source: %v", inv)
	}
	r := e[3].GetReport()
	if len(r.GetFirmwareVersions())+len(r.GetService()) != 0 || len(r.GetSystems()) != 0 {
		t.Errorf("bmc_info source with power unset: report should carry no firmware and no system: %v", r)
	}
}

func TestServer_ReloadKeepsOldStateOnBadManifest(t *testing.T) {
	c, srv := rawClient(t, tiny(t))
	bad := &coresim.Manifest{Version: 1, Actual: coresim.Actual{Switches: []coresim.ActualDevice{{ID: "s"}, {ID: "s"}}}}
	if err := srv.Reload(bad); err == nil {
		t.Fatal("reload of a bad manifest should fail")
	}
	reply, err := c.GetAllExpectedRacks(ctxT(t), &emptypb.Empty{})
	if err != nil || len(reply.GetExpectedRacks()) != 2 {
		t.Fatalf("after a bad reload: %d racks, %v; want the old 2", len(reply.GetExpectedRacks()), err)
	}
	if err := srv.Reload(&coresim.Manifest{Version: 1, Expected: coresim.Expected{Racks: []coresim.ExpectedRack{{RackID: "new"}}}}); err != nil {
		t.Fatal(err)
	}
	reply, err = c.GetAllExpectedRacks(ctxT(t), &emptypb.Empty{})
	if err != nil || len(reply.GetExpectedRacks()) != 1 || reply.GetExpectedRacks()[0].GetRackId().GetId() != "new" {
		t.Fatalf("after a good reload: %v, %v", reply, err)
	}
}

func TestServer_ReloadRestartsFaultCounts(t *testing.T) {
	m := tiny(t, coresim.Fault{RPC: "Version", Error: "UNAVAILABLE", Times: 1})
	c, srv := rawClient(t, m)
	_, err := c.Version(ctxT(t), &pb.VersionRequest{})
	wantCode(t, err, codes.Unavailable)
	if _, err := c.Version(ctxT(t), &pb.VersionRequest{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reload(m); err != nil {
		t.Fatal(err)
	}
	_, err = c.Version(ctxT(t), &pb.VersionRequest{})
	wantCode(t, err, codes.Unavailable)
}

func TestServer_NestedMachineLayout(t *testing.T) {
	m := tiny(t)
	m.Core.MachineLayout = "nested"
	c, _ := rawClient(t, m)
	reply, err := c.FindMachinesByIds(ctxT(t), &pb.MachinesByIdsRequest{MachineIds: mids("fm100h-0001")})
	if err != nil {
		t.Fatal(err)
	}
	got := reply.GetMachines()[0]
	if got.GetDiscoveryInfo() != nil || len(got.GetAssociatedDpuMachineIds()) != 0 {
		t.Errorf("flat fields are set in the nested layout: %v", got)
	}
	if got.GetStatus().GetDiscoveryInfo().GetDmiData().GetChassisSerial() != "SN-C-0001" || len(got.GetStatus().GetAssociatedDpuMachineIds()) != 2 {
		t.Errorf("status = %v", got.GetStatus())
	}
}
