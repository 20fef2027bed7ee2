package core

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/emptypb"

	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// ExpectedRacks returns Core's expected racks (GetAllExpectedRacks).
func (c *Client) ExpectedRacks(ctx context.Context) ([]inventory.ExpectedRack, error) {
	var reply *pb.ExpectedRackList
	err := c.call(ctx, "GetAllExpectedRacks", func(ctx context.Context) (err error) {
		reply, err = c.rpc.GetAllExpectedRacks(ctx, &emptypb.Empty{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return convertAll(reply.GetExpectedRacks(), expectedRack), nil
}

// ExpectedComponents returns Core's expected machines (Compute), switches
// (NVSwitch) or power shelves (PowerShelf).
func (c *Client) ExpectedComponents(ctx context.Context, t inventory.ComponentType) ([]inventory.ExpectedComponent, error) {
	switch t {
	case inventory.Compute:
		return c.expectedMachines(ctx)
	case inventory.NVSwitch:
		return c.expectedSwitches(ctx)
	case inventory.PowerShelf:
		return c.expectedPowerShelves(ctx)
	}
	return nil, fmt.Errorf("core: expected components: %w: type %q", inventory.ErrInvalid, t)
}

func (c *Client) expectedMachines(ctx context.Context) ([]inventory.ExpectedComponent, error) {
	var reply *pb.ExpectedMachineList
	err := c.call(ctx, "GetAllExpectedMachines", func(ctx context.Context) (err error) {
		reply, err = c.rpc.GetAllExpectedMachines(ctx, &emptypb.Empty{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return convertAll(reply.GetExpectedMachines(), expectedMachine), nil
}

func (c *Client) expectedSwitches(ctx context.Context) ([]inventory.ExpectedComponent, error) {
	var reply *pb.ExpectedSwitchList
	err := c.call(ctx, "GetAllExpectedSwitches", func(ctx context.Context) (err error) {
		reply, err = c.rpc.GetAllExpectedSwitches(ctx, &emptypb.Empty{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return convertAll(reply.GetExpectedSwitches(), expectedSwitch), nil
}

func (c *Client) expectedPowerShelves(ctx context.Context) ([]inventory.ExpectedComponent, error) {
	var reply *pb.ExpectedPowerShelfList
	err := c.call(ctx, "GetAllExpectedPowerShelves", func(ctx context.Context) (err error) {
		reply, err = c.rpc.GetAllExpectedPowerShelves(ctx, &emptypb.Empty{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return convertAll(reply.GetExpectedPowerShelves(), expectedPowerShelf), nil
}

// convertAll converts every message; an empty list converts to nil.
func convertAll[M any, D any](in []M, conv func(M) D) []D {
	if len(in) == 0 {
		return nil
	}
	out := make([]D, len(in))
	for i, m := range in {
		out[i] = conv(m)
	}
	return out
}

func expectedRack(r *pb.ExpectedRack) inventory.ExpectedRack {
	return inventory.ExpectedRack{
		RackID:      r.GetRackId().GetId(),
		ProfileID:   r.GetRackProfileId().GetId(),
		Name:        r.GetMetadata().GetName(),
		Description: r.GetMetadata().GetDescription(),
		Labels:      flattenLabels(r.GetMetadata().GetLabels()),
	}
}

// expectedMachine converts an expected machine. bmc_username and
// bmc_password are deliberately not read.
func expectedMachine(m *pb.ExpectedMachine) inventory.ExpectedComponent {
	return inventory.ExpectedComponent{
		Type:               inventory.Compute,
		BMCMAC:             m.GetBmcMacAddress(),
		BMCIP:              m.GetBmcIpAddress(),
		SerialNumber:       m.GetChassisSerialNumber(),
		Name:               m.GetMetadata().GetName(),
		Description:        m.GetMetadata().GetDescription(),
		Labels:             flattenLabels(m.GetMetadata().GetLabels()),
		RackID:             m.GetRackId().GetId(),
		ExpectedID:         m.GetId().GetValue(),
		SKU:                m.GetSkuId(),
		FallbackDPUSerials: m.GetFallbackDpuSerialNumbers(),
	}
}

// expectedSwitch converts an expected switch. The BMC and NVOS credentials
// are deliberately not read.
func expectedSwitch(s *pb.ExpectedSwitch) inventory.ExpectedComponent {
	return inventory.ExpectedComponent{
		Type:         inventory.NVSwitch,
		BMCMAC:       s.GetBmcMacAddress(),
		BMCIP:        s.GetBmcIpAddress(),
		SerialNumber: s.GetSwitchSerialNumber(),
		Name:         s.GetMetadata().GetName(),
		Description:  s.GetMetadata().GetDescription(),
		Labels:       flattenLabels(s.GetMetadata().GetLabels()),
		RackID:       s.GetRackId().GetId(),
		ExpectedID:   s.GetExpectedSwitchId().GetValue(),
		NVOSMACs:     s.GetNvosMacAddresses(),
	}
}

// expectedPowerShelf converts an expected power shelf. bmc_username and
// bmc_password are deliberately not read.
func expectedPowerShelf(p *pb.ExpectedPowerShelf) inventory.ExpectedComponent {
	return inventory.ExpectedComponent{
		Type:         inventory.PowerShelf,
		BMCMAC:       p.GetBmcMacAddress(),
		BMCIP:        p.GetBmcIpAddress(),
		SerialNumber: p.GetShelfSerialNumber(),
		Name:         p.GetMetadata().GetName(),
		Description:  p.GetMetadata().GetDescription(),
		Labels:       flattenLabels(p.GetMetadata().GetLabels()),
		RackID:       p.GetRackId().GetId(),
		ExpectedID:   p.GetExpectedPowerShelfId().GetValue(),
	}
}
