package coresim

import (
	"fmt"
	"math/rand/v2"
)

// GenerateOptions shapes a synthetic site.
type GenerateOptions struct {
	// Racks is the number of GB200 NVL72 racks.
	Racks int
	// Seed makes the site deterministic: the same seed gives the same site.
	Seed int64
	// Drift is the fraction, 0 to 1, of actual objects perturbed so that
	// they disagree with the expected inventory.
	Drift float64
}

// The shape of a GB200 NVL72 rack.
const (
	ComputeTraysPerRack  = 18
	SwitchTraysPerRack   = 9
	PowerShelvesPerRack  = 8
	DPUsPerComputeTray   = 2
	computeTraysOnTop    = 10 // compute trays above the switch trays
	firstPowerShelfSlot  = 28
	firstSwitchTraySlot  = computeTraysOnTop + 1
	firstLowerComputeBay = firstSwitchTraySlot + SwitchTraysPerRack
)

var (
	rackVendors     = []string{"Foxconn", "Wistron", "Quanta"}
	computeFirmware = []string{"25.04.1", "25.04.1", "25.04.1", "25.03.9"}
	switchFirmware  = []string{"1.0.4", "1.0.4", "1.0.3"}
	shelfFirmware   = []string{"2.1.0", "2.1.0", "2.0.7"}
	firmwareSources = []string{SourceReport, SourceReport, SourceReport, SourceReport, SourceInventoryID, SourceInventoryDescription, SourceBMCInfo}
)

// generator holds the running state of one Generate call. Every value comes
// from counters or from the seeded source, in a fixed order, so that a seed
// always yields the same site.
type generator struct {
	opt     GenerateOptions
	rng     *rand.Rand
	m       *Manifest
	macBase [3]byte
	macs    uint32
	serials int
	hosts   int
	dpus    int
	devices int
	site    string
}

// Generate builds a synthetic site of GB200 NVL72 racks: per rack 18 compute
// trays (each with 2 DPUs in the actual inventory), 9 NVLink switch trays and
// 8 power shelves, all expected and all discovered, except where Drift
// perturbs the actual objects. MACs, serials and ids are unique.
func Generate(opt GenerateOptions) *Manifest {
	seed := uint64(opt.Seed)
	g := &generator{
		opt: opt,
		rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		m: &Manifest{Version: 1, Core: CoreConfig{
			BuildVersion: "sim-generated",
			MaxFindByIDs: ptr(uint32(defaultMaxFindByIDs)),
		}},
	}
	// A locally administered, unicast prefix unique to the seed.
	g.macBase = [3]byte{0x02 | byte(g.rng.UintN(64))<<2, byte(g.rng.UintN(256)), byte(g.rng.UintN(256))}
	g.site = fmt.Sprintf("%04X", g.rng.UintN(1<<16))
	for r := range opt.Racks {
		g.rack(r)
	}
	return g.m
}

func ptr[T any](v T) *T { return &v }

func rackName(r int) string { return fmt.Sprintf("rack-%04d", r+1) }

func (g *generator) rack(r int) {
	id := rackName(r)
	vendor := rackVendors[r%len(rackVendors)]
	g.m.Expected.Racks = append(g.m.Expected.Racks, ExpectedRack{
		RackID:      id,
		Profile:     "gb200-nvl72",
		Name:        fmt.Sprintf("Rack %04d", r+1),
		Description: fmt.Sprintf("Hall %d row %d", r/200+1, r/20%10+1),
		Labels: LabelMap(map[string]string{
			"chassis.manufacturer":  vendor,
			"chassis.serial-number": g.serial("R"),
			"chassis.model":         "GB200 NVL72",
			"location.region":       "us-east",
			"location.datacenter":   "dc1",
			"location.room":         fmt.Sprintf("hall-%d", r/200+1),
			"location.position":     fmt.Sprintf("R%d-%02d", r/20%10+1, r%20+1),
		}),
	})
	for t := range ComputeTraysPerRack {
		g.computeTray(r, t, vendor)
	}
	for t := range SwitchTraysPerRack {
		g.switchTray(r, t, vendor)
	}
	for p := range PowerShelvesPerRack {
		g.powerShelf(r, p)
	}
}

// computeSlot places trays 0-9 above the switch trays and 10-17 below.
func computeSlot(t int) int {
	if t < computeTraysOnTop {
		return t + 1
	}
	return firstLowerComputeBay + t - computeTraysOnTop
}

func (g *generator) computeTray(r, t int, vendor string) {
	rack, mac, ip, serial := rackName(r), g.mac(), g.ip(r, 0, t), g.serial("C")
	dpuSerials := []string{g.serial("D"), g.serial("D")}
	g.m.Expected.Machines = append(g.m.Expected.Machines, ExpectedComponent{
		ID: g.uuid(), BMCMAC: mac, BMCIP: ip, BMCUser: "admin", BMCPassword: g.password(),
		Serial: serial, RackID: rack, Name: fmt.Sprintf("%s-c%02d", rack, t+1), SKU: "gb200-compute",
		FallbackDPUSerials: dpuSerials,
		Labels: LabelMap(map[string]string{
			"manufacturer": vendor, "model": "GB200 Compute Tray",
			"slot_id": fmt.Sprint(computeSlot(t)), "tray_idx": fmt.Sprint(t), "host_id": "0",
		}),
	})
	host := ActualMachine{
		Type: TypeHost, BMCMAC: mac, BMCIP: ip, ChassisSerial: serial, RackID: rack,
		Firmware: pick1(g, computeFirmware), FirmwareSource: pick1(g, firmwareSources),
		Power: g.power(), State: "Ready",
		Position: &Position{Slot: ptr(int32(computeSlot(t))), Tray: ptr(int32(t)), Host: ptr(int32(0))},
	}
	g.addHost(host, dpuSerials)
}

// addHost adds a discovered compute tray and its DPUs, perturbed by drift.
func (g *generator) addHost(host ActualMachine, dpuSerials []string) {
	drift := g.drift()
	if drift == driftMissing {
		return
	}
	g.hosts++
	host.ID = fmt.Sprintf("fm100h-%06d", g.hosts)
	for _, s := range dpuSerials {
		g.dpus++
		dpu := ActualMachine{ID: fmt.Sprintf("fm100d-%06d", g.dpus), Type: TypeDPU, BMCMAC: g.mac(), ChassisSerial: s, RackID: host.RackID, State: "Ready"}
		g.m.Actual.Machines = append(g.m.Actual.Machines, dpu)
		host.DPUs = append(host.DPUs, dpu.ID)
	}
	switch drift {
	case driftSlot:
		host.Position.Slot = ptr(*host.Position.Slot + 1)
	case driftRack:
		host.RackID = g.otherRack(host.RackID)
	case driftExtra:
		g.extraHost(host.RackID)
	}
	g.m.Actual.Machines = append(g.m.Actual.Machines, host)
}

// extraHost adds a discovered machine that nobody expects.
func (g *generator) extraHost(rack string) {
	g.hosts++
	g.m.Actual.Machines = append(g.m.Actual.Machines, ActualMachine{
		ID: fmt.Sprintf("fm100h-%06d", g.hosts), Type: TypeHost, BMCMAC: g.mac(), ChassisSerial: g.serial("X"),
		RackID: rack, Firmware: computeFirmware[0], Power: PowerOn, State: "Ready",
	})
}

func (g *generator) switchTray(r, t int, vendor string) {
	rack, mac, ip, serial := rackName(r), g.mac(), g.ip(r, 1, t), g.serial("S")
	g.m.Expected.Switches = append(g.m.Expected.Switches, ExpectedComponent{
		ID: g.uuid(), BMCMAC: mac, BMCIP: ip, BMCUser: "admin", BMCPassword: g.password(),
		Serial: serial, RackID: rack, Name: fmt.Sprintf("%s-s%02d", rack, t+1), NVOSMACs: []string{g.mac()},
		Labels: LabelMap(map[string]string{
			"manufacturer": vendor, "model": "NVLink Switch Tray",
			"slot_id": fmt.Sprint(firstSwitchTraySlot + t), "tray_idx": fmt.Sprint(t),
		}),
	})
	g.devices++
	g.addDevice(&g.m.Actual.Switches, ActualDevice{
		ID: fmt.Sprintf("sw-%06d", g.devices), BMCMAC: mac, BMCIP: ip, RackID: rack, Serial: serial,
		Firmware: pick1(g, switchFirmware), FirmwareSource: pick1(g, firmwareSources), Power: g.power(), State: "ready",
	})
}

func (g *generator) powerShelf(r, p int) {
	rack, mac, ip, serial := rackName(r), g.mac(), g.ip(r, 2, p), g.serial("P")
	g.m.Expected.PowerShelves = append(g.m.Expected.PowerShelves, ExpectedComponent{
		ID: g.uuid(), BMCMAC: mac, BMCIP: ip, BMCUser: "admin", BMCPassword: g.password(),
		Serial: serial, RackID: rack, Name: fmt.Sprintf("%s-p%02d", rack, p+1),
		Labels: LabelMap(map[string]string{
			"manufacturer": "Delta", "model": "33kW Power Shelf", "slot_id": fmt.Sprint(firstPowerShelfSlot + p),
		}),
	})
	g.devices++
	g.addDevice(&g.m.Actual.PowerShelves, ActualDevice{
		ID: fmt.Sprintf("ps-%06d", g.devices), BMCMAC: mac, BMCIP: ip, RackID: rack, Serial: serial,
		Firmware: pick1(g, shelfFirmware), FirmwareSource: pick1(g, firmwareSources), Power: PowerOn, State: "ready",
	})
}

// addDevice adds a discovered switch or shelf, perturbed by drift. Devices
// have no position, so a wrong slot becomes a wrong rack.
func (g *generator) addDevice(list *[]ActualDevice, d ActualDevice) {
	switch g.drift() {
	case driftMissing:
		return
	case driftRack, driftSlot:
		d.RackID = g.otherRack(d.RackID)
	case driftExtra:
		g.extraHost(d.RackID)
	}
	*list = append(*list, d)
}

type driftKind int

const (
	driftNone driftKind = iota
	driftSlot
	driftMissing
	driftExtra
	driftRack
)

// drift decides whether, and how, to perturb the next actual object. It
// always draws twice so that the drift setting does not shift the rest of
// the site's random values.
func (g *generator) drift() driftKind {
	hit, kind := g.rng.Float64(), g.rng.IntN(4)
	if hit >= g.opt.Drift {
		return driftNone
	}
	return driftKind(kind + 1)
}

// otherRack returns a different rack of the site, or one that does not
// exist when the site has a single rack.
func (g *generator) otherRack(rack string) string {
	if g.opt.Racks < 2 {
		return "rack-unknown"
	}
	for {
		if other := rackName(g.rng.IntN(g.opt.Racks)); other != rack {
			return other
		}
	}
}

func (g *generator) power() string {
	if g.rng.IntN(50) == 0 {
		return PowerOff
	}
	return PowerOn
}

func pick1(g *generator, from []string) string { return from[g.rng.IntN(len(from))] }

// mac returns the next MAC: the seed's prefix and a 24-bit counter.
func (g *generator) mac() string {
	g.macs++
	n := g.macs
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", g.macBase[0], g.macBase[1], g.macBase[2], byte(n>>16), byte(n>>8), byte(n))
}

// ip returns a BMC address: one /16 per rack, one /24 per kind.
func (g *generator) ip(r, kind, i int) string {
	return fmt.Sprintf("10.%d.%d.%d", r/250, r%250, kind*64+i+1)
}

func (g *generator) serial(kind string) string {
	g.serials++
	return fmt.Sprintf("SN-%s-%s-%07d", kind, g.site, g.serials)
}

func (g *generator) uuid() string {
	hi, lo := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xfff, lo>>48&0x3fff|0x8000, lo&0xffffffffffff)
}

func (g *generator) password() string { return fmt.Sprintf("gen-%016x", g.rng.Uint64()) }
