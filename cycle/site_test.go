package cycle_test

import (
	"fmt"

	"rackflow/coresim"
)

// site builds simulator manifests in Go, one rack, machine, switch or shelf at
// a time, with matching actual objects unless told otherwise.
type site struct{ m coresim.Manifest }

func newSite() *site { return &site{m: coresim.Manifest{Version: 1}} }

func (s *site) rack(id, serial string) *site {
	s.m.Expected.Racks = append(s.m.Expected.Racks, coresim.ExpectedRack{RackID: id, Name: "Rack " + id,
		Labels: coresim.LabelMap(map[string]string{"chassis.manufacturer": "Foxconn", "chassis.serial-number": serial})})
	return s
}

// machine adds an expected compute tray and a discovered host with the same
// MAC and serial, in slot n.
func (s *site) machine(n int, rack string) *site {
	serial, mac := fmt.Sprintf("SN-C-%04d", n), fmt.Sprintf("aa:bb:cc:00:00:%02x", n)
	slot := fmt.Sprint(n)
	s.m.Expected.Machines = append(s.m.Expected.Machines, coresim.ExpectedComponent{BMCMAC: mac, Serial: serial, RackID: rack,
		BMCUser: "admin", BMCPassword: "hunter2",
		Labels: coresim.LabelMap(map[string]string{"manufacturer": "Foxconn", "slot_id": slot})})
	sl := int32(n)
	s.m.Actual.Machines = append(s.m.Actual.Machines, coresim.ActualMachine{ID: fmt.Sprintf("m-%d", n), Type: coresim.TypeHost,
		BMCMAC: mac, ChassisSerial: serial, RackID: rack, Power: coresim.PowerOn, Firmware: "1.0", Position: &coresim.Position{Slot: &sl}})
	return s
}

func (s *site) device(kind string, n int, rack string) (coresim.ExpectedComponent, coresim.ActualDevice) {
	serial, mac := fmt.Sprintf("SN-%s-%04d", kind, n), fmt.Sprintf("aa:bb:cc:%s:00:%02x", map[string]string{"S": "01", "P": "02"}[kind], n)
	return coresim.ExpectedComponent{BMCMAC: mac, Serial: serial, RackID: rack, Labels: coresim.LabelMap(map[string]string{"manufacturer": "Foxconn"})},
		coresim.ActualDevice{ID: fmt.Sprintf("%s-%d", map[string]string{"S": "sw", "P": "ps"}[kind], n), BMCMAC: mac, RackID: rack, Serial: serial, Power: coresim.PowerOn, Firmware: "2.0"}
}

func (s *site) nvswitch(n int, rack string) *site {
	e, a := s.device("S", n, rack)
	s.m.Expected.Switches = append(s.m.Expected.Switches, e)
	s.m.Actual.Switches = append(s.m.Actual.Switches, a)
	return s
}

func (s *site) shelf(n int, rack string) *site {
	e, a := s.device("P", n, rack)
	s.m.Expected.PowerShelves = append(s.m.Expected.PowerShelves, e)
	s.m.Actual.PowerShelves = append(s.m.Actual.PowerShelves, a)
	return s
}

func (s *site) fault(f coresim.Fault) *site {
	s.m.Faults = append(s.m.Faults, f)
	return s
}

// manifest returns a copy that later edits of s do not change.
func (s *site) manifest() *coresim.Manifest {
	m := s.m
	m.Expected.Racks = append([]coresim.ExpectedRack(nil), s.m.Expected.Racks...)
	m.Expected.Machines = append([]coresim.ExpectedComponent(nil), s.m.Expected.Machines...)
	m.Expected.Switches = append([]coresim.ExpectedComponent(nil), s.m.Expected.Switches...)
	m.Expected.PowerShelves = append([]coresim.ExpectedComponent(nil), s.m.Expected.PowerShelves...)
	m.Actual.Machines = append([]coresim.ActualMachine(nil), s.m.Actual.Machines...)
	m.Actual.Switches = append([]coresim.ActualDevice(nil), s.m.Actual.Switches...)
	m.Actual.PowerShelves = append([]coresim.ActualDevice(nil), s.m.Actual.PowerShelves...)
	m.Faults = append([]coresim.Fault(nil), s.m.Faults...)
	return &m
}

// example1 is mirror.md's first example: racks a12 and b07, three machines in
// a12, a switch and a shelf in b07.
func example1() *site {
	return newSite().rack("a12", "SN-A12").rack("b07", "SN-B07").
		machine(1, "a12").machine(2, "a12").machine(3, "a12").nvswitch(1, "b07").shelf(1, "b07")
}
