package coresim

import (
	pb "rackflow/coreproto"
)

// This file turns manifest objects into Core's messages.

func expectedRack(r ExpectedRack) *pb.ExpectedRack {
	return &pb.ExpectedRack{
		RackId:        rackID(r.RackID),
		RackProfileId: &pb.RackProfileId{Id: r.Profile},
		Metadata:      metadata(r.Name, r.Description, r.Labels),
	}
}

func expectedMachine(c ExpectedComponent) *pb.ExpectedMachine {
	m := &pb.ExpectedMachine{
		BmcMacAddress:            c.BMCMAC,
		BmcUsername:              c.BMCUser,
		BmcPassword:              c.BMCPassword,
		ChassisSerialNumber:      c.Serial,
		FallbackDpuSerialNumbers: c.FallbackDPUSerials,
		Metadata:                 metadata(c.Name, c.Description, c.Labels),
		Id:                       uuid(c.ID),
		RackId:                   rackID(c.RackID),
		SkuId:                    optional(c.SKU),
		BmcIpAddress:             optional(c.BMCIP),
	}
	return m
}

func expectedSwitch(c ExpectedComponent) *pb.ExpectedSwitch {
	return &pb.ExpectedSwitch{
		BmcMacAddress:      c.BMCMAC,
		BmcUsername:        c.BMCUser,
		BmcPassword:        c.BMCPassword,
		SwitchSerialNumber: c.Serial,
		Metadata:           metadata(c.Name, c.Description, c.Labels),
		RackId:             rackID(c.RackID),
		ExpectedSwitchId:   uuid(c.ID),
		NvosMacAddresses:   c.NVOSMACs,
		BmcIpAddress:       c.BMCIP,
	}
}

func expectedShelf(c ExpectedComponent) *pb.ExpectedPowerShelf {
	return &pb.ExpectedPowerShelf{
		BmcMacAddress:        c.BMCMAC,
		BmcUsername:          c.BMCUser,
		BmcPassword:          c.BMCPassword,
		ShelfSerialNumber:    c.Serial,
		BmcIpAddress:         c.BMCIP,
		Metadata:             metadata(c.Name, c.Description, c.Labels),
		RackId:               rackID(c.RackID),
		ExpectedPowerShelfId: uuid(c.ID),
	}
}

func metadata(name, description string, labels Labels) *pb.Metadata {
	md := &pb.Metadata{Name: name, Description: description}
	for _, l := range labels {
		md.Labels = append(md.Labels, &pb.Label{Key: l.Key, Value: l.Value})
	}
	return md
}

// rackID leaves an empty id unset on the wire.
func rackID(id string) *pb.RackId {
	if id == "" {
		return nil
	}
	return &pb.RackId{Id: id}
}

func uuid(id string) *pb.UUID {
	if id == "" {
		return nil
	}
	return &pb.UUID{Value: id}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func bmcInfo(ip, mac, firmware string) *pb.BmcInfo {
	return &pb.BmcInfo{Ip: optional(ip), Mac: optional(mac), FirmwareVersion: optional(firmware)}
}

// actualMachine builds a machine in the flat layout, or with discovery data
// under status in the nested layout of newer Core builds.
func actualMachine(am ActualMachine, nested bool) *pb.Machine {
	m := &pb.Machine{
		Id:          &pb.MachineId{Id: am.ID},
		State:       am.State,
		MachineType: pb.MachineType_MACHINE_TYPE_HOST,
		BmcInfo:     bmcInfo(am.BMCIP, am.BMCMAC, am.Firmware),
		RackId:      rackID(am.RackID),
	}
	if am.Type == TypeDPU {
		m.MachineType = pb.MachineType_MACHINE_TYPE_DPU
	}
	discovery := &pb.DiscoveryInfo{DmiData: &pb.DmiData{ChassisSerial: am.ChassisSerial}}
	dpus := mapSlice(am.DPUs, func(id string) *pb.MachineId { return &pb.MachineId{Id: id} })
	if nested {
		m.Status = &pb.MachineStatus{DiscoveryInfo: discovery, AssociatedDpuMachineIds: dpus}
	} else {
		m.DiscoveryInfo, m.AssociatedDpuMachineIds = discovery, dpus
	}
	return m
}

// powerOptions is the machine's GetPowerOptions entry; a machine whose power
// is unset has none.
func powerOptions(am ActualMachine) (*pb.PowerOptions, bool) {
	var st pb.PowerState
	switch am.Power {
	case PowerOn:
		st = pb.PowerState_POWER_STATE_ON
	case PowerOff:
		st = pb.PowerState_POWER_STATE_OFF
	case PowerDisabled:
		st = pb.PowerState_POWER_STATE_POWER_MANAGER_DISABLED
	default:
		return nil, false
	}
	return &pb.PowerOptions{DesiredState: st, ActualState: st, HostId: &pb.MachineId{Id: am.ID}}, true
}

func positionInfo(id string, p *Position) *pb.MachinePositionInfo {
	return &pb.MachinePositionInfo{
		MachineId:          &pb.MachineId{Id: id},
		PhysicalSlotNumber: p.Slot,
		ComputeTrayIndex:   p.Tray,
		TopologyId:         p.Host,
	}
}

// explorationReport builds an object's explored BMC report. The firmware
// goes where source says; the system, and so a power state, exists only when
// power is set.
func explorationReport(serial, firmware, source, power string) *pb.EndpointExplorationReport {
	r := &pb.EndpointExplorationReport{}
	if st, ok := systemPower(power); ok {
		r.Systems = []*pb.ComputerSystem{{Id: "System.Embedded.1", SerialNumber: optional(serial), PowerState: st}}
	}
	if serial != "" {
		r.Chassis = []*pb.Chassis{{Id: "Chassis.Embedded.1", SerialNumber: optional(serial)}}
	}
	if firmware == "" {
		return r
	}
	switch source {
	case "", SourceReport:
		r.FirmwareVersions = map[string]string{"bmc": firmware}
	case SourceInventoryID:
		r.Service = firmwareService(&pb.Inventory{Id: "BMC", Version: optional(firmware)})
	case SourceInventoryDescription:
		r.Service = firmwareService(&pb.Inventory{Id: "Installed-0-bmc", Description: optional("BMC image"), Version: optional(firmware)})
	}
	return r
}

func firmwareService(inv *pb.Inventory) []*pb.Service {
	return []*pb.Service{{Id: "FirmwareInventory", Inventories: []*pb.Inventory{inv}}}
}

func systemPower(power string) (pb.SystemPowerState, bool) {
	switch power {
	case PowerOn:
		return pb.SystemPowerState_SYSTEM_POWER_STATE_ON, true
	case PowerOff:
		return pb.SystemPowerState_SYSTEM_POWER_STATE_OFF, true
	case PowerDisabled:
		// A BMC whose power manager is disabled cannot say.
		return pb.SystemPowerState_SYSTEM_POWER_STATE_UNKNOWN, true
	}
	return 0, false
}
