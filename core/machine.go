package core

import (
	"context"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// MachineIDs lists every machine id, DPUs included.
func (c *Client) MachineIDs(ctx context.Context) ([]string, error) {
	var reply *pb.MachineIdList
	err := c.call(ctx, "FindMachineIds", func(ctx context.Context) (err error) {
		reply, err = c.rpc.FindMachineIds(ctx, &pb.MachineSearchConfig{IncludeDpus: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	return idsOf(reply.GetMachineIds(), (*pb.MachineId).GetId), nil
}

// Machines returns the details of the given machines, in batches. Machines
// Core no longer knows are left out with a WARN.
func (c *Client) Machines(ctx context.Context, ids []string) ([]inventory.Machine, error) {
	const rpc = "FindMachinesByIds"
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.Machine, error) {
		var reply *pb.MachineList
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.FindMachinesByIds(ctx, &pb.MachinesByIdsRequest{MachineIds: machineIDs(batch)})
			return err
		})
		if err != nil {
			return nil, err
		}
		missing, err := checkIDs(rpc, batch, idsOf(reply.GetMachines(), func(m *pb.Machine) string { return m.GetId().GetId() }))
		if err != nil {
			return nil, err
		}
		c.warnMissing(rpc, missing)
		return convertAll(reply.GetMachines(), machine), nil
	})
}

// machine converts a machine in either layout: when the nested status is set
// it is authoritative for discovery data, even where it is empty.
func machine(m *pb.Machine) inventory.Machine {
	discovery, dpus := m.GetDiscoveryInfo(), m.GetAssociatedDpuMachineIds()
	if st := m.GetStatus(); st != nil {
		discovery, dpus = st.GetDiscoveryInfo(), st.GetAssociatedDpuMachineIds()
	}
	var dpuIDs []string
	if len(dpus) > 0 {
		dpuIDs = idsOf(dpus, (*pb.MachineId).GetId)
	}
	return inventory.Machine{
		ID:     m.GetId().GetId(),
		State:  m.GetState(),
		Type:   machineType(m.GetMachineType()),
		BMC:    bmcInfo(m.GetBmcInfo()),
		DMI:    dmiData(discovery.GetDmiData()),
		DPUIDs: dpuIDs,
		RackID: m.GetRackId().GetId(),
	}
}

// PowerOptions returns the power entries Core has for the given machines.
// The list is never sent empty, because an empty request means every machine.
// A machine without an entry has no known power state, which is normal.
func (c *Client) PowerOptions(ctx context.Context, ids []string) ([]inventory.PowerOption, error) {
	const rpc = "GetPowerOptions"
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.PowerOption, error) {
		var reply *pb.PowerOptionResponse
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.GetPowerOptions(ctx, &pb.PowerOptionRequest{MachineId: machineIDs(batch)})
			return err
		})
		if err != nil {
			return nil, err
		}
		missing, err := checkIDs(rpc, batch, idsOf(reply.GetResponse(), func(p *pb.PowerOptions) string { return p.GetHostId().GetId() }))
		if err != nil {
			return nil, err
		}
		c.debugAbsent(rpc, missing)
		return convertAll(reply.GetResponse(), powerOption), nil
	})
}

func powerOption(p *pb.PowerOptions) inventory.PowerOption {
	return inventory.PowerOption{
		MachineID: p.GetHostId().GetId(),
		Desired:   powerState(p.GetDesiredState()),
		Actual:    powerState(p.GetActualState()),
	}
}

// Positions returns the positions Core has for the given machines; machines
// without a position are simply absent.
func (c *Client) Positions(ctx context.Context, ids []string) ([]inventory.Position, error) {
	const rpc = "GetMachinePositionInfo"
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.Position, error) {
		var reply *pb.MachinePositionInfoList
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.GetMachinePositionInfo(ctx, &pb.MachinePositionQuery{MachineIds: machineIDs(batch)})
			return err
		})
		if err != nil {
			return nil, err
		}
		infos := reply.GetMachinePositionInfo()
		missing, err := checkIDs(rpc, batch, idsOf(infos, func(p *pb.MachinePositionInfo) string { return p.GetMachineId().GetId() }))
		if err != nil {
			return nil, err
		}
		c.debugAbsent(rpc, missing)
		return convertAll(infos, position), nil
	})
}

func position(p *pb.MachinePositionInfo) inventory.Position {
	return inventory.Position{
		MachineID: p.GetMachineId().GetId(),
		Slot:      int64Ptr(p.PhysicalSlotNumber),
		Tray:      int64Ptr(p.ComputeTrayIndex),
		Host:      int64Ptr(p.TopologyId),
	}
}

// debugAbsent notes machines without a power entry or a position. Unlike a
// missing object, that is an ordinary state, so it is not a warning.
func (c *Client) debugAbsent(rpc string, missing []string) {
	if len(missing) == 0 {
		return
	}
	c.log.Debug("core reply has no entry for some machines", "rpc", rpc, "missing_count", len(missing), "missing_ids", firstIDs(missing))
}
