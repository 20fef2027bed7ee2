package core

import (
	"context"
	"fmt"
	"maps"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// ComponentInventory returns the explored BMC report of each given component,
// one entry per distinct id, in request order. t says whether the ids are
// machines, switches or power shelves. A reply that is not exactly one entry
// per requested id, in order, is an error. Entries without a usable report
// are returned as they are, with a WARN: the caller keeps its old values.
func (c *Client) ComponentInventory(ctx context.Context, t inventory.ComponentType, ids []string) ([]inventory.InventoryEntry, error) {
	const rpc = "GetComponentInventory"
	if _, err := inventoryRequest(t, nil); err != nil {
		return nil, fmt.Errorf("core: %s: %w", rpc, err)
	}
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.InventoryEntry, error) {
		req, _ := inventoryRequest(t, batch)
		var reply *pb.GetComponentInventoryResponse
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.GetComponentInventory(ctx, req)
			return err
		})
		if err != nil {
			return nil, err
		}
		entries, err := inventoryEntries(rpc, batch, reply.GetEntries())
		if err != nil {
			return nil, err
		}
		c.warnUnreported(rpc, entries)
		return entries, nil
	})
}

// inventoryRequest sets the request's target to the kind of ids given.
func inventoryRequest(t inventory.ComponentType, ids []string) (*pb.GetComponentInventoryRequest, error) {
	switch t {
	case inventory.Compute:
		return &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_MachineIds{
			MachineIds: &pb.MachineIdList{MachineIds: machineIDs(ids)}}}, nil
	case inventory.NVSwitch:
		return &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_SwitchIds{
			SwitchIds: &pb.SwitchIdList{Ids: switchIDs(ids)}}}, nil
	case inventory.PowerShelf:
		return &pb.GetComponentInventoryRequest{Target: &pb.GetComponentInventoryRequest_PowerShelfIds{
			PowerShelfIds: &pb.PowerShelfIdList{Ids: powerShelfIDs(ids)}}}, nil
	}
	return nil, fmt.Errorf("%w: component type %q", inventory.ErrInvalid, t)
}

// inventoryEntries checks that the reply has exactly one entry per requested
// id, in request order, and converts it.
func inventoryEntries(rpc string, batch []string, entries []*pb.ComponentInventoryEntry) ([]inventory.InventoryEntry, error) {
	if len(entries) != len(batch) {
		return nil, badReply(rpc, "%d entries for %d requested ids", len(entries), len(batch))
	}
	out := make([]inventory.InventoryEntry, len(entries))
	for i, e := range entries {
		if got := e.GetResult().GetComponentId(); got != batch[i] {
			return nil, badReply(rpc, "entry %d is for %q, want %q", i, got, batch[i])
		}
		out[i] = inventoryEntry(e)
	}
	return out, nil
}

func (c *Client) warnUnreported(rpc string, entries []inventory.InventoryEntry) {
	var ids []string
	for _, e := range entries {
		if e.Status != inventory.InventorySuccess || e.Report == nil {
			ids = append(ids, e.ComponentID)
		}
	}
	if len(ids) > 0 {
		c.log.Warn("core inventory entries without a report", "rpc", rpc, "component_count", len(ids), "component_ids", firstIDs(ids))
	}
}

func inventoryEntry(e *pb.ComponentInventoryEntry) inventory.InventoryEntry {
	return inventory.InventoryEntry{
		ComponentID: e.GetResult().GetComponentId(),
		Status:      inventoryStatus(e.GetResult().GetStatus()),
		Error:       e.GetResult().GetError(),
		Report:      report(e.GetReport()),
	}
}

func inventoryStatus(s pb.ComponentManagerStatusCode) inventory.InventoryStatus {
	switch s {
	case pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_SUCCESS:
		return inventory.InventorySuccess
	case pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_INVALID_ARGUMENT:
		return inventory.InventoryInvalidArgument
	case pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_NOT_FOUND:
		return inventory.InventoryNotFound
	case pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_ALREADY_EXISTS:
		return inventory.InventoryAlreadyExists
	case pb.ComponentManagerStatusCode_COMPONENT_MANAGER_STATUS_CODE_UNAVAILABLE:
		return inventory.InventoryUnavailable
	}
	// INTERNAL_ERROR, and codes newer than this client, are failures.
	return inventory.InventoryInternalError
}

func report(r *pb.EndpointExplorationReport) *inventory.InventoryReport {
	if r == nil {
		return nil
	}
	out := &inventory.InventoryReport{
		Systems:  convertAll(r.GetSystems(), reportSystem),
		Chassis:  convertAll(r.GetChassis(), reportChassis),
		Services: convertAll(r.GetService(), reportService),
	}
	if len(r.GetFirmwareVersions()) > 0 {
		out.FirmwareVersions = maps.Clone(r.GetFirmwareVersions())
	}
	return out
}

func reportSystem(s *pb.ComputerSystem) inventory.ReportSystem {
	return inventory.ReportSystem{
		ID:           s.GetId(),
		Manufacturer: s.GetManufacturer(),
		Model:        s.GetModel(),
		SerialNumber: s.GetSerialNumber(),
		PowerState:   systemPowerState(s.GetPowerState()),
	}
}

func reportChassis(ch *pb.Chassis) inventory.ReportChassis {
	return inventory.ReportChassis{
		ID:           ch.GetId(),
		Model:        ch.GetModel(),
		SerialNumber: ch.GetSerialNumber(),
		Manufacturer: ch.GetManufacturer(),
	}
}

func reportService(s *pb.Service) inventory.ReportService {
	return inventory.ReportService{ID: s.GetId(), Inventories: convertAll(s.GetInventories(), reportInventory)}
}

func reportInventory(i *pb.Inventory) inventory.ReportInventory {
	return inventory.ReportInventory{ID: i.GetId(), Description: i.GetDescription(), Version: i.GetVersion()}
}
