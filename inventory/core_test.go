package inventory

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
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
