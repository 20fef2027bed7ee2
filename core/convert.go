package core

import (
	pb "rackflow/coreproto"
	"rackflow/inventory"
)

// flattenLabels turns Core's repeated labels into a map: a label whose value
// is unset is dropped, and the last of a repeated key wins.
func flattenLabels(labels []*pb.Label) map[string]string {
	var out map[string]string
	for _, l := range labels {
		if l.Value == nil {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(labels))
		}
		out[l.GetKey()] = l.GetValue()
	}
	return out
}

// powerState maps GetPowerOptions' PowerState to the stored power state.
func powerState(s pb.PowerState) inventory.PowerState {
	switch s {
	case pb.PowerState_POWER_STATE_ON:
		return inventory.PowerOn
	case pb.PowerState_POWER_STATE_OFF:
		return inventory.PowerOff
	case pb.PowerState_POWER_STATE_POWER_MANAGER_DISABLED:
		return inventory.PowerDisabled
	}
	return inventory.PowerUnknown
}

// systemPowerState maps a report's SystemPowerState to the stored power
// state: transitions count as the state being entered.
func systemPowerState(s pb.SystemPowerState) inventory.PowerState {
	switch s {
	case pb.SystemPowerState_SYSTEM_POWER_STATE_ON, pb.SystemPowerState_SYSTEM_POWER_STATE_POWERING_ON:
		return inventory.PowerOn
	case pb.SystemPowerState_SYSTEM_POWER_STATE_OFF, pb.SystemPowerState_SYSTEM_POWER_STATE_POWERING_OFF:
		return inventory.PowerOff
	}
	return inventory.PowerUnknown
}

func machineType(t pb.MachineType) inventory.MachineType {
	switch t {
	case pb.MachineType_MACHINE_TYPE_DPU:
		return inventory.MachineDPU
	case pb.MachineType_MACHINE_TYPE_HOST:
		return inventory.MachineHost
	case pb.MachineType_MACHINE_TYPE_POWER_SHELF:
		return inventory.MachinePowerShelf
	}
	return inventory.MachineUnknown
}

func bmcInfo(b *pb.BmcInfo) inventory.BMCInfo {
	return inventory.BMCInfo{
		IP:              b.GetIp(),
		MAC:             b.GetMac(),
		Version:         b.GetVersion(),
		FirmwareVersion: b.GetFirmwareVersion(),
	}
}

func dmiData(d *pb.DmiData) inventory.DMIData {
	return inventory.DMIData{
		ProductSerial: d.GetProductSerial(),
		BoardSerial:   d.GetBoardSerial(),
		ChassisSerial: d.GetChassisSerial(),
		ProductName:   d.GetProductName(),
		SysVendor:     d.GetSysVendor(),
	}
}

func int64Ptr(v *int32) *int64 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return &n
}

func machineIDs(ids []string) []*pb.MachineId {
	out := make([]*pb.MachineId, len(ids))
	for i, id := range ids {
		out[i] = &pb.MachineId{Id: id}
	}
	return out
}

func switchIDs(ids []string) []*pb.SwitchId {
	out := make([]*pb.SwitchId, len(ids))
	for i, id := range ids {
		out[i] = &pb.SwitchId{Id: id}
	}
	return out
}

func powerShelfIDs(ids []string) []*pb.PowerShelfId {
	out := make([]*pb.PowerShelfId, len(ids))
	for i, id := range ids {
		out[i] = &pb.PowerShelfId{Id: id}
	}
	return out
}

// idsOf extracts the id of every element, for reply checks.
func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}
