package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

func init() {
	commands["rack"] = command{summary: "show one rack and its elevation: rack NAME|ID", run: show{name: "rack", arg: "rack NAME or ID", print: showRack}.run}
}

// showRack prints a rack (by id or name) with its elevation.
func showRack(ctx context.Context, c *apiClient, name, format string, o IO) error {
	detail, slots, err := fetchRack(ctx, c, name)
	if err != nil {
		return err
	}
	return printRack(o.Out, format, detail, slots)
}

// fetchRack reads the rack (by id or name) and then its elevation by id.
func fetchRack(ctx context.Context, c *apiClient, name string) (map[string]json.RawMessage, json.RawMessage, error) {
	var detail map[string]json.RawMessage
	if err := c.getJSON(ctx, "/v1/racks/"+url.PathEscape(name), nil, &detail); err != nil {
		return nil, nil, err
	}
	var id string
	if err := json.Unmarshal(detail["id"], &id); err != nil || id == "" {
		return nil, nil, fmt.Errorf("the server's answer for rack %q has no id", name)
	}
	var elevation struct {
		Slots json.RawMessage `json:"slots"`
	}
	if err := c.getJSON(ctx, "/v1/racks/"+url.PathEscape(id)+"/elevation", nil, &elevation); err != nil {
		return nil, nil, err
	}
	return detail, elevation.Slots, nil
}

// printRack prints the rack in the format. JSON is the rack as the server
// sends it with its elevation's slots added as "elevation"; CSV is the
// elevation.
func printRack(w io.Writer, format string, detail map[string]json.RawMessage, rawSlots json.RawMessage) error {
	if format == outJSON {
		detail["elevation"] = rawSlots
		return writeObject(w, detail)
	}
	raw, _ := json.Marshal(detail) // raw members always marshal
	rack, err := decodeItem(raw)
	if err != nil {
		return err
	}
	slots, err := decodeItems(rawSlots)
	if err != nil {
		return err
	}
	switch format {
	case outCSV:
		return elevationCSV(w, slots)
	case outWide:
		if _, err := io.WriteString(w, rackHeader(rack)+"\n"); err != nil {
			return err
		}
		if err := elevationWide(w, slots); err != nil {
			return err
		}
		_, err = io.WriteString(w, "\n"+bmcText(rack))
		return err
	}
	_, err = io.WriteString(w, rackHeader(rack)+"\n"+elevationText(slots))
	return err
}

// decodeItems decodes a JSON array of objects; null is no items.
func decodeItems(raw json.RawMessage) ([]item, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil && len(raw) > 0 {
		return nil, fmt.Errorf("the server sent a list that is not a JSON array: %w", err)
	}
	out := make([]item, 0, len(list))
	for _, r := range list {
		it, err := decodeItem(r)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// rackHeader is the rack's identity and counts, one "key: value" a line.
func rackHeader(r item) string {
	rows := [][2]string{
		{"rack", r.text("name")},
		{"id", r.text("id")},
		{"manufacturer", r.text("manufacturer")},
		{"serial_number", r.text("serial_number")},
		{"model", r.text("description.model")},
		{"status", r.text("status")},
		{"location", locationText(r)},
		{"external_id", r.text("external_id")},
		{"updated_at", timeText(r.text("updated_at"))},
		{"components", countByType(r.list("components"))},
		{"bmcs", fmt.Sprint(len(r.list("bmcs")))},
		{"open drift", driftCountsText(r.obj("drift"))},
	}
	if d := r.text("deleted_at"); d != "" {
		rows = append(rows, [2]string{"deleted_at", timeText(d)})
	}
	var b strings.Builder
	for _, kv := range rows {
		fmt.Fprintf(&b, "%-14s %s\n", kv[0]+":", tableCell(kv[1]))
	}
	return b.String()
}

// countByType is "20 (Compute 18, PowerShelf 2)", types in first-seen order.
func countByType(components []any) string {
	var order []string
	counts := map[string]int{}
	for _, c := range components {
		m, _ := c.(map[string]any)
		t := item(m).text("type")
		if counts[t] == 0 {
			order = append(order, t)
		}
		counts[t]++
	}
	if len(order) == 0 {
		return "0"
	}
	parts := make([]string, len(order))
	for i, t := range order {
		parts[i] = fmt.Sprintf("%s %d", t, counts[t])
	}
	return fmt.Sprintf("%d (%s)", len(components), strings.Join(parts, ", "))
}

// driftCountsText is "3 (missing_in_actual 1, mismatch 2)", or "none".
func driftCountsText(d item) string {
	total := d.text("total")
	if total == "" || total == "0" {
		return "none"
	}
	var parts []string
	for _, k := range []string{"missing_in_actual", "missing_in_expected", "mismatch"} {
		if n := d.text(k); n != "" && n != "0" {
			parts = append(parts, k+" "+n)
		}
	}
	return total + " (" + strings.Join(parts, ", ") + ")"
}

// bmcText lists the rack's BMCs.
func bmcText(r item) string {
	var b strings.Builder
	t := newTable(&b, []column{field("MAC_ADDRESS", "mac_address"), field("TYPE", "type"), field("IP_ADDRESS", "ip_address"), field("COMPONENT_ID", "component_id")})
	for _, raw := range r.list("bmcs") {
		m, _ := raw.(map[string]any)
		t.row(m)
	}
	t.flush() //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}

// elevationCSV writes one record per slot.
func elevationCSV(w io.Writer, slots []item) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"slot_id", "tray_index", "state", "type", "name", "serial_number", "component_id", "actual_external_id", "power_state", "drift"}) //nolint:errcheck // reported by Error
	for _, s := range slots {
		exp := s.obj("expected")
		cw.Write([]string{s.text("slot_id"), s.text("tray_index"), s.text("state"), exp.text("type"), exp.text("name"), //nolint:errcheck // reported by Error
			exp.text("serial_number"), exp.text("id"), s.text("actual.external_id"), powerText(s.obj("actual")), slotDriftText(s)})
	}
	cw.Flush()
	return cw.Error()
}
