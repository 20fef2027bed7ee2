package main

import (
	"bytes"
	"strings"
	"testing"
)

// elevationSlots are three slots as the API sends them: one in order, one
// Core does not see, one whose tray differs.
const elevationSlots = `[
 {"slot_id": 1, "tray_index": 0, "state": "ok",
  "expected": {"id": "c-1", "type": "Compute", "name": "compute-01", "serial_number": "SN-0001"},
  "actual": {"seen": true, "external_id": "m-0001", "power_state": 2, "firmware_version": "1.2"}, "drift": []},
 {"slot_id": 2, "tray_index": 0, "state": "missing_in_actual",
  "expected": {"id": "c-2", "type": "NVSwitch", "name": "switch-01", "serial_number": "SN-0002"},
  "actual": {"seen": false}, "drift": [{"drift_type": "missing_in_actual", "diffs": []}]},
 {"slot_id": 3, "tray_index": 1, "state": "mismatch",
  "expected": {"id": "c-3", "type": "PowerShelf", "name": "a-power-shelf-with-a-very-long-name", "serial_number": "SN-0003"},
  "actual": {"seen": true, "external_id": "ps-0003", "power_state": 1},
  "drift": [{"drift_type": "mismatch", "diffs": [{"field_name": "tray_index", "expected_value": "1", "actual_value": "2"},
                                               {"field_name": "slot_id", "expected_value": "3", "actual_value": "5"}]}]}
]`

func TestElevationText_DrawsOneLinePerSlotMarkingDriftWithin100Columns(t *testing.T) {
	slots, err := decodeItems([]byte(elevationSlots))
	if err != nil {
		t.Fatal(err)
	}
	got := elevationText(slots)
	want := "" +
		"  SLOT  TRAY  TYPE        EXPECTED                ACTUAL                DRIFT\n" +
		"  1     0     Compute     compute-01 SN-0001      m-0001 on             -\n" +
		"! 2     0     NVSwitch    switch-01 SN-0002       not seen              missing_in_actual\n" +
		"! 3     1     PowerShelf  a-power-shelf-with-a-…  ps-0003 off           tray_index 1→2, slot_id 3→5\n"
	if got != want {
		t.Errorf("elevation:\n%s\nwant:\n%s", got, want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if n := len([]rune(line)); n > elevationWidth {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
}

func TestElevationText_SaysWhenTheRackIsEmpty(t *testing.T) {
	if got := elevationText(nil); !strings.Contains(got, "no components") {
		t.Errorf("empty elevation:\n%s", got)
	}
}

func TestElevationWide_ShowsEveryCellWholeWithIDsAndFirmware(t *testing.T) {
	slots, err := decodeItems([]byte(elevationSlots))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := elevationWide(&b, slots); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a-power-shelf-with-a-very-long-name SN-0003", "tray_index 1→2, slot_id 3→5", "c-3", "1.2"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("wide elevation lacks %q:\n%s", want, b.String())
		}
	}
}

func TestRackHeader_CountsComponentsByTypeAndOpenDrift(t *testing.T) {
	r := mustItem(t, `{"name": "rack-a", "id": "r-1", "manufacturer": "Foxconn", "serial_number": "SN1",
		"description": {"model": "GB200"}, "status": "new", "location": {"region": "eu", "datacenter": "dc1"},
		"external_id": null, "updated_at": "2026-03-01T10:00:00.5Z",
		"components": [{"type": "Compute"}, {"type": "Compute"}, {"type": "PowerShelf"}], "bmcs": [{}, {}, {}],
		"drift": {"missing_in_actual": 1, "missing_in_expected": 0, "mismatch": 2, "total": 3}}`)
	want := "" +
		"rack:          rack-a\n" +
		"id:            r-1\n" +
		"manufacturer:  Foxconn\n" +
		"serial_number: SN1\n" +
		"model:         GB200\n" +
		"status:        new\n" +
		"location:      eu/dc1\n" +
		"external_id:   -\n" +
		"updated_at:    2026-03-01T10:00:00Z\n" +
		"components:    3 (Compute 2, PowerShelf 1)\n" +
		"bmcs:          3\n" +
		"open drift:    3 (missing_in_actual 1, mismatch 2)\n"
	if got := rackHeader(r); got != want {
		t.Errorf("header:\n%s\nwant:\n%s", got, want)
	}
}
