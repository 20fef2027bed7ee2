package core

import (
	"context"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// PowerShelfIDs lists the active power shelves.
func (c *Client) PowerShelfIDs(ctx context.Context) ([]string, error) {
	var reply *pb.PowerShelfIdList
	err := c.call(ctx, "FindPowerShelfIds", func(ctx context.Context) (err error) {
		reply, err = c.rpc.FindPowerShelfIds(ctx, &pb.PowerShelfSearchFilter{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return idsOf(reply.GetIds(), (*pb.PowerShelfId).GetId), nil
}

// PowerShelves returns the details of the given power shelves, in batches.
// Shelves Core no longer knows are left out with a WARN.
func (c *Client) PowerShelves(ctx context.Context, ids []string) ([]inventory.Device, error) {
	const rpc = "FindPowerShelvesByIds"
	return collectBatches(ctx, c, ids, func(ctx context.Context, batch []string) ([]inventory.Device, error) {
		var reply *pb.PowerShelfList
		err := c.call(ctx, rpc, func(ctx context.Context) (err error) {
			reply, err = c.rpc.FindPowerShelvesByIds(ctx, &pb.PowerShelvesByIdsRequest{PowerShelfIds: powerShelfIDs(batch)})
			return err
		})
		if err != nil {
			return nil, err
		}
		missing, err := checkIDs(rpc, batch, idsOf(reply.GetPowerShelves(), func(p *pb.PowerShelf) string { return p.GetId().GetId() }))
		if err != nil {
			return nil, err
		}
		c.warnMissing(rpc, missing)
		return convertAll(reply.GetPowerShelves(), powerShelfDevice), nil
	})
}

func powerShelfDevice(p *pb.PowerShelf) inventory.Device {
	return inventory.Device{
		ID:              p.GetId().GetId(),
		ControllerState: p.GetControllerState(),
		BMC:             bmcInfo(p.GetBmcInfo()),
		RackID:          p.GetRackId().GetId(),
	}
}
