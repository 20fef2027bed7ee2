package inventory

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestInventoryReport_BMCFirmwarePrecedence(t *testing.T) {
	bmcID := ReportService{ID: "fw", Inventories: []ReportInventory{{ID: "FW_BMC_0", Version: "2.0"}}}
	image := ReportService{ID: "fw", Inventories: []ReportInventory{{ID: "x", Description: "BMC image", Version: "3.0"}}}
	tests := []struct {
		name   string
		report *InventoryReport
		want   string
	}{
		{"no report has no firmware", nil, ""},
		{"firmware_versions bmc wins over inventories", &InventoryReport{FirmwareVersions: map[string]string{"bmc": " 1.3 "}, Services: []ReportService{bmcID, image}}, "1.3"},
		{"blank firmware_versions bmc falls through", &InventoryReport{FirmwareVersions: map[string]string{"bmc": "  "}, Services: []ReportService{image, bmcID}}, "2.0"},
		{"a BMC id wins over a BMC image description", &InventoryReport{Services: []ReportService{image, bmcID}}, "2.0"},
		{"an id with an empty version is skipped", &InventoryReport{Services: []ReportService{{Inventories: []ReportInventory{{ID: "BMC"}, {ID: "HostBMC_0", Version: "4"}}}}}, "4"},
		{"the BMC image description is the last resort", &InventoryReport{Services: []ReportService{image}}, "3.0"},
		{"other inventories are ignored", &InventoryReport{Services: []ReportService{{Inventories: []ReportInventory{{ID: "BIOS", Version: "9"}}}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.report.BMCFirmware(); got != tt.want {
				t.Errorf("BMCFirmware() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestChanges_LogValueIsReadableInBothHandlers(t *testing.T) {
	s, ext := "a12", (*string)(nil)
	cs := Changes{
		"external_id": {Old: ext, New: &s},
		"location":    {Old: nil, New: json.RawMessage(`{"room":"hall-1"}`)},
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("w", "changes", cs)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("w", "changes", cs)
	if want := `changes.external_id.new=a12`; !strings.Contains(text.String(), want) {
		t.Errorf("text log %q lacks %q", text.String(), want)
	}
	if want := `"location":{"old":null,"new":{"room":"hall-1"}}`; !strings.Contains(js.String(), want) {
		t.Errorf("json log %q lacks %q", js.String(), want)
	}
}

// changesOfEveryKind holds each kind of value a change carries.
func changesOfEveryKind() Changes {
	s, n, p, at := "a12", int64(7), PowerOff, time.Date(2026, 12, 4, 1, 2, 3, 0, time.UTC)
	return Changes{
		"a_str":   {Old: (*string)(nil), New: &s},
		"b_int":   {Old: &n, New: (*int64)(nil)},
		"c_power": {Old: &p, New: (*PowerState)(nil)},
		"d_time":  {Old: &at, New: (*time.Time)(nil)},
		"e_json":  {Old: json.RawMessage(nil), New: json.RawMessage(`{"room":"hall-1"}`)},
		"f_plain": {Old: "c3", New: 4},
	}
}

func TestChanges_LogValueRendersEveryKindOfValue(t *testing.T) {
	noTime := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, noTime)).Info("w", "changes", changesOfEveryKind())
	slog.New(slog.NewJSONHandler(&js, noTime)).Info("w", "changes", changesOfEveryKind())
	wantText := `level=INFO msg=w changes.a_str.old=<nil> changes.a_str.new=a12 changes.b_int.old=7 changes.b_int.new=<nil> ` +
		`changes.c_power.old=off changes.c_power.new=<nil> changes.d_time.old=2026-12-04T01:02:03.000Z changes.d_time.new=<nil> ` +
		`changes.e_json.old=<nil> changes.e_json.new="{\"room\":\"hall-1\"}" changes.f_plain.old=c3 changes.f_plain.new=4` + "\n"
	wantJSON := `{"level":"INFO","msg":"w","changes":{"a_str":{"old":null,"new":"a12"},"b_int":{"old":7,"new":null},` +
		`"c_power":{"old":1,"new":null},"d_time":{"old":"2026-12-04T01:02:03Z","new":null},` +
		`"e_json":{"old":null,"new":{"room":"hall-1"}},"f_plain":{"old":"c3","new":4}}}` + "\n"
	if text.String() != wantText {
		t.Errorf("text log:\n got %s\nwant %s", text.String(), wantText)
	}
	if js.String() != wantJSON {
		t.Errorf("json log:\n got %s\nwant %s", js.String(), wantJSON)
	}
	if n := testing.AllocsPerRun(100, func() { _ = changesOfEveryKind().LogValue() }) - testing.AllocsPerRun(100, func() { _ = changesOfEveryKind() }); n > 3 {
		t.Errorf("LogValue makes %.0f allocations, want at most 3 (one log line per write)", n)
	}
}
