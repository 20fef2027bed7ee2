package core

import (
	"context"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// Version returns Core's build and by-ids limit, and teaches the client its
// batch size.
func (c *Client) Version(ctx context.Context) (inventory.BuildInfo, error) {
	var reply *pb.BuildInfo
	err := c.call(ctx, "Version", func(ctx context.Context) (err error) {
		reply, err = c.rpc.Version(ctx, &pb.VersionRequest{DisplayConfig: true})
		return err
	})
	if err != nil {
		return inventory.BuildInfo{}, err
	}
	info := buildInfo(reply)
	c.learnBatch(info.MaxFindByIDs)
	return info, nil
}

func buildInfo(b *pb.BuildInfo) inventory.BuildInfo {
	return inventory.BuildInfo{
		BuildVersion: b.GetBuildVersion(),
		MaxFindByIDs: b.GetRuntimeConfig().GetMaxFindByIds(),
	}
}
