package coresim

import (
	"sync/atomic"

	pb "rackflow/coreproto"
)

// defaultMaxFindByIDs is Core's own default by-ids limit.
const defaultMaxFindByIDs = 100

// site is one loaded manifest, turned into the replies it serves. It is never
// changed after it is built: a reload builds a new one, so concurrent calls
// see one manifest or the other, never a mix. Served messages are shared and
// must not be modified; faults copy before changing a list.
type site struct {
	build *pb.BuildInfo
	limit uint32 // 0 = no limit

	racks       *pb.ExpectedRackList
	expMachines *pb.ExpectedMachineList
	expSwitches *pb.ExpectedSwitchList
	expShelves  *pb.ExpectedPowerShelfList
	machineIDs  []string // every machine, manifest order
	hostIDs     []string // machines of type host
	machines    map[string]*pb.Machine
	power       map[string]*pb.PowerOptions // machines whose power is set
	positions   map[string]*pb.MachinePositionInfo
	switchIDs   []string
	switches    map[string]*pb.Switch
	shelfIDs    []string
	shelves     map[string]*pb.PowerShelf
	machineInv  map[string]*pb.EndpointExplorationReport
	switchInv   map[string]*pb.EndpointExplorationReport
	shelfInv    map[string]*pb.EndpointExplorationReport
	faults      map[string][]*activeFault
}

// activeFault is a fault with its count of affected calls since the load.
type activeFault struct {
	Fault
	hits atomic.Int64
}

// newSite builds the served state of a validated manifest.
func newSite(m *Manifest) *site {
	s := &site{
		build:       &pb.BuildInfo{BuildVersion: m.Core.BuildVersion},
		limit:       defaultMaxFindByIDs,
		racks:       &pb.ExpectedRackList{ExpectedRacks: mapSlice(m.Expected.Racks, expectedRack)},
		expMachines: &pb.ExpectedMachineList{ExpectedMachines: mapSlice(m.Expected.Machines, expectedMachine)},
		expSwitches: &pb.ExpectedSwitchList{ExpectedSwitches: mapSlice(m.Expected.Switches, expectedSwitch)},
		expShelves:  &pb.ExpectedPowerShelfList{ExpectedPowerShelves: mapSlice(m.Expected.PowerShelves, expectedShelf)},
		faults:      make(map[string][]*activeFault),
	}
	if m.Core.MaxFindByIDs != nil {
		s.limit = *m.Core.MaxFindByIDs
	}
	s.build.RuntimeConfig = &pb.RuntimeConfig{MaxFindByIds: s.limit}
	s.addMachines(m.Actual.Machines, m.Core.MachineLayout == "nested")
	s.addSwitches(m.Actual.Switches)
	s.addShelves(m.Actual.PowerShelves)
	for _, f := range m.Faults {
		s.faults[f.RPC] = append(s.faults[f.RPC], &activeFault{Fault: f})
	}
	return s
}

func (s *site) addMachines(machines []ActualMachine, nested bool) {
	s.machines = make(map[string]*pb.Machine, len(machines))
	s.power = make(map[string]*pb.PowerOptions)
	s.positions = make(map[string]*pb.MachinePositionInfo)
	s.machineInv = make(map[string]*pb.EndpointExplorationReport, len(machines))
	for _, am := range machines {
		s.machineIDs = append(s.machineIDs, am.ID)
		if am.Type == TypeHost {
			s.hostIDs = append(s.hostIDs, am.ID)
		}
		s.machines[am.ID] = actualMachine(am, nested)
		if p, ok := powerOptions(am); ok {
			s.power[am.ID] = p
		}
		if am.Position != nil {
			s.positions[am.ID] = positionInfo(am.ID, am.Position)
		}
		s.machineInv[am.ID] = explorationReport(am.ChassisSerial, am.Firmware, am.FirmwareSource, am.Power)
	}
}

func (s *site) addSwitches(devices []ActualDevice) {
	s.switches = make(map[string]*pb.Switch, len(devices))
	s.switchInv = make(map[string]*pb.EndpointExplorationReport, len(devices))
	for _, d := range devices {
		s.switchIDs = append(s.switchIDs, d.ID)
		s.switches[d.ID] = &pb.Switch{Id: &pb.SwitchId{Id: d.ID}, ControllerState: d.State, BmcInfo: bmcInfo(d.BMCIP, d.BMCMAC, d.Firmware), RackId: rackID(d.RackID)}
		s.switchInv[d.ID] = explorationReport(d.Serial, d.Firmware, d.FirmwareSource, d.Power)
	}
}

func (s *site) addShelves(devices []ActualDevice) {
	s.shelves = make(map[string]*pb.PowerShelf, len(devices))
	s.shelfInv = make(map[string]*pb.EndpointExplorationReport, len(devices))
	for _, d := range devices {
		s.shelfIDs = append(s.shelfIDs, d.ID)
		s.shelves[d.ID] = &pb.PowerShelf{Id: &pb.PowerShelfId{Id: d.ID}, ControllerState: d.State, BmcInfo: bmcInfo(d.BMCIP, d.BMCMAC, d.Firmware), RackId: rackID(d.RackID)}
		s.shelfInv[d.ID] = explorationReport(d.Serial, d.Firmware, d.FirmwareSource, d.Power)
	}
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}
