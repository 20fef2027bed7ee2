package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

func init() {
	commands["component"] = command{summary: "show one component: its BMCs, drift, drift history and latest events: component ID", run: show{name: "component", arg: "component ID", print: showComponent}.run}
}

// showComponent prints /v1/components/{id}.
func showComponent(ctx context.Context, c *apiClient, id, format string, o IO) error {
	var raw json.RawMessage
	if err := c.getJSON(ctx, "/v1/components/"+url.PathEscape(id), nil, &raw); err != nil {
		return err
	}
	return printComponent(o.Out, format, raw, time.Now())
}

// printComponent prints the component in the format. JSON is the object as
// the server sends it; CSV is its drift history.
func printComponent(w io.Writer, format string, raw json.RawMessage, now time.Time) error {
	c, err := decodeItem(raw)
	if err != nil {
		return err
	}
	switch format {
	case outJSON:
		return writeObject(w, c)
	case outCSV:
		return driftHistoryCSV(w, c)
	}
	_, err = io.WriteString(w, componentText(c, format == outWide, now))
	return err
}

// componentText is the component's fields, then its BMCs, open drift, drift
// history and latest events, each as a table.
func componentText(c item, wide bool, now time.Time) string {
	var b strings.Builder
	b.WriteString(componentHeader(c))
	sections := []struct {
		title, path string
		columns     []column
	}{
		{"BMCs", "bmcs", []column{field("MAC_ADDRESS", "mac_address"), field("TYPE", "type"), field("IP_ADDRESS", "ip_address")}},
		{"Open drift", "drift", []column{{"AGE", func(d item) string { return since(d.text("first_seen_at"), now) }},
			field("DRIFT_TYPE", "drift_type"), timeField("FIRST_SEEN_AT", "first_seen_at"), {"DIFFS", diffsText}}},
		{"Drift history", "drift_history", []column{timeField("AT", "at"), field("EVENT", "event"), field("DRIFT_TYPE", "drift_type"), {"DIFFS", diffsText}}},
		{"Latest events", "events", eventColumns(wide)},
	}
	for _, s := range sections {
		rows := c.list(s.path)
		fmt.Fprintf(&b, "\n%s (%d)\n", s.title, len(rows))
		if len(rows) == 0 {
			continue
		}
		t := newTable(&b, s.columns)
		for _, r := range rows {
			m, _ := r.(map[string]any)
			t.row(m)
		}
		t.flush() //nolint:errcheck // a strings.Builder does not fail
	}
	return b.String()
}

// eventColumns are the audit columns of a component's events: the changed
// fields, or with wide the changes themselves.
func eventColumns(wide bool) []column {
	changes := column{"FIELDS", changedFields}
	if wide {
		changes = column{"CHANGES", changesText}
	}
	return []column{timeField("AT", "at"), field("ACTION", "action"), field("SOURCE", "source"), field("CYCLE_ID", "cycle_id"), changes}
}

// componentHeader is the component's row, one "key: value" a line.
func componentHeader(c item) string {
	rows := [][2]string{
		{"component", c.text("name")},
		{"id", c.text("id")},
		{"type", c.text("type")},
		{"manufacturer", c.text("manufacturer")},
		{"serial_number", c.text("serial_number")},
		{"model", c.text("model")},
		{"rack", rackRef(c)},
		{"slot_id", c.text("slot_id")},
		{"tray_index", c.text("tray_index")},
		{"host_id", c.text("host_id")},
		{"external_id", c.text("external_id")},
		{"power", powerText(c)},
		{"firmware", c.text("firmware_version")},
		{"updated_at", timeText(c.text("updated_at"))},
	}
	if d := c.text("deleted_at"); d != "" {
		rows = append(rows, [2]string{"deleted_at", timeText(d)})
	}
	var b strings.Builder
	for _, kv := range rows {
		fmt.Fprintf(&b, "%-14s %s\n", kv[0]+":", tableCell(kv[1]))
	}
	return b.String()
}

// driftHistoryCSV writes one record per drift history row.
func driftHistoryCSV(w io.Writer, c item) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"at", "event", "drift_type", "component_type", "drift_id", "cycle_id", "diffs"}) //nolint:errcheck // reported by Error
	for _, r := range c.list("drift_history") {
		m, _ := r.(map[string]any)
		h := item(m)
		cw.Write([]string{h.text("at"), h.text("event"), h.text("drift_type"), h.text("component_type"), //nolint:errcheck // reported by Error
			h.text("drift_id"), h.text("cycle_id"), diffsText(h)})
	}
	cw.Flush()
	return cw.Error()
}
