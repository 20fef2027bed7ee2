package core

import (
	"context"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// SwitchIDs lists the active switches (an empty filter means active only).
func (c *Client) SwitchIDs(ctx context.Context) ([]string, error) {
	var reply *pb.SwitchIdList
	err := c.call(ctx, "FindSwitchIds", func(ctx context.Context) (err error) {
		reply, err = c.rpc.FindSwitchIds(ctx, &pb.SwitchSearchFilter{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return idsOf(reply.GetIds(), (*pb.SwitchId).GetId), nil
}

// Switches returns the details of the given switches, in batches. Switches
// Core no longer knows are left out with a WARN.
func (c *Client) Switches(ctx context.Context, ids []string) ([]inventory.Device, error) {
	const rpc = "FindSwitchesByIds"
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.Device, error) {
		var reply *pb.SwitchList
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.FindSwitchesByIds(ctx, &pb.SwitchesByIdsRequest{SwitchIds: switchIDs(batch)})
			return err
		})
		if err != nil {
			return nil, err
		}
		missing, err := checkIDs(rpc, batch, idsOf(reply.GetSwitches(), func(s *pb.Switch) string { return s.GetId().GetId() }))
		if err != nil {
			return nil, err
		}
		c.warnMissing(rpc, missing)
		return convertAll(reply.GetSwitches(), switchDevice), nil
	})
}

func switchDevice(s *pb.Switch) inventory.Device {
	return inventory.Device{
		ID:              s.GetId().GetId(),
		ControllerState: s.GetControllerState(),
		BMC:             bmcInfo(s.GetBmcInfo()),
		RackID:          s.GetRackId().GetId(),
	}
}
