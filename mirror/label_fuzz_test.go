package mirror_test

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"rackflow/inventory"
	"rackflow/mirror"
)

// FuzzPrepareComponents_Labels feeds one expected component with arbitrary
// MAC, serial and labels through the mirror's input step. It never panics;
// a malformed integer label or MAC is reported in a warning that carries the
// raw value; a well-formed integer label becomes exactly its number.
func FuzzPrepareComponents_Labels(f *testing.F) {
	f.Add("aa:bb:cc:00:00:01", "SN-1", "Foxconn", "3", "0", "007", "GB200")
	f.Add("not-a-mac", "SN-2", "Foxconn", "-1", "1.5", "99999999999", "")
	f.Add("AABBCC000001", "", "", " 4 ", "x", "2147483647", "m")
	f.Add("aa:bb:cc:00:00:02", "SN-3", "Foxconn", "2147483648", "+1", "1 2", "\x00")
	f.Fuzz(func(t *testing.T, mac, serial, manufacturer, slot, tray, host, model string) {
		labels := map[string]string{"manufacturer": manufacturer, "slot_id": slot, "tray_idx": tray, "host_id": host, "model": model}
		p := mirror.PrepareComponents(mirror.ComponentPull{Type: inventory.Compute, Outcome: mirror.Rows,
			Specs: []inventory.ExpectedComponent{{Type: inventory.Compute, BMCMAC: mac, SerialNumber: serial, Labels: labels}}})
		for _, fd := range p.Findings {
			checkFindingNamesValue(t, fd, mac, labels)
		}
		for _, s := range p.Specs {
			checkIntLabel(t, "slot_id", slot, s.SlotID)
			checkIntLabel(t, "tray_idx", tray, s.TrayIndex)
			checkIntLabel(t, "host_id", host, s.HostID)
		}
	})
}

func checkFindingNamesValue(t *testing.T, fd mirror.Finding, mac string, labels map[string]string) {
	t.Helper()
	attr := func(key string) (string, bool) {
		i := slices.IndexFunc(fd.Attrs, func(a slog.Attr) bool { return a.Key == key })
		if i < 0 {
			return "", false
		}
		return fd.Attrs[i].Value.String(), true
	}
	switch fd.Msg {
	case "component integer label is malformed":
		label, _ := attr("label")
		if v, ok := attr("value"); !ok || v != labels[label] {
			t.Fatalf("warning %q for label %q carries value %q, want %q", fd.Msg, label, v, labels[label])
		}
	case "component skipped: host BMC MAC is missing or invalid":
		if v, ok := attr("mac"); !ok || v != mac {
			t.Fatalf("warning %q carries mac %q, want %q", fd.Msg, v, mac)
		}
	}
}

func checkIntLabel(t *testing.T, name, raw string, got mirror.IntLabel) {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 32)
	wellFormed := err == nil && n >= 0 && isDigits(strings.TrimSpace(raw))
	switch {
	case wellFormed && (got.Value == nil || *got.Value != n || got.Malformed):
		t.Fatalf("label %s %q = %+v, want %d", name, raw, got, n)
	case !wellFormed && got.Value != nil:
		t.Fatalf("label %s %q = %d, want no value", name, raw, *got.Value)
	}
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// FuzzPlanRacks_Labels plans one expected rack with arbitrary id, name and
// labels on an empty database. It never panics; an inserted rack carries the
// chassis labels trimmed and valid JSON columns; a rack that is not inserted
// is named by a warning.
func FuzzPlanRacks_Labels(f *testing.F) {
	f.Add("a12", "Rack A12", "Foxconn", "SN-A12", "us-east", "NVL72")
	f.Add("", "", "", "", "", "")
	f.Add(" b07 ", "\x00", " Foxconn ", "SN\"1", "{\"x\":1}", "\xff")
	f.Fuzz(func(t *testing.T, rackID, name, manufacturer, serial, region, model string) {
		labels := map[string]string{"chassis.manufacturer": manufacturer, "chassis.serial-number": serial,
			"location.region": region, "chassis.model": model}
		plan := mirror.PlanRacks(mirror.RackPull{Outcome: mirror.Rows,
			Racks: []inventory.ExpectedRack{{RackID: rackID, Name: name, Labels: labels}}}, nil, nil,
			mirror.Options{GuardRatio: mirror.DefaultGuardRatio, GuardMin: mirror.DefaultGuardMin})
		for _, r := range plan.Writes.RackInserts {
			if r.Manufacturer != strings.TrimSpace(manufacturer) || r.SerialNumber != strings.TrimSpace(serial) {
				t.Fatalf("inserted chassis %q/%q from labels %q/%q", r.Manufacturer, r.SerialNumber, manufacturer, serial)
			}
			for _, col := range []json.RawMessage{r.Description, r.Location} {
				if col != nil && !json.Valid(col) {
					t.Fatalf("inserted rack has invalid JSON %q", col)
				}
			}
		}
		if len(plan.Writes.RackInserts) == 0 && !slices.ContainsFunc(plan.Findings, func(fd mirror.Finding) bool { return fd.Level >= slog.LevelWarn }) {
			t.Fatalf("rack %q/%q/%q was neither inserted nor warned about", rackID, manufacturer, serial)
		}
	})
}
