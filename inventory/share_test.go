package inventory

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// sharedRows builds rows the way a read does: every value its own copy.
func sharedRows() ([]Component, []BMC) {
	own := func(s string) string { return strings.Clone(s) }
	ingested := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	comp := func(id, rack, model string, slot int64, power PowerState) Component {
		return Component{ID: own(id), Type: ComponentType(own("Compute")), Manufacturer: own("NVIDIA"), SerialNumber: own("SN-" + id),
			Model: Ptr(own(model)), FirmwareVersion: Ptr(own("1.0")), RackID: Ptr(own(rack)), SlotID: Ptr(slot),
			PowerState: Ptr(power), IngestedAt: Ptr(ingested), UpdatedAt: ingested}
	}
	cs := []Component{
		comp("c1", "r1", "GB200", 1, PowerOn),
		comp("c2", "r1", "GB200", 1, PowerOn),
		comp("c3", "r2", "GB300", 2, PowerOff),
		{ID: own("c4"), Type: ComponentType(own("NVSwitch")), Manufacturer: own("NVIDIA"), SerialNumber: own("SN-c4"), UpdatedAt: ingested},
	}
	bs := []BMC{
		{MAC: "aa:00:00:00:00:01", Type: BMCType(own("Host")), ComponentID: own("c1"), IPAddress: Ptr(own("10.0.0.1"))},
		{MAC: "aa:00:00:00:00:02", Type: BMCType(own("DPU")), ComponentID: own("c1")},
	}
	return cs, bs
}

func TestShareValues_EqualValuesShareOneCopyAndNoValueChanges(t *testing.T) {
	cs, bs := sharedRows()
	wantCs, wantBs := sharedRows()
	ShareValues(cs, bs)
	if !reflect.DeepEqual(cs, wantCs) || !reflect.DeepEqual(bs, wantBs) {
		t.Fatalf("sharing changed a value:\n got %+v\n%+v\nwant %+v\n%+v", cs, bs, wantCs, wantBs)
	}
	c1, c2, c3, c4 := cs[0], cs[1], cs[2], cs[3]
	for name, same := range map[string]bool{
		"model":       c1.Model == c2.Model,
		"firmware":    c1.FirmwareVersion == c2.FirmwareVersion && c1.FirmwareVersion == c3.FirmwareVersion,
		"rack_id":     c1.RackID == c2.RackID,
		"slot_id":     c1.SlotID == c2.SlotID,
		"power_state": c1.PowerState == c2.PowerState,
		"ingested_at": c1.IngestedAt == c3.IngestedAt,
		"type":        unsafe.StringData(string(c1.Type)) == unsafe.StringData(string(c3.Type)),
		"component":   unsafe.StringData(bs[0].ComponentID) == unsafe.StringData(c1.ID) && unsafe.StringData(bs[1].ComponentID) == unsafe.StringData(c1.ID),
	} {
		if !same {
			t.Errorf("%s: equal values are not shared (or different ones are)", name)
		}
	}
	for name, distinct := range map[string]bool{
		"model":       c1.Model != c3.Model,
		"rack_id":     c1.RackID != c3.RackID,
		"slot_id":     c1.SlotID != c3.SlotID,
		"power_state": c1.PowerState != c3.PowerState,
	} {
		if !distinct {
			t.Errorf("%s: different values share one pointer", name)
		}
	}
	if c4.Model != nil || c4.RackID != nil || c4.PowerState != nil || c4.IngestedAt != nil {
		t.Errorf("a nil value became set: %+v", c4)
	}
}

// BenchmarkShareValues shares the values of a 10,000-rack read: 350,000
// components and 710,000 BMCs.
func BenchmarkShareValues(b *testing.B) {
	const comps, racks = 350_000, 10_000
	models := []string{"GB200 NVL72 compute tray", "NVLink switch tray", "power shelf"}
	build := func() ([]Component, []BMC) {
		at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		cs, bs := make([]Component, comps), make([]BMC, 0, 2*comps)
		for i := range cs {
			id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
			cs[i] = Component{ID: id, Type: ComponentType(strings.Clone("Compute")), Manufacturer: strings.Clone("NVIDIA"),
				SerialNumber: fmt.Sprintf("SN-%d", i), Model: Ptr(strings.Clone(models[i%3])), FirmwareVersion: Ptr(strings.Clone("1.0")),
				RackID: Ptr(fmt.Sprintf("%08x-0000-4000-8000-rack", i%racks)), SlotID: Ptr(int64(i % 18)), PowerState: Ptr(PowerOn),
				IngestedAt: Ptr(at), UpdatedAt: at}
			bs = append(bs, BMC{MAC: fmt.Sprintf("aa:%010x", i), Type: BMCType(strings.Clone("Host")), ComponentID: strings.Clone(id)})
			if i%2 == 0 {
				bs = append(bs, BMC{MAC: fmt.Sprintf("dd:%010x", i), Type: BMCType(strings.Clone("DPU")), ComponentID: strings.Clone(id)},
					BMC{MAC: fmt.Sprintf("de:%010x", i), Type: BMCType(strings.Clone("DPU")), ComponentID: strings.Clone(id)})
			}
		}
		return cs, bs
	}
	for b.Loop() {
		b.StopTimer()
		cs, bs := build()
		b.StartTimer()
		ShareValues(cs, bs)
	}
}
