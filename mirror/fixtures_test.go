package mirror

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

var (
	t0      = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	earlier = t0.Add(-24 * time.Hour)
)

// testOptions gives predictable ids: new-0001, new-0002, … in call order.
func testOptions() Options {
	n := 0
	return Options{Now: t0, CycleID: "cycle-1", GuardRatio: DefaultGuardRatio, GuardMin: DefaultGuardMin,
		NewID: func() string { n++; return fmt.Sprintf("new-%04d", n) }}
}

type rackMod func(*inventory.ExpectedRack)

func coreRack(rackID, manufacturer, serial string, mods ...rackMod) inventory.ExpectedRack {
	r := inventory.ExpectedRack{RackID: rackID, Labels: map[string]string{}}
	if manufacturer != "" {
		r.Labels[labelChassisManufacturer] = manufacturer
	}
	if serial != "" {
		r.Labels[labelChassisSerial] = serial
	}
	for _, m := range mods {
		m(&r)
	}
	return r
}

func named(n string) rackMod     { return func(r *inventory.ExpectedRack) { r.Name = n } }
func described(d string) rackMod { return func(r *inventory.ExpectedRack) { r.Description = d } }
func label(k, v string) rackMod  { return func(r *inventory.ExpectedRack) { r.Labels[k] = v } }
func model(m string) rackMod     { return label(labelChassisModel, m) }
func rackPull(racks ...inventory.ExpectedRack) RackPull {
	return RackPull{Outcome: Rows, Racks: racks}
}

// dbRack is a live rack row; an empty ext is a NULL external id.
func dbRack(id, ext, name, manufacturer, serial string) inventory.Rack {
	return inventory.Rack{ID: id, ExternalID: inventory.Optional(ext), Name: name, Manufacturer: manufacturer,
		SerialNumber: serial, Status: "new", CreatedAt: earlier, UpdatedAt: earlier}
}

func tombstone(r inventory.Rack) inventory.Rack {
	r.DeletedAt = inventory.Ptr(earlier)
	return r
}

// planRacks plans over the world, applies the plan and checks that the plan's
// end state is the world's.
func planRacks(t testing.TB, w *world, pull RackPull, opt Options) RackPlan {
	t.Helper()
	plan := PlanRacks(pull, w.Racks(), w.Components(), opt)
	w.apply(t, plan.Writes)
	end := slices.Clone(plan.EndRacks)
	slices.SortFunc(end, func(a, b inventory.Rack) int { return strings.Compare(a.ID, b.ID) })
	if diff := cmpDiff(w.Racks(), end); diff != "" {
		t.Fatalf("EndRacks differ from the applied end state (-applied +planned):\n%s", diff)
	}
	return plan
}

// assertRacksSettled checks idempotence: planning again over the applied end
// state writes nothing.
func assertRacksSettled(t testing.TB, w *world, pull RackPull) {
	t.Helper()
	opt := testOptions()
	opt.Now = t0.Add(time.Hour)
	again := PlanRacks(pull, w.Racks(), w.Components(), opt)
	if !again.Writes.Empty() {
		t.Fatalf("second plan is not empty:%s", describeEvents(again.Writes.Events))
	}
}

func rackByExt(t testing.TB, w *world, ext string) inventory.Rack {
	t.Helper()
	for _, r := range w.racks {
		if r.ExternalID != nil && *r.ExternalID == ext {
			return r
		}
	}
	t.Fatalf("no rack with external id %q", ext)
	return inventory.Rack{}
}

// hasFinding reports whether some finding at level has msg containing substr
// and every given attribute value.
func hasFinding(fs []Finding, level slog.Level, substr string, attrs ...string) bool {
	for _, f := range fs {
		if f.Level == level && strings.Contains(f.Msg, substr) && findingNames(f, attrs) {
			return true
		}
	}
	return false
}

func findingNames(f Finding, values []string) bool {
	for _, v := range values {
		found := false
		for _, a := range f.Attrs {
			if strings.Contains(a.Value.String(), v) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func assertFinding(t testing.TB, fs []Finding, level slog.Level, substr string, attrs ...string) {
	t.Helper()
	if !hasFinding(fs, level, substr, attrs...) {
		t.Errorf("no %v finding %q naming %v among:\n%s", level, substr, attrs, describeFindings(fs))
	}
}

func describeFindings(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %v %s %v\n", f.Level, f.Msg, f.Attrs)
	}
	return b.String()
}

func assertCounters(t testing.TB, got, want Counters) {
	t.Helper()
	if diff := cmpDiff(want, got); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
}

type compMod func(*inventory.ExpectedComponent)

func coreComp(typ inventory.ComponentType, manufacturer, serial, mac string, mods ...compMod) inventory.ExpectedComponent {
	c := inventory.ExpectedComponent{Type: typ, SerialNumber: serial, BMCMAC: mac, Labels: map[string]string{}}
	if manufacturer != "" {
		c.Labels[labelManufacturer] = manufacturer
	}
	for _, m := range mods {
		m(&c)
	}
	return c
}

func inRack(id string) compMod      { return func(c *inventory.ExpectedComponent) { c.RackID = id } }
func withIP(ip string) compMod      { return func(c *inventory.ExpectedComponent) { c.BMCIP = ip } }
func compLabel(k, v string) compMod { return func(c *inventory.ExpectedComponent) { c.Labels[k] = v } }
func compNamed(n string) compMod    { return func(c *inventory.ExpectedComponent) { c.Name = n } }
func compModel(m string) compMod    { return compLabel(labelModel, m) }

func compPull(typ inventory.ComponentType, specs ...inventory.ExpectedComponent) ComponentPull {
	return ComponentPull{Type: typ, Outcome: Rows, Specs: specs}
}

func dbComp(id string, typ inventory.ComponentType, manufacturer, serial string) inventory.Component {
	return inventory.Component{ID: id, Name: inventory.Ptr(serial), Type: typ, Manufacturer: manufacturer,
		SerialNumber: serial, UpdatedAt: earlier}
}

func deadComp(c inventory.Component) inventory.Component {
	c.DeletedAt = inventory.Ptr(earlier)
	return c
}

func hostBMC(mac, component string) inventory.BMC {
	return inventory.BMC{MAC: mac, Type: inventory.HostBMC, ComponentID: component}
}

func dpuBMC(mac, component string) inventory.BMC {
	return inventory.BMC{MAC: mac, Type: inventory.DPUBMC, ComponentID: component}
}

// cyclePlans are the plans of one mirror step.
type cyclePlans struct {
	racks RackPlan
	comps map[inventory.ComponentType]ComponentPlan
}

// runCycle plans and applies a whole mirror step: racks, then each component
// type in order. A type without a pull gets an empty one. Types listed in
// rollback are planned, then discarded and left out of later settlements,
// as a failed transaction would be.
func runCycle(t testing.TB, w *world, racks RackPull, pulls []ComponentPull, opt Options, rollback ...inventory.ComponentType) cyclePlans {
	t.Helper()
	out := cyclePlans{comps: map[inventory.ComponentType]ComponentPlan{}}
	out.racks = planRacks(t, w, racks, opt)
	prepared := prepareAll(pulls)
	for _, typ := range inventory.MirroredTypes {
		plan := PlanComponents(typ, prepared, w.state(), opt)
		out.comps[typ] = plan
		committed := !slices.Contains(rollback, typ)
		SettleClaims(prepared, plan, committed)
		if committed {
			w.apply(t, plan.Writes)
		}
	}
	return out
}

func prepareAll(pulls []ComponentPull) map[inventory.ComponentType]PreparedComponents {
	prepared := map[inventory.ComponentType]PreparedComponents{}
	for _, typ := range inventory.MirroredTypes {
		prepared[typ] = PrepareComponents(ComponentPull{Type: typ, Outcome: Empty})
	}
	for _, p := range pulls {
		prepared[p.Type] = PrepareComponents(p)
	}
	return prepared
}

// assertSettled checks idempotence of a whole step: a second cycle over the
// applied end state and the same Core data writes nothing.
func assertSettled(t testing.TB, w *world, racks RackPull, pulls ...ComponentPull) {
	t.Helper()
	opt := testOptions()
	opt.Now = t0.Add(time.Hour)
	again := runCycle(t, w, racks, pulls, opt)
	if !again.racks.Writes.Empty() {
		t.Errorf("second rack plan is not empty:%s", describeEvents(again.racks.Writes.Events))
	}
	for typ, p := range again.comps {
		if !p.Writes.Empty() {
			t.Errorf("second %s plan is not empty:%s", typ, describeEvents(p.Writes.Events))
		}
	}
}

func compByKey(t testing.TB, w *world, serial string) inventory.Component {
	t.Helper()
	for _, c := range w.comps {
		if c.SerialNumber == serial {
			return c
		}
	}
	t.Fatalf("no component with serial %q", serial)
	return inventory.Component{}
}

// hostsOf lists a component's Host BMC MACs, sorted.
func hostsOf(w *world, component string) []string {
	var out []string
	for _, b := range w.BMCs() {
		if b.ComponentID == component && b.Type == inventory.HostBMC {
			out = append(out, b.MAC)
		}
	}
	return out
}
