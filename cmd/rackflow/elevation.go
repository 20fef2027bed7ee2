package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// The elevation is drawn in at most elevationWidth columns: a drift mark,
// then fixed-width columns, the last one cut to what is left.
const elevationWidth = 100

// elevationColumns are the fixed widths of the elevation's columns after the
// mark; DRIFT takes the rest of the line.
var elevationColumns = []struct {
	header string
	width  int
}{
	{"SLOT", 4}, {"TRAY", 4}, {"TYPE", 10}, {"EXPECTED", 22}, {"ACTUAL", 20}, {"DRIFT", 0},
}

// elevationText draws a rack's slots one line each, in the server's order
// (slot_id, tray_index, unknown positions last): the expected occupant, what
// the actual sync saw and the drift. Lines with drift start with "!". Every
// line fits in elevationWidth columns; long cells are cut with "…".
func elevationText(slots []item) string {
	var b strings.Builder
	header := make([]string, len(elevationColumns))
	for i, c := range elevationColumns {
		header[i] = c.header
	}
	b.WriteString(elevationLine(" ", header))
	for _, s := range slots {
		mark := " "
		if slotDrifts(s) {
			mark = "!"
		}
		b.WriteString(elevationLine(mark, slotCells(s)))
	}
	if len(slots) == 0 {
		b.WriteString("  (no components in this rack)\n")
	}
	return b.String()
}

// elevationLine lays out one line: the mark, then each cell padded or cut
// to its column's width.
func elevationLine(mark string, cells []string) string {
	var b strings.Builder
	b.WriteString(mark)
	used := 1
	for i, c := range elevationColumns {
		b.WriteString(" ")
		used++
		width := c.width
		if width == 0 {
			width = elevationWidth - used
		}
		cell := truncate(tableCell(cells[i]), width)
		if i < len(elevationColumns)-1 {
			cell += strings.Repeat(" ", width-len([]rune(cell)))
			b.WriteString(cell + " ")
			used += width + 1
			continue
		}
		b.WriteString(cell)
	}
	return strings.TrimRight(b.String(), " ") + "\n"
}

// slotCells are a slot's cells in elevationColumns order.
func slotCells(s item) []string {
	exp := s.obj("expected")
	return []string{s.text("slot_id"), s.text("tray_index"), exp.text("type"), occupantText(exp), actualText(s), slotDriftText(s)}
}

// occupantText names the expected component: its name and serial number.
func occupantText(c item) string {
	return strings.TrimSpace(c.text("name") + " " + c.text("serial_number"))
}

// actualText says what Core reports in the slot: its id and power state, or
// that it is not seen.
func actualText(s item) string {
	a := s.obj("actual")
	if seen, ok := a.get("seen").(bool); ok && !seen {
		return "not seen"
	}
	return strings.TrimSpace(a.text("external_id") + " " + powerText(a))
}

// slotDrifts reports whether the slot has open drift.
func slotDrifts(s item) bool {
	st := s.text("state")
	return (st != "" && st != "ok") || len(s.list("drift")) > 0
}

// slotDriftText shows a slot's drift compactly: each differing field as
// "field expected→actual", or the drift type when there are no diffs.
func slotDriftText(s item) string {
	var parts []string
	for _, d := range s.list("drift") {
		m, ok := d.(map[string]any)
		if !ok {
			continue
		}
		diffs := item(m).list("diffs")
		if len(diffs) == 0 {
			parts = append(parts, item(m).text("drift_type"))
		}
		for _, df := range diffs {
			f, _ := df.(map[string]any)
			di := item(f)
			parts = append(parts, di.text("field_name")+" "+di.text("expected_value")+"→"+di.text("actual_value"))
		}
	}
	if len(parts) == 0 && slotDrifts(s) {
		return s.text("state")
	}
	return strings.Join(parts, ", ")
}

// elevationWide draws the elevation with every cell whole and the ids and
// firmware added: wider than a terminal, for reading every value.
func elevationWide(w io.Writer, slots []item) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tSLOT\tTRAY\tTYPE\tEXPECTED\tACTUAL\tDRIFT\tCOMPONENT_ID\tFIRMWARE")
	for _, s := range slots {
		mark := " "
		if slotDrifts(s) {
			mark = "!"
		}
		cells := append(slotCells(s), s.text("expected.id"), s.text("actual.firmware_version"))
		for i := range cells {
			cells[i] = tableCell(cells[i])
		}
		fmt.Fprintln(tw, mark+"\t"+strings.Join(cells, "\t"))
	}
	return tw.Flush()
}
