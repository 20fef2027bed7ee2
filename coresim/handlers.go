package coresim

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	pb "rackflow/coreproto"
)

// GetAllExpectedRacks serves the expected racks.
func (s *Server) GetAllExpectedRacks(ctx context.Context, _ *emptypb.Empty) (*pb.ExpectedRackList, error) {
	st, e, err := s.begin(ctx, "GetAllExpectedRacks", nil, false)
	if err != nil {
		return nil, err
	}
	return &pb.ExpectedRackList{ExpectedRacks: shapeList(st.racks.ExpectedRacks, e, func(id string) *pb.ExpectedRack {
		return &pb.ExpectedRack{RackId: rackID(id)}
	})}, nil
}

// GetAllExpectedMachines serves the expected machines.
func (s *Server) GetAllExpectedMachines(ctx context.Context, _ *emptypb.Empty) (*pb.ExpectedMachineList, error) {
	st, e, err := s.begin(ctx, "GetAllExpectedMachines", nil, false)
	if err != nil {
		return nil, err
	}
	return &pb.ExpectedMachineList{ExpectedMachines: shapeList(st.expMachines.ExpectedMachines, e, func(id string) *pb.ExpectedMachine {
		return &pb.ExpectedMachine{Id: uuid(id)}
	})}, nil
}

// GetAllExpectedSwitches serves the expected switches.
func (s *Server) GetAllExpectedSwitches(ctx context.Context, _ *emptypb.Empty) (*pb.ExpectedSwitchList, error) {
	st, e, err := s.begin(ctx, "GetAllExpectedSwitches", nil, false)
	if err != nil {
		return nil, err
	}
	return &pb.ExpectedSwitchList{ExpectedSwitches: shapeList(st.expSwitches.ExpectedSwitches, e, func(id string) *pb.ExpectedSwitch {
		return &pb.ExpectedSwitch{ExpectedSwitchId: uuid(id)}
	})}, nil
}

// GetAllExpectedPowerShelves serves the expected power shelves.
func (s *Server) GetAllExpectedPowerShelves(ctx context.Context, _ *emptypb.Empty) (*pb.ExpectedPowerShelfList, error) {
	st, e, err := s.begin(ctx, "GetAllExpectedPowerShelves", nil, false)
	if err != nil {
		return nil, err
	}
	return &pb.ExpectedPowerShelfList{ExpectedPowerShelves: shapeList(st.expShelves.ExpectedPowerShelves, e, func(id string) *pb.ExpectedPowerShelf {
		return &pb.ExpectedPowerShelf{ExpectedPowerShelfId: uuid(id)}
	})}, nil
}

// Version serves the build and, when asked, the runtime config.
func (s *Server) Version(ctx context.Context, req *pb.VersionRequest) (*pb.BuildInfo, error) {
	st, _, err := s.begin(ctx, "Version", nil, false)
	if err != nil {
		return nil, err
	}
	if !req.GetDisplayConfig() {
		return &pb.BuildInfo{BuildVersion: st.build.GetBuildVersion()}, nil
	}
	return st.build, nil
}

// FindMachineIds lists machines, DPUs only when asked.
func (s *Server) FindMachineIds(ctx context.Context, req *pb.MachineSearchConfig) (*pb.MachineIdList, error) {
	st, e, err := s.begin(ctx, "FindMachineIds", nil, false)
	if err != nil {
		return nil, err
	}
	ids := st.hostIDs
	if req.GetIncludeDpus() {
		ids = st.machineIDs
	}
	return &pb.MachineIdList{MachineIds: shapeList(mapSlice(ids, machineID), e, machineID)}, nil
}

// FindMachinesByIds serves the known machines among the requested ones.
func (s *Server) FindMachinesByIds(ctx context.Context, req *pb.MachinesByIdsRequest) (*pb.MachineList, error) {
	ids := mapSlice(req.GetMachineIds(), (*pb.MachineId).GetId)
	st, e, err := s.begin(ctx, "FindMachinesByIds", ids, true)
	if err != nil {
		return nil, err
	}
	return &pb.MachineList{Machines: shapeList(pick(ids, st.machines), e, func(id string) *pb.Machine {
		return &pb.Machine{Id: machineID(id)}
	})}, nil
}

// GetPowerOptions serves the power entries of the requested machines, or of
// every machine when the list is empty; machines whose power is unset have
// none.
func (s *Server) GetPowerOptions(ctx context.Context, req *pb.PowerOptionRequest) (*pb.PowerOptionResponse, error) {
	ids := mapSlice(req.GetMachineId(), (*pb.MachineId).GetId)
	st, e, err := s.begin(ctx, "GetPowerOptions", ids, true)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		ids = st.machineIDs
	}
	return &pb.PowerOptionResponse{Response: shapeList(pick(ids, st.power), e, func(id string) *pb.PowerOptions {
		return &pb.PowerOptions{HostId: machineID(id)}
	})}, nil
}

// GetMachinePositionInfo serves the positions of the requested machines. An
// empty request is rejected, as Core does.
func (s *Server) GetMachinePositionInfo(ctx context.Context, req *pb.MachinePositionQuery) (*pb.MachinePositionInfoList, error) {
	ids := mapSlice(req.GetMachineIds(), (*pb.MachineId).GetId)
	if len(ids) == 0 {
		s.calls["GetMachinePositionInfo"].Add(1)
		return nil, invalidArgument("machine_ids must not be empty")
	}
	st, e, err := s.begin(ctx, "GetMachinePositionInfo", ids, true)
	if err != nil {
		return nil, err
	}
	return &pb.MachinePositionInfoList{MachinePositionInfo: shapeList(pick(ids, st.positions), e, func(id string) *pb.MachinePositionInfo {
		return &pb.MachinePositionInfo{MachineId: machineID(id)}
	})}, nil
}

// FindSwitchIds lists the switches; all of a manifest's switches are active.
func (s *Server) FindSwitchIds(ctx context.Context, _ *pb.SwitchSearchFilter) (*pb.SwitchIdList, error) {
	st, e, err := s.begin(ctx, "FindSwitchIds", nil, false)
	if err != nil {
		return nil, err
	}
	mk := func(id string) *pb.SwitchId { return &pb.SwitchId{Id: id} }
	return &pb.SwitchIdList{Ids: shapeList(mapSlice(st.switchIDs, mk), e, mk)}, nil
}

// FindSwitchesByIds serves the known switches among the requested ones.
func (s *Server) FindSwitchesByIds(ctx context.Context, req *pb.SwitchesByIdsRequest) (*pb.SwitchList, error) {
	ids := mapSlice(req.GetSwitchIds(), (*pb.SwitchId).GetId)
	st, e, err := s.begin(ctx, "FindSwitchesByIds", ids, true)
	if err != nil {
		return nil, err
	}
	return &pb.SwitchList{Switches: shapeList(pick(ids, st.switches), e, func(id string) *pb.Switch {
		return &pb.Switch{Id: &pb.SwitchId{Id: id}}
	})}, nil
}

// FindPowerShelfIds lists the power shelves.
func (s *Server) FindPowerShelfIds(ctx context.Context, _ *pb.PowerShelfSearchFilter) (*pb.PowerShelfIdList, error) {
	st, e, err := s.begin(ctx, "FindPowerShelfIds", nil, false)
	if err != nil {
		return nil, err
	}
	mk := func(id string) *pb.PowerShelfId { return &pb.PowerShelfId{Id: id} }
	return &pb.PowerShelfIdList{Ids: shapeList(mapSlice(st.shelfIDs, mk), e, mk)}, nil
}

// FindPowerShelvesByIds serves the known power shelves among the requested
// ones.
func (s *Server) FindPowerShelvesByIds(ctx context.Context, req *pb.PowerShelvesByIdsRequest) (*pb.PowerShelfList, error) {
	ids := mapSlice(req.GetPowerShelfIds(), (*pb.PowerShelfId).GetId)
	st, e, err := s.begin(ctx, "FindPowerShelvesByIds", ids, true)
	if err != nil {
		return nil, err
	}
	return &pb.PowerShelfList{PowerShelves: shapeList(pick(ids, st.shelves), e, func(id string) *pb.PowerShelf {
		return &pb.PowerShelf{Id: &pb.PowerShelfId{Id: id}}
	})}, nil
}

// GetComponentInventory serves one entry per requested id, in request order:
// the object's report, NOT_FOUND for an unknown id, or an injected status.
func (s *Server) GetComponentInventory(ctx context.Context, req *pb.GetComponentInventoryRequest) (*pb.GetComponentInventoryResponse, error) {
	const rpc = "GetComponentInventory"
	ids, pickReports := inventoryTarget(req)
	if pickReports == nil {
		s.calls[rpc].Add(1)
		return nil, invalidArgument("a target (machine_ids, switch_ids or power_shelf_ids) is required")
	}
	st, e, err := s.begin(ctx, rpc, ids, true)
	if err != nil {
		return nil, err
	}
	reports := pickReports(st)
	entries := make([]*pb.ComponentInventoryEntry, len(ids))
	for i, id := range ids {
		entries[i] = inventoryEntry(id, reports, e)
	}
	return &pb.GetComponentInventoryResponse{Entries: shapeList(entries, e, func(id string) *pb.ComponentInventoryEntry {
		return &pb.ComponentInventoryEntry{Result: &pb.ComponentResult{ComponentId: id}}
	})}, nil
}

// inventoryTarget returns the request's ids and the reports of their kind;
// a nil func means the request has no target.
func inventoryTarget(req *pb.GetComponentInventoryRequest) ([]string, func(*site) map[string]*pb.EndpointExplorationReport) {
	switch t := req.GetTarget().(type) {
	case *pb.GetComponentInventoryRequest_MachineIds:
		return mapSlice(t.MachineIds.GetMachineIds(), (*pb.MachineId).GetId), func(s *site) map[string]*pb.EndpointExplorationReport { return s.machineInv }
	case *pb.GetComponentInventoryRequest_SwitchIds:
		return mapSlice(t.SwitchIds.GetIds(), (*pb.SwitchId).GetId), func(s *site) map[string]*pb.EndpointExplorationReport { return s.switchInv }
	case *pb.GetComponentInventoryRequest_PowerShelfIds:
		return mapSlice(t.PowerShelfIds.GetIds(), (*pb.PowerShelfId).GetId), func(s *site) map[string]*pb.EndpointExplorationReport { return s.shelfInv }
	}
	return nil, nil
}

func inventoryEntry(id string, reports map[string]*pb.EndpointExplorationReport, e effects) *pb.ComponentInventoryEntry {
	result := &pb.ComponentResult{ComponentId: id}
	if code, ok := e.entryStatus[id]; ok {
		result.Status, result.Error = code, "core simulator: injected "+code.String()
		return &pb.ComponentInventoryEntry{Result: result}
	}
	r, ok := reports[id]
	if !ok {
		result.Status, result.Error = pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_NOT_FOUND, "component not found"
		return &pb.ComponentInventoryEntry{Result: result}
	}
	return &pb.ComponentInventoryEntry{Result: result, Report: r}
}

func machineID(id string) *pb.MachineId { return &pb.MachineId{Id: id} }

// pick returns the objects of the known ids, in request order.
func pick[T any](ids []string, objects map[string]T) []T {
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if o, ok := objects[id]; ok {
			out = append(out, o)
		}
	}
	return out
}
